"""Small words shared by the engine, the exports and the app. Pure; no I/O.

Kept below every layer that writes sentences (rules, compose, interop, tui,
cli) so that a date reads the same everywhere.
"""

from __future__ import annotations

from datetime import date


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
