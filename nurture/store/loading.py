"""Reading a data file and its journal into memory, refusing (untouched) what cannot be read.

Also where an old file is migrated: its journal is replayed first (in the old
schema), a backup of that state is written, then the whole is migrated,
written as the next generation and given a fresh journal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pendulum

from nurture.errors import DataFileError
from nurture.store import files, journal, schema
from nurture.store.journal import Header
from nurture.store.memory import bulk_load

Doc = dict[str, Any]
Signature = tuple[int, int, int]  # inode, size, mtime: a file replaced or changed


@dataclass(slots=True)
class Loaded:
    data: schema.Data
    sig: Signature
    journal_offset: int  # bytes of the journal applied
    journal_seen: int  # the journal's size as read (a torn tail included)
    journal_lines: int  # lines replayed


def load(path: Path, journal_path: Path) -> Loaded:
    """Parse the data file and replay its journal. Raises ``DataFileError``, writing nothing,
    for anything it cannot read; writes only to migrate or to start a missing journal."""
    with bulk_load():
        data, sig = read_data_file(path)
    version = schema.check_shape(path, data)
    stamp = data.get(schema.META, {}).get(schema.META_ID, {})
    mine = Header(stamp.get("gen", 0), stamp.get("uid"))
    try:
        content: bytes | None = journal_path.read_bytes()
    except FileNotFoundError:
        content = None
    except OSError as exc:
        raise DataFileError(journal_path, f"cannot be read ({exc.strerror})") from None
    records: list[journal.Record] = []
    offset = seen = 0
    if content is not None and content.strip():
        end = content.find(b"\n")
        head = journal.parse_header(content[:end + 1]) if end >= 0 else None
        if head is None:
            raise DataFileError(journal_path, "its first line is not a Nurture journal header; "
                                              "the journal and the data file were left untouched")
        if head == mine:
            try:
                records, consumed = journal.read_lines(content[end + 1:])
            except journal.DamagedLine as exc:
                raise damaged(journal_path, end + 1 + exc.offset, exc.problem) from None
            offset, seen = end + 1 + consumed, len(content)
        elif content[end + 1:].strip() and not (head.uid == mine.uid
                                                 and head.gen == mine.gen - 1):
            # Not the journal of this file and generation (the data file was
            # replaced or restored): keep its writes aside rather than lose them.
            # (gen - 1 is a crash between a checkpoint's two renames: folded already.)
            files.set_aside(journal_path, "orphan-journal")
    for record in records:
        for table, doc_id, doc in record:
            apply_op(data, table, doc_id, doc)
    if version < schema.SCHEMA_VERSION:
        write_migration_backup(path, data, had_journal=bool(records))
        data = schema.migrate(data, version)
        schema.meta(data)["gen"] += 1
        files.atomic_write(path, encode(data))
        sig = signature(path)
        records, offset = [], 0
    if offset == 0:
        stamp = schema.meta(data)
        head_bytes = journal.header(stamp["gen"], stamp.get("uid"))
        files.atomic_write(journal_path, head_bytes)
        offset = seen = len(head_bytes)
    return Loaded(data, sig, offset, seen, len(records))


def read_data_file(path: Path) -> tuple[Any, Signature]:
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
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DataFileError(path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: "
                                  f"{exc.msg}); it was left untouched") from None
    return data, (st.st_ino, st.st_size, st.st_mtime_ns)


def write_migration_backup(path: Path, folded: schema.Data, *, had_journal: bool) -> None:
    """Keep the file as it was before a migration (with its journal folded in, if any)."""
    target = path.with_name(f"{path.name}.pre-v{schema.SCHEMA_VERSION}.bak")
    payload = encode(folded) if had_journal else path.read_bytes()
    if target.exists() and target.read_bytes() != payload:
        stamp = pendulum.now("UTC").format("YYYYMMDDTHHmmss")
        target = target.with_name(f"{target.name}.{stamp}")
    if not target.exists():
        files.atomic_write(target, payload)


def damaged(journal_path: Path, offset: int, problem: str) -> DataFileError:
    return DataFileError(journal_path,
                         f"damaged entry at byte {offset} ({problem}) with entries after it, "
                         "which a crash cannot cause; the journal and the data file were left "
                         "untouched")


def apply_op(data: schema.Data, table: str, doc_id: str, doc: Doc | None) -> None:
    if doc is None:
        data.get(table, {}).pop(doc_id, None)
    else:
        data.setdefault(table, {})[doc_id] = doc


def encode(data: schema.Data) -> bytes:
    """The data file's bytes: indented, so that a person can read it."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def signature(path: Path) -> Signature:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def stat_or_none(path: Path) -> Signature | None:
    try:
        return signature(path)
    except OSError:
        return None
