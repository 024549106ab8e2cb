"""cadence: keep in touch every N days from the last touch (not a note, not a life event)."""

from __future__ import annotations

import pendulum
import pytest

from nurture.model import RelationshipKind, ReviewState, ReviewStatus

from .book import TODAY, config, entry, keys, only, person, run

K = RelationshipKind


def test_due_when_the_last_touch_plus_the_cadence_is_reached():
    dan = person("Dan Okafor", cadence=14)
    call = entry(dan, "call", "2026-11-07", "Talked about the #yankees")
    [found] = only(run([dan], [call]), "cadence")
    assert found.key == "cadence:c-dan:2026-11-21"
    assert found.due == pendulum.date(2026, 11, 21)
    assert found.reason == ("You like to be in touch with Dan every 2 weeks; it has been "
                            "2 weeks. You last spoke 2 weeks ago about yankees.")
    assert found.template == "check-in"


def test_not_due_yet_unless_looking_ahead():
    dan = person("Dan Okafor", cadence=14)
    call = entry(dan, "call", "2026-11-12")
    assert only(run([dan], [call]), "cadence") == []
    [ahead] = only(run([dan], [call], days=4), "cadence")
    assert ahead.due == pendulum.date(2026, 11, 26)
    assert "that comes round on Thu 26 Nov" in ahead.reason


def test_a_logged_call_resets_the_cadence():
    dan = person("Dan Okafor", cadence=14)
    old = entry(dan, "meeting", "2026-10-01")
    assert keys(run([dan], [old]), "cadence") == ["cadence:c-dan:2026-10-15"]
    call = entry(dan, "call", "2026-11-20")
    assert keys(run([dan], [old, call]), "cadence") == []


@pytest.mark.parametrize("kind", ["call", "meeting", "email", "message", "card-sent",
                                  "gift-given", "gift-received", "thank-you", "favour",
                                  "introduction", "suggestion"])
def test_every_kind_of_contact_counts_as_the_last_touch(kind):
    dan = person("Dan Okafor", cadence=14)
    old = entry(dan, "call", "2026-10-01")
    touch = entry(dan, kind, "2026-11-15", "With Dan")
    assert keys(run([dan], [old, touch]), "cadence") == []


@pytest.mark.parametrize("kind", ["note", "life-event"])
def test_a_note_or_a_life_event_is_not_a_touch(kind):
    dan = person("Dan Okafor", cadence=60)
    call = entry(dan, "call", "2026-09-18", "Talked about the #yankees")
    about = entry(dan, kind, "2026-11-18", "Dan's daughter starts school")
    [found] = only(run([dan], [call, about]), "cadence")
    assert found.due == pendulum.date(2026, 11, 17)
    assert "You last spoke 2 months ago about yankees." in found.reason


def test_overdue_never_reads_as_the_cadence_itself():
    # 84 days on a 60-day cadence read "every 2 months; it has been 2 months".
    dan = person("Dan Okafor", cadence=60)
    call = entry(dan, "call", "2026-08-30")
    [found] = only(run([dan], [call]), "cadence")
    assert found.reason.startswith("You like to be in touch with Dan every 2 months; "
                                   "it has been 12 weeks.")


def test_a_planned_meeting_after_today_does_not_count():
    dan = person("Dan Okafor", cadence=14)
    old = entry(dan, "call", "2026-10-01")
    plan = entry(dan, "meeting", "2026-12-05", "Lunch booked")
    assert keys(run([dan], [old, plan]), "cadence") == ["cadence:c-dan:2026-10-15"]


def test_default_cadence_by_relationship_kind():
    friend = person("Fay Wong", kind=K.FRIEND)
    supplier = person("Sid Patel", kind=K.SUPPLIER)
    old = [entry(friend, "call", "2026-09-01"), entry(supplier, "call", "2026-09-01")]
    [found] = only(run([friend, supplier], old), "cadence")
    assert found.contact_ids == ["c-fay"]
    assert found.due == pendulum.date(2026, 10, 31)
    assert found.reason.startswith("Every 2 months is your default for friends;")
    tuned = config(cadences={K.SUPPLIER: 30})
    assert keys(run([friend, supplier], old, rules=tuned), "cadence") == [
        "cadence:c-sid:2026-10-01"]


def test_own_cadence_beats_the_default():
    friend = person("Fay Wong", kind=K.FRIEND, cadence=120)
    old = entry(friend, "call", "2026-09-01")
    assert only(run([friend], [old]), "cadence") == []


def test_never_in_touch_counts_from_when_the_contact_was_added():
    new = person("Nia Cole", cadence=30, created=pendulum.datetime(2026, 10, 1, tz="UTC"))
    [found] = only(run([new]), "cadence")
    assert found.due == pendulum.date(2026, 10, 31)
    assert "nothing is logged yet" in found.reason
    assert found.reason.endswith("No contact logged yet.")


def test_never_in_touch_and_no_creation_date_has_a_key_stable_across_days():
    new = person("Nia Cole", cadence=30)
    first = keys(run([new]), "cadence")
    later = keys(run([new], today=TODAY.add(days=9)), "cadence")
    assert first == later == ["cadence:c-nia:first"]


def test_done_without_logging_counts_as_a_touch():
    dan = person("Dan Okafor", cadence=14)
    old = entry(dan, "call", "2026-10-01")
    state = ReviewState("cadence:c-dan:2026-10-15", ReviewStatus.DONE,
                        pendulum.datetime(2026, 11, 19, 10, tz="UTC"))
    review = {state.key: state}
    assert keys(run([dan], [old], review=review), "cadence") == []
    later = run([dan], [old], review=review, today=pendulum.date(2026, 12, 3))
    assert keys(later, "cadence") == ["cadence:c-dan:2026-12-03"]


def test_an_entry_late_in_the_evening_counts_on_its_own_local_date():
    # 23:30 in New York is 04:30 the next day in UTC; the user lived it on the 8th.
    dan = person("Dan Okafor", cadence=14)
    late = entry(dan, "call", "2026-11-08T23:30:00-05:00")
    [found] = only(run([dan], [late]), "cadence")
    assert found.due == pendulum.date(2026, 11, 22)
    # 00:30 in Tokyo on the 9th is still the 8th in UTC; it counts on the 9th.
    early = entry(dan, "call", "2026-11-09T00:30:00+09:00")
    assert only(run([dan], [early]), "cadence") == []
