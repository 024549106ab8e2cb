"""Add, edit, delete and restore a contact."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nurture.errors import NotFound
from nurture.model import Contact

if TYPE_CHECKING:
    from nurture.store import DeletedContact, Store


@dataclass(frozen=True, slots=True)
class ContactSaved:
    """A contact added or changed."""

    contact: Contact
    added: bool


@dataclass(frozen=True, slots=True)
class ContactDeleted:
    """A contact removed, with what `restore_contact` needs to bring them back."""

    deleted: DeletedContact

    @property
    def contact(self) -> Contact:
        return self.deleted.contact


def add_contact(store: Store, contact: Contact) -> ContactSaved:
    """Add a new contact. A contact given only a display name gets its given and family
    name from it (first word, the rest), however it was added: `nurture add` and the
    app's form made different contacts from the same name (a vCard export's N field was
    empty for the app's)."""
    if not (contact.given_name or contact.family_name) and "@" not in contact.display_name:
        given, _, family = contact.display_name.strip().partition(" ")
        contact.given_name, contact.family_name = given, family.strip()
    store.save_contact(contact)
    return ContactSaved(contact, added=True)


def edit_contact(store: Store, contact: Contact, *, base: Contact | None = None,
                 keep_mine: Collection[str] = ()) -> ContactSaved:
    """Save changes to a contact already in the book.

    ``base`` is the contact as the edit started from: what another window or command
    saved meanwhile is merged field by field, and a field both changed raises
    ``EditConflict`` naming it, unless it is in ``keep_mine``.
    """
    if store.contact(contact.id) is None:
        raise NotFound(f"{contact.display_name} is no longer in the book (deleted elsewhere?)")
    saved = store.save_contact(contact, base=base, keep_mine=keep_mine)
    return ContactSaved(saved, added=False)


def delete_contact(store: Store, contact_id: str) -> ContactDeleted:
    """Remove a contact and the entries that were theirs alone; shared entries lose them."""
    return ContactDeleted(store.delete_contact(contact_id))


def restore_contact(store: Store, deleted: DeletedContact) -> ContactSaved:
    """Undo `delete_contact`."""
    store.restore(deleted)
    return ContactSaved(deleted.contact, added=True)
