"""Interactions per month as a one-line sparkline (pure functions, no Textual)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pendulum

from nurture.model import Interaction

BARS = " ▁▂▃▄▅▆▇█"


def monthly_counts(entries: Iterable[Interaction], today: pendulum.Date,
                   months: int = 12) -> list[int]:
    """How many entries fell in each of the last ``months`` months, oldest first.

    The last bucket is the current month; an entry is counted in the month of
    its own local date, as the user saw it happen.
    """
    counts = [0] * months
    end = today.year * 12 + today.month - 1
    for entry in entries:
        day = entry.at.date()
        back = end - (day.year * 12 + day.month - 1)
        if 0 <= back < months:
            counts[months - 1 - back] += 1
    return counts


def sparkline(values: Sequence[int]) -> str:
    """One block character per value, scaled to the largest; zero is a blank-ish floor."""
    top = max(values, default=0)
    if top <= 0:
        return "▁" * len(values)
    return "".join("▁" if v == 0 else BARS[max(1, round(v / top * (len(BARS) - 1)))]
                   for v in values)


def month_initials(today: pendulum.Date, months: int = 12) -> str:
    """The first letter of each month under the sparkline, oldest first."""
    first = today.start_of("month")
    return "".join(first.subtract(months=months - 1 - i).format("MMM")[0] for i in range(months))
