"""follow-up: open follow-ups due or overdue; overdue ranks higher."""

from __future__ import annotations

import pendulum

from nurture.model import FollowUp

from .book import config, entry, keys, only, person, review_of, run


def promise(text: str, due: str | None, *, id: str, done: bool = False) -> FollowUp:
    return FollowUp(text, pendulum.Date.fromisoformat(due) if due else None,
                    pendulum.datetime(2026, 11, 1, tz="UTC") if done else None, id=id)


def test_due_today():
    dan = person("Dan Okafor")
    note = entry(dan, "call", "2026-11-10", "Call", follow_ups=[promise("send the deck",
                                                                       "2026-11-22", id="f-1")])
    [found] = only(run([dan], [note]), "follow-up")
    assert found.key == "follow-up:c-dan:f-1"
    assert found.title == "Follow up with Dan Okafor: send the deck"
    assert "Noted on Tue 10 Nov: “send the deck”. It is due today." in found.reason
    assert found.facts["follow_up_id"] == "f-1"
    assert found.facts["interaction_id"] == note.id


def test_overdue_ranks_above_due_today_and_says_how_late():
    dan, eve = person("Dan Okafor"), person("Eve Stone")
    today_one = entry(dan, "call", "2026-11-10", follow_ups=[promise("a", "2026-11-22", id="f-a")])
    late_one = entry(eve, "call", "2026-11-10", follow_ups=[promise("b", "2026-11-12", id="f-b")])
    found = only(run([dan, eve], [today_one, late_one]), "follow-up")
    assert keys(found) == ["follow-up:c-eve:f-b", "follow-up:c-dan:f-a"]
    assert found[0].priority > found[1].priority
    assert "It was due Thu 12 Nov (10 days late)." in found[0].reason


def test_done_and_future_follow_ups_are_not_shown():
    dan = person("Dan Okafor")
    note = entry(dan, "note", "2026-11-10", follow_ups=[
        promise("done", "2026-11-12", id="f-done", done=True),
        promise("later", "2026-11-30", id="f-later")])
    assert only(run([dan], [note]), "follow-up") == []
    assert keys(run([dan], [note], days=8), "follow-up") == ["follow-up:c-dan:f-later"]


def test_undated_follow_up_is_due_a_week_after_it_was_noted():
    dan = person("Dan Okafor")
    note = entry(dan, "note", "2026-11-15", follow_ups=[promise("ask about Rome", None,
                                                                id="f-u")])
    [found] = only(run([dan], [note]), "follow-up")
    assert found.due == pendulum.date(2026, 11, 22)
    assert "No date was set; it has waited 7 days." in found.reason
    assert only(run([dan], [note], rules=config(undated_follow_up_days=10)), "follow-up") == []


def test_shared_entry_gives_one_suggestion_naming_everyone():
    dan, eve = person("Dan Okafor"), person("Eve Stone")
    lunch = entry([eve, dan], "meeting", "2026-11-10",
                  follow_ups=[promise("book the venue", "2026-11-20", id="f-v")])
    [found] = only(run([dan, eve], [lunch]), "follow-up")
    assert found.contact_ids == ["c-eve", "c-dan"]
    assert found.key == "follow-up:c-eve:f-v"
    # The key does not depend on the order the contacts come in.
    assert keys(run([eve, dan], [lunch]), "follow-up") == [found.key]


def test_done_closes_the_follow_up_on_a_copy_of_the_entry():
    dan = person("Dan Okafor")
    note = entry(dan, "call", "2026-11-10", follow_ups=[promise("send the deck", "2026-11-20",
                                                                id="f-1")])
    review = review_of([dan], [note])
    result = review.done("follow-up:c-dan:f-1")
    assert result.closed is not None and result.closed.id == note.id
    assert result.closed.follow_ups[0].done == review.now
    assert note.follow_ups[0].done is None  # the input is left as it was
    assert result.log is None
    # With the closed entry saved, it is gone.
    assert only(run([dan], [result.closed]), "follow-up") == []
