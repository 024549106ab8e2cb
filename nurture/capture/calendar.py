"""Past meetings out of iCalendar files and vdir folders (khal, vdirsyncer).

Recurring events are expanded with ``recurring-ical-events`` (RRULE, RDATE,
EXDATE, moved and cancelled instances, time zones) between the window's
start and now; only meetings that have ended are touches.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]  # the library ships no hints

from nurture import lazy
from nurture.capture.mail import clean
from nurture.capture.report import Problem

lazy.load("dateutil.parser")  # icalendar's RRULEs need it (see nurture/interop/ics.py)

EARLIEST = datetime(1970, 1, 1)


@dataclass(slots=True, frozen=True)
class Meeting:
    """One past occurrence of an event, with who was invited."""

    uid: str
    recurrence_id: str  # the occurrence's RECURRENCE-ID (ISO), "" for a one-off event
    start: datetime  # aware; noon of the day for an all-day event
    all_day: bool
    duration_seconds: int | None  # None for an all-day event
    summary: str
    attendees: tuple[str, ...]  # folded: the organiser, and those who did not decline or delegate
    where: str

    @property
    def source_id(self) -> str:
        """What keeps it from being logged twice: the UID, and the occurrence when it recurs."""
        return f"{self.uid}#{self.recurrence_id}" if self.recurrence_id else self.uid


@dataclass(slots=True)
class Reading:
    """Meetings of one iCalendar file, and when its next event ends (None: nothing to come)."""

    meetings: list[Meeting] = field(default_factory=list)
    next_end: datetime | None = None


def address_of(value: Any) -> str:
    """The address of an ATTENDEE or ORGANIZER, with or without ``mailto:``; "" when none."""
    params = getattr(value, "params", {}) or {}
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if "@" not in text and params.get("EMAIL"):
        text = str(params["EMAIL"])  # RFC 7986: the address in a parameter, the value a URI
    # An address has no spaces; a line folded inside one leaves a space behind (khal's
    # test files have "mailto:hcabot@\n  example.com"), so any whitespace goes.
    text = "".join(clean(text).split()).lower()
    return text if "@" in text else ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _attendees(event: icalendar.Event) -> tuple[str, ...]:
    found = [address_of(event.get("ORGANIZER"))] if event.get("ORGANIZER") is not None else []
    for attendee in _as_list(event.get("ATTENDEE")):
        params = getattr(attendee, "params", {}) or {}
        if str(params.get("PARTSTAT", "")).upper() in ("DECLINED", "DELEGATED"):
            continue
        found.append(address_of(attendee))
    return tuple(dict.fromkeys(a for a in found if a))


def _aware(value: date | datetime, zone: tzinfo) -> tuple[datetime, bool]:
    """An event time as an aware datetime; a date is an all-day event, placed at noon."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=zone)), False
    return datetime.combine(value, time(12), zone), True


def _end(event: icalendar.Event, start: date | datetime, zone: tzinfo) -> datetime:
    end: Any = event.get("DTEND")
    duration: Any = event.get("DURATION")
    value: date | datetime
    if end is not None:
        value = end.dt
    elif duration is not None:
        value = start + duration.dt
    else:  # RFC 5545: a date lasts the day, a date-time is an instant
        value = start + timedelta(days=1) if not isinstance(start, datetime) else start
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), zone)


def _iso(value: Any) -> str:
    raw = getattr(value, "dt", value)
    return raw.isoformat() if isinstance(raw, date) else str(raw)


def read_ics(data: bytes, where: str, *, now: datetime, zone: tzinfo,
             since: datetime | None = None) -> Reading:
    """The meetings of an iCalendar file that ended between ``since`` and ``now``.

    Raises ``ValueError`` for a file that is not iCalendar (the caller names it).
    """
    calendar = icalendar.Calendar.from_ical(data)
    query = recurring_ical_events.of(calendar, components=["VEVENT"], skip_bad_series=True)
    start = (since or EARLIEST.replace(tzinfo=zone)).astimezone(zone).replace(tzinfo=None)
    # The library gives every occurrence a RECURRENCE-ID, one-off events too; only
    # a recurring event's is kept, so that a one-off moved later is still one meeting.
    recurring = {str(e.get("UID", "")) for e in calendar.walk("VEVENT")
                 if any(e.get(k) is not None for k in ("RRULE", "RDATE", "RECURRENCE-ID"))}
    reading = Reading()
    seen: set[str] = set()
    for event in query.between(start, now.astimezone(zone).replace(tzinfo=None)):
        if str(event.get("STATUS", "")).upper() == "CANCELLED" or event.get("DTSTART") is None:
            continue  # a cancelled event, or a cancelled instance of a recurring one
        raw_start = event["DTSTART"].dt
        begin, all_day = _aware(raw_start, zone)
        end = _end(event, raw_start, zone)
        if end > now:
            if str(event.get("STATUS", "")).upper() != "CANCELLED":
                reading.next_end = min(end, reading.next_end or end)
            continue
        if since is not None and begin < since:
            continue
        rid = event.get("RECURRENCE-ID")
        uid = str(event.get("UID", ""))
        meeting = Meeting(
            uid=clean(uid) or _stand_in_uid(event),
            recurrence_id=_iso(rid) if rid is not None and uid in recurring else "",
            start=begin,
            all_day=all_day,
            duration_seconds=None if all_day else max(0, int((end - begin).total_seconds())),
            summary=clean(str(event.get("SUMMARY", ""))),
            attendees=_attendees(event),
            where=where,
        )
        if meeting.source_id not in seen:
            seen.add(meeting.source_id)
            reading.meetings.append(meeting)
    for upcoming in query.after(now.astimezone(zone).replace(tzinfo=None)):
        if str(upcoming.get("STATUS", "")).upper() != "CANCELLED" \
                and upcoming.get("DTSTART") is not None:
            end = _end(upcoming, upcoming["DTSTART"].dt, zone)
            reading.next_end = min(end, reading.next_end or end)
            break
    return reading


def _stand_in_uid(event: icalendar.Event) -> str:
    """A stable id for an event without a UID (RFC 5545 requires one; some files lack it)."""
    basis = "\x1f".join(str(event.get(k, "")) for k in ("DTSTART", "SUMMARY", "ORGANIZER"))
    return "sha1-" + hashlib.sha1(basis.encode("utf-8", "replace")).hexdigest()


# ---------------------------------------------------------------- files and folders


@dataclass(slots=True)
class CalendarScan:
    """Meetings from one calendar source, and what to remember about each file read."""

    meetings: list[Meeting] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> {hash, until}
    problems: list[Problem] = field(default_factory=list)


def calendar_files(source: str) -> list[str]:
    """An .ics file, or the .ics files of a vdir folder."""
    if os.path.isdir(source):
        with os.scandir(source) as entries:
            return sorted(e.path for e in entries
                          if e.name.lower().endswith(".ics") and e.is_file())
    return [source]


def scan_calendar(source: str, known: dict[str, dict[str, Any]], *, now: datetime,
                  zone: tzinfo, since: datetime | None = None) -> CalendarScan:
    """Read the files of ``source`` that changed, or in which an event has ended since.

    ``known`` is what the last run remembered per file: its hash, and when the
    first event still to come then ends (``until``).
    """
    scan = CalendarScan()
    if not os.path.exists(source):
        scan.problems.append(Problem(source, "is gone; it was skipped"))
        return scan
    try:
        paths = calendar_files(source)
    except OSError as exc:
        scan.problems.append(Problem(source, f"cannot be listed ({exc.strerror}); "
                                             "it was skipped"))
        return scan
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            scan.problems.append(Problem(path, f"cannot be read ({exc.strerror}); "
                                               "it was skipped"))
            continue
        digest = hashlib.sha1(data).hexdigest()
        before = known.get(path)
        if before is not None and before.get("hash") == digest and since is None \
                and not _due(before.get("until"), now):
            scan.files[path] = before  # unchanged, and nothing in it has ended since
            continue
        try:
            reading = read_ics(data, path, now=now, zone=zone, since=since)
        except Exception as exc:  # icalendar raises many kinds on a broken file
            scan.problems.append(Problem(path, f"is not a readable iCalendar file "
                                               f"({_reason(exc)}); it was skipped"))
            continue
        scan.meetings.extend(reading.meetings)
        until = reading.next_end.isoformat() if reading.next_end is not None else None
        scan.files[path] = {"hash": digest, "until": until}
    return scan


def _due(until: object, now: datetime) -> bool:
    """Whether an event that was still to come at the last read has ended by ``now``."""
    if until is None:
        return False
    try:
        return datetime.fromisoformat(str(until)) <= now
    except (ValueError, TypeError):
        return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return f"its {clean(str(exc.args[0]))} is missing or broken"
    text = clean(str(exc))
    return (text[:120] + "…") if len(text) > 120 else (text or type(exc).__name__)

