"""Wording shared by the rules: dates, spans of time, ordinals and the "last spoke" sentence.

Reasons are read by a person at breakfast, so they are whole sentences built
from facts. We store no gender, so sentences use the first name, never
"he" or "she".
"""

from __future__ import annotations

import re
from datetime import date

from nurture.model import Interaction, InteractionKind
from nurture.wording import ago_days as ago
from nurture.wording import approx as approx  # re-exported: the rules say text.approx

_HASHTAG = re.compile(r"#(\w[\w-]*)")

IK = InteractionKind
# How the last entry reads: a call is "spoke", a lunch "met", a private note is no conversation.
_LAST = {
    IK.CALL: "You last spoke {when}",
    IK.MEETING: "You last met {when}",
    IK.EMAIL: "You last wrote {when}",
    IK.MESSAGE: "You last wrote {when}",
    IK.CARD_SENT: "You last wrote {when}",
    IK.THANK_YOU: "You last wrote {when}",
    IK.NOTE: "Your last note was {when}",
    IK.LIFE_EVENT: "Last logged {when}",
}

TOPIC_CHARS = 60


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(value: date) -> str:
    """``Thu 14 Mar``: short enough for a reason, unambiguous within a year.

    Spelled out here rather than with ``format()``: it is called thousands of
    times per review, and reasons are written in English anyway.
    """
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"


def day_in_year(value: date, today: date) -> str:
    """``Thu 14 Mar``, with the year when it is not ``today``'s year."""
    return day(value) if value.year == today.year else f"{day(value)} {value.year}"


def every(days: int) -> str:
    """A cadence as a person says it: ``every 2 weeks``, ``every month``, ``every 45 days``."""
    for size, unit in ((365, "year"), (30, "month"), (7, "week"), (1, "day")):
        if days >= size and days % size == 0:
            count = days // size
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {days} days"  # pragma: no cover - the loop ends at size 1


def topic(entry: Interaction) -> str:
    """What an entry was about: its first hashtag, else its first line, shortened."""
    tag = _HASHTAG.search(entry.text)
    if tag:
        return tag.group(1).replace("-", " ")
    line = entry.text.strip().splitlines()[0].strip() if entry.text.strip() else ""
    if len(line) > TOPIC_CHARS:
        return line[:TOPIC_CHARS].rsplit(" ", 1)[0].rstrip(",.;:!?") + "…"
    # The sentence quoting it supplies its own full stop.
    return line.rstrip(".;:,")


def note_topic(entry: Interaction | None) -> str:
    """A topic a note can name after "we spoke about": the entry's first #hashtag, else "".

    A first line ("Sent notes from our chat…") reads well quoted in a reason but
    not inside a sentence of a note, so templates get only a real topic.
    """
    if entry is None:
        return ""
    tag = _HASHTAG.search(entry.text)
    return tag.group(1).replace("-", " ") if tag else ""


def last_spoke(entry: Interaction | None, today: date) -> str:
    """``You last spoke 5 months ago about sailing.`` or ``No contact logged yet.``"""
    if entry is None:
        return "No contact logged yet."
    when = ago(today.toordinal() - entry.at.toordinal())
    head = _LAST.get(entry.kind, "You were last in touch {when}").format(when=when)
    about = topic(entry)
    if not about:
        return head + "."
    if _HASHTAG.search(entry.text):
        return f"{head} about {about}."
    return f"{head}: “{about}”."


def sentence(*parts: str) -> str:
    """Join sentences, skipping empty ones."""
    return " ".join(p for p in parts if p)
