"""Reconcile the book with its sync folders, both ways, item by item.

For every item the engine knows three versions: the book's, the folder's, and
what both last agreed on (``state``). An item changed on one side only is
carried to the other; changed on both, its fields are merged, and a field
changed on both sides to different values is a conflict: the book's value is
kept and written back, and the folder's is reported and saved in
``backups/``. A deletion on one side removes the item on the other unless the
other side edited it since (the edit wins), and what is removed is saved in
``backups/`` first. All changes to the book are one atomic batch.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pendulum

from nurture import documents as D
from nurture.errors import InputFileError, NurtureError
from nurture.interop.textfiles import ensure_private_dir, write_private
from nurture.interop.vcard_out import stable_uid
from nurture.model import FollowUp, Interaction, InteractionKind, KeyDate, new_id
from nurture.sync import files
from nurture.sync.items import (
    CONTACT,
    ENTRY,
    FOLLOW_UP,
    KEY_DATE,
    KINDS,
    REVIEW,
    BookView,
    Item,
    as_read,
    changed_fields,
    field_hashes,
    key_date_uid,
    local_id,
)
from nurture.sync.state import Agreed, SyncState, load_state

CONTACTS, CALENDAR = "contacts", "calendar"
SUFFIX = {CONTACTS: ".vcf", CALENDAR: ".ics"}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,120}$")
Progress = Callable[[str], None]


@dataclass(slots=True)
class SyncSettings:
    """The ``[sync]`` section of config.toml."""

    contacts: Path | None = None
    calendar: Path | None = None
    run: str = ""
    on_start: bool = False  # the app syncs in the background when it starts

    def folders(self) -> dict[str, Path]:
        found = {CONTACTS: self.contacts, CALENDAR: self.calendar}
        return {name: path for name, path in found.items() if path is not None}


@dataclass(slots=True)
class Change:
    side: str  # "book" or "folder": where the change was made
    action: str  # "created", "updated", "deleted"
    kind: str
    label: str
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        what = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.side}: {self.action} {self.kind} {self.label}{what}"


@dataclass(slots=True)
class Conflict:
    kind: str
    label: str
    field: str
    book_value: Any
    folder_value: Any

    def __str__(self) -> str:
        return (f"conflict: {self.kind} {self.label}, {self.field}: kept this book's "
                f"{_short(self.book_value)}, the folder had {_short(self.folder_value)}")


@dataclass(slots=True)
class SyncReport:
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, side: str, action: str) -> int:
        return sum(1 for c in self.changes if c.side == side and c.action == action)

    def summary(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        lines = []
        for side, name in (("book", "Book"), ("folder", "Folders")):
            counts = ", ".join(f"{self.count(side, a)} {verb}{a}"
                               for a in ("created", "updated", "deleted"))
            lines.append(f"{name}: {counts}.")
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflict{'s' * (len(self.conflicts) != 1)}: "
                         "this book's values were kept; the others are listed with -v and "
                         "saved in backups/.")
        if self.problems:
            lines.append(f"{len(self.problems)} item{'s' * (len(self.problems) != 1)} "
                         "could not be synced (listed below).")
        return lines


@dataclass(slots=True)
class _Seen:
    """An item as found in a folder: where, and its fields when the file changed."""

    file: str
    sig: tuple[int, int]
    item: Item | None  # None: the file is as it was at the last sync


_delta = changed_fields


def _short(value: Any, size: int = 60) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= size else text[: size - 1] + "…"


def file_name(uid: str, suffix: str) -> str:
    """``UID.suffix`` when the UID is a safe file name, else a hash of it (as vdirsyncer does)."""
    if _SAFE_NAME.match(uid):
        return uid + suffix
    return hashlib.sha1(uid.encode("utf-8")).hexdigest() + suffix


def _folder_of(kind: str) -> str:
    return CONTACTS if kind == CONTACT else CALENDAR


class _Reconciler:
    def __init__(self, store: Any, settings: SyncSettings, state_path: Path, backups: Path,
                 dry_run: bool, progress: Progress | None) -> None:
        self.store = store
        self.folders = settings.folders()
        if not self.folders:
            raise NurtureError("nothing to sync: set contacts and/or calendar under [sync] "
                               "in config.toml")
        for path in self.folders.values():
            if not path.is_dir():
                raise InputFileError(path, "the sync folder is missing (create it, or run "
                                     "`vdirsyncer discover` first)")
            if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
                raise InputFileError(path, "the sync folder cannot be read and written")
        self.kinds = ({CONTACT} if CONTACTS in self.folders else set()) | (
            {KEY_DATE, ENTRY, FOLLOW_UP, REVIEW} if CALENDAR in self.folders else set())
        self.backups = backups
        self.dry_run = dry_run
        self.progress = progress or (lambda _: None)
        self.report = SyncReport(dry_run=dry_run)
        self.state: SyncState
        self.state, note = load_state(state_path, {k: str(v) for k, v in self.folders.items()})
        if note:
            self.report.notes.append(note)
        self.seen: dict[str, _Seen] = {}
        self.unreadable: set[str] = set()
        self.removed: list[dict[str, Any]] = []
        self.wrote = False
        self.book_changed = False

    # ------------------------------------------------------------ reading

    def book_view(self) -> BookView:
        return BookView(self.store.contacts(), self.store.interactions(),
                        self.store.review_states())

    def scan(self) -> None:
        """Every item file in the folders; only files changed since the last sync are read."""
        known: dict[str, list[str]] = {}
        for uid, agreed in self.state.items.items():
            known.setdefault(agreed.file, []).append(uid)
        for folder, path in self.folders.items():
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or not entry.name.lower().endswith(
                            SUFFIX[folder]) or not entry.is_file():
                        continue
                    rel = f"{folder}/{entry.name}"
                    stat = entry.stat()
                    sig = (stat.st_size, stat.st_mtime_ns)
                    uids = known.get(rel, [])
                    if uids and all(self.state.items[u].sig == sig for u in uids):
                        for uid in uids:
                            self.seen[uid] = _Seen(rel, sig, None)
                        continue
                    self._read(rel, Path(entry.path), sig, uids)

    def _read(self, rel: str, path: Path, sig: tuple[int, int], known: list[str]) -> None:
        try:
            items = files.parse(path.name, path.read_bytes())
        except (OSError, files.BadItem) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            self.report.problems.append(f"{path}: {reason}; left as it is")
            self.unreadable.add(rel)
            for uid in known:  # unreadable now: neither changed nor deleted
                self.seen[uid] = _Seen(rel, self.state.items[uid].sig, None)
            return
        for item in items:
            if item.kind in self.kinds and item.uid:
                self.seen[item.uid] = _Seen(rel, sig, item)

    # ------------------------------------------------------------ deciding

    def run(self) -> SyncReport:
        self.progress("reading the book")
        view = self.book_view()
        book = {uid: item for uid, item in view.items.items() if item.kind in self.kinds}
        self.progress("reading the folders")
        self.scan()
        pulls: list[tuple[str, str, Item | None, dict[str, Any] | None, Item | None]] = []
        clean: set[str] = set()  # pulled, and nothing of this book's to send back
        uids = book.keys() | self.seen.keys() | {
            u for u, a in self.state.items.items() if a.kind in self.kinds}
        for uid in sorted(uids):
            agreed = self.state.items.get(uid)
            mine = book.get(uid)
            seen = self.seen.get(uid)
            theirs = seen.item if seen is not None else None
            if agreed is None:
                if mine is not None and theirs is not None:
                    merged, conflicts = self._merge(mine, theirs, set(mine.fields), None)
                    if merged != mine.fields:
                        pulls.append(("update", uid, mine, merged, theirs))
                    if not conflicts and merged == theirs.fields:
                        clean.add(uid)
                elif theirs is not None:
                    pulls.append(("create", uid, None, theirs.fields, theirs))
                    clean.add(uid)
                continue
            theirs_changed = theirs is not None and bool(_delta(theirs.fields, agreed.folder))
            if mine is None and seen is None:
                del self.state.items[uid]
            elif mine is None:
                if theirs_changed and theirs is not None:
                    self.report.notes.append(f"{theirs.kind} {theirs.label}: deleted here but "
                                             "edited in the folder since; kept")
                    pulls.append(("create", uid, None, theirs.fields, theirs))
                    clean.add(uid)
                # else: deleted here, so it goes from the folder below
            elif seen is None:
                if _delta(mine.fields, agreed.book):
                    self.report.notes.append(f"{mine.kind} {mine.label}: deleted in the folder "
                                             "but edited here since; sent again")
                else:
                    pulls.append(("delete", uid, mine, None, None))
            elif theirs_changed and theirs is not None:
                ours = _delta(mine.fields, agreed.book)
                theirs_fields = _delta(theirs.fields, agreed.folder)
                merged, conflicts = self._merge(mine, theirs, ours, theirs_fields)
                pulls.append(("update", uid, mine, merged, theirs))
                if not conflicts and merged == theirs.fields:
                    clean.add(uid)
        self.progress("applying the folders' changes to the book")
        done = self._apply(pulls, view)
        clean &= done
        self.progress("writing the folders")
        self._push(clean, done, view if self.dry_run or not self.book_changed else None)
        self._save_backups()
        if not self.dry_run:
            if self.wrote:
                # Every file written before the state says both sides agree on them: else a
                # crash could leave the state naming files that never reached the disk.
                os.sync()
            self.state.save()
        return self.report

    def _merge(self, mine: Item, theirs: Item, ours: set[str],
               their_changes: set[str] | None) -> tuple[dict[str, Any], list[Conflict]]:
        """The book's fields with the folder's changes; conflicts keep the book's value."""
        merged = dict(mine.fields)
        conflicts = []
        names = set(theirs.fields) if their_changes is None else their_changes
        for name in sorted(names):
            mine_value, their_value = mine.fields.get(name), theirs.fields.get(name)
            if mine_value == their_value:
                continue
            if name in ours:
                conflict = Conflict(mine.kind, mine.label, name, mine_value, their_value)
                conflicts.append(conflict)
                self.report.conflicts.append(conflict)
                self.removed.append({"what": "conflict", "kind": mine.kind, "uid": mine.uid,
                                     "label": mine.label, "field": name, "book": mine_value,
                                     "folder": their_value})
            else:
                merged[name] = their_value
        return merged, conflicts

    # ------------------------------------------------------------ the book

    def _apply(self, pulls: list[tuple[str, str, Item | None, dict[str, Any] | None,
                                       Item | None]], view: BookView) -> set[str]:
        """Apply the folders' changes to the book in one batch; the UIDs that were applied."""
        done: set[str] = set()
        order = {kind: n for n, kind in enumerate(KINDS)}
        pulls.sort(key=lambda p: (order[(p[2] or p[4]).kind], p[0] != "create"))  # type: ignore[union-attr]
        if self.dry_run:
            for action, uid, mine, fields, theirs in pulls:
                item = theirs or mine
                assert item is not None
                self._record("book", action, item, mine, fields)
                done.add(uid)
            return done
        if not pulls and all(c.uid for c in view.contacts.values()):
            return done  # nothing to write to the book
        self.book_changed = True
        with self.store.batch():
            view = self.book_view()
            unstamped = [c for c in view.contacts.values() if not c.uid]
            for contact in unstamped:  # the UID it is synced under, kept from now on
                contact.uid = stable_uid(contact)
            if unstamped:
                self.store.save_contacts(unstamped)  # one write, not one per contact
            for action, uid, mine, fields, theirs in pulls:
                item = theirs or mine
                assert item is not None
                problem = self._apply_one(view, action, uid, item, fields)
                if problem:
                    self.report.problems.append(f"{item.kind} {item.label}: {problem}")
                    continue
                self._record("book", action, item, mine, fields)
                done.add(uid)
                if item.kind == CONTACT and action == "create":
                    view = self.book_view()  # later items may name this person
        return done

    def _record(self, side: str, action: str, item: Item, mine: Item | None,
                fields: dict[str, Any] | None) -> None:
        changed = sorted(k for k in (fields or {}) if mine is not None and action == "update"
                         and mine.fields.get(k) != (fields or {}).get(k))
        done = {"create": "created", "update": "updated", "delete": "deleted"}[action]
        self.report.changes.append(Change(side, done, item.kind, item.label, changed))

    def _apply_one(self, view: BookView, action: str, uid: str, item: Item,
                   fields: dict[str, Any] | None) -> str:
        store = self.store
        if item.kind == CONTACT:
            cid = view.id_of.get(uid)
            if action == "delete":
                if cid is None or store.contact(cid) is None:
                    return ""  # gone already
                deleted = store.delete_contact(cid)
                self.removed.append({"what": "removed from the book", "kind": CONTACT,
                                     "contact": D.contact_to_doc(deleted.contact),
                                     "entries": [D.interaction_to_doc(e)
                                                 for e in deleted.interactions]})
                return ""
            assert fields is not None
            doc = D.contact_to_doc(view.contacts[cid]) if cid else {"id": new_id("c")}
            doc.update(fields)
            doc["uid"] = uid
            store.save_contact(D.contact_from_doc(doc))
            return ""
        if item.kind == KEY_DATE:
            source = fields if fields is not None else item.fields
            cid = view.id_of.get(source["contact"])
            contact = store.contact(cid) if cid else None
            if contact is None:
                return "" if action == "delete" else "names a contact this book does not have"
            dates = [d for n, d in enumerate(contact.key_dates)
                     if _key_date_uid(contact.key_dates, n, view.uid_of[contact.id]) != uid]
            if action != "delete":
                assert fields is not None
                dates.append(KeyDate(label=fields["label"], month=fields["month"],
                                     day=fields["day"], year=fields["year"],
                                     yearly=fields["yearly"]))
            contact.key_dates = dates
            store.save_contact(contact)
            return ""
        if item.kind == ENTRY:
            entry_id = local_id(uid) or ""
            if action == "delete":
                if store.interaction(entry_id) is None:
                    return ""  # gone already (with the contact it belonged to)
                entry = store.delete_interaction(entry_id)
                self.removed.append({"what": "removed from the book", "kind": ENTRY,
                                     "entry": D.interaction_to_doc(entry)})
                return ""
            assert fields is not None
            people = [view.id_of[u] for u in fields["contacts"] if u in view.id_of]
            if not people:
                return "names nobody this book has"
            old = store.interaction(entry_id)
            at = pendulum.parse(fields["at"])
            assert isinstance(at, pendulum.DateTime)
            store.save_interaction(Interaction(
                id=entry_id or new_id("i"), contact_ids=people,
                kind=InteractionKind(fields["kind"]), at=at, text=fields["text"],
                channel=fields["channel"], follow_ups=old.follow_ups if old else [],
                duration_seconds=fields["duration_seconds"],
                suggestion_key=view.local_key(fields["suggestion_key"]) or ""))
            return ""
        if item.kind == FOLLOW_UP:
            source = fields if fields is not None else item.fields
            entry = store.interaction(local_id(source["entry"]) or "")
            if entry is None:
                return "" if action == "delete" else "belongs to an entry this book does not have"
            follow_id = local_id(uid) or new_id("f", 6)
            kept = [f for f in entry.follow_ups if f.id != follow_id]
            if action != "delete":
                assert fields is not None
                kept_order = [f.id for f in entry.follow_ups]
                new = FollowUp(text=fields["text"], due=D.date_in(fields["due"]),
                               done=D.dt_in(fields["done"]), id=follow_id)
                kept.append(new)
                kept.sort(key=lambda f: kept_order.index(f.id) if f.id in kept_order
                          else len(kept_order))
            entry.follow_ups = kept
            store.save_interaction(entry)
            return ""
        # REVIEW
        source = fields if fields is not None else item.fields
        key = view.local_key(source["key"])
        if key is None:
            return "" if action == "delete" else "is about someone this book does not have"
        if action == "delete":
            store.clear_review_state(key)
            return ""
        assert fields is not None
        at = pendulum.parse(fields["at"])
        assert isinstance(at, pendulum.DateTime)
        store.set_review_state(D.review_state_from_doc({"key": key, "status": fields["status"],
                                                        "at": fields["at"],
                                                        "until": fields["until"]}))
        return ""

    # ------------------------------------------------------------ the folders

    def _push(self, clean: set[str], pulled: set[str], view: BookView | None) -> None:
        """Write what the book changed to the folders (``view``: the book, if unchanged since
        it was read; in a dry run, what the book has now is what would be sent)."""
        if view is None:
            view = self.book_view()
        book = {uid: item for uid, item in view.items.items() if item.kind in self.kinds}
        for uid, item in book.items():
            agreed = self.state.items.get(uid)
            seen = self.seen.get(uid)
            if uid in clean and seen is not None and seen.item is not None:
                self.state.items[uid] = Agreed(item.kind, seen.file, seen.sig,
                                               field_hashes(item.fields),
                                               field_hashes(seen.item.fields))
                continue
            if agreed is not None and seen is not None and not _delta(item.fields, agreed.book):
                if seen.item is not None:  # read again, same content: remember the new stamp
                    agreed.sig, agreed.file = seen.sig, seen.file
                continue
            if seen is not None and seen.file in self.unreadable:
                continue  # never overwrite what could not be read
            action = "updated" if seen is not None else "created"
            self.report.changes.append(Change("folder", action, item.kind, item.label))
            if self.dry_run:
                continue
            self._write(item, view, seen)
        for uid, agreed in list(self.state.items.items()):
            if uid in book or agreed.kind not in self.kinds:
                continue
            seen = self.seen.get(uid)
            if seen is None:
                del self.state.items[uid]
                continue
            if seen.item is not None and uid not in pulled and _delta(seen.item.fields,
                                                                     agreed.folder):
                continue  # edited in the folder: kept (pulled back above, or reported)
            self.report.changes.append(Change("folder", "deleted", agreed.kind, uid))
            if self.dry_run:
                continue
            self._remove_file(seen.file, agreed.kind, uid)
            del self.state.items[uid]

    def _write(self, item: Item, view: BookView, seen: _Seen | None) -> None:
        folder = _folder_of(item.kind)
        rel = seen.file if seen is not None else f"{folder}/{file_name(item.uid, SUFFIX[folder])}"
        path = self.folders[folder] / rel.split("/", 1)[1]
        data = files.render(item, view)
        write_private(path, data, sync_dir=False, sync=False)  # made durable at once, below
        self.wrote = True
        stat = path.stat()
        if item.kind == CONTACT:  # a vCard reader may normalise more: ask it
            folder_fields = {i.uid: i for i in files.parse(path.name, data)}[item.uid].fields
        else:
            folder_fields = as_read(item.fields)
        self.state.items[item.uid] = Agreed(item.kind, rel, (stat.st_size, stat.st_mtime_ns),
                                            field_hashes(item.fields),
                                            field_hashes(folder_fields))

    def _remove_file(self, rel: str, kind: str, uid: str) -> None:
        folder, name = rel.split("/", 1)
        path = self.folders[folder] / name
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.report.problems.append(f"{path}: cannot remove ({exc.strerror}); left as it is")
            return
        self.removed.append({"what": "removed from the folder", "kind": kind, "uid": uid,
                             "file": str(path), "text": text})

    def _save_backups(self) -> None:
        if self.dry_run or not self.removed:
            return
        ensure_private_dir(self.backups)
        stamp = pendulum.now("UTC")
        path = self.backups / f"sync-{stamp.format('YYYY-MM-DD')}.jsonl"
        lines = b"".join(orjson.dumps({"at": stamp.isoformat(), **r}) + b"\n"
                         for r in self.removed)
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = b""
        write_private(path, old + lines)
        self.report.notes.append(f"what was removed or overruled is kept in {path}")


def _key_date_uid(dates: list[KeyDate], index: int, contact_uid: str) -> str:
    from nurture.model import fold

    label = fold(dates[index].label)
    nth = sum(1 for d in dates[: index + 1] if fold(d.label) == label)
    return key_date_uid(contact_uid, dates[index].label, nth)


def reconcile(store: Any, settings: SyncSettings, *, state_path: Path, backups: Path,
              dry_run: bool = False, progress: Progress | None = None) -> SyncReport:
    """Make the book and the sync folders agree, both ways; what was done, and conflicts."""
    return _Reconciler(store, settings, state_path, backups, dry_run, progress).run()
