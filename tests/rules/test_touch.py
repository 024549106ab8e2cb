"""What counts as a touch, and the one due date the rule, the contact list and the card share."""

from __future__ import annotations

import pendulum
import pytest

from nurture.actions.facts import contact_facts
from nurture.model import ReviewState, ReviewStatus

from .book import TODAY, entry, only, person, run, timeline


@pytest.mark.parametrize(("entries", "cadence", "due", "last_kind"), [
    # A planned lunch after today is a plan: the review says due 15 Oct, so must the list.
    ([("call", "2026-10-01"), ("meeting", "2026-12-05")], 14, "2026-10-15", "call"),
    # A note and a life event are about the person, not with them.
    ([("call", "2026-09-18"), ("life-event", "2026-11-18")], 60, "2026-11-17", "call"),
    ([("call", "2026-09-18"), ("note", "2026-11-20")], 60, "2026-11-17", "call"),
    ([("email", "2026-11-01")], 14, "2026-11-15", "email"),
])
def test_the_list_and_the_rule_agree_on_the_last_touch_and_the_due_date(entries, cadence, due,
                                                                        last_kind):
    dan = person("Dan Okafor", cadence=cadence)
    logged = [entry(dan, kind, when, "With Dan") for kind, when in entries]
    facts = contact_facts(dan, timeline(logged)[dan.id], TODAY)
    assert facts.due == pendulum.Date.fromisoformat(due)
    assert facts.overdue(TODAY)
    assert facts.last_kind == last_kind
    [suggestion] = only(run([dan], logged), "cadence")
    assert suggestion.due == facts.due


def test_done_without_logging_moves_the_due_date_in_the_list_too():
    dan = person("Dan Okafor", cadence=14)
    logged = [entry(dan, "call", "2026-10-01")]
    state = ReviewState("cadence:c-dan:2026-10-15", ReviewStatus.DONE,
                        pendulum.datetime(2026, 11, 20, 9, tz="UTC"))
    facts = contact_facts(dan, timeline(logged)[dan.id], TODAY,
                          done_on=state.at.toordinal())
    assert facts.due == pendulum.date(2026, 12, 4)
    assert only(run([dan], logged, review={state.key: state}), "cadence") == []



def test_before_the_timeline_is_loaded_nobody_is_said_to_be_overdue():
    # The app's first view has the people but not yet their timelines: someone added a
    # year ago with a two-week cadence is not overdue until their entries say so.
    from nurture.model import KeyDate

    dan = person("Dan Okafor", cadence=14, created=pendulum.datetime(2025, 11, 1, tz="UTC"),
                 dates=[KeyDate("birthday", 12, 3)])
    loading = contact_facts(dan, None, TODAY, cadence=30)
    assert not loading.known and loading.due is None and not loading.overdue(TODAY)
    assert loading.last_at is None and loading.open_follow_ups == 0
    assert loading.next_date == pendulum.date(2026, 12, 3)  # the key dates are known
    loaded = contact_facts(dan, [], TODAY, cadence=30)  # loaded: never in touch since
    assert loaded.known and loaded.overdue(TODAY)
