"""The repository: model objects in, model objects out, over one TinyDB file.

This is the only public face of the store. Model objects are built once per
process and kept in memory; the storage tells us which documents another
process changed so that only those are rebuilt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nurture import documents as D
from nurture.errors import Ambiguous, NotFound
from nurture.model import (
    Contact,
    Draft,
    Feed,
    Interaction,
    NewsItem,
    QuickNote,
    ReviewState,
    fold,
    now,
)
from nurture.store.storage import Changes, NurtureDB, open_db

CONTACTS = "contacts"
INTERACTIONS = "interactions"
REVIEW = "review"
NEWS = "news"
FEEDS = "feeds"
DRAFTS = "drafts"
QUICK_NOTES = "quick_notes"


@dataclass(slots=True)
class DeletedContact:
    """What ``delete_contact`` removed, so that ``restore`` can undo it."""

    contact: Contact
    interactions: list[Interaction]  # entries that named only this contact
    detached: list[Interaction]  # shared entries, as they were before the contact was removed


class _Cache:
    """Model objects of one table, rebuilt per document when the storage reports a change."""

    def __init__(self, table: str, from_doc: Callable[[dict[str, Any]], Any]) -> None:
        self.table = table
        self.from_doc = from_doc
        self.items: dict[str, Any] | None = None

    def load(self, db: NurtureDB) -> dict[str, Any]:
        if self.items is None:
            self.items = {k: self.from_doc(v) for k, v in db.raw_table(self.table).items()}
        return self.items

    def apply(self, db: NurtureDB, doc_ids: Iterable[str]) -> None:
        if self.items is None:
            return
        raw = db.raw_table(self.table)
        for doc_id in doc_ids:
            doc = raw.get(doc_id)
            if doc is None:
                self.items.pop(doc_id, None)
            else:
                self.items[doc_id] = self.from_doc(doc)


class Store:
    """Typed access to the address book. Thread-safe; every call is serialised."""

    def __init__(self, db: NurtureDB) -> None:
        self._db = db
        self._lock = threading.RLock()
        self._caches = {
            CONTACTS: _Cache(CONTACTS, D.contact_from_doc),
            INTERACTIONS: _Cache(INTERACTIONS, D.interaction_from_doc),
            REVIEW: _Cache(REVIEW, D.review_state_from_doc),
            NEWS: _Cache(NEWS, D.news_item_from_doc),
            FEEDS: _Cache(FEEDS, D.feed_from_doc),
            DRAFTS: _Cache(DRAFTS, D.draft_from_doc),
            QUICK_NOTES: _Cache(QUICK_NOTES, D.quick_note_from_doc),
        }
        self._by_contact: dict[str, list[str]] | None = None
        self.revision = 0  # bumps on every change, ours or another process's

    # ------------------------------------------------------------ lifecycle

    @property
    def path(self) -> Path:
        return self._db.path

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> bool:
        """Pick up writes made by other processes; True when anything changed."""
        with self._lock:
            return self._sync()

    def checkpoint(self) -> None:
        with self._lock:
            self._db.checkpoint()

    def _sync(self) -> bool:
        changes = self._db.refresh()
        if changes is None:
            return False
        self._apply(changes)
        return True

    def _apply(self, changes: Changes) -> None:
        self.revision += 1
        if changes.reloaded:
            for cache in self._caches.values():
                cache.items = None
            self._by_contact = None
            return
        for table, doc_ids in changes.tables.items():
            cache = self._caches.get(table)
            if cache is not None:
                cache.apply(self._db, doc_ids)
            if table == INTERACTIONS:
                self._by_contact = None

    def _items(self, table: str) -> dict[str, Any]:
        self._sync()
        return self._caches[table].load(self._db)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several writes into one atomic, durable write."""
        with self._lock, self._db.batch() as changes:
            yield
        self._apply(changes)

    def _put(self, table: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        with self._lock:
            self._sync()
            with self._db.batch() as changes:
                if doc is None:
                    self._db.delete(table, doc_id)
                else:
                    self._db.upsert(table, doc_id, doc)
            self._apply(changes)

    # ------------------------------------------------------------ contacts

    def contacts(self) -> list[Contact]:
        """Every contact, sorted by folded display name."""
        with self._lock:
            return sorted(self._items(CONTACTS).values(), key=lambda c: fold(c.display_name))

    def contact(self, contact_id: str) -> Contact | None:
        with self._lock:
            return self._items(CONTACTS).get(contact_id)

    def save_contact(self, contact: Contact, *, touch: bool = True) -> Contact:
        contact.validate()
        if touch:
            contact.updated = now()
            if contact.created is None:
                contact.created = contact.updated
        self._put(CONTACTS, contact.id, D.contact_to_doc(contact))
        return contact

    def save_contacts(self, contacts: Iterable[Contact]) -> int:
        """Save many contacts in one durable write (imports, the demo)."""
        count = 0
        with self._lock, self._db.batch() as changes:
            for contact in contacts:
                contact.validate()
                self._db.upsert(CONTACTS, contact.id, D.contact_to_doc(contact))
                count += 1
        self._apply(changes)
        return count

    def delete_contact(self, contact_id: str) -> DeletedContact:
        """Remove a contact and the entries that were theirs alone; shared entries lose them."""
        with self._lock:
            contact = self.contact(contact_id)
            if contact is None:
                raise NotFound(f"no contact with id {contact_id}")
            own, shared = [], []
            for entry in self.interactions(contact_id):
                (own if entry.contact_ids == [contact_id] else shared).append(entry)
            with self._db.batch() as changes:
                self._db.delete(CONTACTS, contact_id)
                for entry in own:
                    self._db.delete(INTERACTIONS, entry.id)
                for entry in shared:
                    doc = D.interaction_to_doc(entry)
                    doc["contact_ids"] = [c for c in entry.contact_ids if c != contact_id]
                    self._db.upsert(INTERACTIONS, entry.id, doc)
            self._apply(changes)
            return DeletedContact(contact, own, shared)

    def restore(self, deleted: DeletedContact) -> None:
        """Undo ``delete_contact``."""
        with self._lock, self._db.batch() as changes:
            self._db.upsert(CONTACTS, deleted.contact.id, D.contact_to_doc(deleted.contact))
            for entry in [*deleted.interactions, *deleted.detached]:
                self._db.upsert(INTERACTIONS, entry.id, D.interaction_to_doc(entry))
        self._apply(changes)

    def find_contacts(self, query: str) -> list[Contact]:
        """Contacts whose id, name, nickname or email match ``query`` (folded substring)."""
        wanted = fold(query.strip())
        if not wanted:
            return []
        with self._lock:
            items = self._items(CONTACTS)
            if query.strip() in items:
                return [items[query.strip()]]
            found = []
            for contact in items.values():
                names = [contact.display_name, contact.nickname,
                         f"{contact.given_name} {contact.family_name}",
                         *(e.address for e in contact.emails)]
                if any(wanted in fold(n) for n in names if n.strip()):
                    found.append(contact)
            return sorted(found, key=lambda c: fold(c.display_name))

    def resolve(self, who: str) -> Contact:
        """One contact for an id or a name: exact, else a unique partial match."""
        found = self.find_contacts(who)
        if not found:
            raise NotFound(f"no contact matches {who!r}")
        if len(found) == 1:
            return found[0]
        wanted = fold(who.strip())
        exact = [c for c in found
                 if wanted in (fold(c.display_name), fold(c.nickname),
                               *(fold(e.address) for e in c.emails))]
        if len(exact) == 1:
            return exact[0]
        raise Ambiguous(who, [f"{c.display_name} ({c.id})" for c in found])

    # ------------------------------------------------------------ timeline

    def _index(self) -> dict[str, list[str]]:
        items = self._items(INTERACTIONS)
        if self._by_contact is None:
            index: dict[str, list[str]] = {}
            for entry in sorted(items.values(), key=lambda i: i.at, reverse=True):
                for contact_id in entry.contact_ids:
                    index.setdefault(contact_id, []).append(entry.id)
            self._by_contact = index
        return self._by_contact

    def interactions(self, contact_id: str | None = None) -> list[Interaction]:
        """The timeline, newest first; one contact's when ``contact_id`` is given."""
        with self._lock:
            items = self._items(INTERACTIONS)
            if contact_id is None:
                return sorted(items.values(), key=lambda i: i.at, reverse=True)
            return [items[i] for i in self._index().get(contact_id, ())]

    def interactions_by_contact(self) -> dict[str, list[Interaction]]:
        """Every contact's timeline, newest first (what the rules engine reads)."""
        with self._lock:
            items = self._items(INTERACTIONS)
            return {cid: [items[i] for i in ids] for cid, ids in self._index().items()}

    def interaction(self, interaction_id: str) -> Interaction | None:
        with self._lock:
            return self._items(INTERACTIONS).get(interaction_id)

    def last_interaction(self, contact_id: str) -> Interaction | None:
        with self._lock:
            ids = self._index().get(contact_id)
            return self._items(INTERACTIONS)[ids[0]] if ids else None

    def save_interaction(self, entry: Interaction) -> Interaction:
        self._put(INTERACTIONS, entry.id, D.interaction_to_doc(entry))
        return entry

    def save_interactions(self, entries: Iterable[Interaction]) -> int:
        count = 0
        with self._lock, self._db.batch() as changes:
            for entry in entries:
                self._db.upsert(INTERACTIONS, entry.id, D.interaction_to_doc(entry))
                count += 1
        self._apply(changes)
        return count

    def delete_interaction(self, interaction_id: str) -> Interaction:
        with self._lock:
            entry = self.interaction(interaction_id)
            if entry is None:
                raise NotFound(f"no timeline entry with id {interaction_id}")
            self._put(INTERACTIONS, interaction_id, None)
            return entry

    # ------------------------------------------------------------ review state

    def review_states(self) -> dict[str, ReviewState]:
        with self._lock:
            return dict(self._items(REVIEW))

    def set_review_state(self, state: ReviewState) -> None:
        self._put(REVIEW, state.key, D.review_state_to_doc(state))

    def clear_review_state(self, key: str) -> None:
        self._put(REVIEW, key, None)

    # ------------------------------------------------------------ news and feeds

    def news_items(self) -> list[NewsItem]:
        """News items, newest first (by published, else added)."""
        with self._lock:
            items = list(self._items(NEWS).values())
        return sorted(items, key=lambda n: (n.published or n.added or now()).timestamp(),
                      reverse=True)

    def save_news_item(self, item: NewsItem) -> NewsItem:
        self._put(NEWS, item.id, D.news_item_to_doc(item))
        return item

    def save_news_items(self, items: Iterable[NewsItem]) -> int:
        count = 0
        with self._lock, self._db.batch() as changes:
            for item in items:
                self._db.upsert(NEWS, item.id, D.news_item_to_doc(item))
                count += 1
        self._apply(changes)
        return count

    def delete_news_item(self, item_id: str) -> None:
        self._put(NEWS, item_id, None)

    def feeds(self) -> list[Feed]:
        with self._lock:
            return sorted(self._items(FEEDS).values(), key=lambda f: f.url)

    def save_feed(self, feed: Feed) -> Feed:
        self._put(FEEDS, feed.url, D.feed_to_doc(feed))
        return feed

    def delete_feed(self, url: str) -> None:
        with self._lock:
            if url not in self._items(FEEDS):
                raise NotFound(f"no feed {url}")
            self._put(FEEDS, url, None)

    # ------------------------------------------------------------ drafts and quick notes

    def drafts(self) -> list[Draft]:
        with self._lock:
            return list(self._items(DRAFTS).values())

    def save_draft(self, draft: Draft) -> Draft:
        draft.updated = now()
        self._put(DRAFTS, draft.id, D.draft_to_doc(draft))
        return draft

    def delete_draft(self, draft_id: str) -> None:
        self._put(DRAFTS, draft_id, None)

    def quick_notes(self) -> list[QuickNote]:
        """Notes begun and not yet finished (left over if the app died mid-call)."""
        with self._lock:
            return sorted(self._items(QUICK_NOTES).values(), key=lambda q: q.started)

    def save_quick_note(self, note: QuickNote) -> QuickNote:
        note.updated = now()
        self._put(QUICK_NOTES, note.id, D.quick_note_to_doc(note))
        return note

    def delete_quick_note(self, note_id: str) -> None:
        self._put(QUICK_NOTES, note_id, None)

    # ------------------------------------------------------------ whole-file

    def export_data(self) -> dict[str, Any]:
        """Every table as plain documents (the lossless JSON export)."""
        with self._lock:
            self._sync()
            return {name: dict(self._db.raw_table(name)) for name in self._caches}


def open_store(path: Path | str, *, backups_keep: int = 7, create: bool = True) -> Store:
    """Open (or create) the data file at ``path``; refuses a file it cannot read."""
    return Store(open_db(Path(path), backups_keep=backups_keep, create=create))
