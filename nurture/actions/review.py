"""The daily review's actions: done, snooze, dismiss, and undo of any of them.

`DailyReview` (pure, in ``rules/``) decides what each action means; these
functions read the book, ask it, and save what it says in one atomic write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pendulum

from nurture.errors import NotFound
from nurture.model import Interaction, ReviewState, ReviewStatus, Suggestion

if TYPE_CHECKING:
    from nurture.rules import DailyReview, RulesConfig
    from nurture.store import Store

FOLLOW_UP_RULE = "follow-up"


@dataclass(frozen=True, slots=True)
class ReviewChanged:
    """A suggestion's review state set (or cleared: ``state`` None)."""

    key: str
    state: ReviewState | None
    contact_ids: tuple[str, ...] = ()
    suggestion: Suggestion | None = None  # what was snoozed or dismissed
    reopened: str | None = None  # a follow-up that undo opened again


@dataclass(frozen=True, slots=True)
class ReviewDone:
    """A suggestion marked done: maybe an entry logged, maybe a follow-up checked off."""

    suggestion: Suggestion
    state: ReviewState
    logged: Interaction | None = None
    closed: Interaction | None = None  # the entry whose follow-up is now done

    @property
    def key(self) -> str:
        return self.suggestion.key


def build_review(store: Store, rules: RulesConfig, today: pendulum.Date, *,
                 now: pendulum.DateTime, days: int = 0) -> DailyReview:
    """The review for ``today`` over the whole book."""
    from nurture.rules import DailyReview
    from nurture.store.memory import collector_paused

    # The rules build the entries they read (a command's timelines are built as read):
    # at 50k people, 100,000 of them, which the collector would walk again and again.
    with collector_paused():
        return DailyReview(store.contacts(ordered=False), store.review_timelines(),
                           store.news_items(), store.review_states(), rules, today, now=now,
                           days=days)


def review_done(store: Store, rules: RulesConfig, key: str, *, today: pendulum.Date,
                now: pendulum.DateTime, log_text: str | None = None) -> ReviewDone:
    """Mark suggestion ``key`` done. A follow-up suggestion checks its follow-up off;
    ``log_text`` also logs the touch (by the suggestion's channel)."""
    result = build_review(store, rules, today, now=now).done(key, log_text)
    with store.batch():
        store.set_review_state(result.state)
        if result.log is not None:
            store.save_interaction(result.log)
        if result.closed is not None:
            store.save_interaction(result.closed)
    return ReviewDone(result.suggestion, result.state, result.log, result.closed)


def review_snooze(store: Store, rules: RulesConfig, key: str, until: pendulum.Date, *,
                  today: pendulum.Date, now: pendulum.DateTime) -> ReviewChanged:
    """Hide suggestion ``key`` until ``until`` (it shows again that day)."""
    review = build_review(store, rules, today, now=now)
    suggestion = review.find(key)
    state = review.snooze(key, until)
    store.set_review_state(state)
    return ReviewChanged(key, state, tuple(suggestion.contact_ids), suggestion)


def review_dismiss(store: Store, rules: RulesConfig, key: str, *, today: pendulum.Date,
                   now: pendulum.DateTime) -> ReviewChanged:
    """Hide this occurrence of suggestion ``key`` for good."""
    review = build_review(store, rules, today, now=now)
    suggestion = review.find(key)
    state = review.dismiss(key)
    store.set_review_state(state)
    return ReviewChanged(key, state, tuple(suggestion.contact_ids), suggestion)


def review_undo(store: Store, key: str) -> ReviewChanged:
    """Put suggestion ``key`` back in the queue. Undoing "done" on a follow-up also reopens
    the follow-up that it checked off, or the suggestion could never come back."""
    state = store.review_states().get(key)
    if state is None:
        raise NotFound(f"nothing was done with suggestion {key!r} to undo")
    reopened = None
    parts = key.split(":")
    with store.batch():
        store.clear_review_state(key)
        if state.status is ReviewStatus.DONE and parts[0] == FOLLOW_UP_RULE and len(parts) == 3:
            reopened = _reopen_closed_by(store, parts[2], state)
    contact_ids = (parts[1],) if len(parts) > 1 else ()
    return ReviewChanged(key, None, contact_ids, reopened=reopened)


def _reopen_closed_by(store: Store, follow_up_id: str, state: ReviewState) -> str | None:
    """Reopen ``follow_up_id`` if it was checked off by the review action ``state``."""
    from nurture.actions.timeline import reopen_follow_up

    for entry in store.interactions():
        for follow_up in entry.follow_ups:
            if follow_up.id != follow_up_id or follow_up.done is None:
                continue
            # Checked off by that very action, not on its own before or after.
            if abs(follow_up.done.timestamp() - state.at.timestamp()) < 1.0:
                reopen_follow_up(store, follow_up_id, entry_id=entry.id)
                return follow_up_id
            return None
    return None
