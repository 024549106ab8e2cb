"""In-memory model objects and indexes over the store's documents.

Built lazily (opening a file builds nothing) and then kept up to date one
document at a time as the storage reports changes, so that a write or another
process's write never costs a rebuild of 200,000 interactions.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from nurture.errors import DataFileError, NurtureError
from nurture.model import Contact, Interaction, fold
from nurture.store.index import has_open_follow_up
from nurture.store.memory import bulk_load


class ModelCache:
    """Model objects of one table, built on first use, rebuilt per document on change."""

    def __init__(self, path: Path, table: str,
                 from_doc: Callable[[dict[str, Any]], Any]) -> None:
        self._path = path
        self.table = table
        self.from_doc = from_doc
        self.items: dict[str, Any] | None = None

    def build(self, doc_id: str, doc: dict[str, Any]) -> Any:
        """One model object from its document; a bad document names the file and the record."""
        try:
            return self.from_doc(doc)
        except NurtureError as exc:
            problem = str(exc)
        except KeyError as exc:
            problem = f"no {exc.args[0]!r} field"
        except (ValueError, TypeError, AttributeError, IndexError) as exc:
            problem = str(exc) or type(exc).__name__
        raise DataFileError(self._path, f"{self.table}[{doc_id!r}]: {problem}; the file was "
                                          "left untouched") from None

    def load(self, raw: dict[str, dict[str, Any]]) -> dict[str, Any]:
        if self.items is None:
            with bulk_load():
                self.items = {k: self.build(k, v) for k, v in raw.items()}
        return self.items

    def apply(self, raw: dict[str, dict[str, Any]],
              doc_ids: Iterable[str]) -> list[tuple[str, Any, Any]]:
        """Rebuild the given documents; returns (id, old, new) for each (None when absent)."""
        if self.items is None:
            return []
        changed = []
        try:
            for doc_id in doc_ids:
                doc = raw.get(doc_id)
                old = self.items.get(doc_id)
                if doc is None:
                    self.items.pop(doc_id, None)
                    new = None
                else:
                    new = self.items[doc_id] = self.build(doc_id, doc)
                changed.append((doc_id, old, new))
        except DataFileError:
            self.items = None  # rebuilt (and refused again) at the next read
            raise
        return changed


_TimelineKey = tuple[float, str]  # minus the timestamp (newest first), then the id


class Timeline:
    """Interaction ids newest first, overall and per contact, updated per change.

    Each contact's entries are sorted apart (a few each), and the whole order
    only when something asks for it: loading the app needs only the former.
    """

    def __init__(self, items: dict[str, Interaction]) -> None:
        with bulk_load():
            self._build(items)

    def _build(self, items: dict[str, Interaction]) -> None:
        # Each entry's people, kept for its removal: one id as itself (most entries;
        # a tuple each cost a tenth of this build), several as a tuple.
        self._keys: dict[str, tuple[_TimelineKey, str | tuple[str, ...]]] = {}
        self.by_contact: dict[str, list[_TimelineKey]] = {}
        self._order: list[_TimelineKey] | None = None
        keys, by_contact = self._keys, self.by_contact
        mine = by_contact.get
        for doc_id, entry in items.items():
            key = (-entry.at.timestamp(), doc_id)
            contact_ids = entry.contact_ids
            if len(contact_ids) == 1:
                contact_id = contact_ids[0]
                keys[doc_id] = (key, contact_id)
                entries = mine(contact_id)
                if entries is None:
                    by_contact[contact_id] = [key]
                else:
                    entries.append(key)
                continue
            people = tuple(dict.fromkeys(contact_ids))
            keys[doc_id] = (key, people)
            for contact_id in people:
                entries = mine(contact_id)
                if entries is None:
                    by_contact[contact_id] = [key]
                else:
                    entries.append(key)
        for entries in by_contact.values():
            entries.sort()

    @property
    def order(self) -> list[_TimelineKey]:
        """Every entry's key, newest first."""
        if self._order is None:
            self._order = sorted(key for key, _ in self._keys.values())
        return self._order

    def update(self, doc_id: str, new: Interaction | None) -> None:
        # The key stored at insertion is used for removal: the old model object
        # may have been changed in place by whoever holds it.
        old = self._keys.pop(doc_id, None)
        if old is not None:
            key, people = old
            if self._order is not None:
                _remove(self._order, key)
            for contact_id in (people,) if isinstance(people, str) else people:
                entries = self.by_contact.get(contact_id)
                if entries is not None:
                    _remove(entries, key)
                    if not entries:
                        del self.by_contact[contact_id]
        if new is not None:
            key = (-new.at.timestamp(), doc_id)
            contact_ids = tuple(dict.fromkeys(new.contact_ids))
            self._keys[doc_id] = (key, contact_ids)
            if self._order is not None:
                insort(self._order, key)
            for contact_id in contact_ids:
                insort(self.by_contact.setdefault(contact_id, []), key)

    def ids(self, contact_id: str | None = None) -> list[str]:
        keys = self.order if contact_id is None else self.by_contact.get(contact_id, ())
        return [doc_id for _, doc_id in keys]


def _remove(keys: list[_TimelineKey], key: _TimelineKey) -> None:
    at = bisect_left(keys, key)
    if at < len(keys) and keys[at] == key:
        del keys[at]


class LazyTimeline(Sequence[Interaction]):
    """One person's timeline, newest first, each entry built from its document when first
    read. The rules read each person's newest entries (back to the last touch and a few
    weeks) and those with follow-ups: a review of 50,000 entries builds a fraction."""

    __slots__ = ("_build", "_built", "_docs")

    def __init__(self, docs: list[tuple[str, dict[str, Any]]], built: dict[str, Interaction],
                 build: Callable[[str, dict[str, Any]], Interaction]) -> None:
        self._docs = docs
        self._built = built  # shared by everyone's timeline: an entry shared is one object
        self._build = build

    def __len__(self) -> int:
        return len(self._docs)

    def _entry(self, doc_id: str, doc: dict[str, Any]) -> Interaction:
        entry = self._built.get(doc_id)
        if entry is None:
            entry = self._built[doc_id] = self._build(doc_id, doc)
        return entry

    @overload
    def __getitem__(self, index: int) -> Interaction: ...

    @overload
    def __getitem__(self, index: slice) -> list[Interaction]: ...

    def __getitem__(self, index: int | slice) -> Interaction | list[Interaction]:
        if isinstance(index, slice):
            return [self._entry(*pair) for pair in self._docs[index]]
        return self._entry(*self._docs[index])

    def __iter__(self) -> Iterator[Interaction]:
        for doc_id, doc in self._docs:
            yield self._entry(doc_id, doc)

    def with_open_follow_ups(self) -> list[Interaction]:
        """The entries with a follow-up still open, newest first; the rest stay unbuilt."""
        return [self._entry(doc_id, doc) for doc_id, doc in self._docs
                if has_open_follow_up(doc)]


class LazyTimelines(dict[str, LazyTimeline]):
    """Everyone's ``LazyTimeline``, by contact id."""

    def with_open_follow_ups(self, contact_id: str) -> list[Interaction]:
        """A person's entries with a follow-up still open, newest first."""
        timeline = self.get(contact_id)
        return [] if timeline is None else timeline.with_open_follow_ups()


class ContactOrder:
    """Contacts sorted by folded display name, and their folded names for matching."""

    def __init__(self) -> None:
        self._sort_keys: dict[str, tuple[str, str]] = {}
        self._names: dict[str, tuple[str, ...]] = {}
        self._sorted: list[Contact] | None = None

    def invalidate(self, doc_ids: Iterable[str] | None = None) -> None:
        """Forget what was derived from these contacts (all of them when None)."""
        if doc_ids is None:
            self._sort_keys.clear()
            self._names.clear()
        else:
            for doc_id in doc_ids:
                self._sort_keys.pop(doc_id, None)
                self._names.pop(doc_id, None)
        self._sorted = None

    def sort_key(self, contact: Contact) -> tuple[str, str]:
        key = self._sort_keys.get(contact.id)
        if key is None:
            key = self._sort_keys[contact.id] = (fold(contact.display_name), contact.id)
        return key

    def sorted(self, items: dict[str, Contact]) -> list[Contact]:
        if self._sorted is None:
            self._sorted = sorted(items.values(), key=self.sort_key)
        return self._sorted

    def names(self, contact: Contact) -> tuple[str, ...]:
        """Folded display name, nickname, full name and email addresses."""
        names = self._names.get(contact.id)
        if names is None:
            parts = [contact.display_name, contact.nickname,
                     f"{contact.given_name} {contact.family_name}",
                     *(e.address for e in contact.emails)]
            names = self._names[contact.id] = tuple(
                dict.fromkeys(fold(p.strip()) for p in parts if p.strip()))
        return names
