"""Key dates, follow-ups and suggestions as an iCalendar file the user's calendar reads.

Key dates are yearly all-day events. A date without a year starts in 2000, a
past leap year, so that Feb 29 is a real first occurrence. A Feb 29 date
recurs with ``RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1`` (the last day of
February): Feb 29 in leap years and Feb 28 otherwise, as ``KeyDate.on_year``
has it. A plain yearly rule would skip three years in four (RFC 5545 drops
invalid dates). Google Calendar, Apple Calendar, Thunderbird and dateutil all
expand BYMONTHDAY=-1.

Every UID is derived from what the event is about (the contact's id and the
date's label, the follow-up's id, the suggestion's key), so a calendar that
subscribes again updates its events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pendulum

from nurture import __version__, lazy
from nurture.interop.vcard_out import stable_uid
from nurture.model import Contact, Interaction, KeyDate, Suggestion, fold

# icalendar reads RRULEs with dateutil, whose parser ``nurture/__init__`` defers:
# loaded here, under its lock, not first by a calendar job and a typed date at once.
lazy.load("dateutil.parser")

if TYPE_CHECKING:
    import datetime

    import icalendar

NO_YEAR_START = 2000
DOMAIN = "nurture.invalid"  # UIDs look like addresses; .invalid can never collide


def _uid(kind: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"{kind}-{digest}@{DOMAIN}"


@dataclass(slots=True)
class CalendarCounts:
    key_dates: int = 0
    follow_ups: int = 0
    undated_follow_ups: int = 0
    suggestions: int = 0

    @property
    def total(self) -> int:
        return self.key_dates + self.follow_ups + self.suggestions


def key_date_start(date: KeyDate) -> pendulum.Date:
    """The first occurrence written as DTSTART."""
    if date.year is not None:
        return pendulum.date(date.year, date.month, date.day)
    return pendulum.date(NO_YEAR_START, date.month, date.day)


def key_date_rule(date: KeyDate) -> dict[str, object] | None:
    """The RRULE for a key date (None for a one-off date)."""
    if not date.yearly:
        return None
    if (date.month, date.day) == (2, 29):
        return {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
    return {"freq": "yearly"}


def key_date_summary(contact: Contact, date: KeyDate) -> tuple[str, str]:
    label = fold(date.label)
    if label == "birthday":
        return f"{contact.display_name}'s birthday", "Birthday"
    if label == "anniversary":
        return f"{contact.display_name}: anniversary", "Anniversary"
    return f"{contact.display_name}: {date.label}", "Key date"


def _description(date: KeyDate) -> str:
    if date.year is None:
        return "Year unknown."
    if fold(date.label) == "birthday":
        return f"Born {date.year}."
    return f"Since {date.year}." if date.yearly else f"On {date.human()}."


def build_calendar(contacts: Iterable[Contact], interactions: Iterable[Interaction],
                   today: pendulum.Date, *, days: int = 365, todos: bool = False,
                   suggestions: Sequence[Suggestion] = (),
                   stamp: pendulum.DateTime | None = None) -> tuple[bytes, CalendarCounts]:
    """The calendar as iCalendar bytes, and what went into it.

    Open follow-ups due up to ``days`` after ``today`` (overdue ones too) become
    all-day events on their due dates, or to-dos with ``todos``.
    """
    import icalendar

    dtstamp = _utc(stamp or pendulum.now("UTC"))
    horizon = today.add(days=days)
    counts = CalendarCounts()
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Nurture//Nurture {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Nurture")
    people = {c.id: c for c in contacts}
    for contact in people.values():
        seen: dict[str, int] = {}
        for date in contact.key_dates:
            summary, category = key_date_summary(contact, date)
            start = key_date_start(date)
            label = fold(date.label)
            seen[label] = seen.get(label, 0) + 1
            # The vCard UID, not this book's id: a copy of the book (or a synced device)
            # then gives each key date the same UID, and a calendar updates its events.
            uid = stable_uid(contact)
            parts = (uid, label) if seen[label] == 1 else (uid, label, str(seen[label]))
            event = _all_day(icalendar.Event(), _uid("keydate", *parts), dtstamp, start, summary)
            rule = key_date_rule(date)
            if rule is not None:
                event.add("rrule", rule)
            event.add("description", _description(date))
            event.add("categories", [category])
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
            counts.key_dates += 1
    for entry in interactions:
        for follow_up in entry.open_follow_ups():
            if follow_up.due is None:
                counts.undated_follow_ups += 1
                continue
            if follow_up.due > horizon:
                continue
            names = ", ".join(people[c].display_name for c in entry.contact_ids if c in people)
            summary = f"Follow up with {names}: {follow_up.text}" if names else follow_up.text
            uid = _uid("follow-up", entry.id, follow_up.id)
            if todos:
                todo = icalendar.Todo()
                todo.add("uid", uid)
                todo.add("dtstamp", dtstamp)
                todo.add("summary", summary)
                todo.add("due", follow_up.due)
                todo.add("status", "NEEDS-ACTION")
                if entry.text:
                    todo.add("description", entry.text)
                cal.add_component(todo)
            else:
                event = _all_day(icalendar.Event(), uid, dtstamp, follow_up.due, summary)
                if entry.text:
                    event.add("description", entry.text)
                event.add("categories", ["Follow-up"])
                cal.add_component(event)
            counts.follow_ups += 1
    for suggestion in suggestions:
        event = _all_day(icalendar.Event(), _uid("suggestion", suggestion.key), dtstamp,
                         suggestion.due, suggestion.title)
        event.add("description", suggestion.reason)
        event.add("categories", ["Suggestion"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
        counts.suggestions += 1
    return cal.to_ical(), counts


def _utc(moment: pendulum.DateTime) -> datetime.datetime:
    """A stdlib datetime in UTC: icalendar writes it as ``…Z``."""
    import datetime

    moment = moment.in_timezone("UTC")
    return datetime.datetime(moment.year, moment.month, moment.day, moment.hour,
                             moment.minute, moment.second, tzinfo=datetime.UTC)


def _all_day(event: icalendar.Event, uid: str, stamp: datetime.datetime, day: pendulum.Date,
             summary: str) -> icalendar.Event:
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", _plain(day))
    event.add("dtend", _plain(day.add(days=1)))
    return event


def _plain(day: pendulum.Date) -> datetime.date:
    """A plain ``datetime.date``: icalendar writes it as VALUE=DATE."""
    import datetime

    return datetime.date(day.year, day.month, day.day)
