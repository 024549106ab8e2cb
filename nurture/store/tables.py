"""The address book in memory: tables parsed so far, and tables parsed on first use.

Opening a 90 MB file whose layout is known (``loading.load``) parses only the
small ``_meta`` table; every other table is kept as its byte range in the
file's bytes and parsed the first time something reads it. ``nurture list``
never parses the timeline. Writes to a table not parsed yet wait in order in
``deferred`` and are applied when it is parsed, so a write never forces a parse.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from nurture.errors import DataFileError
from nurture.store import schema
from nurture.store.memory import bulk_load

Doc = dict[str, Any]


class FileBytes:
    """The data file's bytes, read a range at a time (``os.pread``) from the file as it was
    opened: a 250 MB book is not read whole to answer ``nurture show``.

    A checkpoint replaces the file by a rename, so the open file keeps its bytes;
    a file changed in place (by hand) under an open reader is refused, not half-read.
    """

    def __init__(self, path: Path, fd: int, sig: tuple[int, int, int]) -> None:
        self.path = path
        self.fd: int | None = fd
        self.sig = sig

    def __len__(self) -> int:
        return self.sig[1]

    def read(self, start: int, end: int, *, check: bool = True) -> bytes:
        """The bytes from ``start`` to ``end``; ``check=False`` leaves the check that the
        file is unchanged to the caller (``check()``, once for many small reads)."""
        if self.fd is None:
            raise DataFileError(self.path, "was closed while being read")
        if check:
            self.check()
        data = os.pread(self.fd, end - start, start)
        if len(data) != end - start:
            raise self._changed()
        return data

    def check(self) -> None:
        """Refuse a file changed in place since it was opened (its bytes moved under us)."""
        assert self.fd is not None
        st = os.fstat(self.fd)
        if (st.st_ino, st.st_size, st.st_mtime_ns) != self.sig:
            raise self._changed()

    def _changed(self) -> DataFileError:
        return DataFileError(self.path, "was changed in place while Nurture was reading it; "
                                        "nothing was changed, try again")

    def close(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        self.close()


# Documents at most this far apart are read in one go. At 50,000 people the review
# reads 14,265 entries (7.2 MB): one read each is 13,416 reads; within 2 KiB of
# each other, 11,766 reads of 8.2 MB; within 16 KiB, 5,244 reads of 61 MB. The
# times did not tell these apart (2.1-2.4 s each), so the over-read is kept small.
GAP = 2 * 1024
RUN = 1024 * 1024  # and a run stops growing at this many bytes


def _runs(raw: FileBytes | bytes, spans: list[tuple[int, int, str]], *, gap: int = GAP,
          run: int = RUN) -> Iterator[tuple[int, memoryview, list[tuple[int, int, str]]]]:
    """The ranges ``spans`` (sorted by start) grouped into runs of nearby documents, each
    with its bytes read at once: (where the bytes start, the bytes, the run's ranges)."""
    view = None if isinstance(raw, FileBytes) else memoryview(raw)
    at = 0
    while at < len(spans):
        first = at
        base, stop = spans[at][0], spans[at][1]
        at += 1
        while at < len(spans) and spans[at][0] - stop <= gap and spans[at][1] - base <= run:
            stop = max(stop, spans[at][1])
            at += 1
        if view is not None:
            yield 0, view, spans[first:at]
        else:
            assert isinstance(raw, FileBytes)
            yield base, memoryview(raw.read(base, stop, check=False)), spans[first:at]


class Deferred(list[Any]):
    """A write waiting for its table: [doc id, doc]; once applied, also the replaced doc."""

    applied = False
    previous: Doc | None = None


@dataclass(slots=True)
class Undo:
    """How to take one in-memory write back."""

    table: str
    doc_id: str
    previous: Doc | None  # for a parsed table
    deferred: Deferred | None  # for a table not parsed when written


def apply_op(data: schema.Data, table: str, doc_id: str, doc: Doc | None) -> None:
    if doc is None:
        data.get(table, {}).pop(doc_id, None)
    else:
        data.setdefault(table, {})[doc_id] = doc


class Tables:
    """Parsed tables (``data``) plus byte ranges of ``raw`` still to parse (``lazy``)."""

    def __init__(self, path: Path, data: schema.Data, raw: bytes | FileBytes | None = None,
                 lazy: dict[str, tuple[int, int]] | None = None) -> None:
        self.path = path
        self.data = data
        self.raw = raw
        self.lazy = dict(lazy or {})
        self.deferred: dict[str, list[Deferred]] = {}

    @property
    def meta(self) -> dict[str, Any]:
        return schema.meta(self.data)

    def table(self, name: str, *, create: bool = False) -> dict[str, Doc]:
        """The live documents of a table (parsed now if need be)."""
        self._parse(name)
        if create:
            return self.data.setdefault(name, {})
        return self.data.get(name) or {}

    def everything(self) -> schema.Data:
        """Every table, parsed."""
        for name in list(self.lazy):
            self._parse(name)
        return self.data

    def names(self) -> set[str]:
        return set(self.data) | set(self.lazy)

    def get(self, table: str, doc_id: str) -> Doc | None:
        return self.table(table).get(doc_id)

    def put(self, table: str, doc_id: str, doc: Doc | None) -> Undo:
        """Set (or, with None, delete) one document; returns how to take it back."""
        if table in self.lazy:
            entry = Deferred((doc_id, doc))
            self.deferred.setdefault(table, []).append(entry)
            return Undo(table, doc_id, None, entry)
        previous = self.data.get(table, {}).get(doc_id)
        apply_op(self.data, table, doc_id, doc)
        return Undo(table, doc_id, previous, None)

    def undo(self, step: Undo) -> None:
        entry = step.deferred
        if entry is None:
            apply_op(self.data, step.table, step.doc_id, step.previous)
        elif entry.applied:  # its table was parsed since: put the replaced doc back
            apply_op(self.data, step.table, step.doc_id, entry.previous)
        else:
            waiting = self.deferred.get(step.table, [])
            for at in range(len(waiting) - 1, -1, -1):
                if waiting[at] is entry:
                    del waiting[at]
                    break

    def docs_at(self, name: str, spans: list[tuple[int, int, str]], *,
                since: bool = True) -> dict[str, Doc] | None:
        """Documents of the unparsed table ``name`` at these byte ranges of the file, then
        (unless ``since`` is false) every document written to it since, deleted ones left
        out; None when the table is parsed, or a range does not hold a document of it
        (then parse the table). A range of a document written since is skipped."""
        span = self.lazy.get(name)
        if span is None:
            return None
        assert self.raw is not None
        changed = self.changed(name)
        raw = self.raw
        found: dict[str, Doc] = {}
        wanted = sorted(s for s in spans if s[2] not in changed)
        if any(not span[0] < start < end < span[1] for start, end, _ in wanted):
            return None
        with bulk_load():  # thousands of documents (`follow-ups`): no collection per batch
            for base, chunk, run in _runs(raw, wanted):
                for start, end, doc_id in run:
                    try:
                        doc = orjson.loads(chunk[start - base:end - base])
                    except orjson.JSONDecodeError:
                        return None
                    if not isinstance(doc, dict) or doc.get("id", doc_id) != doc_id:
                        return None  # not this document: the index was tampered with
                    found[doc_id] = doc
        if isinstance(raw, FileBytes):
            raw.check()  # after the reads: none of them came from a changed file
        if not since:
            return found
        for doc_id, doc in changed.items():
            if doc is not None:
                found[doc_id] = doc
        return found

    def writes(self, name: str) -> list[tuple[str, Doc | None]]:
        """The writes to the unparsed table ``name`` since the file, in order (None:
        a deletion)."""
        return [(entry[0], entry[1]) for entry in self.deferred.get(name, ())]

    def changed(self, name: str) -> dict[str, Doc | None]:
        """The documents of the unparsed table ``name`` written since the file (None:
        deleted), the last write of each."""
        changed: dict[str, Doc | None] = {}
        for entry in self.deferred.get(name, ()):
            doc_id, doc = entry
            changed[doc_id] = doc
        return changed

    def _parse(self, name: str) -> None:
        span = self.lazy.get(name)
        if span is None:
            return
        assert self.raw is not None
        try:
            with bulk_load():
                docs = orjson.loads(self.raw.read(*span) if isinstance(self.raw, FileBytes)
                                    else memoryview(self.raw)[span[0]:span[1]])
        except orjson.JSONDecodeError as exc:
            raise DataFileError(self.path, f"table {name!r} is not valid JSON ({exc.msg}); "
                                           "it was left untouched") from None
        schema.check_table(self.path, name, docs)
        for entry in self.deferred.pop(name, ()):
            doc_id, doc = entry
            entry.previous = docs.get(doc_id)
            entry.applied = True
            apply_op({name: docs}, name, doc_id, doc)
        self.data[name] = docs
        del self.lazy[name]
        if not self.lazy:
            self.close()  # every table parsed: the file's bytes are no longer needed

    def close(self) -> None:
        """Let go of the file's bytes (and the open file); only parsed tables remain."""
        if isinstance(self.raw, FileBytes):
            self.raw.close()
        self.raw = None
