"""Finishing a note: a quick note taken during a call, or a composed note marked sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pendulum

from nurture.errors import NotFound, ValidationError
from nurture.model import (
    Contact,
    Interaction,
    InteractionKind,
    QuickNote,
    ReviewState,
    ReviewStatus,
)
from nurture.touch import channel_for

if TYPE_CHECKING:
    from nurture.notes import Fact
    from nurture.store import Store


def draft_id(contact_id: str) -> str:
    """One draft per person: the id follows from theirs."""
    return f"d-{contact_id}"


@dataclass(frozen=True, slots=True)
class NoteLogged:
    """A quick note logged: the entry, life events, and what the confirmed facts changed."""

    contact: Contact  # as it is now (with new interests, dates, family)
    entry: Interaction
    life_events: list[Interaction] = field(default_factory=list)
    added_interests: list[str] = field(default_factory=list)
    closed_key: str = ""  # the review suggestion the note closed

    def summary(self) -> str:
        """``Call with Dan is on the timeline; added #sailing; 1 follow-up.``"""
        kind = self.entry.kind.value.replace("-", " ").capitalize()
        parts = [f"{kind} with {self.contact.first_name} is on the timeline"]
        if self.added_interests:
            parts.append("added " + ", ".join(f"#{t}" for t in self.added_interests))
        count = len(self.entry.follow_ups)
        if count:
            parts.append(f"{count} follow-up{'s' if count != 1 else ''}")
        return "; ".join(parts) + "."


@dataclass(frozen=True, slots=True)
class NoteSent:
    """A composed note logged as sent (and the suggestion it answered closed)."""

    entry: Interaction
    closed_key: str = ""


def _close(store: Store, key: str, at: pendulum.DateTime) -> None:
    if key:
        store.set_review_state(ReviewState(key, ReviewStatus.DONE, at=at))


def log_quick_note(store: Store, note: QuickNote, accepted: Sequence[Fact], *,
                   duration: int | None, at_end: pendulum.DateTime,
                   suggestion_key: str = "") -> NoteLogged:
    """Apply the confirmed facts, log the entry (and life events), drop the note in
    progress; with ``suggestion_key``, the review suggestion it answered is done."""
    from nurture.notes import apply_facts

    contact = store.contact(note.contact_id)
    if contact is None:
        raise NotFound("that contact was deleted; the note is kept")
    applied = apply_facts(contact, accepted)
    entry = Interaction.new([contact.id], note.kind, note.text.strip(), at=note.started,
                            channel=channel_for(note.kind, contact),
                            duration_seconds=duration, follow_ups=applied.follow_ups,
                            suggestion_key=suggestion_key)
    events = [Interaction.new([contact.id], InteractionKind.LIFE_EVENT, text, at=at_end)
              for text in applied.life_events]
    with store.batch():
        if applied.changed:
            store.save_contact(applied.contact, base=contact)  # merged with other windows
        store.save_interactions([entry, *events])
        store.delete_quick_note(note.id)
        _close(store, suggestion_key, at_end)
    added = [t for t in applied.contact.interests if t not in contact.interests]
    return NoteLogged(applied.contact, entry, events, added, suggestion_key)


def mark_sent(store: Store, contact_id: str, kind: InteractionKind, channel: str, text: str,
              *, at: pendulum.DateTime, suggestion_key: str = "") -> NoteSent:
    """Log a note written to ``contact_id`` as sent by ``channel``; its draft goes, and
    the suggestion it answered (``suggestion_key``) is done."""
    if not text.strip():
        raise ValidationError("text", "the note is empty")
    if store.contact(contact_id) is None:
        raise NotFound("that contact was deleted; the note is kept")
    entry = Interaction.new([contact_id], kind, text.strip(), at=at, channel=channel,
                            suggestion_key=suggestion_key)
    with store.batch():
        store.save_interaction(entry)
        _close(store, suggestion_key, at)
        if any(d.id == draft_id(contact_id) for d in store.drafts()):
            store.delete_draft(draft_id(contact_id))
    return NoteSent(entry, suggestion_key)
