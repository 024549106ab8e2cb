"""Crash-safe, fast TinyDB storage: a JSON file plus a write-ahead journal.

Why not TinyDB's JSONStorage: it rewrites the whole file in place on every
write (a crash leaves it half-written) and rebuilds whole tables in memory.

Here the data file is parsed once per process and kept in memory. A write is
one JSON line appended to ``<file>.journal`` and fsynced, under a file lock held
only for that write. The journal is folded into the data file at checkpoints
(atomic replace) and replayed on open. Its first line names the data file's
generation, so a journal already folded (crash between the two renames) is
recognised and ignored. Other processes' writes are seen at the next read by
looking at the journal's size and the data file's identity: no re-reading.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from nurture.errors import DataFileError
from nurture.store import files, schema

JOURNAL_MAX_LINES = 2000
JOURNAL_MAX_BYTES = 8 * 1024 * 1024
# On close the journal is folded only when that is cheap or overdue, so that a
# one-off `nurture log` on a large file stays fast.
FOLD_ON_CLOSE_BYTES = 256 * 1024
SMALL_FILE = 1024 * 1024
LOCK_TIMEOUT = 10.0

Op = tuple[str, str, dict[str, Any] | None]  # table, doc id, document (None = delete)


@dataclass(slots=True)
class Changes:
    """What changed in memory: per table, the doc ids; or everything (``reloaded``)."""

    reloaded: bool = False
    tables: dict[str, set[str]] = field(default_factory=dict)

    def add(self, table: str, doc_id: str) -> None:
        self.tables.setdefault(table, set()).add(doc_id)

    def __bool__(self) -> bool:
        return self.reloaded or bool(self.tables)


class _Tracking(MutableMapping[str, Any]):
    """A table seen by TinyDB's updaters, changed in place, remembering what was touched."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.touched: dict[str, None] = {}

    def __getitem__(self, key: Any) -> Any:
        key = str(key)
        value = self.raw[key]
        self.touched[key] = None  # an updater may change it in place
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        key = str(key)
        self.raw[key] = value
        self.touched[key] = None

    def __delitem__(self, key: Any) -> None:
        key = str(key)
        del self.raw[key]
        self.touched[key] = None

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


class JournaledTable(Table):
    """TinyDB's Table with string ids and writes that cost one journal line, not a rewrite."""

    document_id_class = str

    def _update_table(self, updater: Any) -> None:
        storage: JournaledStorage = self._storage  # type: ignore[assignment]
        storage.apply_update(self.name, updater)
        self.clear_cache()

    def replace(self, doc_id: str, document: dict[str, Any]) -> None:
        """Set the whole document ``doc_id`` (insert or overwrite)."""

        def updater(table: MutableMapping[str, Any]) -> None:
            table[doc_id] = dict(document)

        self._update_table(updater)


class JournaledStorage(Storage):
    """A TinyDB ``Storage`` over a JSON file and its write-ahead journal."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True,
                 backups_keep: int = 7) -> None:
        self.path = Path(path).expanduser().absolute()
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock = FileLock(str(self.path.with_name(self.path.name + ".lock")),
                             timeout=LOCK_TIMEOUT, mode=files.PRIVATE_FILE)
        self.backups_keep = backups_keep
        self._mutex = threading.RLock()
        self._data: schema.Data = {}
        self._file_sig: tuple[int, int, int] | None = None
        self._journal_offset = 0  # bytes of the journal already applied
        self._journal_lines = 0
        self._broken: DataFileError | None = None
        self._pending: list[Op] | None = None  # ops collected by an open batch
        self._batch_depth = 0
        self._batch_changes: Changes | None = None
        self._closed = False
        files.ensure_dir(self.path.parent)
        with self._locked():
            if not self.path.exists():
                if not create:
                    raise DataFileError(self.path, "no such data file")
                files.atomic_write(self.path, _encode(schema.new_data()))
                files.atomic_write(self.journal_path, _journal_header(0))
            self._load()
            files.daily_backup(self.path, self.backups_keep)

    # ------------------------------------------------------------ TinyDB's interface

    def read(self) -> schema.Data:
        """The live in-memory data (TinyDB's queries read it; never mutate it directly)."""
        return self._data

    def write(self, data: schema.Data) -> None:
        """A whole-database write (TinyDB's generic path): journal every changed document."""
        ops: list[Op] = []
        for table, docs in data.items():
            if table == schema.META:
                continue
            old = self._data.get(table, {})
            ops.extend((table, k, v) for k, v in docs.items() if old.get(k) != v)
            ops.extend((table, k, None) for k in old if k not in docs)
        for table in set(self._data) - set(data) - {schema.META}:
            ops.extend((table, k, None) for k in self._data[table])
        self.commit(ops)

    def close(self) -> None:
        with self._mutex:
            if self._closed:
                return
            try:
                if self._broken is None:
                    size = self.journal_path.stat().st_size
                    small = self._file_sig is not None and self._file_sig[1] < SMALL_FILE
                    if size > len(_journal_header(0)) + 8 and (
                            small or size > FOLD_ON_CLOSE_BYTES):
                        with contextlib.suppress(DataFileError):
                            self.checkpoint()
            except FileNotFoundError:
                pass
            finally:
                self._closed = True

    # ------------------------------------------------------------ writing

    def apply_update(self, table: str, updater: Any) -> None:
        with self._mutex:
            self._check_writable()
            raw = self._data.setdefault(table, {})
            tracking = _Tracking(raw)
            updater(tracking)
            self.commit([(table, k, raw.get(k)) for k in tracking.touched], applied=True)

    @contextlib.contextmanager
    def batch(self) -> Iterator[Changes]:
        """Collect the writes made inside into one journal line (one atomic write)."""
        with self._mutex:
            outer = self._batch_depth == 0
            if outer:
                self._pending = []
                self._batch_changes = Changes()
            self._batch_depth += 1
            changes = self._batch_changes
            assert changes is not None
            try:
                yield changes
            except BaseException:
                if outer:
                    # Undo what the batch changed in memory: reload from disk.
                    self._pending = None
                    self._batch_depth = 0
                    self._batch_changes = None
                    with self._locked():
                        self._load()
                    changes.reloaded = True
                raise
            finally:
                if self._batch_depth:
                    self._batch_depth -= 1
            if outer:
                ops, self._pending, self._batch_changes = self._pending or [], None, None
                if ops:
                    self._write_ops(ops, changes)

    def commit(self, ops: list[Op], *, applied: bool = False) -> Changes:
        """Make ``ops`` durable (and apply them in memory unless ``applied``)."""
        with self._mutex:
            self._check_writable()
            if not applied:
                for table, doc_id, doc in ops:
                    _apply_op(self._data, table, doc_id, doc)
            if self._pending is not None:
                self._pending.extend(ops)
                assert self._batch_changes is not None
                for table, doc_id, _ in ops:
                    self._batch_changes.add(table, doc_id)
                return self._batch_changes
            changes = Changes()
            self._write_ops(ops, changes)
            return changes

    def _write_ops(self, ops: list[Op], changes: Changes) -> None:
        line = orjson.dumps({"ops": ops}) + b"\n"
        try:
            with self._locked():
                # Another process may have written since we last looked: take its
                # writes first (ours win for the same document, being later).
                theirs = self._catch_up(truncate_torn=True)
                if theirs.reloaded:
                    for table, doc_id, doc in ops:
                        _apply_op(self._data, table, doc_id, doc)
                    changes.reloaded = True
                else:
                    for table, ids in theirs.tables.items():
                        for doc_id in ids:
                            changes.add(table, doc_id)
                    # Re-apply ours over theirs in memory.
                    for table, doc_id, doc in ops:
                        _apply_op(self._data, table, doc_id, doc)
                fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND)
                try:
                    os.write(fd, line)
                    os.fsync(fd)
                finally:
                    os.close(fd)
                self._journal_offset += len(line)
                self._journal_lines += 1
                if (self._journal_lines >= JOURNAL_MAX_LINES
                        or self._journal_offset >= JOURNAL_MAX_BYTES):
                    self._checkpoint_locked()
        except BaseException:
            # Memory may now be ahead of the disk: go back to what is on disk.
            with contextlib.suppress(Exception), self._locked():
                self._load()
            changes.reloaded = True
            raise
        for table, doc_id, _ in ops:
            changes.add(table, doc_id)

    def checkpoint(self) -> None:
        """Fold the journal into the data file (atomic replace) and start a new journal."""
        with self._mutex, self._locked():
            self._check_writable()
            self._catch_up(truncate_torn=True)
            self._checkpoint_locked()

    def _checkpoint_locked(self) -> None:
        stamp = schema.meta(self._data)
        gen = stamp["gen"] + 1
        stamp["gen"] = gen
        files.daily_backup(self.path, self.backups_keep)
        files.atomic_write(self.path, _encode(self._data))
        # A crash here leaves an old-generation journal, which is ignored on open.
        files.atomic_write(self.journal_path, _journal_header(gen))
        self._file_sig = _signature(self.path)
        self._journal_offset = len(_journal_header(gen))
        self._journal_lines = 0

    # ------------------------------------------------------------ reading

    def refresh(self) -> Changes | None:
        """Apply what other processes wrote since we last looked; None when nothing."""
        with self._mutex:
            if self._closed:
                return None
            try:
                sig = _signature(self.path)
                journal_size = self.journal_path.stat().st_size
            except FileNotFoundError:
                sig, journal_size = None, -1
            if sig == self._file_sig and journal_size == self._journal_offset:
                return None
            with self._locked():
                changes = self._catch_up(truncate_torn=False)
            return changes or None

    def _catch_up(self, *, truncate_torn: bool) -> Changes:
        """Bring memory up to date with the disk. Caller holds the file lock."""
        changes = Changes()
        if self._broken is not None:
            raise self._broken
        sig = _signature(self.path) if self.path.exists() else None
        if sig != self._file_sig:
            self._load()
            changes.reloaded = True
            return changes
        try:
            with open(self.journal_path, "rb") as handle:
                header = handle.readline()
                if _header_gen(header) != schema.meta(self._data)["gen"]:
                    self._load()
                    changes.reloaded = True
                    return changes
                handle.seek(self._journal_offset)
                tail = handle.read()
        except FileNotFoundError:
            self._load()
            changes.reloaded = True
            return changes
        consumed = self._replay(tail, self._journal_offset, changes)
        self._journal_offset += consumed
        if truncate_torn and consumed < len(tail):
            # We hold the lock, so no writer is mid-append: the rest is a torn
            # line from a crash. It was never acknowledged; drop it so our
            # append does not join it.
            os.truncate(self.journal_path, self._journal_offset)
        return changes

    def _replay(self, tail: bytes, base_offset: int, changes: Changes) -> int:
        """Apply complete journal lines in ``tail``; returns bytes consumed."""
        consumed = 0
        while True:
            end = tail.find(b"\n", consumed)
            if end < 0:
                return consumed
            chunk = tail[consumed:end]
            try:
                record = orjson.loads(chunk)
                ops = record["ops"]
            except (orjson.JSONDecodeError, KeyError, TypeError):
                if tail.find(b"\n", end + 1) < 0 and not tail[end + 1:].strip():
                    # The last line is damaged (a crash mid-write): never acknowledged.
                    return consumed
                raise DataFileError(self.journal_path,
                                    f"damaged entry at byte {base_offset + consumed}; "
                                    "the journal was left untouched") from None
            for table, doc_id, doc in ops:
                _apply_op(self._data, table, doc_id, doc)
                changes.add(table, doc_id)
            consumed = end + 1
            self._journal_lines += 1

    def _load(self) -> None:
        """Parse the data file and replay the journal. Refuses (untouched) what it cannot read."""
        try:
            raw = self.path.read_bytes()
            sig = _signature(self.path)
        except FileNotFoundError:
            raise DataFileError(self.path, "the data file disappeared") from None
        if not raw.strip():
            error = DataFileError(self.path, "is empty (0 bytes of data); refusing to treat it "
                                             "as an empty address book. Restore it from "
                                             f"{files.backup_dir(self.path)}/ or move it away")
            self._broken = error
            raise error
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            error = DataFileError(self.path, f"not valid JSON (line {exc.lineno}, column "
                                             f"{exc.colno}: {exc.msg}); it was left untouched")
            self._broken = error
            raise error from None
        try:
            version = schema.check_shape(self.path, data)
        except DataFileError as error:
            self._broken = error
            raise
        if version < schema.SCHEMA_VERSION:
            backup = self.path.with_name(f"{self.path.name}.pre-v{schema.SCHEMA_VERSION}.bak")
            if not backup.exists():
                files.copy_private(self.path, backup)
            data = schema.migrate(data, version)
            files.atomic_write(self.path, _encode(data))
            files.atomic_write(self.journal_path, _journal_header(schema.meta(data)["gen"]))
            sig = _signature(self.path)
        self._broken = None
        self._data = data
        self._file_sig = sig
        self._journal_offset = 0
        self._journal_lines = 0
        gen = schema.meta(data)["gen"]
        if not self.journal_path.exists():
            files.atomic_write(self.journal_path, _journal_header(gen))
        with open(self.journal_path, "rb") as handle:
            content = handle.read()
        header_end = content.find(b"\n")
        if header_end < 0 or _header_gen(content[: header_end + 1]) is None:
            if content.strip():
                raise DataFileError(self.journal_path, "the journal's first line is not a "
                                                       "Nurture journal header; left untouched")
            files.atomic_write(self.journal_path, _journal_header(gen))
            self._journal_offset = len(_journal_header(gen))
            return
        self._journal_offset = header_end + 1
        if _header_gen(content[: header_end + 1]) != gen:
            # Already folded into the data file before a crash: start a fresh one.
            files.atomic_write(self.journal_path, _journal_header(gen))
            self._journal_offset = len(_journal_header(gen))
            return
        consumed = self._replay(content[header_end + 1:], header_end + 1, Changes())
        self._journal_offset += consumed

    # ------------------------------------------------------------ helpers

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            with self.lock:
                yield
        except Timeout:
            raise DataFileError(self.path, f"another process has held the lock for "
                                           f"{LOCK_TIMEOUT:.0f} s; try again") from None

    def _check_writable(self) -> None:
        if self._broken is not None:
            raise self._broken
        if self._closed:
            raise DataFileError(self.path, "the store is closed")


def _apply_op(data: schema.Data, table: str, doc_id: str, doc: dict[str, Any] | None) -> None:
    if doc is None:
        data.get(table, {}).pop(doc_id, None)
    else:
        data.setdefault(table, {})[doc_id] = doc


def _encode(data: schema.Data) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def _journal_header(gen: int) -> bytes:
    return orjson.dumps({"nurture_journal": 1, "gen": gen}) + b"\n"


def _header_gen(line: bytes) -> int | None:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(header, dict) and header.get("nurture_journal") == 1:
        gen = header.get("gen")
        return gen if isinstance(gen, int) else None
    return None


def _signature(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class _TinyDB(TinyDB):
    table_class = JournaledTable


class NurtureDB:
    """TinyDB over a ``JournaledStorage``: what the repository talks to."""

    def __init__(self, path: Path, *, backups_keep: int = 7, create: bool = True) -> None:
        self.tinydb = _TinyDB(str(path), storage=JournaledStorage, create=create,
                             backups_keep=backups_keep)
        self.storage: JournaledStorage = self.tinydb.storage  # type: ignore[assignment]
        self.path = self.storage.path

    def table(self, name: str) -> JournaledTable:
        return self.tinydb.table(name)  # type: ignore[return-value]

    def raw_table(self, name: str) -> dict[str, dict[str, Any]]:
        """The live documents of a table (read-only), without copying."""
        return self.storage.read().get(name, {})

    def upsert(self, table: str, doc_id: str, doc: dict[str, Any]) -> None:
        self.table(table).replace(doc_id, doc)

    def delete(self, table: str, doc_id: str) -> None:
        if doc_id in self.raw_table(table):
            self.table(table).remove(doc_ids=[doc_id])

    def get(self, table: str, doc_id: str) -> Document | None:
        return self.table(table).get(doc_id=doc_id)  # type: ignore[return-value]

    def batch(self) -> contextlib.AbstractContextManager[Changes]:
        return self.storage.batch()

    def refresh(self) -> Changes | None:
        changes = self.storage.refresh()
        if changes:
            for table in self.tinydb.tables():
                self.table(table).clear_cache()
        return changes

    def checkpoint(self) -> None:
        self.storage.checkpoint()

    def close(self) -> None:
        self.tinydb.close()


def open_db(path: Path, *, backups_keep: int = 7, create: bool = True) -> NurtureDB:
    return NurtureDB(path, backups_keep=backups_keep, create=create)
