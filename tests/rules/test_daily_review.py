"""DailyReview: done, snooze and dismiss return what to save; nothing is saved here."""

from __future__ import annotations

import pendulum
import pytest

from nurture.errors import NotFound, ValidationError
from nurture.model import InteractionKind, KeyDate, ReviewStatus

from .book import NOW, TODAY, entry, keys, person, review_of, run


def test_done_with_a_log_records_the_touch_and_the_cadence_moves_on():
    dan = person("Dan Okafor", cadence=14, channels=["phone"])
    old = entry(dan, "call", "2026-10-01")
    review = review_of([dan], [old])
    [key] = [s.key for s in review.queue]
    result = review.done(key, "Called about the playoffs")
    assert result.state.key == key and result.state.status is ReviewStatus.DONE
    assert result.state.at == NOW
    log = result.log
    assert log is not None
    assert (log.kind, log.text, log.contact_ids) == (InteractionKind.CALL,
                                                     "Called about the playoffs", ["c-dan"])
    assert log.suggestion_key == key and log.at == NOW and log.channel == "phone"
    assert review.queue == []
    # Saved, the call resets the cadence: nothing today, due again in two weeks.
    assert keys(run([dan], [old, log])) == []
    assert keys(run([dan], [old, log], today=TODAY.add(days=14))) == [
        "cadence:c-dan:2026-12-06"]


def test_done_on_a_thank_you_logs_a_thank_you_whatever_the_channel():
    maya = person("Maya Lopez", channels=["email"])
    lunch = entry(maya, "meeting", "2026-11-21")
    before = entry(maya, "call", "2026-10-01")
    review = review_of([maya], [before, lunch])
    [thanks] = [s for s in review.queue if s.rule == "thank-you"]
    result = review.done(thanks.key, "Thanks for lunch!")
    assert result.log is not None and result.log.kind is InteractionKind.THANK_YOU


def test_done_without_text_logs_nothing():
    dan = person("Dan Okafor", cadence=14)
    review = review_of([dan], [entry(dan, "call", "2026-10-01")])
    result = review.done(review.queue[0].key, "  ")
    assert result.log is None and result.closed is None


def test_snooze_hides_until_the_day_given():
    dan = person("Dan Okafor", cadence=14)
    old = entry(dan, "call", "2026-10-01")
    review = review_of([dan], [old])
    key = review.queue[0].key
    state = review.snooze(key, pendulum.date(2026, 11, 25))
    assert (state.status, state.until) == (ReviewStatus.SNOOZED, pendulum.date(2026, 11, 25))
    saved = {key: state}
    assert keys(run([dan], [old], review=saved, today=pendulum.date(2026, 11, 24))) == []
    assert keys(run([dan], [old], review=saved, today=pendulum.date(2026, 11, 25))) == [key]


def test_snooze_must_be_to_a_later_day():
    dan = person("Dan Okafor", cadence=14)
    review = review_of([dan], [entry(dan, "call", "2026-10-01")])
    with pytest.raises(ValidationError, match="snooze to a later day"):
        review.snooze(review.queue[0].key, TODAY)


def test_dismiss_hides_this_occurrence():
    maya = person("Maya Lopez", dates=[KeyDate.parse("birthday", "1990-11-22")])
    review = review_of([maya])
    state = review.dismiss("key-date:c-maya:birthday:2026")
    assert state.status is ReviewStatus.DISMISSED
    assert keys(run([maya], review={state.key: state})) == []


def test_unknown_keys_are_refused_with_a_message():
    dan = person("Dan Okafor", cadence=14)
    review = review_of([dan], [entry(dan, "call", "2026-11-20")])
    for key in ("cadence:c-dan:1999-01-01", "nothing", "key-date:c-nobody:birthday:2026"):
        with pytest.raises(NotFound, match="no suggestion"):
            review.dismiss(key)


def test_a_snoozed_or_upcoming_suggestion_can_still_be_acted_on():
    maya = person("Maya Lopez", dates=[KeyDate.parse("birthday", "1990-12-10")])
    review = review_of([maya])
    assert review.queue == []
    found = review.find("key-date:c-maya:birthday:2026")
    assert found.due == pendulum.date(2026, 12, 10)
    assert review.done(found.key).state.status is ReviewStatus.DONE
