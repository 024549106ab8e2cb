"""Log, delete and restore timeline entries; check follow-ups off and reopen them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pendulum

from nurture.errors import NotFound, ValidationError
from nurture.model import FollowUp, Interaction

if TYPE_CHECKING:
    from nurture.store import Store


@dataclass(frozen=True, slots=True)
class EntrySaved:
    """An entry logged (or changed) on the timeline of ``entry.contact_ids``."""

    entry: Interaction


@dataclass(frozen=True, slots=True)
class EntryDeleted:
    """An entry removed (``entry`` is what it was, for undo)."""

    entry: Interaction


@dataclass(frozen=True, slots=True)
class FollowUpChanged:
    """A follow-up checked off (``done`` set) or reopened, on ``entry``."""

    entry: Interaction
    follow_up: FollowUp


def log_entry(store: Store, entry: Interaction) -> EntrySaved:
    """Add ``entry`` to the timeline (or save a changed one); its follow-ups come with it."""
    if not entry.contact_ids:
        raise ValidationError("contacts", "an entry needs at least one person")
    store.save_interaction(entry)
    return EntrySaved(entry)


def delete_entry(store: Store, entry_id: str) -> EntryDeleted:
    """Remove one entry from the timeline."""
    return EntryDeleted(store.delete_interaction(entry_id))


def _find_follow_up(store: Store, follow_up_id: str,
                    entry_id: str | None) -> tuple[Interaction, FollowUp]:
    entries = [store.interaction(entry_id)] if entry_id else store.interactions()
    for entry in entries:
        if entry is None:
            continue
        for follow_up in entry.follow_ups:
            if follow_up.id == follow_up_id:
                return entry, follow_up
    raise NotFound(f"no follow-up with id {follow_up_id} (see `nurture follow-ups`; "
                   "changed elsewhere?)")


def _with_follow_up(entry: Interaction, follow_up_id: str,
                    done: pendulum.DateTime | None) -> tuple[Interaction, FollowUp]:
    """A copy of ``entry`` whose follow-up ``follow_up_id`` is done at ``done`` (or open)."""
    changed: FollowUp | None = None
    follow_ups = []
    for follow_up in entry.follow_ups:
        if follow_up.id == follow_up_id:
            follow_up = changed = dataclasses.replace(follow_up, done=done)
        follow_ups.append(follow_up)
    assert changed is not None
    return dataclasses.replace(entry, follow_ups=follow_ups), changed


def check_off(store: Store, follow_up_id: str, *, at: pendulum.DateTime,
              entry_id: str | None = None) -> FollowUpChanged:
    """Mark a follow-up done (already done: left as it was)."""
    entry, follow_up = _find_follow_up(store, follow_up_id, entry_id)
    if follow_up.done is not None:
        return FollowUpChanged(entry, follow_up)
    entry, follow_up = _with_follow_up(entry, follow_up_id, at)
    store.save_interaction(entry)
    return FollowUpChanged(entry, follow_up)


def reopen_follow_up(store: Store, follow_up_id: str, *,
                     entry_id: str | None = None) -> FollowUpChanged:
    """Undo `check_off`: the follow-up is open again."""
    entry, follow_up = _find_follow_up(store, follow_up_id, entry_id)
    if follow_up.done is None:
        return FollowUpChanged(entry, follow_up)
    entry, follow_up = _with_follow_up(entry, follow_up_id, None)
    store.save_interaction(entry)
    return FollowUpChanged(entry, follow_up)
