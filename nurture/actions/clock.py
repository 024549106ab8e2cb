"""The instant an action is stamped with, for the command line and the app alike."""

from __future__ import annotations

import pendulum


def moment(today: pendulum.Date) -> pendulum.DateTime:
    """Now, or noon of ``today`` when the book is being looked at on another day
    (``NURTURE_TODAY``, a pinned demo): what is done then counts on that day, and is
    not a plan in the future that resets nothing."""
    current = pendulum.now()
    if current.date() == today:
        return current
    return current.set(year=today.year, month=today.month, day=today.day, hour=12, minute=0,
                       second=0, microsecond=0)
