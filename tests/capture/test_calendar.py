"""Meetings: recurring, all-day, cancelled, time zones, attendees with or without mailto."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nurture.capture.apply import log_plan
from nurture.capture.calendar import read_ics
from nurture.capture.plan import known_ids
from nurture.capture.run import Plan, Sources, plan_capture
from nurture.store import Store, open_store

from .mailboxes import ME, contacts

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "capture"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
LISBON = ZoneInfo("Europe/Lisbon")

# A vdir item as khal writes it: one file per UID, overrides beside the master.
WEEKLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//PIMUTILS.ORG//NONSGML khal / icalendar //EN
BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:STANDARD
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:weekly-ana@example.org
SUMMARY:1:1 with Ana
DTSTART;TZID=America/New_York:20261026T100000
DTEND;TZID=America/New_York:20261026T103000
RRULE:FREQ=WEEKLY;COUNT=6
ORGANIZER;CN=Sam:mailto:sam@example.org
ATTENDEE;CN=Ana Lima;PARTSTAT=ACCEPTED:MAILTO:Ana@Example.org
END:VEVENT
BEGIN:VEVENT
UID:weekly-ana@example.org
RECURRENCE-ID;TZID=America/New_York:20261109T100000
DTSTART;TZID=America/New_York:20261109T100000
DTEND;TZID=America/New_York:20261109T103000
SUMMARY:1:1 with Ana
STATUS:CANCELLED
END:VEVENT
END:VCALENDAR
"""

OTHERS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example Corp.//CalDAV Client//EN
BEGIN:VEVENT
UID:offsite@example.org
SUMMARY:Team offsite
DTSTART;VALUE=DATE:20261112
DTEND;VALUE=DATE:20261114
ATTENDEE:ben@example.net
END:VEVENT
BEGIN:VEVENT
UID:cancelled@example.org
SUMMARY:Coffee (called off)
DTSTART:20261110T090000Z
DTEND:20261110T093000Z
STATUS:CANCELLED
ATTENDEE:mailto:ana@example.org
END:VEVENT
BEGIN:VEVENT
UID:future@example.org
SUMMARY:Dinner next week
DTSTART:20261127T190000Z
DTEND:20261127T210000Z
ATTENDEE:mailto:ana@example.org
END:VEVENT
BEGIN:VEVENT
UID:chloe-organises@example.org
SUMMARY:Review with Chloé
DTSTART:20261118T150000
DURATION:PT45M
ORGANIZER;CN=Chloé:mailto:chloe@example.fr
ATTENDEE;PARTSTAT=DECLINED:mailto:ben@example.net
ATTENDEE:mailto:sam@example.org
END:VEVENT
BEGIN:VEVENT
UID:strangers@example.org
SUMMARY:Conference call
DTSTART:20261116T150000Z
DTEND:20261116T160000Z
ATTENDEE:mailto:dana@stranger.example
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "book" / "nurture.json", backups_keep=0)
    s.save_contacts(contacts())
    yield s
    s.close()


@pytest.fixture
def vdir(tmp_path: Path) -> Path:
    folder = tmp_path / "calendars" / "work"
    folder.mkdir(parents=True)
    (folder / "weekly-ana.ics").write_text(WEEKLY)
    (folder / "others.ics").write_text(OTHERS)
    return folder


def plan(store: Store, sources: Sources, now: datetime = NOW, marks: dict | None = None) -> Plan:
    return plan_capture(sources, store.contacts(), known_ids(store.interactions()),
                        store.capture_marks() if marks is None else marks,
                        now=now, zone=LISBON)


def table(entries) -> set[tuple]:
    return {(e.kind.value, tuple(e.contact_ids), e.at.isoformat(), e.text, e.duration_seconds,
             e.source, tuple(e.source_ids)) for e in entries}


EXPECTED = {
    # Weekly from 26 Oct, six times: 2 Nov, 16 Nov (9 Nov cancelled); 23 and 30 Nov are to come.
    # New York is UTC-4 until 1 Nov, then UTC-5: the meeting stays at 10:00 there.
    ("meeting", ("c-ana",), "2026-10-26T10:00:00-04:00", "1:1 with Ana", 1800, "calendar",
     ("weekly-ana@example.org#2026-10-26T10:00:00-04:00",)),
    ("meeting", ("c-ana",), "2026-11-02T10:00:00-05:00", "1:1 with Ana", 1800, "calendar",
     ("weekly-ana@example.org#2026-11-02T10:00:00-05:00",)),
    ("meeting", ("c-ana",), "2026-11-16T10:00:00-05:00", "1:1 with Ana", 1800, "calendar",
     ("weekly-ana@example.org#2026-11-16T10:00:00-05:00",)),
    # All day, attendee without mailto:, placed at noon in the local zone, no duration.
    ("meeting", ("c-ben",), "2026-11-12T12:00:00+00:00", "Team offsite", None, "calendar",
     ("offsite@example.org",)),
    # Floating time read in the local zone; the organiser counts; Ben declined.
    ("meeting", ("c-chloe",), "2026-11-18T15:00:00+00:00", "Review with Chloé", 2700,
     "calendar", ("chloe-organises@example.org",)),
}


def test_past_meetings_with_contacts_are_logged(store, vdir):
    result = plan(store, Sources(calendars=[str(vdir)], me=[ME]))
    assert table(result.new) == EXPECTED
    assert result.problems == []
    assert result.counts.strangers == 1  # the conference call


def test_a_second_run_logs_nothing_and_parses_nothing(store, vdir, monkeypatch):
    sources = Sources(calendars=[str(vdir)], me=[ME])
    log_plan(store, plan(store, sources))
    import nurture.capture.calendar as calendar

    def no_parsing(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(calendar, "read_ics", no_parsing)
    again = plan(store, sources, now=datetime(2026, 11, 22, 18, 0, tzinfo=UTC))
    assert again.entries == [] and again.marks == []


def test_a_meeting_that_has_since_ended_is_logged_the_next_week(store, vdir):
    sources = Sources(calendars=[str(vdir)], me=[ME])
    log_plan(store, plan(store, sources))
    later = plan(store, sources, now=datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert table(later.new) == {
        ("meeting", ("c-ana",), "2026-11-23T10:00:00-05:00", "1:1 with Ana", 1800, "calendar",
         ("weekly-ana@example.org#2026-11-23T10:00:00-05:00",)),
        ("meeting", ("c-ana",), "2026-11-30T10:00:00-05:00", "1:1 with Ana", 1800, "calendar",
         ("weekly-ana@example.org#2026-11-30T10:00:00-05:00",)),
        ("meeting", ("c-ana",), "2026-11-27T19:00:00+00:00", "Dinner next week", 7200,
         "calendar", ("future@example.org",)),
    }


def test_a_broken_file_is_named_and_the_rest_is_captured(store, vdir):
    broken = vdir / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2026-11-13\nEND:VCALENDAR\n")
    result = plan(store, Sources(calendars=[str(vdir), str(vdir.parent / "gone.ics")], me=[ME]))
    assert table(result.new) == EXPECTED
    problems = [str(p) for p in result.problems]
    assert problems[0].startswith(f"{broken}: is not a readable iCalendar file (")
    assert problems[0].endswith("); it was skipped")
    assert problems[1] == f"{vdir.parent / 'gone.ics'}: is gone; it was skipped"


def test_icalendars_own_broken_file_is_reported_not_raised(store, tmp_path):
    result = plan(store, Sources(calendars=[str(FIXTURES / "icalendar_broken_ical.ics")]))
    assert result.new == []
    assert [str(p) for p in result.problems] == [
        f"{FIXTURES / 'icalendar_broken_ical.ics'}: is not a readable iCalendar file "
        "(its DTSTART is missing or broken); it was skipped"]


def test_khal_recurring_event_with_a_moved_and_a_cancelled_instance():
    data = (FIXTURES / "khal_event_rrule_recuid_cancelled.ics").read_bytes()
    reading = read_ics(data, "khal.ics", now=NOW, zone=LISBON)
    assert [(m.start.isoformat(), m.duration_seconds, m.recurrence_id)
            for m in sorted(reading.meetings, key=lambda m: m.start)] == [
        ("2014-06-30T07:00:00+02:00", 5 * 3600, "2014-06-30T07:00:00+02:00"),
        ("2014-07-07T09:00:00+02:00", 5 * 3600, "2014-07-07T05:00:00+00:00"),  # moved
        # 14 July is cancelled
        ("2014-07-21T07:00:00+02:00", 5 * 3600, "2014-07-21T07:00:00+02:00"),
        ("2014-07-28T07:00:00+02:00", 5 * 3600, "2014-07-28T07:00:00+02:00"),
        ("2014-08-04T07:00:00+02:00", 5 * 3600, "2014-08-04T07:00:00+02:00"),
    ]
    assert reading.next_end is None


def test_khal_attendees_who_declined_or_delegated_are_not_there():
    data = (FIXTURES / "khal_event_dt_partstat.ics").read_bytes()
    [meeting] = read_ics(data, "khal.ics", now=NOW, zone=LISBON).meetings
    assert meeting.attendees == ("hcabot@example.com", "jdoe@example.com",
                                 "jqpublic@example.com", "tent@example.com")
    assert meeting.source_id == "V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU"
