"""Argument types shared by the commands: numbers typed on the command line, bounded.

The parsing itself is the model's (``parse_whole``): its refusal is a
``ValidationError``, which argparse lets through and ``main`` prints as one
sentence (exit 1), so no command converts a number on its own and a 5000-digit
``--days`` is a sentence, not an overflow.
"""

from __future__ import annotations

from collections.abc import Callable

from nurture.model import parse_whole


def whole(field: str, low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number from ``low`` to ``high`` (``--field``)."""

    def parse(text: str) -> int:
        return parse_whole(text, field, low, high, unit)

    return parse


DAYS = whole("days", 0, 3650, "days")
