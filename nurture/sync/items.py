"""Every record of the book as a sync item: a UID every device agrees on, and fields.

Fields are plain JSON values, the same whichever side they were read from, so
the engine can compare a record with what both sides last agreed on field by
field. Contacts are keyed by their vCard UID; everything that names a person
names them by that UID too (never by this book's internal contact id, which
another device does not share), so a book moved or synced elsewhere still
matches item for item.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import quote, unquote

import orjson

from nurture import documents as D
from nurture.interop.ics import key_date_summary
from nurture.interop.vcard_out import stable_uid
from nurture.model import Contact, Interaction, ReviewState, fold

DOMAIN = "nurture.invalid"  # as the calendar export's UIDs: an address that never collides
CONTACT, KEY_DATE, ENTRY, FOLLOW_UP, REVIEW = "contact", "key-date", "entry", "follow-up", "review"
KINDS = (CONTACT, KEY_DATE, ENTRY, FOLLOW_UP, REVIEW)  # the order pulls are applied in
UID_PART = "uid="  # a contact named inside a review key, by vCard UID
_NOT_SYNCED = ("id", "uid", "created", "updated")


@dataclass(slots=True)
class Item:
    uid: str
    kind: str
    fields: dict[str, Any]
    describe: str | Callable[[], str]  # who or what, for the report (worked out when asked)

    @property
    def label(self) -> str:
        return self.describe if isinstance(self.describe, str) else self.describe()


def value_hash(value: Any) -> str:
    return hashlib.blake2b(orjson.dumps(value, option=orjson.OPT_SORT_KEYS),
                           digest_size=8).hexdigest()


WHOLE = ""  # the key of the whole item's hash among its fields' hashes


def field_hashes(fields: dict[str, Any]) -> dict[str, str]:
    """One hash per field, and the whole item's under ``WHOLE`` (an unchanged item costs one)."""
    hashes = {name: value_hash(value) for name, value in fields.items()}
    hashes[WHOLE] = value_hash(fields)
    return hashes


def changed_fields(fields: dict[str, Any], base: dict[str, str]) -> set[str]:
    """The fields that differ from those ``base`` hashed."""
    if base.get(WHOLE) == value_hash(fields):
        return set()
    now = field_hashes(fields)
    return {name for name in (now.keys() | base.keys()) - {WHOLE}
            if now.get(name) != base.get(name)}


def as_read(fields: dict[str, Any]) -> dict[str, Any]:
    """A calendar item's fields as a reader gets them back from its file: iCalendar text
    has one line end, so CR LF and a lone CR read back as LF (tests/sync/test_files.py)."""
    return {name: value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str)
            else value for name, value in fields.items()}


def entry_uid(entry_id: str) -> str:
    return f"{entry_id}@{DOMAIN}"


def follow_up_uid(follow_up_id: str) -> str:
    return f"{follow_up_id}@{DOMAIN}"


def local_id(uid: str) -> str | None:
    """The book id inside an entry's or a follow-up's UID; None for anyone else's UID."""
    head, _, domain = uid.rpartition("@")
    return head if domain == DOMAIN and head and "@" not in head else None


def key_date_uid(contact_uid: str, label: str, nth: int = 1) -> str:
    parts = [contact_uid, fold(label)] + ([str(nth)] if nth > 1 else [])
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"keydate-{digest}@{DOMAIN}"


def review_uid(shared_key: str) -> str:
    digest = hashlib.sha1(shared_key.encode("utf-8")).hexdigest()[:20]
    return f"review-{digest}@{DOMAIN}"


def contact_fields(contact: Contact) -> dict[str, Any]:
    doc = D.contact_to_doc(contact)
    for name in _NOT_SYNCED:
        doc.pop(name, None)
    return doc


class BookView:
    """The book's records as items, with the way back from UIDs to this book's ids."""

    def __init__(self, contacts: Iterable[Contact], entries: Iterable[Interaction],
                 review: dict[str, ReviewState]) -> None:
        self.contacts: dict[str, Contact] = {c.id: c for c in contacts}
        self.uid_of: dict[str, str] = {cid: stable_uid(c) for cid, c in self.contacts.items()}
        self.id_of: dict[str, str] = {uid: cid for cid, uid in self.uid_of.items()}
        self.entries: dict[str, Interaction] = {e.id: e for e in entries}
        self.review = review
        self.items: dict[str, Item] = {}
        for contact in self.contacts.values():
            self._contact(contact)
        for entry in self.entries.values():
            self._entry(entry)
        for state in review.values():
            self._review(state)

    def _add(self, item: Item) -> None:
        self.items[item.uid] = item

    def _contact(self, contact: Contact) -> None:
        uid = self.uid_of[contact.id]
        self._add(Item(uid, CONTACT, contact_fields(contact), contact.display_name))
        seen: dict[str, int] = {}
        for date in contact.key_dates:
            label = fold(date.label)
            seen[label] = seen.get(label, 0) + 1
            fields = {"contact": uid, "label": date.label, "month": date.month,
                      "day": date.day, "year": date.year, "yearly": date.yearly}
            self._add(Item(key_date_uid(uid, date.label, seen[label]), KEY_DATE, fields,
                           key_date_summary(contact, date)[0]))

    def names(self, contact_ids: Iterable[str]) -> str:
        return ", ".join(self.contacts[c].display_name for c in contact_ids
                         if c in self.contacts) or "nobody"

    def _entry(self, entry: Interaction) -> None:
        people = [self.uid_of[c] for c in entry.contact_ids if c in self.uid_of]
        fields = {"contacts": people, "kind": entry.kind.value, "at": entry.at.isoformat(),
                  "text": entry.text, "channel": entry.channel,
                  "duration_seconds": entry.duration_seconds,
                  "suggestion_key": self.shared_key(entry.suggestion_key)}
        self._add(Item(entry_uid(entry.id), ENTRY, fields, lambda: (
            f"{entry.kind.value} with {self.names(entry.contact_ids)} on {entry.at.date()}")))
        for follow_up in entry.follow_ups:
            fields = {"entry": entry_uid(entry.id), "contacts": people, "text": follow_up.text,
                      "due": D.date_out(follow_up.due), "done": D.dt_out(follow_up.done)}
            self._add(Item(follow_up_uid(follow_up.id), FOLLOW_UP, fields,
                           partial(self._follow_up_label, entry, follow_up.text)))

    def _follow_up_label(self, entry: Interaction, text: str) -> str:
        return f"follow-up with {self.names(entry.contact_ids)}: {text}"

    def _review(self, state: ReviewState) -> None:
        key = self.shared_key(state.key)
        fields = {"key": key, "status": state.status.value, "at": state.at.isoformat(),
                  "until": D.date_out(state.until)}
        self._add(Item(review_uid(key), REVIEW, fields, f"review {state.status.value}: {key}"))

    # A suggestion key names contacts by this book's ids ("cadence:c-k3f9q2xa:2026-11-22");
    # on the way out they are named by vCard UID, and back in by the other book's ids.
    def shared_key(self, key: str) -> str:
        return ":".join(UID_PART + quote(self.uid_of[p], safe="") if p in self.uid_of else p
                        for p in key.split(":")) if key else ""

    def local_key(self, key: str) -> str | None:
        parts = []
        for part in key.split(":"):
            if part.startswith(UID_PART):
                cid = self.id_of.get(unquote(part[len(UID_PART):]))
                if cid is None:
                    return None  # about someone this book does not have
                part = cid
            parts.append(part)
        return ":".join(parts)
