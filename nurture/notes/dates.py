"""Date expressions in a quick note: "March 14", "14 March 1985", "next Friday", "in 2 weeks".

English only. Everything is resolved against a ``today`` passed in. The finder is
conservative: an expression that could mean two dates (``3/4``) is not a date.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pendulum

from nurture.errors import ValidationError
from nurture.model import check_date_parts

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
          r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\b"
_YEAR = r"(?:,?\s+(?P<year>\d{4})\b)?"
# A preposition before a date belongs to it: removing "on March 3" from a
# follow-up must not leave a dangling "on".
_PRE = r"(?P<pre>\b(?:on|by|before|until|till)\s+)?"

_FLAGS = re.IGNORECASE
_DAY_MONTH = re.compile(_PRE + r"\b(?:the\s+)?" + _DAY + r"(?:\s+of)?\s+" + _MONTH + _YEAR, _FLAGS)
# "March 14" but not the "March 3" of "March 3:30" or "March 3.5".
_MONTH_DAY = re.compile(_PRE + r"\b" + _MONTH + r"\s+(?:the\s+)?" + _DAY + r"(?![:.]\d)" + _YEAR,
                        _FLAGS)
_ISO = re.compile(_PRE + r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b(?!-)", _FLAGS)
_SLASH = re.compile(r"(?<![\w/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<year>\d{4}))?(?![\w/])")
_DOTTED = re.compile(r"(?<![\w.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?![\w.])")

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_COUNT = r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve" \
         r"|a\s+couple(?:\s+of)?)"
_UNIT = r"(?P<unit>days?|weeks?|wks?|months?|years?)"
_IN = re.compile(r"\bin\s+" + _COUNT + r"\s+" + _UNIT + r"\b(?:['’]?\s+time\b)?", _FLAGS)
_FROM_NOW = re.compile(r"\b" + _COUNT + r"\s+" + _UNIT + r"\s+from\s+(?:now|today)\b", _FLAGS)
_WORD = re.compile(r"\b(?P<w>(?:the\s+)?day\s+after\s+tomorrow|today|tonight|tomorrow|tmrw"
                   r"|yesterday)\b", _FLAGS)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(_PRE + r"\b(?:(?P<mod>next|this(?:\s+coming)?|coming)\s+)?"
                      r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                      _FLAGS)
_PERIOD = re.compile(r"\b(?P<p>next\s+(?:week(?:end)?|month|year)"
                     r"|(?:this|over\s+the|the)\s+weekend"
                     r"|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:week|month))\b",
                     _FLAGS)

# Limits that keep "in 999 years" from being read as a plan (and pendulum from overflowing).
_MAX_COUNT = {"d": 366, "w": 104, "m": 48, "y": 10}


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression: where it is and what it means.

    ``year`` is None when the text gave only a month and a day; relative
    expressions ("tomorrow") always carry the year they resolve to.
    ``outer_start`` includes a leading "on"/"by" that belongs to the date.
    ``precise`` is False for "next month" or "in 2 years": fine for a
    follow-up, too vague for a graduation day.
    """

    start: int
    end: int
    outer_start: int
    month: int
    day: int
    year: int | None
    relative: bool
    precise: bool = True

    def next_on_or_after(self, today: pendulum.Date) -> pendulum.Date | None:
        """The date this expression names, the next such month/day when no year was given."""
        try:
            if self.year is not None:
                return pendulum.date(self.year, self.month, self.day)
            this_year = _on_year(self.month, self.day, today.year)
            return this_year if this_year >= today else _on_year(self.month, self.day,
                                                                 today.year + 1)
        except (ValueError, OverflowError):
            return None


def _on_year(month: int, day: int, year: int) -> pendulum.Date:
    if month == 2 and day == 29 and not pendulum.date(year, 1, 1).is_leap_year():
        day = 28
    return pendulum.date(year, month, day)


def find_dates(text: str, today: pendulum.Date, *, relative: bool = True,
               numeric: bool = False) -> list[DateMatch]:
    """Every date expression in ``text``, left to right, without overlaps.

    ``relative`` allows "tomorrow", "next Friday", "in 2 weeks"; ``numeric``
    allows ``3/14`` and ``14.03.1985`` (kept for explicit contexts such as
    "bday 3/14", because ``24/7`` in free text is not a date).
    """
    found: list[DateMatch] = []
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            month_text = m.group("mon")
            # "may" is a verb far more often than a month unless capitalised.
            if month_text.lower() == "may" and not month_text[0].isupper():
                continue
            _add(found, m, _MONTHS[month_text[:3].lower()], int(m.group("day")),
                 _int(m.group("year")))
    for m in _ISO.finditer(text):
        _add(found, m, int(m.group("month")), int(m.group("day")), int(m.group("year")))
    if numeric:
        for m in _SLASH.finditer(text):
            a, b = int(m.group("a")), int(m.group("b"))
            if a <= 12 and b > 12:
                _add(found, m, a, b, _int(m.group("year")))
            elif b <= 12 and a > 12:
                _add(found, m, b, a, _int(m.group("year")))
            # Both parts 12 or less: month/day or day/month? Not a date.
        for m in _DOTTED.finditer(text):
            _add(found, m, int(m.group("month")), int(m.group("day")), int(m.group("year")))
    if relative:
        # A today at the very edge of the calendar (year 1 or 9999) has no "tomorrow".
        with contextlib.suppress(ValueError, OverflowError):
            found.extend(_relative(text, today))
    return _without_overlaps(found)


def _relative(text: str, today: pendulum.Date) -> list[DateMatch]:
    out: list[DateMatch] = []

    def keep(m: re.Match[str], when: pendulum.Date | None, precise: bool = True) -> None:
        if when is not None:
            pre = m.groupdict().get("pre") or ""
            out.append(DateMatch(m.start() + len(pre), m.end(), m.start(), when.month,
                                 when.day, when.year, True, precise))

    for pattern in (_IN, _FROM_NOW):
        for m in pattern.finditer(text):
            keep(m, _after(today, m.group("n"), m.group("unit")),
                 m.group("unit")[0].lower() in "dw")
    for m in _WORD.finditer(text):
        word = m.group("w").lower()
        if word.endswith("after tomorrow"):
            keep(m, today.add(days=2))
        elif word in ("tomorrow", "tmrw"):
            keep(m, today.add(days=1))
        elif word == "yesterday":
            keep(m, today.subtract(days=1))
        else:
            keep(m, today)
    for m in _WEEKDAY.finditer(text):
        keep(m, _weekday(today, _WEEKDAYS.index(m.group("wd").lower()),
                         (m.group("mod") or "").lower()))
    for m in _PERIOD.finditer(text):
        keep(m, _period(today, " ".join(m.group("p").lower().split())), precise=False)
    return out


def _after(today: pendulum.Date, count: str, unit: str) -> pendulum.Date | None:
    count = " ".join(count.lower().split())
    n = 2 if count.startswith("a couple") else _NUMBER_WORDS.get(count)
    if n is None:
        n = int(count)
    key = unit[0].lower()
    if not 0 < n <= _MAX_COUNT[key]:
        return None
    try:
        return {"d": lambda: today.add(days=n), "w": lambda: today.add(weeks=n),
                "m": lambda: today.add(months=n), "y": lambda: today.add(years=n)}[key]()
    except (ValueError, OverflowError):
        return None


def _weekday(today: pendulum.Date, weekday: int, mod: str) -> pendulum.Date:
    """"Friday" is the next Friday after today; "next Friday" is the Friday of next week."""
    ahead = (weekday - today.day_of_week) % 7
    if mod == "next":
        return today.subtract(days=today.day_of_week).add(days=7 + weekday)
    if mod.startswith("this") and ahead == 0:
        return today
    return today.add(days=ahead or 7)


def _period(today: pendulum.Date, phrase: str) -> pendulum.Date:
    monday = today.subtract(days=today.day_of_week)
    if phrase == "next week":
        return monday.add(days=7)
    if phrase == "next weekend":
        return monday.add(days=12)
    if phrase == "next month":
        return today.add(months=1).start_of("month")
    if phrase == "next year":
        return pendulum.date(today.year + 1, 1, 1)
    if phrase.endswith("weekend"):
        # On a Sunday "this weekend" is today; otherwise the coming Saturday.
        return today if today.day_of_week >= 5 else monday.add(days=5)
    if phrase.endswith("month"):
        return today.end_of("month")
    return max(today, monday.add(days=4))  # end of the week: Friday, or today if later


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _add(found: list[DateMatch], m: re.Match[str], month: int, day: int,
         year: int | None) -> None:
    try:
        check_date_parts(year, month, day)
    except ValidationError:
        return
    pre = m.groupdict().get("pre") or ""
    found.append(DateMatch(m.start() + len(pre), m.end(), m.start(), month, day, year, False))


def _without_overlaps(found: list[DateMatch]) -> list[DateMatch]:
    found.sort(key=lambda d: (d.outer_start, -(d.end - d.outer_start)))
    kept: list[DateMatch] = []
    for item in found:
        if kept and item.outer_start < kept[-1].end:
            continue
        kept.append(item)
    return kept
