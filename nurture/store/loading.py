"""Reading a data file and its journal into memory, refusing (untouched) what cannot be read.

Also where an old file is migrated: its journal is replayed first (in the old
schema), a backup of that state is written, then the whole is migrated,
written as the next generation and given a fresh journal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pendulum

from nurture import fsutil
from nurture.errors import DataFileError
from nurture.store import files, journal, schema
from nurture.store.journal import Header
from nurture.store.memory import bulk_load
from nurture.store.tables import FileBytes, Tables

Doc = dict[str, Any]
Signature = tuple[int, int, int]  # inode, size, mtime: a file replaced or changed


@dataclass(slots=True)
class Loaded:
    tables: Tables
    sig: Signature
    journal_offset: int  # bytes of the journal applied
    journal_seen: int  # the journal's size as read (a torn tail included)
    journal_lines: int  # lines replayed
    header_end: int  # where the journal's entries start
    # Whether the journal's header describes this very file (so the next open parses
    # only what it uses): not for a file copied, restored or written by another program.
    laid_out: bool = True


def load(path: Path, journal_path: Path, *, read_only: bool = False) -> Loaded:
    """Read the data file and replay its journal. Raises ``DataFileError``, writing nothing,
    for anything it cannot read; writes only to migrate or to start a missing journal, or
    to set aside a journal that is not this file's (and with ``read_only``, never).

    When the journal's header records the layout of exactly this file (as the
    last checkpoint wrote it), only ``_meta`` is parsed now; see ``tables``.
    """
    try:
        content: bytes | None = journal_path.read_bytes()
    except FileNotFoundError:
        content = None
    except OSError as exc:
        raise DataFileError(journal_path, f"cannot be read ({exc.strerror})") from None
    end = content.find(b"\n") if content else -1
    head = journal.parse_header(content[:end + 1]) if content and end >= 0 else None
    lazy = _lazy_tables(path, content[:end + 1], head) if content and head else None
    if lazy is not None:
        tables, sig = lazy
        version = schema.SCHEMA_VERSION
    else:
        raw, sig = read_data_file(path)
        tables = Tables(path, _parse_whole(path, raw))
        version = schema.check_shape(path, tables.data)
    stamp = tables.data.get(schema.META, {}).get(schema.META_ID, {})
    mine = Header(stamp.get("gen", 0), stamp.get("uid"))
    records: list[journal.Record] = []
    offset = seen = header_end = 0
    if content is not None and content.strip():
        if head is None:
            raise DataFileError(journal_path, "its first line is not a Nurture journal header; "
                                              "the journal and the data file were left untouched")
        if head == mine:
            try:
                records, consumed = journal.read_lines(content[end + 1:])
            except journal.DamagedLine as exc:
                raise damaged(journal_path, end + 1 + exc.offset, exc.problem) from None
            offset, seen, header_end = end + 1 + consumed, len(content), end + 1
        elif content[end + 1:].strip() and not (head.uid == mine.uid
                                                 and head.gen == mine.gen - 1) \
                and not read_only:
            # Not the journal of this file and generation (the data file was
            # replaced or restored): keep its writes aside rather than lose them,
            # and say so at the next start (``notices``).
            # (gen - 1 is a crash between a checkpoint's two renames: folded already.)
            aside = files.set_aside(journal_path, "orphan-journal")
            with contextlib.suppress(OSError):  # the journal is safe; only the word is lost
                files.add_notice(path, f"the journal {journal_path.name} held changes that do "
                                       f"not belong to this data file (it was restored or "
                                       f"replaced); they were moved to {aside}")
    for record in records:
        for table, doc_id, doc in record:
            tables.put(table, doc_id, doc)
    layout = None
    if version < schema.SCHEMA_VERSION and read_only:
        tables = Tables(path, schema.migrate(tables.data, version))  # in memory only
    elif version < schema.SCHEMA_VERSION:
        write_migration_backup(path, tables.data, had_journal=bool(records))
        data = schema.migrate(tables.data, version)
        schema.meta(data)["gen"] += 1
        blob, spans = encode_with_layout(data)
        fsutil.atomic_write(path, blob)
        sig = signature(path)
        layout = journal.Layout(sig, spans)
        tables = Tables(path, data)
        records, offset = [], 0
    if offset == 0 and read_only:
        # Nothing is written: skip the journal if it is not this file's (or is missing).
        offset = header_end = len(content) if content is not None else 0
        seen = len(content) if content is not None else -1  # -1: no journal
    elif offset == 0:
        stamp = tables.meta
        head_bytes = journal.header(stamp["gen"], stamp.get("uid"), layout)
        fsutil.atomic_write(journal_path, head_bytes)
        offset = seen = header_end = len(head_bytes)
    return Loaded(tables, sig, offset, seen, len(records), header_end,
                  laid_out=lazy is not None or layout is not None)


def _lazy_tables(path: Path, head_line: bytes, head: Header) -> tuple[Tables, Signature] | None:
    """Tables to parse on demand, read a range at a time from the file, when the header
    describes this very file (its signature); else None (then the file is read whole)."""
    layout = journal.parse_layout(head_line)
    if layout is None or schema.META not in layout.tables:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None  # the whole read says why
    source = FileBytes(path, fd, layout.sig)
    try:
        st = os.fstat(fd)
        sig = (st.st_ino, st.st_size, st.st_mtime_ns)
        spans = layout.tables
        if sig != layout.sig or any(not 0 < a <= b <= sig[1] for a, b in spans.values()):
            source.close()
            return None
        meta_table = orjson.loads(source.read(*spans[schema.META]))
    except (OSError, DataFileError, orjson.JSONDecodeError):
        source.close()
        return None
    stamp = schema.current_stamp(meta_table)
    if stamp is None or Header(stamp["gen"], stamp["uid"]) != head:
        source.close()
        return None
    lazy = {name: span for name, span in spans.items() if name != schema.META}
    return Tables(path, {schema.META: meta_table}, source, lazy), sig


def read_data_file(path: Path) -> tuple[bytes, Signature]:
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            raw = handle.read()
    except FileNotFoundError:
        raise DataFileError(path, "the data file disappeared") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from None
    if not raw or raw.isspace():  # (strip() would copy the whole file)
        raise DataFileError(path, f"is empty ({len(raw)} bytes); refusing to treat it as an "
                                  f"empty address book. Restore it from "
                                  f"{files.backup_dir(path)}/ or move it away")
    return raw, (st.st_ino, st.st_size, st.st_mtime_ns)


def _parse_whole(path: Path, raw: bytes) -> Any:
    try:
        with bulk_load():
            return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DataFileError(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: "
                                  f"{exc.msg}); it was left untouched") from None


def write_migration_backup(path: Path, folded: schema.Data, *, had_journal: bool) -> None:
    """Keep the file as it was before a migration (with its journal folded in, if any)."""
    target = path.with_name(f"{path.name}.pre-v{schema.SCHEMA_VERSION}.bak")
    payload = encode(folded) if had_journal else path.read_bytes()
    if target.exists() and target.read_bytes() != payload:
        stamp = pendulum.now("UTC").format("YYYYMMDDTHHmmss")
        target = target.with_name(f"{target.name}.{stamp}")
    if not target.exists():
        fsutil.atomic_write(target, payload)


def damaged(journal_path: Path, offset: int, problem: str) -> DataFileError:
    return DataFileError(journal_path,
                         f"damaged entry at byte {offset} ({problem}) with entries after it, "
                         "which a crash cannot cause; the journal and the data file were left "
                         "untouched")


def encode_with_layout(data: schema.Data) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """The data file's bytes (indented, for a person to read) and each table's byte range.

    The same bytes as ``orjson.dumps(data, option=OPT_INDENT_2)``, assembled one
    table at a time so that the ranges are known.
    """
    blob, spans, _ = encode_with_index(data, ())
    return blob, spans


def encode_with_index(data: schema.Data, tables: Collection[str]
                      ) -> tuple[bytes, dict[str, tuple[int, int]],
                                 dict[str, dict[str, tuple[int, int]]]]:
    """``encode_with_layout``, and the byte range of each document of ``tables`` (for the
    derived index, ``store.index``): those tables are encoded a document at a time."""
    parts: list[bytes] = [b"{"]
    spans: dict[str, tuple[int, int]] = {}
    doc_spans: dict[str, dict[str, tuple[int, int]]] = {}
    position = 1
    for index, (name, docs) in enumerate(data.items()):
        prefix = (b"\n  " if index == 0 else b",\n  ") + orjson.dumps(name) + b": "
        position += len(prefix)
        if name in tables and isinstance(docs, dict) and docs:
            body = _encode_docs(docs, position, doc_spans.setdefault(name, {}))
        else:
            body = orjson.dumps(docs, option=orjson.OPT_INDENT_2)
            if b"\n" in body:  # one level deeper; JSON strings never hold a raw newline
                body = body.replace(b"\n", b"\n  ")
        spans[name] = (position, position + len(body))
        position += len(body)
        parts += [prefix, body]
    parts.append(b"\n}\n" if data else b"}\n")
    return b"".join(parts), spans, doc_spans


def _encode_docs(docs: dict[str, Any], position: int,
                 doc_spans: dict[str, tuple[int, int]]) -> bytes:
    """A table (one level deep in the file) as orjson indents it, noting each document's
    range; ``position`` is where the table starts in the file."""
    parts = [b"{"]
    position += 1
    for index, (doc_id, doc) in enumerate(docs.items()):
        head = (b"\n    " if index == 0 else b",\n    ") + orjson.dumps(doc_id) + b": "
        body = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
        if b"\n" in body:  # two levels deeper
            body = body.replace(b"\n", b"\n    ")
        position += len(head)
        doc_spans[doc_id] = (position, position + len(body))
        position += len(body)
        parts += [head, body]
    parts.append(b"\n  }")
    return b"".join(parts)


def encode(data: schema.Data) -> bytes:
    return encode_with_layout(data)[0]


def signature(path: Path) -> Signature:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def stat_or_none(path: Path) -> Signature | None:
    try:
        return signature(path)
    except OSError:
        return None
