"""The iCalendar export, read back with icalendar and expanded with dateutil."""

from __future__ import annotations

import datetime as dt

import icalendar
import pendulum
from dateutil.rrule import rrulestr

from nurture.interop.ics import build_calendar
from nurture.model import Contact, FollowUp, Interaction, InteractionKind, KeyDate, Suggestion

TODAY = pendulum.date(2026, 11, 22)
STAMP = pendulum.datetime(2026, 11, 22, 8, tz="UTC")


def book() -> tuple[list[Contact], list[Interaction]]:
    ana = Contact(id="c-ana", display_name="Ana Lima",
                  key_dates=[KeyDate("birthday", 2, 29, None), KeyDate("anniversary", 6, 12, 2010),
                             KeyDate("graduation", 7, 1, 2027, yearly=False)])
    ben = Contact(id="c-ben", display_name="Ben Okafor",
                  key_dates=[KeyDate("birthday", 2, 29, 1988), KeyDate("birthday", 5, 2, None)])
    at = pendulum.datetime(2026, 11, 1, 12, tz="UTC")
    entry = Interaction(id="i-1", contact_ids=["c-ana", "c-ben"], kind=InteractionKind.MEETING,
                        at=at, text="Lunch", follow_ups=[
                            FollowUp("Send the deck", due=pendulum.date(2026, 11, 25), id="f-1"),
                            FollowUp("Overdue thing", due=pendulum.date(2026, 11, 2), id="f-2"),
                            FollowUp("Done thing", due=pendulum.date(2026, 11, 26), id="f-3",
                                     done=at),
                            FollowUp("Far away", due=pendulum.date(2027, 6, 1), id="f-4"),
                            FollowUp("Someday", id="f-5")])
    return [ana, ben], [entry]


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def occurrences(event, years: range) -> list[dt.date]:
    start = event["DTSTART"].dt
    rule = rrulestr(event["RRULE"].to_ical().decode(),
                    dtstart=dt.datetime(start.year, start.month, start.day))
    return [d.date() for d in rule.between(dt.datetime(years.start, 1, 1),
                                           dt.datetime(years.stop, 1, 1))]


def test_key_dates_are_yearly_all_day_events() -> None:
    contacts, entries = book()
    data, counts = build_calendar(contacts, entries, TODAY, days=30, stamp=STAMP)
    cal = parse(data)
    events = {e["SUMMARY"]: e for e in cal.walk("VEVENT")}
    assert counts.key_dates == 5
    anniversary = events["Ana Lima: anniversary"]
    assert anniversary["DTSTART"].dt == dt.date(2010, 6, 12)
    assert anniversary["DTEND"].dt == dt.date(2010, 6, 13)
    assert anniversary["RRULE"]["FREQ"] == ["YEARLY"]
    assert str(anniversary["TRANSP"]) == "TRANSPARENT"
    graduation = events["Ana Lima: graduation"]
    assert "RRULE" not in graduation and graduation["DTSTART"].dt == dt.date(2027, 7, 1)
    assert cal["PRODID"].startswith("-//Nurture//")
    assert all(e["DTSTAMP"].dt == dt.datetime(2026, 11, 22, 8, tzinfo=dt.UTC)
               for e in cal.walk("VEVENT"))


def test_feb_29_falls_on_feb_28_in_common_years() -> None:
    contacts, entries = book()
    cal = parse(build_calendar(contacts, entries, TODAY, stamp=STAMP)[0])
    ana = next(e for e in cal.walk("VEVENT") if e["SUMMARY"] == "Ana Lima's birthday")
    # Year unknown: starts in 2000, a leap year in the past.
    assert ana["DTSTART"].dt == dt.date(2000, 2, 29)
    assert ana["DESCRIPTION"] == "Year unknown."
    assert occurrences(ana, range(2026, 2030)) == [
        dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29), dt.date(2029, 2, 28)]
    ben = next(e for e in cal.walk("VEVENT") if e["SUMMARY"] == "Ben Okafor's birthday"
               and e["DTSTART"].dt.month == 2)
    assert ben["DTSTART"].dt == dt.date(1988, 2, 29)
    assert len(occurrences(ben, range(1988, 2028))) == 40  # every year, not one in four


def test_uids_are_stable_and_unique() -> None:
    contacts, entries = book()
    first = parse(build_calendar(contacts, entries, TODAY, stamp=STAMP)[0])
    later = parse(build_calendar(contacts, entries, TODAY.add(days=3),
                                 stamp=STAMP.add(days=3))[0])
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert {str(e["UID"]) for e in later.walk("VEVENT")} <= set(uids)
    # Two dates with the same label on one contact still get two UIDs.
    ben = [str(e["UID"]) for e in first.walk("VEVENT") if e["SUMMARY"].startswith("Ben")]
    assert len(ben) == 2 and len(set(ben)) == 2


def test_open_follow_ups_on_their_due_dates_within_the_horizon() -> None:
    contacts, entries = book()
    data, counts = build_calendar(contacts, entries, TODAY, days=30, stamp=STAMP)
    follow = [e for e in parse(data).walk("VEVENT") if "Follow-up" in e["CATEGORIES"].cats]
    assert sorted((e["DTSTART"].dt, str(e["SUMMARY"])) for e in follow) == [
        (dt.date(2026, 11, 2), "Follow up with Ana Lima, Ben Okafor: Overdue thing"),
        (dt.date(2026, 11, 25), "Follow up with Ana Lima, Ben Okafor: Send the deck"),
    ]
    assert (counts.follow_ups, counts.undated_follow_ups) == (2, 1)


def test_follow_ups_as_todos() -> None:
    contacts, entries = book()
    data, _ = build_calendar(contacts, entries, TODAY, days=365, todos=True, stamp=STAMP)
    todos = parse(data).walk("VTODO")
    assert sorted(t["DUE"].dt for t in todos) == [dt.date(2026, 11, 2), dt.date(2026, 11, 25),
                                                 dt.date(2027, 6, 1)]
    assert {str(t["STATUS"]) for t in todos} == {"NEEDS-ACTION"}


def test_suggestions_are_optional_reminders() -> None:
    hint = Suggestion(key="cadence:c-ana:2026-11-24", rule="cadence", contact_ids=["c-ana"],
                      title="Check in with Ana", reason="It has been 45 days.",
                      due=pendulum.date(2026, 11, 24), priority=1.0)
    contacts, entries = book()
    data, counts = build_calendar(contacts, entries, TODAY, suggestions=[hint], stamp=STAMP)
    [event] = [e for e in parse(data).walk("VEVENT") if e["SUMMARY"] == "Check in with Ana"]
    assert event["DTSTART"].dt == dt.date(2026, 11, 24)
    assert event["DESCRIPTION"] == "It has been 45 days."
    assert counts.suggestions == 1
