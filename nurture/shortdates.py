"""The one grammar for a day typed in a hurry: the app's snooze, `nurture snooze --until`,
`nurture today --date`, `nurture follow-up --due`. Pure; ``today`` is always passed in.

``2026-12-24``; ``12-24`` (the next one); ``today``, ``tomorrow``, ``yesterday``,
``next week``; a weekday (``friday``, ``fri``: the next one after today); a span
ahead (``10d``, ``3w``, ``2m``, ``1y``).
"""

from __future__ import annotations

import re

import pendulum

from nurture.errors import ValidationError
from nurture.model import parse_cadence, parse_date_parts

WEEKDAYS = {name: number for number, names in enumerate(
    (("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
     ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
     ("sun", "sunday"))) for name in names}
EXAMPLES = "2026-12-24, 12-24, friday, tomorrow, 10d, 3w or 2m"


_DATE = re.compile(r"^\d+-\d")  # 2026-12-24, 12-24
_SPAN = re.compile(r"^\d+\s*[a-z]+$")  # 10d, 3 weeks
_LONGEST = 64  # longer typed text is refused as too long by the model's parsers


def parse_day(text: str, today: pendulum.Date, field_name: str = "date", *,
              after_today: bool = False) -> pendulum.Date:
    """The day ``text`` names, counted from ``today``; ``after_today``: it must be later."""
    wanted = " ".join(text.strip().lower().split())
    if not wanted:
        raise ValidationError(field_name, f"type a day: {EXAMPLES}")
    relative = {"today": today, "tomorrow": today.add(days=1),
                "yesterday": today.subtract(days=1), "next week": today.add(weeks=1)}
    if wanted in relative:
        when = relative[wanted]
    elif wanted in WEEKDAYS:
        # pendulum numbers weekdays from Monday = 0, as we do.
        when = today.next(pendulum.WeekDay(WEEKDAYS[wanted]))
    else:
        when = _date_or_span(wanted, text, today, field_name, after_today)
    if after_today and when <= today:
        raise ValidationError(field_name, f"{when.format('D MMMM YYYY')} is not after today; "
                                          "pick a later day")
    return when


def _date_or_span(wanted: str, text: str, today: pendulum.Date, field_name: str,
                  after_today: bool) -> pendulum.Date:
    try:
        year, month, day = parse_date_parts(wanted, field_name)
    except ValidationError as not_a_date:
        try:
            days = parse_cadence(wanted, field_name)
        except ValidationError as not_a_span:
            # Say what is wrong with what it looks like: a date out of range, a span too
            # long, text too long to be anything; else what would do.
            if _SPAN.match(wanted):
                raise not_a_span from None
            if _DATE.match(wanted) or len(wanted) > _LONGEST:
                raise not_a_date from None
            raise ValidationError(field_name, f"{text.strip()!r} is not a date "
                                              f"(try {EXAMPLES})") from None
        assert days is not None
        return today.add(days=days)
    when = pendulum.date(year if year is not None else today.year, month, day)
    # A day without a year is the next one (on or after today; after, for a snooze).
    if year is None and (when < today or (after_today and when == today)):
        when = when.add(years=1)
    return when
