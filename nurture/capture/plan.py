"""From headers and meetings to proposed timeline entries. Pure: no I/O, no clock.

- An **email** entry for each thread and day with a contact in From, To or Cc:
  ten replies on one day are one touch. List and bulk mail are not touches.
- A **meeting** entry for each past meeting a contact was invited to (or organised).
- A message or meeting already on the timeline (by Message-ID, or UID and
  recurrence id) is not logged again; a new message in a thread already
  logged that day joins that entry.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

import pendulum

from nurture.capture.calendar import Meeting
from nurture.capture.mail import MailHeader
from nurture.capture.people import AddressBook
from nurture.model import Interaction, InteractionKind

MAIL = "mail"
CALENDAR = "calendar"


@dataclass(slots=True)
class Counts:
    """What was read, and why what was read was not logged."""

    messages: int = 0
    meetings: int = 0
    bulk: int = 0  # lists, bulk mail, no-reply senders
    strangers: int = 0  # nobody you track in it
    already: int = 0  # logged by an earlier run
    undated: int = 0
    before_since: int = 0


@dataclass(slots=True)
class Proposal:
    """The entries to log: new ones, and entries already logged that gain messages."""

    new: list[Interaction] = field(default_factory=list)
    extended: list[Interaction] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


_zones: dict[int, pendulum.FixedTimezone] = {}


def pendulum_at(value: datetime) -> pendulum.DateTime:
    """An aware datetime as pendulum's, keeping its offset (built directly: 50,000 a run)."""
    offset = value.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    zone = _zones.get(seconds)
    if zone is None:
        zone = _zones[seconds] = pendulum.FixedTimezone(seconds)
    return pendulum.DateTime(value.year, value.month, value.day, value.hour, value.minute,
                             value.second, value.microsecond, tzinfo=zone)


_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def entry_id(source: str, source_id: str) -> str:
    """An entry's id from what it was made of: capturing it again on another copy of the
    book (or a dry run before the real one) names it the same; ``i-`` and ten letters or
    digits, like every entry id."""
    number = int.from_bytes(hashlib.sha1(f"{source}\x1f{source_id}".encode(
        "utf-8", "surrogateescape")).digest()[:8], "big")
    digits = []
    for _ in range(10):
        number, digit = divmod(number, 36)
        digits.append(_BASE36[digit])
    return "i-" + "".join(digits)


def known_ids(entries: Iterable[Interaction]) -> dict[str, Interaction]:
    """Captured entries by each of their source ids."""
    return {sid: e for e in entries if e.source for sid in e.source_ids}


@dataclass(slots=True)
class _Thread:
    messages: list[MailHeader] = field(default_factory=list)
    contacts: dict[str, None] = field(default_factory=dict)
    existing: Interaction | None = None


def plan_mail(headers: Iterable[MailHeader], book: AddressBook,
              known: Mapping[str, Interaction], *, zone: tzinfo, since: datetime | None = None,
              proposal: Proposal | None = None) -> Proposal:
    """Group the messages with contacts into one entry per thread and day.

    ``known`` maps source ids to the entries holding them; it is only looked
    up for the ids new messages carry, so it may build entries on demand.
    """
    out = proposal or Proposal()
    counts = out.counts
    by_id: dict[tuple[str, date], _Thread] = {}  # (message id, day) -> its thread that day
    threads: list[_Thread] = []

    def logged_thread(ids: Iterable[str], day: date) -> _Thread | None:
        """The entry logged before for this thread on this day, if any."""
        for i in ids:
            entry = known.get(i)
            if entry is not None and entry.source == MAIL \
                    and entry.at.astimezone(zone).date() == day:
                thread = _Thread(existing=entry)
                for sid in entry.source_ids:
                    by_id[(sid, day)] = thread
                return thread
        return None

    seen: set[str] = set()
    dated: list[tuple[datetime, str, MailHeader]] = []
    for header in headers:
        counts.messages += 1
        if header.at is None:
            counts.undated += 1
        elif header.message_id in known or header.message_id in seen:
            counts.already += 1
        elif since is not None and header.at < since:
            counts.before_since += 1
        elif header.bulk:
            counts.bulk += 1
        else:
            seen.add(header.message_id)
            dated.append((header.at, header.message_id, header))
    dated.sort(key=lambda t: (t[0], t[1]))
    for at, _, header in dated:
        people = book.contacts_among(a for a in (*header.senders, *header.recipients)
                                     if a not in book.me)
        if not people:
            counts.strangers += 1
            continue
        day = at.astimezone(zone).date()
        ids = (header.message_id, *header.thread)
        thread: _Thread | None = next((by_id[(i, day)] for i in ids if (i, day) in by_id), None)
        if thread is None:
            thread = logged_thread(ids, day) or _Thread()
            threads.append(thread)
        for i in ids:
            by_id.setdefault((i, day), thread)
        thread.messages.append(header)
        thread.contacts.update(dict.fromkeys(people))
    for group in threads:
        message_ids = [h.message_id for h in group.messages]
        if group.existing is not None:
            old = group.existing
            out.extended.append(dataclasses.replace(
                old, contact_ids=list(dict.fromkeys([*old.contact_ids, *group.contacts])),
                source_ids=[*old.source_ids, *message_ids]))
            continue
        first = group.messages[0]
        assert first.at is not None
        out.new.append(Interaction(id=entry_id(MAIL, message_ids[0]),
                                   contact_ids=list(group.contacts), kind=InteractionKind.EMAIL,
                                   at=pendulum_at(first.at), text=first.subject, source=MAIL,
                                   source_ids=message_ids))
    return out


def plan_meetings(meetings: Iterable[Meeting], book: AddressBook,
                  known: Mapping[str, Interaction], *, since: datetime | None = None,
                  proposal: Proposal | None = None) -> Proposal:
    """One entry for each past meeting with a contact among those invited."""
    out = proposal or Proposal()
    counts = out.counts
    seen: set[str] = set()
    for meeting in sorted(meetings, key=lambda m: (m.start, m.source_id)):
        counts.meetings += 1
        if meeting.source_id in known or meeting.source_id in seen:
            counts.already += 1
            continue
        seen.add(meeting.source_id)
        if since is not None and meeting.start < since:
            counts.before_since += 1
            continue
        people = book.contacts_among(a for a in meeting.attendees if a not in book.me)
        if not people:
            counts.strangers += 1
            continue
        out.new.append(Interaction(id=entry_id(CALENDAR, meeting.source_id), contact_ids=people,
                                   kind=InteractionKind.MEETING, at=pendulum_at(meeting.start),
                                   text=meeting.summary,
                                   duration_seconds=meeting.duration_seconds, source=CALENDAR,
                                   source_ids=[meeting.source_id]))
    return out
