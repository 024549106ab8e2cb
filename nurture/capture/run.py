"""One capture: read what is new in the configured sources and plan what to log.

Reads files (its one kind of I/O) and never writes: the plan says which
entries to log and what read state to remember, and ``apply.log_plan``
writes both in one durable batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

import pendulum

from nurture.capture.calendar import Meeting, scan_calendar
from nurture.capture.mail import MailHeader, scan_maildir, scan_mbox
from nurture.capture.people import AddressBook, NewPerson, forget_old, new_people, remember
from nurture.capture.plan import Counts, Proposal, plan_mail, plan_meetings
from nurture.capture.report import Problem
from nurture.capture.state import (
    RECENT_DAYS,
    Correspondent,
    MboxMark,
    ReadState,
    changed_marks,
    load_state,
)
from nurture.model import CaptureMark, Contact, Interaction


@dataclass(slots=True, frozen=True)
class Sources:
    """Where to capture from (``[capture]`` in config.toml), paths already expanded."""

    maildirs: Sequence[str] = ()
    mboxes: Sequence[str] = ()
    calendars: Sequence[str] = ()
    me: Sequence[str] = ()


@dataclass(slots=True)
class Plan:
    """What a capture would log, what it would remember, and what it could not read."""

    new: list[Interaction] = field(default_factory=list)
    extended: list[Interaction] = field(default_factory=list)  # logged before, more messages
    marks: list[CaptureMark] = field(default_factory=list)  # read state to save
    drop: list[str] = field(default_factory=list)  # read state to forget
    problems: list[Problem] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    people: list[NewPerson] = field(default_factory=list)  # mail partners you do not track

    @property
    def entries(self) -> list[Interaction]:
        return [*self.new, *self.extended]


def plan_capture(sources: Sources, contacts: Iterable[Contact],
                 logged: Mapping[str, Interaction], marks: Mapping[str, CaptureMark], *,
                 now: datetime, zone: tzinfo, since: datetime | None = None) -> Plan:
    """Read what is new since the read state in ``marks`` and plan what to log.

    ``logged`` maps the source ids already on the timeline to their entries
    (``plan.known_ids``, or the store's lazy index).
    """
    before = load_state(marks)
    after = ReadState(recent={a: Correspondent(c.name, list(c.days))
                              for a, c in before.recent.items()})
    book = AddressBook(contacts, sources.me)
    plan = Plan()
    headers: list[MailHeader] = []

    for folder in dict.fromkeys(sources.maildirs):
        seen = before.maildirs.get(folder, set())
        scan = scan_maildir(folder, seen)
        plan.problems.extend(scan.problems)
        headers.extend(scan.headers)
        if not scan.listed:
            if seen:
                after.maildirs[folder] = seen
            continue
        remembered = seen & scan.present
        remembered.update(k for k, h in zip(scan.keys, scan.headers, strict=True)
                          if not _before(h, since))
        after.maildirs[folder] = remembered

    for path in dict.fromkeys(sources.mboxes):
        old = before.mboxes.get(path, MboxMark())
        mbox = scan_mbox(path, old.offset, old.start_hash)
        plan.problems.extend(mbox.problems)
        headers.extend(mbox.headers)
        if mbox.problems or any(_before(h, since) for h in mbox.headers):
            if path in before.mboxes:
                after.mboxes[path] = old
        else:
            after.mboxes[path] = MboxMark(mbox.offset, mbox.start_hash)

    meetings: list[Meeting] = []
    for source in dict.fromkeys(sources.calendars):
        known = before.calendars.get(source, {})
        calendar = scan_calendar(source, known, now=now, zone=zone, since=since)
        plan.problems.extend(calendar.problems)
        meetings.extend(calendar.meetings)
        # A narrowed run (--since) did not look at everything: remember nothing new.
        files = known if since is not None else calendar.files
        if files:
            after.calendars[source] = files

    today = day_of(now, zone)
    _count_correspondents(after.recent, headers, book, zone, today)
    forget_old(after.recent, today)

    proposal = Proposal(counts=plan.counts)
    plan_mail(headers, book, logged, zone=zone, since=since, proposal=proposal)
    plan_meetings(meetings, book, logged, since=since, proposal=proposal)
    plan.new, plan.extended = proposal.new, proposal.extended
    plan.marks, plan.drop = changed_marks(marks, before, after)
    plan.people = new_people(after.recent, book, today)
    return plan


def day_of(moment: datetime, zone: tzinfo) -> pendulum.Date:
    """The calendar day of ``moment`` in ``zone``."""
    local = moment.astimezone(zone)
    return pendulum.date(local.year, local.month, local.day)


def _before(header: MailHeader, since: datetime | None) -> bool:
    return since is not None and header.at is not None and header.at < since


def _count_correspondents(recent: dict[str, Correspondent], headers: Iterable[MailHeader],
                          book: AddressBook, zone: tzinfo, today: pendulum.Date) -> None:
    last = today.toordinal()
    first = last - RECENT_DAYS
    seen: set[str] = set()
    for header in headers:
        if header.bulk or header.at is None:
            continue
        day = header.at.astimezone(zone).toordinal()
        if not first <= day <= last or header.message_id in seen:
            continue
        seen.add(header.message_id)
        names = dict(header.names)
        people = [(a, names.get(a, "")) for a in dict.fromkeys((*header.senders,
                                                                 *header.recipients))
                  if a not in book.me]
        remember(recent, people, day, last)
