"""Cards and gifts: mark a card written or posted, log one gift to many, note a gift idea.

Each action takes the store, makes its change in one durable write and returns
what changed; the CLI and the app both call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pendulum

from nurture.cards import CARD, written_key
from nurture.errors import NotFound, ValidationError
from nurture.model import Interaction, InteractionKind, ReviewState, ReviewStatus

if TYPE_CHECKING:
    from nurture.rules import DailyReview, RulesConfig
    from nurture.rules.review import DoneResult
    from nurture.store import Store


def _card(review: DailyReview, key: str) -> None:
    suggestion = review.find(key)
    if suggestion.channel != CARD:
        raise ValidationError("card", f"{key} is not a card (it goes by "
                                      f"{suggestion.channel or 'no channel'})")


def mark_written(store: Store, review: DailyReview, key: str,
                 at: pendulum.DateTime) -> ReviewState:
    """The card is written, not yet posted."""
    _card(review, key)
    state = ReviewState(key=written_key(key), status=ReviewStatus.SNOOZED, at=at)
    store.set_review_state(state)
    return state


def mark_posted(store: Store, review: DailyReview, key: str, text: str = "") -> DoneResult:
    """The card is in the post: the suggestion is done and the card is on the timeline."""
    _card(review, key)
    suggestion = review.find(key)
    result = review.done(key, text.strip() or f"Card posted: {suggestion.title}")
    assert result.log is not None  # a text was given
    with store.batch():
        store.set_review_state(result.state)
        store.save_interaction(result.log)
        if written_key(key) in store.review_states():
            store.clear_review_state(written_key(key))
    return result


def log_to_many(store: Store, contact_ids: Sequence[str], kind: InteractionKind, text: str,
                at: pendulum.DateTime) -> Interaction:
    """One entry (a gift, a clipping) shared by everyone in ``contact_ids``."""
    people = list(dict.fromkeys(contact_ids))
    if not people:
        raise NotFound("nobody matches: no one to log it for")
    if not text.strip():
        raise ValidationError("text", "say what was sent (e.g. the book's title)")
    entry = Interaction.new(people, kind, text.strip(), at=at)
    store.save_interaction(entry)
    return entry


def record_gift_idea(store: Store, contact_id: str, idea: str,
                     at: pendulum.DateTime) -> Interaction:
    """A note ``#gift-idea: …`` on the person's timeline (where the cards view finds it)."""
    idea = " ".join(idea.split()).lstrip("#")
    if idea.lower().startswith("gift-idea:"):
        idea = idea[len("gift-idea:"):].strip()
    if not idea:
        raise ValidationError("gift idea", "say what the idea is")
    if store.contact(contact_id) is None:
        raise NotFound(f"no contact with id {contact_id}")
    entry = Interaction.new([contact_id], InteractionKind.NOTE, f"#gift-idea: {idea}", at=at)
    store.save_interaction(entry)
    return entry


def card_review(store: Store, rules: RulesConfig, today: pendulum.Date,
                now: pendulum.DateTime, days: int) -> DailyReview:
    """The review of ``today`` and the next ``days`` days, unranked-limit: where cards come
    from (the app's; the CLI builds the same through ``build_review``)."""
    from dataclasses import replace

    from nurture.rules import DailyReview

    return DailyReview(store.contacts(), store.interactions_by_contact(), store.news_items(),
                       store.review_states(), replace(rules, daily_limit=0), today, now=now,
                       days=days)
