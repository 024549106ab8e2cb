"""The repository: model objects in, model objects out, over one TinyDB file.

This is the only public face of the store. Model objects are built once per
process (lazily: opening a file builds none) and kept in memory; the storage
tells us which documents changed, ours or another process's, so that only
those are rebuilt.

Lists (``contacts()``, ``interactions()``…) hand out the shared, cached
objects: treat them as read-only. Single-object getters (``contact(id)``,
``resolve``, ``interaction(id)``, ``last_interaction``) return private copies
that are safe to edit and then save.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from nurture import documents as D
from nurture.errors import Ambiguous, DataFileError, EditConflict, NotFound, NurtureError
from nurture.model import (
    CaptureMark,
    Contact,
    Draft,
    Feed,
    Interaction,
    NewsItem,
    QuickNote,
    ReviewState,
    normalize_tag,
    now,
)
from nurture.store import schema
from nurture.store.db import NurtureDB, open_db
from nurture.store.index import Index, Span, has_open_follow_up
from nurture.store.memory import bulk_load
from nurture.store.merge import merge_contact
from nurture.store.storage import Changes, StaleWrite
from nurture.store.views import ContactOrder, LazyTimeline, LazyTimelines, ModelCache, Timeline

if TYPE_CHECKING:  # finding people by name (`store.matching`) is imported when first asked:
    # `nurture log ID` never needs it
    from nurture.store.matching import KeyCache, Match

M = TypeVar("M")

CONTACTS = "contacts"
INTERACTIONS = "interactions"
REVIEW = "review"
NEWS = "news"
FEEDS = "feeds"
DRAFTS = "drafts"
QUICK_NOTES = "quick_notes"
CAPTURE = "capture"

Op = tuple[str, str, dict[str, Any] | None]
_first = itemgetter(0)
_RETRIES = 20  # saves that lost the race to another writer, merged and tried again


@dataclass(slots=True)
class DeletedContact:
    """What ``delete_contact`` removed, so that ``restore`` can undo it."""

    contact: Contact
    interactions: list[Interaction]  # entries that named only this contact
    detached: list[Interaction]  # shared entries, as they were before the contact was removed


def _names_contact(doc: dict[str, Any], contact_id: str) -> bool:
    """Whether an interaction document names the contact (a malformed one is let
    through, so that building it names the record)."""
    ids = doc.get("contact_ids")
    return contact_id in ids if type(ids) is list else True


def _tags_test(tags: Iterable[str]) -> Callable[[Iterable[str]], bool] | None:
    """Whether a list of interests holds every one of ``tags`` (None when no tags)."""
    wanted = frozenset(normalize_tag(t) for t in tags)
    if not wanted:
        return None
    if len(wanted) == 1:
        (tag,) = wanted
        return lambda interests: tag in interests
    return wanted.issubset


def _names_hold(contact: Contact, query: str) -> bool:
    """Whether every typed word is part of the person's names ("kafo" in Okafor), not
    only of their company or interests."""
    from nurture.store.matching import fold_query, query_words

    names = fold_query(" ".join((contact.display_name, contact.given_name,
                                 contact.family_name, contact.nickname)))
    return all(word in names for word in query_words(query))


class Store:
    """Typed access to the address book. Thread-safe; every call is serialised."""

    def __init__(self, db: NurtureDB) -> None:
        self._db = db
        self._lock = threading.RLock()
        # The path by value, not a closure over self: a Store in a reference
        # cycle would outlive its last use (frozen by memory.bulk_load).
        path = db.path
        self._caches = {
            CONTACTS: ModelCache(path, CONTACTS, D.contact_from_doc),
            INTERACTIONS: ModelCache(path, INTERACTIONS, D.interaction_from_doc),
            REVIEW: ModelCache(path, REVIEW, D.review_state_from_doc),
            NEWS: ModelCache(path, NEWS, D.news_item_from_doc),
            FEEDS: ModelCache(path, FEEDS, D.feed_from_doc),
            DRAFTS: ModelCache(path, DRAFTS, D.draft_from_doc),
            QUICK_NOTES: ModelCache(path, QUICK_NOTES, D.quick_note_from_doc),
            CAPTURE: ModelCache(path, CAPTURE, D.capture_mark_from_doc),
        }
        self._order = ContactOrder()
        self._keys: KeyCache | None = None  # finding people by name (`store.matching`)
        self._timeline: Timeline | None = None
        self._levels: list[Changes] = []  # what each open batch level wrote
        self.revision = 0  # bumps on every change, ours or another process's

    # ------------------------------------------------------------ lifecycle

    @property
    def path(self) -> Path:
        return self._db.path

    @property
    def read_only(self) -> str | None:
        """Why the book cannot be written (it was opened read-only), or None."""
        return self._db.storage.read_only

    def check_writable(self) -> None:
        """Raise ``ReadOnlyBook`` saying why when the book cannot be written (before asking
        a person for an edit that could not be saved)."""
        self._db.storage.refuse_if_read_only()

    def take_notices(self) -> list[str]:
        """Things to tell the user once, e.g. where a journal was set aside; then forgotten."""
        with self._lock:
            return self._db.storage.take_notices()

    def close(self, *, fold: bool = True) -> None:
        """Close the file, folding the journal first when that is cheap (unless ``fold``
        is False: the caller folds it elsewhere, or the next open replays it)."""
        with self._lock:
            self._db.close(fold=fold)

    def fold_due(self, *, closing: bool = False) -> bool:
        """Whether the journal wants folding (``checkpoint``): it is full, or, when
        ``closing``, folding it is cheap or overdue."""
        return self._db.storage.fold_due(closing=closing)

    def lay_out_due(self) -> bool:
        """Whether the file was read whole for want of a layout that fits it (a copy, a
        restore) and nothing waits to be folded: ``lay_out`` would describe it."""
        return self._db.storage.lay_out_due()

    def lay_out(self) -> bool:
        """Describe the file as it is (its layout, its index) without rewriting it, when it
        is Nurture's own encoding of what it holds; see ``Storage.lay_out``."""
        with self._lock:
            return self._db.storage.lay_out()

    def reindex_due(self, *, look: bool = False) -> bool:
        """Whether this store found the file laid out but without its derived index (lost,
        or an older version's): ``reindex`` would write it again; see
        ``Storage.reindex_due``."""
        return self._db.storage.reindex_due(look=look)

    def reindex(self) -> bool:
        """Write the derived index of the file again; see ``Storage.reindex``."""
        with self._lock:
            return self._db.storage.reindex()

    def file_size(self) -> int:
        """The data file's size in bytes (what a fold rewrites)."""
        return self._db.storage.file_size()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refresh(self) -> bool:
        """Pick up writes made by other processes; True when anything changed."""
        with self._lock:
            return self._sync()

    def checkpoint(self) -> None:
        """Fold the journal into the data file now (it also happens on its own)."""
        with self._lock:
            # Another process's writes, caught up with under the fold's lock, are rebuilt
            # here: a refresh afterwards finds nothing new to tell (found in review).
            self._apply(self._db.checkpoint())

    def _sync(self) -> bool:
        if self._levels:
            return False  # inside a batch, other processes' writes wait until it ends
        changes = self._db.refresh()
        if changes is None:
            return False
        self._apply(changes)
        return True

    def _apply(self, changes: Changes) -> None:
        if not changes:
            return
        self.revision += 1
        if changes.reloaded:
            for each in self._caches.values():
                each.items = None
            self._order.invalidate()
            self._timeline = None
            return
        for table, doc_ids in changes.tables.items():
            cache = self._caches.get(table)
            if cache is None or cache.items is None:
                if table == CONTACTS:
                    self._order.invalidate(doc_ids)
                continue  # nothing built from it yet (and it may not even be parsed)
            if table == CONTACTS:
                self._order.invalidate(doc_ids)
            try:
                changed = cache.apply(self._docs(table, list(doc_ids)), doc_ids)
            except Exception:
                # Everything is built again at the next read (or refused again): never
                # left half-applied, nor the tables after this one left stale, whether
                # reading the documents or building them failed.
                self._apply(Changes(reloaded=True))
                raise
            if table == INTERACTIONS and self._timeline is not None:
                for doc_id, _, new in changed:
                    self._timeline.update(doc_id, new)

    def _items(self, table: str) -> dict[str, Any]:
        self._sync()
        cache = self._caches[table]
        if cache.items is None and table in (CONTACTS, INTERACTIONS):
            # Read a part at a time through the index: the table is never parsed whole
            # only to be built (at 5,000 people its documents would take 64 MiB for the
            # timeline, 14 for the contacts, beside their models).
            with bulk_load():
                cache.items = self._db.storage.built_from_index(
                    table, lambda ix: ix.every(table), cache.build)
        if cache.items is not None:
            return cache.items
        return cache.load(self._db.raw_table(table))

    def _docs(self, table: str, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The documents ``doc_ids`` of ``table`` as stored now (a missing one is absent),
        among others: through the derived index while the table is unparsed, even when
        the models are built (from it), so that one write or copy never parses it."""
        docs = self._db.storage.indexed(table, lambda ix: ix.docs(table, doc_ids))
        return self._db.raw_table(table) if docs is None else docs

    def _copy(self, table: str, doc_id: str, kind: type[M]) -> M | None:
        """A private model object for one document (None when there is none)."""
        self._sync()
        doc = self._docs(table, [doc_id]).get(doc_id)
        if doc is None:
            return None
        built = self._caches[table].build(doc_id, doc)
        if not isinstance(built, kind):
            raise TypeError(f"{table}[{doc_id!r}] built a {type(built).__name__}, not a {kind}")
        return built

    def _found(self, table: str, doc_id: str, kind: type[M]) -> M:
        """Like ``_copy``, for a document known to be there."""
        built = self._copy(table, doc_id, kind)
        if built is None:
            raise NotFound(f"no {table} record with id {doc_id}")
        return built

    def _indexed(self, table: str, ask: Callable[[Index], list[Span] | None]
                 ) -> dict[str, dict[str, Any]] | None:
        """The documents of ``table`` the derived index finds with ``ask``, and those the
        journal changed since (to be tested again); None when nothing is built from
        ``table`` yet and the index cannot answer: then read the table."""
        if self._caches[table].items is not None:
            return None  # built already: the objects are at hand
        return self._db.storage.indexed(table, ask)

    def _commit(self, ops: list[Op], *,
                expect: dict[tuple[str, str], int | None] | None = None) -> None:
        """One durable write (or, inside ``batch()``, part of one)."""
        with self._lock:
            self._sync()
            try:
                changes = self._db.storage.commit(ops, expect=expect)
            except Exception:
                if not self._levels:
                    # Memory went back to the disk's state, which may include
                    # another process's writes read just before ours failed.
                    self._apply(Changes(reloaded=True))
                raise
            for level in self._levels:
                for table, doc_ids in changes.tables.items():
                    for doc_id in doc_ids:
                        level.add(table, doc_id)
            self._apply(changes)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several writes into one atomic, durable write.

        Reads inside see the batch's writes. If the block raises, what it wrote
        is undone (in memory; nothing reached the disk) and the error goes on.
        """
        with self._lock:
            self._sync()
            level = Changes()
            self._levels.append(level)
            whole: Changes | None = None
            try:
                with self._db.batch() as whole:
                    yield
            except BaseException:
                self._levels.pop()
                # Rebuild what was undone; at the outermost level also what
                # other processes wrote while ours was failing.
                self._apply(level if self._levels or whole is None else whole)
                raise
            self._levels.pop()
            if not self._levels and whole is not None:
                self._apply(whole)

    # ------------------------------------------------------------ contacts

    def contacts(self, *, tags: Iterable[str] = (), kind: str | None = None,
                 ordered: bool = True) -> list[Contact]:
        """Contacts sorted by folded display name (shared objects: read-only).

        With ``tags`` (every one must be an interest) or ``kind``, only those;
        before the models are built, the documents are filtered first, so that
        ``nurture list --tag T`` builds only the matches. Not ``ordered``: everyone,
        in no order (for the rules, which rank what they find: sorting 50,000 people
        by name took 95 ms of a command's 1.8 s).
        """
        has_tags = _tags_test(tags)
        if not ordered and (has_tags is not None or kind is not None):
            raise ValueError("contacts(ordered=False) is everyone")
        with self._lock:
            cache = self._caches[CONTACTS]
            self._sync()
            if not ordered:
                return list(self._items(CONTACTS).values())
            if cache.items is None and (has_tags or kind):
                wanted = list(dict.fromkeys(normalize_tag(t) for t in tags))
                docs = self._indexed(CONTACTS, lambda ix: ix.contacts_with(wanted, kind))
                with bulk_load():
                    found = [cache.build(doc_id, doc)
                             for doc_id, doc in (self._db.raw_table(CONTACTS) if docs is None
                                                 else docs).items()
                             if (kind is None or doc.get("kind", "other") == kind)
                             and (has_tags is None or has_tags(doc.get("interests") or ()))]
                return sorted(found, key=self._order.sort_key)
            everyone = self._order.sorted(self._items(CONTACTS))
            if has_tags is None and kind is None:
                return list(everyone)
            return [c for c in everyone if (kind is None or c.kind.value == kind)
                    and (has_tags is None or has_tags(c.interests))]

    def contact(self, contact_id: str) -> Contact | None:
        """A private copy of one contact, or None."""
        with self._lock:
            return self._copy(CONTACTS, contact_id, Contact)

    def display_names(self, contact_ids: Iterable[str]) -> dict[str, str]:
        """The display names of the contacts with these ids (those that exist), looked up
        together in the derived index, which keeps each one: a command naming the people
        of 12,000 entries builds none of them and reads no document (reading 11,600 for
        their names was 0.18 s of `nurture follow-ups` at 50k people; the lookup is 0.02).
        Without an index, or once everyone is built, from the contacts built."""
        wanted = list(dict.fromkeys(contact_ids))
        with self._lock:
            self._sync()
            kept = None if self._caches[CONTACTS].items is not None else \
                self._db.storage.from_index(CONTACTS, lambda ix: ix.names(wanted))
            if kept is None:
                items = self._items(CONTACTS)
                return {cid: items[cid].display_name for cid in wanted if cid in items}
            rows, changed = kept
            found = dict(rows)
            names: dict[str, str] = {}
            for cid in wanted:
                if cid in changed:  # written since the index: its last write
                    doc = changed[cid]
                    if doc is not None:
                        name = doc.get("display_name")
                        names[cid] = name if isinstance(name, str) else \
                            self._caches[CONTACTS].build(cid, doc).display_name
                elif cid in found:
                    name = found[cid]
                    # A name that is not text: read and built, so the error names it.
                    names[cid] = name if name is not None else \
                        self._found(CONTACTS, cid, Contact).display_name
            return names

    def save_contact(self, contact: Contact, *, touch: bool = True, base: Contact | None = None,
                     keep_mine: Collection[str] = ()) -> Contact:
        """Save a new or edited contact without losing anyone else's edit; returns it as saved.

        ``contact.revision`` says which stored revision the edit started from. If
        another window or process saved the contact since, the edit is merged field
        by field against ``base`` (the contact as the edit started): fields only
        one side changed are kept from that side; a field both changed raises
        ``EditConflict`` naming it (``keep_mine`` lists stored field keys where
        this edit wins). Without ``base`` any field that differs is a conflict; a
        contact made from scratch (revision 0, no ``base``) replaces what is stored.
        The check is repeated under the file lock, so two writers never both win.
        """
        contact.validate()
        if touch:
            contact.updated = now()
            if contact.created is None:
                contact.created = contact.updated
        mine = D.contact_to_doc(contact)
        with self._lock:
            for _ in range(_RETRIES):
                self._sync()
                stored = self._docs(CONTACTS, [contact.id]).get(contact.id)
                current = schema.revision(stored)
                doc = dict(mine)
                if stored is None and contact.revision:
                    raise EditConflict([], f"{contact.display_name} was deleted elsewhere "
                                           "while you were editing; nothing was saved")
                # A contact made from scratch (revision 0, no base) replaces what is
                # stored, as an import does; an edit says where it started.
                started = bool(contact.revision) or base is not None
                if stored is not None and started and current != contact.revision:
                    old = D.contact_to_doc(base) if base is not None else \
                        {k: None for k in mine}  # unknown start: every difference conflicts
                    try:
                        doc = merge_contact(old, mine, stored, keep_mine=keep_mine)
                    except EditConflict as exc:
                        exc.current = self._copy(CONTACTS, contact.id, Contact)
                        raise
                    if touch:
                        doc["updated"] = mine["updated"]
                doc[schema.REVISION] = (current or 0) + 1
                try:
                    self._commit([(CONTACTS, contact.id, doc)],
                                 expect={(CONTACTS, contact.id): current})
                except StaleWrite:
                    if self._levels:
                        raise  # inside a batch the whole batch fails; nothing was written
                    continue  # another process saved in between: merge with theirs too
                contact.revision = doc[schema.REVISION]
                saved = self._copy(CONTACTS, contact.id, Contact)
                assert saved is not None  # just written under the lock
                return saved
            raise StaleWrite(CONTACTS, contact.id)

    def save_contacts(self, contacts: Iterable[Contact]) -> int:
        """Save many contacts in one durable write (imports, the demo); all or none.

        They replace what is stored (an import's merge is the importer's); each
        gets the next revision, so that an edit open elsewhere notices.
        """
        wanted = []
        for contact in contacts:
            contact.validate()
            wanted.append((contact, D.contact_to_doc(contact)))
        with self._lock:
            for _ in range(_RETRIES):
                self._sync()
                stored = self._db.raw_table(CONTACTS)
                expect: dict[tuple[str, str], int | None] = {}
                ops: list[Op] = []
                for contact, doc in wanted:
                    current = schema.revision(stored.get(contact.id))
                    expect[(CONTACTS, contact.id)] = current
                    ops.append((CONTACTS, contact.id, {**doc, schema.REVISION: (current or 0) + 1}))
                try:
                    self._commit(ops, expect=expect)
                except StaleWrite:
                    if self._levels:
                        raise
                    continue
                for (contact, _), (_, _, written) in zip(wanted, ops, strict=True):
                    assert written is not None
                    contact.revision = written[schema.REVISION]
                return len(ops)
            raise StaleWrite(CONTACTS, wanted[0][0].id)

    def delete_contact(self, contact_id: str) -> DeletedContact:
        """Remove a contact and the entries that were theirs alone; shared entries lose them."""
        with self._lock:
            contact = self.contact(contact_id)
            if contact is None:
                raise NotFound(f"no contact with id {contact_id}")
            own: list[Interaction] = []
            shared: list[Interaction] = []
            for entry in self.interactions(contact_id):
                (own if set(entry.contact_ids) == {contact_id} else shared).append(entry)
            ops: list[Op] = [(CONTACTS, contact_id, None)]
            ops += [(INTERACTIONS, entry.id, None) for entry in own]
            for entry in shared:
                doc = D.interaction_to_doc(entry)
                doc["contact_ids"] = [c for c in entry.contact_ids if c != contact_id]
                ops.append((INTERACTIONS, entry.id, doc))
            self._commit(ops)
            return DeletedContact(contact, own, shared)

    def restore(self, deleted: DeletedContact) -> None:
        """Undo ``delete_contact``."""
        ops: list[Op] = [(CONTACTS, deleted.contact.id, D.contact_to_doc(deleted.contact))]
        ops += [(INTERACTIONS, entry.id, D.interaction_to_doc(entry))
                for entry in [*deleted.interactions, *deleted.detached]]
        self._commit(ops)

    @property
    def _match_keys(self) -> KeyCache:
        if self._keys is None:
            from nurture.store.matching import KeyCache

            self._keys = KeyCache()
        return self._keys

    def find_contacts(self, query: str) -> list[Contact]:
        """Contacts matching ``query`` (an id, or see `store.matching`), best first.

        The same people in the same order as the app's picker and list filter.
        """
        from nurture.store.matching import search_book

        with self._lock:
            items = self._items(CONTACTS)
            if query.strip() in items:
                return [items[query.strip()]]
            return [c for match in search_book(items.values(), query, self._match_keys)
                    for c in match.contacts]

    def resolve(self, who: str) -> Contact:
        """One contact (a private copy) for an id or a name a person typed.

        The best tier of `store.matching`'s ranking decides: an exact name,
        nickname or email wins; then names whose words start with the typed
        words; then the one person whose names hold the typed letters ("kafo").
        Several contacts in that tier raise ``Ambiguous`` listing them. A match
        only in other words (company, interests) or with a typo never decides
        who a command acts on: ``NotFound`` names who was found.
        """
        query = who.strip()
        if not query:
            raise NotFound("no contact named (the name is empty)")
        with self._lock:
            self._sync()
            by_id = self._copy(CONTACTS, query, Contact)
            if by_id is not None:
                return by_id  # an id wins, and needs no search (`nurture log ID`)
            from nurture.store.matching import INSIDE, NAME_START, TYPO

            found = self._search_to_resolve(query)
            if not found:
                raise NotFound(f"no contact matches {who!r}")
            best = found[0]
            near = ", ".join(f"{c.display_name} ({c.id})" for c in best.contacts[:5])
            if best.tier == TYPO:
                # A typo never decides who a command writes to: name the near misses.
                raise NotFound(f"no contact matches {who!r}; did you mean {near}?")
            if best.tier > NAME_START and not (best.tier == INSIDE and len(best.contacts) == 1
                                               and _names_hold(best.contacts[0], who)):
                # Nor does a company, an interest or part of a word ("log sailing …"
                # must not land on the one sailor): name who it found.
                more = f" and {len(best.contacts) - 5} more" if len(best.contacts) > 5 else ""
                raise NotFound(f"no contact's name or email matches {who!r}; it is in "
                               f"the details of {near}{more}: name the person")
            if len(best.contacts) == 1:
                return self._found(CONTACTS, best.contacts[0].id, Contact)
            raise Ambiguous(who, [f"{c.display_name} ({c.id})" for c in best.contacts])

    def _search_to_resolve(self, query: str) -> list[Match]:
        """`search_book` for ``resolve`` (after the id): while the contacts are not built
        (a command asking once), only the documents that could match are built."""
        from nurture.store.matching import TYPO, doc_could_match, query_words, search_book

        cache = self._caches[CONTACTS]
        words = query_words(query)
        if cache.items is None and words:
            raw = self._indexed(CONTACTS, lambda ix: ix.contacts_holding(words))
            if raw is None:
                raw = self._db.raw_table(CONTACTS)
            could = [cache.build(k, doc) for k, doc in raw.items() if doc_could_match(doc, words)]
            found = search_book(could, query, self._match_keys)
            if found and found[0].tier != TYPO:
                return found
        return search_book(self._items(CONTACTS).values(), query, self._match_keys)

    # ------------------------------------------------------------ timeline

    def _timeline_index(self) -> tuple[dict[str, Interaction], Timeline]:
        items = self._items(INTERACTIONS)
        if self._timeline is None:
            self._timeline = Timeline(items)
        return items, self._timeline

    def interactions(self, contact_id: str | None = None) -> list[Interaction]:
        """The timeline, newest first; one contact's when ``contact_id`` is given."""
        with self._lock:
            if contact_id is not None and self._timeline is None:
                # Nothing built yet (`nurture show`): build this person's entries only.
                return self._entries_where(lambda doc: _names_contact(doc, contact_id),
                                           contact_id)
            items, timeline = self._timeline_index()
            return [items[i] for i in timeline.ids(contact_id)]

    def entries_with_open_follow_ups(self) -> list[Interaction]:
        """Timeline entries with a follow-up still open, newest first."""
        with self._lock:
            return self._entries_where(has_open_follow_up, None)

    def _entries_where(self, wanted: Callable[[dict[str, Any]], bool],
                       contact_id: str | None) -> list[Interaction]:
        """Entries whose documents pass ``wanted``, newest first (as the timeline orders
        them), built from the documents without building the rest: the cached objects
        when the timeline is built already. ``wanted`` sees the documents (read-only):
        those the derived index lists for ``contact_id`` (None: for open follow-ups)
        when the timeline was not parsed yet, else every one."""
        self._sync()
        cache = self._caches[INTERACTIONS]
        built = cache.items
        # Through the index even when the entries are built (from it, the table unparsed).
        raw = self._db.storage.indexed(INTERACTIONS, lambda ix: ix.spans(contact_id))
        if raw is None:
            raw = self._db.raw_table(INTERACTIONS)
        if built is not None:  # (the app: nothing new to freeze)
            found = [built[doc_id] for doc_id, doc in raw.items() if wanted(doc)]
        else:
            with bulk_load():
                found = [cache.build(doc_id, doc) for doc_id, doc in raw.items() if wanted(doc)]
        found.sort(key=lambda entry: (-entry.at.timestamp(), entry.id))
        return found

    def review_timelines(self) -> Mapping[str, Sequence[Interaction]]:
        """Every contact's timeline, newest first, for the rules (``interactions_by_contact``
        when the timeline is built already, as in the app). A command's builds only the
        entries the rules read: the heads of the timelines come from the derived index
        (``store.heads``), or, without one, each entry is built when first read from
        the table read whole. `nurture today` at 5,000 people built all 50,000."""
        with self._lock:
            self._sync()
            if self._caches[INTERACTIONS].items is not None:
                return self.interactions_by_contact()
            indexed = self.indexed_timelines()  # (a Mapping: its truth would read it whole)
            return indexed if indexed is not None else self._whole_timelines()

    def indexed_timelines(self) -> Mapping[str, Sequence[Interaction]] | None:
        """``review_timelines`` from the derived index (``store.heads``); None without a
        fresh one, or once the timeline is built (then it is the better answer)."""
        with self._lock:
            self._sync()
            view = self._db.storage.index_view(INTERACTIONS)
            if view is None or self._caches[INTERACTIONS].items is not None:
                return None
            from nurture.store.heads import IndexedTimelines, IndexUnusable

            try:
                return IndexedTimelines(view[0], view[1], self._read_entries,
                                        self._caches[INTERACTIONS].build,
                                        self.interactions, self._whole_timelines)
            except IndexUnusable:
                return None

    def _read_entries(self, spans: list[Span]) -> dict[str, dict[str, Any]] | None:
        with self._lock:
            return self._indexed(INTERACTIONS, lambda ix: spans)

    def _whole_timelines(self) -> Mapping[str, Sequence[Interaction]]:
        """``review_timelines`` from the table read whole."""
        with self._lock:
            self._sync()
            cache = self._caches[INTERACTIONS]
            if cache.items is not None:
                return self.interactions_by_contact()
            raw = self._db.raw_table(INTERACTIONS)
            with bulk_load():  # half a million keys at 50k: no collection per batch
                return self._lazy_timelines(raw, cache)

    def _lazy_timelines(self, raw: dict[str, dict[str, Any]],
                        cache: ModelCache) -> LazyTimelines:
        rows: dict[str, list[tuple[tuple[float, str], str, dict[str, Any]]]] = {}
        check = D.check_interaction
        for doc_id, doc in raw.items():
            try:
                when, ids = check(doc)
            except (NurtureError, KeyError, TypeError, ValueError, AttributeError,
                    IndexError) as exc:
                cache.build(doc_id, doc)  # says what is wrong with the record, as a read does
                raise DataFileError(self.path, f"interactions[{doc_id!r}]: {exc}; the file "
                                               "was left untouched") from None
            key = (-when, doc_id)
            for contact_id in (ids if len(ids) == 1 else dict.fromkeys(ids)):
                mine = rows.get(contact_id)
                if mine is None:
                    rows[contact_id] = [(key, doc_id, doc)]
                else:
                    mine.append((key, doc_id, doc))
        built: dict[str, Interaction] = {}
        timelines = LazyTimelines()
        for contact_id, mine in rows.items():
            mine.sort(key=_first)  # newest first, then by id: the built timeline's order
            timelines[contact_id] = LazyTimeline([(doc_id, doc) for _, doc_id, doc in mine],
                                                 built, cache.build)
        return timelines

    def interactions_by_contact(self) -> dict[str, list[Interaction]]:
        """Every contact's timeline, newest first (what the rules engine reads)."""
        with self._lock:
            items, timeline = self._timeline_index()
            return {cid: [items[k[1]] for k in keys] for cid, keys in timeline.by_contact.items()}

    def interaction(self, interaction_id: str) -> Interaction | None:
        """A private copy of one timeline entry, or None."""
        with self._lock:
            return self._copy(INTERACTIONS, interaction_id, Interaction)

    def last_interaction(self, contact_id: str) -> Interaction | None:
        """A private copy of the contact's newest timeline entry, or None."""
        with self._lock:
            _, timeline = self._timeline_index()
            keys = timeline.by_contact.get(contact_id)
            return self._copy(INTERACTIONS, keys[0][1], Interaction) if keys else None

    def source_index(self) -> dict[str, str]:
        """Each source id on the timeline (Message-ID, event UID) -> the entry holding it.

        Read from the documents: no entry is built (capture looks up a few).
        """
        with self._lock:
            self._sync()
            built = self._caches[INTERACTIONS].items
            if built is not None:  # (the app: the table may be unparsed)
                return {sid: doc_id for doc_id, entry in built.items()
                        for sid in entry.source_ids}
            return {sid: doc_id for doc_id, doc in self._db.raw_table(INTERACTIONS).items()
                    for sid in doc.get("source_ids") or ()}

    def save_interaction(self, entry: Interaction) -> Interaction:
        self._commit([(INTERACTIONS, entry.id, D.interaction_to_doc(entry))])
        return entry

    def save_interactions(self, entries: Iterable[Interaction]) -> int:
        """Save many entries in one durable write; all or none."""
        ops: list[Op] = [(INTERACTIONS, e.id, D.interaction_to_doc(e)) for e in entries]
        self._commit(ops)
        return len(ops)

    def delete_interaction(self, interaction_id: str) -> Interaction:
        with self._lock:
            entry = self.interaction(interaction_id)
            if entry is None:
                raise NotFound(f"no timeline entry with id {interaction_id}")
            self._commit([(INTERACTIONS, interaction_id, None)])
            return entry

    # ------------------------------------------------------------ review state

    def review_states(self) -> dict[str, ReviewState]:
        with self._lock:
            return dict(self._items(REVIEW))

    def set_review_state(self, state: ReviewState) -> None:
        self._commit([(REVIEW, state.key, D.review_state_to_doc(state))])

    def clear_review_state(self, key: str) -> None:
        self._commit([(REVIEW, key, None)])

    # ------------------------------------------------------------ news and feeds

    def news_items(self) -> list[NewsItem]:
        """News items, newest first (by published, else added)."""
        with self._lock:
            items = list(self._items(NEWS).values())
        latest = now().timestamp()
        return sorted(items, key=lambda n: n.published.timestamp() if n.published else
                      n.added.timestamp() if n.added else latest, reverse=True)

    def save_news_item(self, item: NewsItem) -> NewsItem:
        self._commit([(NEWS, item.id, D.news_item_to_doc(item))])
        return item

    def save_news_items(self, items: Iterable[NewsItem]) -> int:
        ops: list[Op] = [(NEWS, item.id, D.news_item_to_doc(item)) for item in items]
        self._commit(ops)
        return len(ops)

    def delete_news_item(self, item_id: str) -> None:
        self._commit([(NEWS, item_id, None)])

    def feeds(self) -> list[Feed]:
        with self._lock:
            return sorted(self._items(FEEDS).values(), key=lambda f: f.url)

    def save_feed(self, feed: Feed) -> Feed:
        self._commit([(FEEDS, feed.url, D.feed_to_doc(feed))])
        return feed

    def delete_feed(self, url: str) -> None:
        with self._lock:
            if url not in self._items(FEEDS):
                raise NotFound(f"no feed {url}")
            self._commit([(FEEDS, url, None)])

    # ------------------------------------------------------------ drafts and quick notes

    def drafts(self) -> list[Draft]:
        with self._lock:
            return list(self._items(DRAFTS).values())

    def save_draft(self, draft: Draft, *, touch: bool = True) -> Draft:
        """Save a draft; ``touch=False`` keeps its ``updated`` stamp (a lossless import)."""
        if touch or draft.updated is None:
            draft.updated = now()
        self._commit([(DRAFTS, draft.id, D.draft_to_doc(draft))])
        return draft

    def delete_draft(self, draft_id: str) -> None:
        self._commit([(DRAFTS, draft_id, None)])

    def quick_notes(self) -> list[QuickNote]:
        """Notes begun and not yet finished (left over if the app died mid-call)."""
        with self._lock:
            return sorted(self._items(QUICK_NOTES).values(), key=lambda q: q.started)

    def save_quick_note(self, note: QuickNote, *, touch: bool = True) -> QuickNote:
        """Save a note in progress; ``touch=False`` keeps its ``updated`` stamp."""
        if touch or note.updated is None:
            note.updated = now()
        self._commit([(QUICK_NOTES, note.id, D.quick_note_to_doc(note))])
        return note

    def delete_quick_note(self, note_id: str) -> None:
        self._commit([(QUICK_NOTES, note_id, None)])

    # ------------------------------------------------------------ capture's read state

    def capture_marks(self) -> dict[str, CaptureMark]:
        """What capture has read, by mark key (shared objects: read-only)."""
        with self._lock:
            return dict(self._items(CAPTURE))

    def save_capture_marks(self, marks: Iterable[CaptureMark], drop: Iterable[str] = ()) -> None:
        """Save what capture read (and forget the marks in ``drop``) in one durable write."""
        ops: list[Op] = [(CAPTURE, m.key, D.capture_mark_to_doc(m)) for m in marks]
        ops += [(CAPTURE, key, None) for key in drop]
        self._commit(ops)

    # ------------------------------------------------------------ whole-file

    def export_data(self) -> dict[str, Any]:
        """Every table as plain documents (the lossless JSON export); a deep copy.

        Capture's read state is left out: it names this machine's mail folders,
        and without it a capture re-reads everything and logs nothing twice.
        """
        with self._lock:
            self._sync()
            tables = {name: self._db.raw_table(name) for name in self._caches
                      if name != CAPTURE}
            copy: dict[str, Any] = orjson.loads(orjson.dumps(tables))
            return copy


def open_store(path: Path | str, *, backups_keep: int = 7, create: bool = True,
               auto_fold: bool = True) -> Store:
    """Open (or create) the data file at ``path``; refuses a file it cannot read.

    With ``auto_fold`` False the write that fills the journal does not fold it:
    the caller does, where nobody waits (``fold_due``, ``checkpoint``).
    """
    return Store(open_db(Path(path), backups_keep=backups_keep, create=create,
                         auto_fold=auto_fold))
