"""Cards to send: the review's suggestions by card, with the address, the state and gift
history. Pure: suggestions, contacts and timelines in, cards out.

A card is a suggestion whose channel is ``card`` and whose note is one a card
carries (a birthday or anniversary for someone who likes cards, a thank-you,
congratulations or a thinking-of-you note by post), so
the lead time and the wording are the rules' own. Its state goes from *to
write* to *written* (remembered in the review table under ``card-written:``
and the suggestion's key, which no rule ever issues) to *posted* (the
suggestion done, the card logged on the timeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from nurture.model import (
    Contact,
    Interaction,
    InteractionKind,
    ReviewState,
    ReviewStatus,
    Suggestion,
)
from nurture.notes.parser import GIFT_IDEA_TAG

CARD = "card"
WRITTEN = "card-written:"
# ``#gift-idea: a book on sailing`` up to the end of the line or the next hashtag.
GIFT_IDEA = re.compile(rf"#{GIFT_IDEA_TAG}\s*:\s*([^#\n]+)", re.IGNORECASE)
GIFT_KINDS = (InteractionKind.GIFT_GIVEN, InteractionKind.GIFT_RECEIVED)
# What a card is for: a date, a thank-you, a thought, congratulations; not a check-in
# or a promised follow-up, even for someone who prefers the post.
CARD_TEMPLATES = frozenset({"birthday", "anniversary", "congratulations", "thank-you",
                            "nice-to-meet-you", "thinking-of-you"})


class CardState(StrEnum):
    TO_WRITE = "to write"
    WRITTEN = "written"
    POSTED = "posted"


@dataclass(slots=True)
class Card:
    key: str  # the suggestion's key
    contact_ids: list[str]
    names: str
    title: str
    reason: str
    due: date
    address: list[str]  # the home address (else any), one line each; empty: missing
    state: CardState
    gift_ideas: list[str] = field(default_factory=list)
    gifts: list[str] = field(default_factory=list)  # "given 3 Mar 2026: a scarf"

    @property
    def missing_address(self) -> bool:
        return not self.address


def written_key(key: str) -> str:
    return WRITTEN + key


def state_of(key: str, review: Mapping[str, ReviewState]) -> CardState:
    done = review.get(key)
    if done is not None and done.status is ReviewStatus.DONE:
        return CardState.POSTED
    return CardState.WRITTEN if written_key(key) in review else CardState.TO_WRITE


def gift_ideas(contact: Contact, timeline: Iterable[Interaction]) -> list[str]:
    """``#gift-idea:`` lines from the contact's notes and timeline, newest first, once each."""
    texts = [entry.text for entry in timeline] + [contact.notes]
    found = [m.group(1).strip().rstrip(".;,") for text in texts
             for m in GIFT_IDEA.finditer(text)]
    return list(dict.fromkeys(idea for idea in found if idea))


def gift_history(timeline: Iterable[Interaction]) -> list[str]:
    """Gifts given and received, newest first, so the same gift is not sent twice."""
    return [f"{'given' if e.kind is InteractionKind.GIFT_GIVEN else 'received'} "
            f"{e.at.date().strftime('%-d %b %Y')}: {e.text.strip() or '(no description)'}"
            for e in timeline if e.kind in GIFT_KINDS]


def cards(suggestions: Sequence[Suggestion], by_id: Mapping[str, Contact],
          timelines: Mapping[str, Sequence[Interaction]],
          review: Mapping[str, ReviewState]) -> list[Card]:
    """The suggestions to answer by card, soonest first, with address, state and gifts."""
    found = []
    for suggestion in suggestions:
        if suggestion.channel != CARD or suggestion.template not in CARD_TEMPLATES:
            continue
        people = [by_id[c] for c in suggestion.contact_ids if c in by_id]
        if not people:
            continue
        lead = people[0]
        home = lead.home_address()
        timeline = timelines.get(lead.id, ())
        found.append(Card(
            key=suggestion.key, contact_ids=[c.id for c in people],
            names=", ".join(c.display_name for c in people), title=suggestion.title,
            reason=suggestion.reason, due=suggestion.due,
            address=home.lines() if home is not None else [],
            state=state_of(suggestion.key, review),
            gift_ideas=gift_ideas(lead, timeline), gifts=gift_history(timeline)))
    found.sort(key=lambda c: (c.due, c.names))
    return found


def label(contact: Contact) -> list[str] | None:
    """The lines of an address label (name first), or None without an address."""
    home = contact.home_address()
    if home is None or not home.lines():
        return None
    return [contact.display_name, *home.lines()]
