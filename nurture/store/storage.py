"""Crash-safe, fast TinyDB storage: a JSON file plus a write-ahead journal.

Why not TinyDB's JSONStorage: it rewrites the whole file in place on every
write (a crash leaves it half-written) and rebuilds whole tables in memory.

Here the data file is parsed once per process and kept in memory. A write is
one JSON line appended to ``<file>.journal`` and fsynced, under a file lock held
only for that write; memory changes only once the line is on disk (or is put
back when the append fails). The journal is folded into the data file at
checkpoints (atomic replace) and replayed on open. Its header names the data
file (``uid``) and generation (``gen``) it continues, so a journal that was
already folded (crash between the two renames) or that belongs to another
file is recognised; the second kind is set aside in ``backups/``, never
deleted. Other processes' writes are seen at the next read by looking at the
journal's size and the data file's identity: no re-reading.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import orjson
from tinydb.storages import Storage

from nurture import fsutil
from nurture.errors import DataFileError, NurtureError, ReadOnlyBook
from nurture.store import files, index, journal, loading, schema
from nurture.store.journal import Header
from nurture.store.loading import (
    Doc,
    Signature,
    encode,
    encode_with_index,
    encode_with_layout,
    signature,
    stat_or_none,
)
from nurture.store.lockfile import FileLock, Timeout
from nurture.store.tables import FileBytes, Tables, Undo

T = TypeVar("T")

JOURNAL_MAX_LINES = 2000
JOURNAL_MAX_BYTES = 8 * 1024 * 1024
# On close the journal is folded only when that is cheap or overdue, so that a
# one-off `nurture log` on a large file stays fast.
FOLD_ON_CLOSE_BYTES = 256 * 1024
SMALL_FILE = 1024 * 1024
LOCK_TIMEOUT = 10.0

_Staged = tuple[str, str, bytes | None, Doc | None]  # table, id, JSON, private copy


class StaleWrite(NurtureError):
    """Another process changed a document this write was made from; nothing was written."""

    def __init__(self, table: str, doc_id: str) -> None:
        self.table = table
        self.doc_id = doc_id
        super().__init__(f"{table}[{doc_id!r}] was changed by another window or process "
                         "while saving; nothing was saved, try again")


@dataclass(slots=True)
class Changes:
    """What changed in memory: per table, the doc ids; or everything (``reloaded``)."""

    reloaded: bool = False
    tables: dict[str, set[str]] = field(default_factory=dict)

    def add(self, table: str, doc_id: str) -> None:
        self.tables.setdefault(table, set()).add(doc_id)

    def __bool__(self) -> bool:
        return self.reloaded or bool(self.tables)


class JournaledStorage(Storage):
    """A TinyDB ``Storage`` over a JSON file and its write-ahead journal. Thread-safe."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True,
                 backups_keep: int = 7, auto_fold: bool = True) -> None:
        self.path = files.through_link(Path(path).expanduser().absolute())
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.index_path = index.path_for(self.path)
        self._index: tuple[tuple[int, int, int] | None, index.Index | None] | None = None
        self.backups_keep = backups_keep
        # Fold the journal inside the write that fills it. A command line run
        # turns this off and folds at exit instead, after its answer (``fold_due``).
        self.auto_fold = auto_fold
        self._mutex = threading.RLock()
        self._mem = Tables(self.path, {})
        self._file_sig: tuple[int, int, int] | None = None
        self._journal_offset = 0  # bytes of the journal applied to memory
        self._journal_seen = 0  # journal size at our last look (a torn tail is not re-read)
        self._journal_lines = 0  # lines since the last checkpoint
        self._header_end = 0  # the journal's entries start here
        self._laid_out = True  # the journal's header has this file's layout (`loading`)
        self._broken: DataFileError | None = None
        self._broken_at: tuple[Any, Any] | None = None
        self._closed = False
        self._depth = 0  # open batches
        self._staged: list[_Staged] = []
        self._undo: list[Undo] = []
        self._expect: dict[tuple[str, str], Any] = {}
        self._changes = Changes()
        if self.path.is_dir():
            raise DataFileError(self.path, "is a folder, not a data file")
        if self.lock_path.is_dir():
            raise DataFileError(self.lock_path, "is a folder where Nurture keeps its lock file; "
                                                "move it away (nothing was changed)")
        # Why the book cannot be written, when it cannot: it is then only read,
        # without a lock file, and every write is refused with this reason.
        self.read_only: str | None = files.why_read_only(self.path, self.journal_path)
        if self.read_only is None:
            try:
                fsutil.ensure_private_dir(self.path.parent)
            except OSError as exc:
                raise DataFileError(self.path.parent, f"cannot be created ({exc.strerror})"
                                    ) from None
        self.lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=fsutil.PRIVATE_FILE)
        if self.read_only is None:
            try:
                self.lock.acquire()
            except Timeout:
                raise self._timeout() from None
            except OSError as exc:
                if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                    raise DataFileError(self.lock_path, f"cannot be written ({exc.strerror}); "
                                                        "nothing was changed") from None
                self.read_only = (f"its lock file {self.lock_path.name} cannot be written "
                                  f"({exc.strerror})")
            else:
                try:
                    self._open_writable(create)
                finally:
                    self.lock.release()
        if self.read_only is not None:
            if not self.path.exists():
                raise DataFileError(self.path, f"no such data file, and it cannot be created: "
                                               f"{self.read_only}")
            self._load()

    def _open_writable(self, create: bool) -> None:
        files.remove_stale_temps(self.path)
        files.remove_stale_temps(self.journal_path)
        files.remove_stale_temps(self.index_path)
        if not self.path.exists():
            if not create:
                raise DataFileError(self.path, "no such data file")
            try:
                fsutil.atomic_write(self.path, encode(schema.new_data()))
            except OSError as exc:
                raise DataFileError(self.path, files.disk_error(self.path, exc)) from None
        self._load()
        _best_effort_backup(self.path, self.backups_keep)

    def refuse_if_read_only(self) -> None:
        """Raise ``ReadOnlyBook`` saying why, when the book was opened read-only."""
        if self.read_only is not None:
            raise ReadOnlyBook(self.path, f"is open read-only because {self.read_only}; "
                                          "nothing was saved")

    # ------------------------------------------------------------ TinyDB's interface

    def read(self) -> schema.Data:
        """All the live in-memory data (every table parsed); never mutate it directly."""
        with self._mutex:
            return self._mem.everything()

    def table(self, name: str, *, create: bool = False) -> dict[str, Doc]:
        """One table's live documents, parsed on first use; never mutate them directly."""
        with self._mutex:
            return self._mem.table(name, create=create)

    def write(self, data: schema.Data) -> None:
        """A whole-database write (TinyDB's generic path): journal every changed document."""
        current = self.read()
        if data is current:
            raise RuntimeError("the live data was changed in place; use commit()")
        ops: list[tuple[str, str, Doc | None]] = []
        for table in set(current) | set(data):
            if table == schema.META:
                continue
            old, new = current.get(table, {}), data.get(table, {})
            ops.extend((table, k, v) for k, v in new.items() if old.get(k) != v)
            ops.extend((table, k, None) for k in old if k not in new)
        self.commit(ops)

    def fold_due(self, *, closing: bool = False) -> bool:
        """Whether the journal should be folded now: it reached its limit, or (``closing``)
        the file is small enough to fold in a moment, or the journal is large, or the
        file was read whole for want of its layout (copied, restored, written by another
        program): folding lays it out, so that the next commands read only what they use."""
        with self._mutex:
            if self._closed or self._broken is not None or self._depth or \
                    self.read_only is not None:
                return False
            if self._journal_lines >= JOURNAL_MAX_LINES or \
                    self._journal_offset >= JOURNAL_MAX_BYTES:
                return True
            if not closing:
                return False
            try:
                size = self.journal_path.stat().st_size
            except OSError:
                return False
            small = self._file_sig is not None and self._file_sig[1] < SMALL_FILE
            if size <= self._header_end:
                return False
            if small or size > FOLD_ON_CLOSE_BYTES:
                return True
            if self._laid_out:
                return False
            # Read whole for want of a layout: a write waiting is folded, which lays the
            # file out; unless the header now there (another process laid it out, or a
            # longer one) has nothing after it.
            end, laid, _ = self._journal_head()
            return size > end and not laid

    def file_size(self) -> int:
        """The data file's size as last read or written (bytes)."""
        return self._file_sig[1] if self._file_sig is not None else 0

    def close(self, *, fold: bool = True) -> None:
        """Fold the journal when that is cheap (unless ``fold`` is False); the store cannot
        be written afterwards."""
        with self._mutex:
            if self._closed:
                return
            try:
                if fold and self.fold_due(closing=True):
                    # Failing to fold loses nothing: the journal is replayed next time.
                    with contextlib.suppress(DataFileError, OSError):
                        self.checkpoint()
            finally:
                self._closed = True
                self._forget_index()
                # Tables still unparsed (models built through the index) keep the file
                # open: let it go, or another process's fold could not free its space. A
                # read after this is one sentence ("was closed while being read").
                if isinstance(self._mem.raw, FileBytes):
                    self._mem.raw.close()

    # ------------------------------------------------------------ writing

    def commit(self, ops: list[tuple[str, str, Doc | None]], *,
               expect: dict[tuple[str, str], int | None] | None = None) -> Changes:
        """Apply ``(table, id, document or None)`` ops as one durable write (or stage them
        in the open batch). Memory is not touched if a document cannot be stored.

        ``expect`` maps ``(table, id)`` to the revision (``schema.REVISION``; None for
        no document) the change was made from: when another process changed that
        document meanwhile, nothing is written and ``StaleWrite`` is raised.
        """
        staged: list[_Staged] = []
        for table, doc_id, doc in ops:
            if type(table) is not str or type(doc_id) is not str or table == schema.META:
                raise ValueError(f"bad table or document id: {table!r}, {doc_id!r}")
            if doc is None:
                staged.append((table, doc_id, None, None))
                continue
            required = schema.REQUIRED_KEYS.get(table)
            if required and not (isinstance(doc, dict) and doc.keys() >= required):
                raise ValueError(f"a {table} document needs {sorted(required)}: {doc_id!r}")
            # Refuses what JSON cannot hold, before anything changes.
            encoded = journal.encode_doc(table, doc_id, doc)
            staged.append((table, doc_id, encoded, journal.decode_doc(encoded)))
        with self.batch() as changes:
            for key, revision in (expect or {}).items():
                self._expect.setdefault(key, revision)  # the first one in a batch counts
            for table, doc_id, blob, copy in staged:
                self._undo.append(self._mem.put(table, doc_id, copy))
                self._staged.append((table, doc_id, blob, copy))
                changes.add(table, doc_id)
        return changes

    @contextlib.contextmanager
    def batch(self) -> Iterator[Changes]:
        """Collect the writes made inside into one journal line (one atomic write).

        Inside, reads see the batch's own writes; other processes' writes wait
        until it ends. An exception undoes what this level of batch changed.
        """
        with self._mutex:
            if self._closed:
                raise DataFileError(self.path, "the store is closed")
            self.refuse_if_read_only()
            if self._depth == 0:
                self._changes, self._staged, self._undo = Changes(), [], []
                self._expect = {}
            mark = (len(self._staged), len(self._undo))
            changes = self._changes
            self._depth += 1
            try:
                yield changes
            except BaseException:
                self._rollback(*mark)
                raise
            finally:
                self._depth -= 1
            if self._depth == 0:
                staged, undo, expect = self._staged, self._undo, self._expect
                self._staged, self._undo, self._expect = [], [], {}
                if staged:
                    self._write(staged, undo, changes, expect)

    def _rollback(self, staged_mark: int, undo_mark: int) -> None:
        for step in reversed(self._undo[undo_mark:]):
            self._mem.undo(step)
        del self._undo[undo_mark:]
        del self._staged[staged_mark:]

    def _write(self, staged: list[_Staged], undo: list[Undo], changes: Changes,
               expect: dict[tuple[str, str], int | None]) -> None:
        line = journal.encode([(t, i, blob) for t, i, blob, _ in staged])
        theirs: Changes | None = None
        try:
            with self._locked():
                # Another process may have written since we last looked: take its
                # writes first (ours win for the same document, being later, unless
                # ours was made from a revision theirs replaced).
                theirs = self._catch_up(for_write=True)
                self._check_expected(expect, theirs)
                self._append(line)
        except BaseException as exc:
            if theirs is not None:  # what they changed must still be rebuilt
                changes.reloaded = changes.reloaded or theirs.reloaded
                for table, doc_id in _touched(theirs):
                    changes.add(table, doc_id)
            # Nothing of ours reached the disk: take our writes back, except where
            # memory now holds another process's (the disk's) version.
            if theirs is None or not theirs.reloaded:
                keep = _touched(theirs)
                for step in reversed(undo):
                    if (step.table, step.doc_id) not in keep:
                        self._mem.undo(step)
            if isinstance(exc, OSError):  # disk full, a read-only journal…: one sentence
                raise DataFileError(self.journal_path, files.disk_error(self.journal_path, exc)
                                    ) from None
            raise
        keep = _touched(theirs)
        for table, doc_id, _, copy in staged:
            if theirs.reloaded or (table, doc_id) in keep:
                self._mem.put(table, doc_id, copy)
        changes.reloaded = changes.reloaded or theirs.reloaded
        for table, doc_id in keep:
            changes.add(table, doc_id)
        if self.auto_fold and (self._journal_lines >= JOURNAL_MAX_LINES
                               or self._journal_offset >= JOURNAL_MAX_BYTES):
            # The write is durable already; a failed fold is retried at the next one.
            with contextlib.suppress(DataFileError, OSError):
                # Others' writes caught up with under the fold's lock are changes too.
                folded = self._fold()
                changes.reloaded = changes.reloaded or folded.reloaded
                for table, doc_id in _touched(folded):
                    changes.add(table, doc_id)

    def _check_expected(self, expect: dict[tuple[str, str], int | None],
                        theirs: Changes) -> None:
        """Refuse the write when another process changed a document it was made from.

        Memory holds the disk's version of whatever ``theirs`` touched (ours is put
        back only after the append); the rest was checked before staging.
        """
        touched = _touched(theirs)
        for (table, doc_id), revision in expect.items():
            if not theirs.reloaded and (table, doc_id) not in touched:
                continue
            doc = self._mem.get(table, doc_id)
            if schema.revision(doc) != revision:
                raise StaleWrite(table, doc_id)

    def _append(self, line: bytes) -> None:
        """Append one line and fsync it; on any failure cut the journal back (lock held)."""
        start = self._journal_offset
        fd = os.open(self.journal_path, os.O_RDWR | os.O_APPEND)
        try:
            if start > self._header_end and os.pread(fd, 1, start - 1) != b"\n":
                line = b"\n" + line  # the last entry was kept without its newline
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)
                    os.fsync(fd)
                raise
        finally:
            os.close(fd)
        self._journal_offset = self._journal_seen = start + len(line)
        self._journal_lines += 1

    def checkpoint(self) -> Changes:
        """Fold the journal into the data file (atomic replace) and start a new journal;
        what other processes wrote since we last looked (caught up with first), for the
        caller to rebuild."""
        with self._mutex:
            if self._depth:
                raise RuntimeError("cannot checkpoint inside a batch")
            if self._closed:
                raise DataFileError(self.path, "the store is closed")
            self.refuse_if_read_only()
            try:
                return self._fold()
            except OSError as exc:
                raise DataFileError(self.path, files.disk_error(self.path, exc)) from None

    def _fold(self) -> Changes:
        """Fold the journal into a new data file (mutex held). The writers' lock is held
        only to catch up, encode and write: the tables are parsed before it is taken
        (another process's later writes are caught up under it), and the new file's
        index is built after it is let go. Held throughout, at 50,000 people, it was
        16 s, and a command started meanwhile waited 10 s and failed with "try again"."""
        self._mem.everything()
        with self._locked():
            theirs = self._catch_up(for_write=True)
            data, doc_spans, sig, gen, uid = self._checkpoint_locked()
        self._index_after_fold(data, doc_spans, sig, gen, uid)
        return theirs

    def _index_after_fold(self, data: schema.Data,
                          doc_spans: dict[str, dict[str, tuple[int, int]]],
                          sig: Signature, gen: int, uid: str | None) -> None:
        """The index of the file just written (mutex held, not the lock), put in place
        under the lock if nobody folded again meanwhile. Derived: failing to build or
        place it costs only time (the next command that reads the book builds it)."""
        def place(built: Path) -> None:
            with self._locked():
                if signature(self.path) == sig:
                    os.replace(built, self.index_path)

        # (ValueError: a record too malformed to index; the index placed says so.)
        with contextlib.suppress(ValueError, TypeError, OSError, DataFileError):
            index.write(self.index_path, data, doc_spans, sig, gen, uid, place=place)
        self._forget_index()

    def _checkpoint_locked(self) -> tuple[schema.Data, dict[str, dict[str, tuple[int, int]]],
                                          Signature, int, str | None]:
        """Write the new data file and its journal's header (lock held); what the
        index is built from."""
        data = self._mem.everything()
        stamp = schema.meta(data)
        old_gen = stamp["gen"]
        _best_effort_backup(self.path, self.backups_keep)
        stamp["gen"] = old_gen + 1
        try:
            blob, spans, doc_spans = encode_with_index(data, index.TABLES)
            # The old index no longer describes the file (its signature says so
            # too); removed first so that a crash leaves none rather than a stale one.
            self._forget_index()
            index.remove(self.index_path)
            fsutil.atomic_write(self.path, blob)
        except BaseException:
            stamp["gen"] = old_gen
            raise
        sig = self._file_sig = signature(self.path)
        # The header records where each table lies in exactly this file, so that
        # the next open parses only what it uses. A crash before this rename
        # leaves the previous generation's journal, which open discards.
        head = journal.header(stamp["gen"], stamp.get("uid"), journal.Layout(self._file_sig, spans))
        fsutil.atomic_write(self.journal_path, head)
        self._journal_offset = self._journal_seen = self._header_end = len(head)
        self._journal_lines = 0
        self._laid_out = True
        return data, doc_spans, sig, stamp["gen"], stamp.get("uid")

    def lay_out_due(self) -> bool:
        """Whether the file was read whole for want of a layout that fits it (copied,
        restored, brought by a sync) and its journal holds nothing: `lay_out` may then
        describe it as it is, without a fold."""
        with self._mutex:
            if self._closed or self._broken is not None or self._depth or \
                    self.read_only is not None or self._laid_out:
                return False
            if not self._journal_offset == self._header_end == self._journal_seen:
                return False
            _, laid, unlike = self._journal_head()
            return not laid and unlike != self._file_sig and self._starts_as_written()

    def _journal_head(self) -> tuple[int, bool, tuple[int, ...] | None]:
        """A look at the journal's header as it is now (another process may have rewritten
        it): its length, whether it describes this very file, and the signature it says
        is not Nurture's encoding. As we know it when it cannot be read."""
        stamp = self._mem.meta
        try:
            with open(self.journal_path, "rb") as handle:
                line = handle.readline()
        except OSError:
            return self._header_end, self._laid_out, None
        if journal.parse_header(line) != Header(stamp["gen"], stamp.get("uid")):
            return self._header_end, self._laid_out, None
        layout = journal.parse_layout(line)
        return (len(line), layout is not None and layout.sig == self._file_sig,
                journal.parse_unlike(line))

    def _starts_as_written(self) -> bool:
        """Whether the file begins as Nurture writes it (its ``_meta`` table first, indented
        as the encoder indents it): a file in another shape is not read again to find out."""
        data = self._mem.data
        first = next(iter(data), None)
        if first != schema.META or schema.META in self._mem.lazy:
            return False
        start = encode_with_layout({schema.META: data[schema.META]})[0][:-3]  # no "\n}\n"
        try:
            with open(self.path, "rb") as handle:
                return handle.read(len(start)) == start
        except OSError:
            return False

    def lay_out(self) -> bool:
        """Describe the data file as it is, without rewriting it: its layout in the
        journal's header and its derived index, so that the next commands read only
        what they use. Only when its bytes are exactly what a checkpoint writes of what
        it holds (a copy or a restore of Nurture's own file); False when they are not,
        or when the journal holds a write (then the fold lays it out). The data file is
        never written.

        What memory holds of it is encoded, compared with the file's bytes and indexed
        without the writers' lock, as ``reindex`` does (holding it throughout, a restored
        50,000-person book kept every other command waiting over 10 s, and `nurture show`
        failed with "try again"); the lock is taken only to put the index and the header
        in place, if the file is still the one described and its journal still holds
        nothing."""
        with self._mutex:  # (this process's own writes wait; other processes' do not)
            if not self.lay_out_due():  # (read-only, closed, laid out: nothing to lock for)
                return False
            sig, stamp = self._file_sig, self._mem.meta
            assert sig is not None
            gen, uid = stamp["gen"], stamp.get("uid")
            # What memory holds is the file (read whole, its journal empty): encoded and
            # compared with the file's bytes, not parsed from them again.
            data = self._mem.everything()
            blob, spans, doc_spans = encode_with_index(data, index.TABLES)
            try:
                content = self._bytes_if_still(sig)
            except OSError as exc:
                raise DataFileError(self.path, files.disk_error(self.path, exc)) from None
            if content is None:
                return False  # changed under us: whoever changed it describes it
            own = blob == content
            del content, blob
            # Not its own encoding (a hand edit, another program): said in the header, so
            # that the next commands do not read it again to find out.
            head = journal.header(gen, uid, journal.Layout(sig, spans) if own else None,
                                  unlike=None if own else sig)
            laid = False

            def place(built: Path | None) -> None:
                nonlocal laid
                try:
                    with self._locked():
                        self._catch_up(for_write=True)
                        if self._file_sig != sig or not self.lay_out_due():
                            return  # folded, written or laid out meanwhile
                        if built is not None:
                            os.replace(built, self.index_path)
                            self._forget_index()
                        self._rewrite_header(head)
                        self._laid_out = laid = own
                except OSError as exc:
                    raise DataFileError(self.path, files.disk_error(self.path, exc)) from None

            if not own:
                place(None)
                return False
            try:
                index.write(self.index_path, data, doc_spans, sig, gen, uid, place=place)
            except ValueError:
                pass  # a record too malformed: the index placed says so (reading it names it)
            except (TypeError, OSError):
                place(None)  # described without an index: the next read builds one
        return laid

    def _rewrite_header(self, head: bytes) -> None:
        """Replace the journal, which holds nothing after its header, by ``head`` (same
        generation). Other readers read on from its end (``_catch_up``)."""
        fsutil.atomic_write(self.journal_path, head)
        self._journal_offset = self._journal_seen = self._header_end = len(head)

    # ------------------------------------------------------------ reading

    def refresh(self) -> Changes | None:
        """Apply what other processes wrote since we last looked; None when nothing."""
        with self._mutex:
            if self._closed or self._depth:
                return None
            if self._broken is None:
                try:
                    sig: tuple[int, int, int] | None = signature(self.path)
                except FileNotFoundError:
                    sig = None
                try:
                    journal_size = self.journal_path.stat().st_size
                except FileNotFoundError:
                    journal_size = -1
                if sig == self._file_sig and journal_size == self._journal_seen:
                    return None
            with self._locked():
                changes = self._catch_up(for_write=False)
            return changes or None

    def _catch_up(self, *, for_write: bool) -> Changes:
        """Bring memory up to date with the disk. Caller holds the file lock."""
        changes = Changes()
        try:
            sig: tuple[int, int, int] | None = signature(self.path)
        except FileNotFoundError:
            sig = None
        if self._broken is not None:
            if self._broken_at == (sig, stat_or_none(self.journal_path)):
                raise self._broken  # nothing changed since it was refused
            self._load()
            changes.reloaded = True
            return changes
        if sig != self._file_sig:
            self._load()
            changes.reloaded = True
            return changes
        stamp = self._mem.meta
        try:
            with open(self.journal_path, "rb") as handle:
                line = handle.readline()
                head = journal.parse_header(line)
                if head != Header(stamp["gen"], stamp.get("uid")):
                    head = None
                else:
                    # The same generation, perhaps under a new header: ``lay_out`` rewrites
                    # it, longer or shorter, when nothing follows it. Read on from the same
                    # place after it. (A read-only store that found no journal starts
                    # after its header.)
                    end = handle.tell()
                    self._journal_offset = max(end, self._journal_offset + end - self._header_end)
                    self._header_end = end
                    if not self._laid_out:
                        layout = journal.parse_layout(line)
                        self._laid_out = layout is not None and layout.sig == self._file_sig
                    handle.seek(self._journal_offset)
                    tail = handle.read()
        except FileNotFoundError:
            head = None
        if head is None:
            self._load()
            changes.reloaded = True
            return changes
        try:
            records, consumed = journal.read_lines(tail)
        except journal.DamagedLine as exc:
            raise self._refuse(loading.damaged(self.journal_path, self._journal_offset + exc.offset,
                                                exc.problem)) from None
        for record in records:
            for table, doc_id, doc in record:
                self._mem.put(table, doc_id, doc)
                changes.add(table, doc_id)
        self._journal_offset += consumed
        self._journal_lines += len(records)
        self._journal_seen = self._journal_offset + len(tail) - consumed
        if for_write and consumed < len(tail):
            # We hold the lock, so no writer is mid-append: the rest is a torn
            # line from a crash, never acknowledged. Drop it so that our
            # append does not join it.
            os.truncate(self.journal_path, self._journal_offset)
            self._journal_seen = self._journal_offset
        return changes

    def _load(self) -> None:
        """Read the data file and its journal into memory, or refuse (untouched). Lock held."""
        try:
            loaded = loading.load(self.path, self.journal_path,
                                  read_only=self.read_only is not None)
        except DataFileError as error:
            raise self._refuse(error) from None
        self._mem, self._file_sig = loaded.tables, loaded.sig
        self._journal_offset = loaded.journal_offset
        self._journal_seen = loaded.journal_seen
        self._journal_lines = loaded.journal_lines
        self._header_end = loaded.header_end
        self._laid_out = loaded.laid_out
        self._broken = self._broken_at = None

    def indexed(self, table: str, ask: Callable[[index.Index], list[index.Span] | None]
                ) -> dict[str, Doc] | None:
        """From the derived index (``store.index``), while ``table`` is still unparsed: the
        documents at the ranges ``ask`` finds in it (say, one contact's entries) as the
        file has them, together with every document of ``table`` the journal changed
        since (which the caller must test itself). None when there is no index for this
        very file, or it cannot answer, or the table is parsed already: then read the
        table."""
        with self._mutex:
            known = self._known_index(table)
            if known is None:
                return None
            spans = ask(known)
            return None if spans is None else self._mem.docs_at(table, spans)

    def from_index(self, table: str, ask: Callable[[index.Index], T | None]
                   ) -> tuple[T, dict[str, Doc | None]] | None:
        """What the derived index keeps of the unparsed ``table`` (not ranges to read: its
        own values, such as names), asked with ``ask``, with the journal's writes to
        ``table`` since (the last of each document; None: deleted), which the caller lays
        over the answer. None as for ``indexed``."""
        with self._mutex:
            known = self._known_index(table)
            answer = None if known is None else ask(known)
            return None if answer is None else (answer, self._mem.changed(table))

    def built_from_index(self, table: str, ask: Callable[[index.Index], list[index.Span] | None],
                         build: Callable[[str, Doc], Any], *, part: int = 500
                         ) -> dict[str, Any] | None:
        """Like ``indexed``, but each document goes to ``build`` as it is read, ``part`` of
        them at a time, and only what ``build`` returns is kept: every contact built this
        way never holds the parsed table beside the models (at 5,000 people, 14 MB of
        documents beside 12 MB of contacts). The journal's writes since are laid over
        them in the order parsing the table gives: the file's, a deleted document taken
        out, one written while absent (new, or again after its deletion) put last.
        None as for ``indexed``."""
        with self._mutex:
            known = self._known_index(table)
            spans = None if known is None else ask(known)
            if spans is None:
                return None
            changed = self._mem.changed(table)
            built: dict[str, Any] = {}
            for at in range(0, len(spans), part):
                some = spans[at:at + part]
                docs = self._mem.docs_at(table, some, since=False)
                if docs is None:
                    return None
                for _, _, doc_id in some:
                    if doc_id not in changed:  # (else built below, from its last write)
                        built[doc_id] = build(doc_id, docs[doc_id])
            if not changed:
                return built
            for doc_id, doc in changed.items():
                if doc is not None:
                    built[doc_id] = build(doc_id, doc)
            order = dict.fromkeys(doc_id for _, _, doc_id in spans)
            for doc_id, doc in self._mem.writes(table):  # replayed as a parse applies them
                if doc is None:
                    order.pop(doc_id, None)
                elif doc_id not in order:
                    order[doc_id] = None
            return {doc_id: built[doc_id] for doc_id in order}

    def index_view(self, table: str) -> tuple[index.Index, dict[str, Doc | None]] | None:
        """The derived index of this very file while ``table`` is still unparsed, and the
        documents of ``table`` the journal changed since (None: deleted), which it does
        not know; None as for ``indexed``."""
        with self._mutex:
            known = self._known_index(table)
            return None if known is None else (known, self._mem.changed(table))

    def _known_index(self, table: str) -> index.Index | None:
        if table not in index.TABLES or table not in self._mem.lazy or self._broken is not None:
            return None
        return self._file_index()

    def _file_index(self) -> index.Index | None:
        """The derived index of exactly this data file, looked up once (None: none)."""
        sig = self._file_sig
        if self._index is None or self._index[0] != sig:
            self._forget_index()
            stamp = self._mem.meta
            found = None if sig is None else index.load(
                self.index_path, sig, stamp.get("gen", 0), stamp.get("uid"), sig[1])
            self._index = (sig, found)
        return self._index[1]

    def reindex_due(self, *, look: bool = False) -> bool:
        """Whether the file is laid out but has no index of its own (deleted, damaged, or
        written by an older version; not one that says the file cannot be indexed), as
        a read found it (or, with ``look``, as looking for it now finds it): ``reindex``
        would write it again. Without ``look``, costs nothing when no read looked."""
        with self._mutex:
            if self._closed or self._broken is not None or self._depth or \
                    self.read_only is not None or not self._laid_out:
                return False
            if look:
                self._file_index()
            known, sig = self._index, self._file_sig
            if sig is None or known is None or known[0] != sig or known[1] is not None:
                return False  # not looked for (this command read no table), or found
            stamp = self._mem.meta
            return not index.unindexable(self.index_path, sig, stamp.get("gen", 0),
                                         stamp.get("uid"))

    def reindex(self) -> bool:
        """Write the derived index of the laid-out data file again, from the file as it
        is (its journal's writes are what the index does not know, as always); False when
        the file changed meanwhile (the fold that changed it wrote one) or cannot be
        indexed (an index saying so is put in place). Neither the data file nor the
        journal is written.

        The file is read and the index built without the writers' lock (the 50,000-person
        book's took 16 s, longer than a writer waits for it); the lock is taken only to
        put the index in place, if the file is still the one it describes."""
        with self._mutex:
            if not self.reindex_due(look=True):
                return False
            sig = self._file_sig
        assert sig is not None
        try:
            content = self._bytes_if_still(sig)
        except OSError:
            return False  # costs only time
        if content is None:
            return False
        placed = False

        def place(built: Path) -> None:
            nonlocal placed
            with self._mutex, self._locked():
                if not self._closed and signature(self.path) == sig:  # not folded since
                    os.replace(built, self.index_path)
                    placed = True

        with self._mutex:
            mine = self._mem.meta
        try:
            data = orjson.loads(content)
            stamp = schema.current_stamp(data.get(schema.META)) \
                if isinstance(data, dict) else None
            blob, _, doc_spans = (b"", {}, {}) if stamp is None else \
                encode_with_index(data, index.TABLES)
            if stamp is None or blob != content:
                # Not this version's encoding of what it holds (another orjson, say): said
                # so, not tried again after every command; its next fold writes both.
                index.mark_unindexable(self.index_path, sig, mine.get("gen", 0),
                                       mine.get("uid"), "not this version's encoding",
                                       place=place)
                placed = False
            else:
                index.write(self.index_path, data, doc_spans, sig, stamp["gen"],
                            stamp.get("uid"), place=place)
        except (orjson.JSONDecodeError, ValueError):
            placed = False  # a record too malformed: the index placed says so
        except OSError:
            return False
        with self._mutex:
            self._forget_index()
        return placed

    def _bytes_if_still(self, sig: Signature) -> bytes | None:
        """The data file's bytes, read without the lock, if it is still the file ``sig``
        names (None: replaced or changed since)."""
        with open(self.path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if (st.st_ino, st.st_size, st.st_mtime_ns) != sig:
                return None
            return handle.read()

    def _forget_index(self) -> None:
        if self._index is not None and self._index[1] is not None:
            self._index[1].close()
        self._index = None

    def take_notices(self) -> list[str]:
        """What to tell the user once (e.g. a journal set aside), then forget."""
        if self.read_only is not None:
            return []  # kept until a start that can also forget them
        with self._mutex, self._locked():
            return files.take_notices(self.path)

    # ------------------------------------------------------------ helpers

    def _refuse(self, error: DataFileError) -> DataFileError:
        """Remember why the file is unusable (until it changes) and return the error."""
        self._broken = error
        self._broken_at = (stat_or_none(self.path), stat_or_none(self.journal_path))
        return error

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self.read_only is not None:
            yield  # nobody can write this book, so there is nothing to wait for
            return
        try:
            self.lock.acquire()
        except Timeout:
            raise self._timeout() from None
        except OSError as exc:
            raise DataFileError(self.lock_path, f"cannot be opened ({exc.strerror}); "
                                                "nothing was changed") from None
        try:
            yield
        finally:
            self.lock.release()

    def _timeout(self) -> DataFileError:
        return DataFileError(self.path, f"another process has held the lock for "
                                        f"{LOCK_TIMEOUT:.0f} s; try again")


def _touched(changes: Changes | None) -> set[tuple[str, str]]:
    if changes is None:
        return set()
    return {(table, doc_id) for table, ids in changes.tables.items() for doc_id in ids}


def _best_effort_backup(path: Path, keep: int) -> None:
    # A backup that cannot be made (read-only or full backups/) must not stop
    # the address book from opening or a checkpoint from running.
    with contextlib.suppress(OSError):
        files.daily_backup(path, keep)
