"""Small words shared by the engine, the exports and the app. Pure; no I/O.

Kept below every layer that writes sentences (rules, compose, interop, tui,
cli) so that a date reads the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``11th``, ``23rd``."""
    suffix = ("th" if 10 <= number % 100 <= 20
              else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th"))
    return f"{number}{suffix}"


def relative_days(when: date, today: date) -> str:
    """``today``, ``tomorrow``, ``yesterday``, ``in 12 days`` or ``3 days ago``."""
    days = when.toordinal() - today.toordinal()
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def approx(days: int) -> str:
    """A rounded length of time: ``5 days``, ``3 weeks``, ``4 months``, ``2 years``."""
    if days < 14:
        count, unit = days, "day"
    elif days < 63:
        count, unit = days // 7, "week"
    elif days < 365:
        count, unit = days // 30, "month"
    else:
        count, unit = days // 365, "year"
    return f"{count} {unit}" + ("s" if count != 1 else "")


def stamp(moment: datetime) -> str:
    """``2026-12-02 07:23``: an instant as a command prints it and the entry form shows
    it (in its own zone). By strftime: pendulum's ``format`` loads its formatter and
    locale, 3–5 ms of a command that prints one line."""
    return f"{moment:%Y-%m-%d %H:%M}"


def ago_days(days: int) -> str:
    """``today``, ``yesterday``, ``5 days ago``, ``8 weeks ago``, ``5 months ago``,
    ``tomorrow``, ``in 3 weeks``: the one wording of "how long ago" (61 days reads
    "8 weeks ago" in the review, the card, the list and the command line alike)."""
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    if days < 0:
        return "in " + approx(-days)
    return approx(days) + " ago"


def ago(then: date, today: date) -> str:
    """`ago_days` from two dates."""
    return ago_days(today.toordinal() - then.toordinal())


def as_written(tag: str, *texts: object) -> str:
    """An interest as people write it: tags are stored folded ("yankees"), so take the
    casing of the same words in the news title, the reason or the contact's notes
    ("Yankees"); a tag seen nowhere stays as it is."""
    if not tag:
        return tag
    words = tag.replace("-", " ")
    pattern = re.compile(r"(?<!\w)" + r"[\s-]+".join(map(re.escape, words.split()))
                         + r"(?!\w)", re.IGNORECASE)
    for text in texts:
        found = pattern.search(" ".join(str(text).split())) if text else None
        if found and found.group() != found.group().lower():
            return found.group()
    return tag
