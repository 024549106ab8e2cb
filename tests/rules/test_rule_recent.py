"""thank-you, check-in and life-event: what happened in the last days or weeks."""

from __future__ import annotations

import pendulum

from nurture.model import ReviewState, ReviewStatus

from .book import config, entry, keys, only, person, run


def test_thank_you_after_a_meeting_with_nothing_since():
    maya = person("Maya Lopez")
    before = entry(maya, "call", "2026-10-01")
    lunch = entry(maya, "meeting", "2026-11-20", "Lunch at Gino's", id="i-lunch")
    [found] = only(run([maya], [before, lunch]), "thank-you")
    assert found.key == "thank-you:c-maya:i-lunch"
    assert found.title == "Thank Maya Lopez"
    assert found.reason == ("You met Maya on Fri 20 Nov: “Lunch at Gino's”. "
                            "No thank-you or card is logged since.")
    assert found.template == "thank-you"
    assert found.facts["interaction_id"] == "i-lunch"


def test_no_thank_you_once_one_is_logged_or_the_window_has_passed():
    maya = person("Maya Lopez")
    lunch = entry(maya, "meeting", "2026-11-20", id="i-lunch")
    before = entry(maya, "call", "2026-10-01")
    for answer in ("thank-you", "card-sent"):
        thanked = entry(maya, answer, "2026-11-21")
        assert only(run([maya], [before, lunch, thanked]), "thank-you") == [], answer
    old = entry(maya, "meeting", "2026-11-10")
    assert only(run([maya], [before, old]), "thank-you") == []
    assert keys(run([maya], [before, old], rules=config(thank_you_days=14)), "thank-you")


def test_a_jotted_note_is_not_a_thank_you():
    maya = person("Maya Lopez")
    before = entry(maya, "call", "2026-10-01")
    lunch = entry(maya, "meeting", "2026-11-20", id="i-lunch")
    jotted = entry(maya, "note", "2026-11-20", "Follow up: send her the book")
    assert keys(run([maya], [before, lunch, jotted]), "thank-you") == ["thank-you:c-maya:i-lunch"]


def test_a_first_meeting_suggests_nice_to_meet_you():
    nora = person("Nora Hughes")
    first = entry(nora, "meeting", "2026-11-20", "Coffee at the conference")
    [found] = only(run([nora], [first]), "thank-you")
    assert found.template == "nice-to-meet-you"
    assert found.title == "Nice to meet you: Nora Hughes"


def test_gifts_favours_and_introductions_are_thanked():
    maya = person("Maya Lopez")
    before = entry(maya, "call", "2026-10-01")
    for kind, words in (("gift-received", "Maya gave you a gift on Sat 21 Nov"),
                        ("favour", "Maya did you a favour on Sat 21 Nov"),
                        ("introduction", "Maya made an introduction on Sat 21 Nov")):
        [found] = only(run([maya], [before, entry(maya, kind, "2026-11-21")]), "thank-you")
        assert found.reason.startswith(words), kind


def test_check_in_ten_days_after_a_suggestion():
    priya = person("Priya Raman")
    tip = entry(priya, "suggestion", "2026-11-12", "Try the Oxford supplier list", id="i-tip")
    [found] = only(run([priya], [tip]), "check-in")
    assert found.key == "check-in:c-priya:i-tip"
    assert found.due == pendulum.date(2026, 11, 22)
    assert found.reason.startswith("On Thu 12 Nov you suggested something to Priya: "
                                   "“Try the Oxford supplier list”. Ask whether it worked")
    assert only(run([priya], [tip], today=pendulum.date(2026, 11, 21)), "check-in") == []
    # Two weeks after it was due, it is stale.
    assert only(run([priya], [tip], today=pendulum.date(2026, 12, 7)), "check-in") == []


def test_no_check_in_once_anything_else_happened():
    priya = person("Priya Raman")
    tip = entry(priya, "favour", "2026-11-12", "Lent the projector")
    thanks = entry(priya, "thank-you", "2026-11-13")
    assert only(run([priya], [tip, thanks]), "check-in") == []
    done = {"x": ReviewState("cadence:c-priya:2026-11-14", ReviewStatus.DONE,
                             pendulum.datetime(2026, 11, 15, tz="UTC"))}
    assert only(run([priya], [tip], review=done), "check-in") == []


def test_life_event_until_congratulated():
    carlos = person("Carlos Ruiz")
    event = entry(carlos, "life-event", "2026-11-18", "Promoted to Managing Director",
                  id="i-promo")
    [found] = only(run([carlos], [event]), "life-event")
    assert found.key == "life-event:c-carlos:i-promo"
    assert found.template == "congratulations"
    assert found.reason == ("Logged on Wed 18 Nov for Carlos: “Promoted to Managing Director”. "
                            "No congratulations are logged since.")
    call = entry(carlos, "call", "2026-11-19")
    assert only(run([carlos], [event, call]), "life-event") == []
    # A private note is not a congratulation.
    note = entry(carlos, "note", "2026-11-19")
    assert keys(run([carlos], [event, note]), "life-event") == [found.key]


def test_life_event_fades_after_a_month():
    carlos = person("Carlos Ruiz")
    event = entry(carlos, "life-event", "2026-10-15", "New job")
    assert only(run([carlos], [event]), "life-event") == []
    assert keys(run([carlos], [event], rules=config(life_event_days=60)), "life-event")


def test_entries_logged_in_far_apart_zones_are_all_seen():
    # Offsets run from -12:00 to +14:00, so in instant order local dates can be
    # two days out of order: the note is a second newer than the life event
    # but falls two days earlier, outside the 30-day window, which must not
    # end the walk down the timeline.
    maya = person("Maya Lopez")
    event = entry(maya, "life-event", "2026-10-23T00:00:00+14:00", "New job at Acme",
                  id="i-job")
    note = entry(maya, "note", "2026-10-21T22:00:01-12:00")
    assert note.at > event.at
    assert keys(run([maya], [event, note]), "life-event") == ["life-event:c-maya:i-job"]
