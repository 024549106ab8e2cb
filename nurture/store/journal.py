"""The write-ahead journal's format: pure functions on bytes, no file access.

A journal is one header line naming the data file it belongs to (its ``uid``)
and the generation it continues (``gen``), then one line per durable write::

    {"nurture_journal":1,"gen":4,"uid":"9f2c..."}
    {"ops":[["interactions","i-0123456789",{...}],["contacts","c-1",null]]}

An op with ``null`` deletes the document. A line is acknowledged only once it
and its newline are fsynced, so a line without its newline, or a damaged last
line, is a write that never finished; a damaged line *followed by* good lines
cannot come from a crash and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from nurture.errors import ValidationError

# A staged change: table, document id, the document as JSON bytes (None deletes).
Op = tuple[str, str, bytes | None]


@dataclass(frozen=True, slots=True)
class Header:
    gen: int
    uid: str | None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each table's JSON lies in the data file, and which file that was."""

    sig: tuple[int, int, int]  # inode, size, mtime of the data file as written
    tables: dict[str, tuple[int, int]]  # table -> byte range of its value


def header(gen: int, uid: str | None, layout: Layout | None = None, *,
           unlike: tuple[int, int, int] | None = None) -> bytes:
    """The header line. ``unlike``: the signature of a data file found not to be in
    Nurture's own encoding, so that it is not read again to be laid out (``Storage.lay_out``)."""
    value: dict[str, Any] = {"nurture_journal": 1, "gen": gen, "uid": uid}
    if layout is not None:
        value["data"] = {"sig": list(layout.sig),
                         "tables": {k: list(v) for k, v in layout.tables.items()}}
    if unlike is not None:
        value["unlike"] = list(unlike)
    return orjson.dumps(value) + b"\n"


def parse_unlike(line: bytes) -> tuple[int, ...] | None:
    """The ``unlike`` signature a header line records, if any."""
    try:
        found = orjson.loads(line).get("unlike")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return tuple(found) if isinstance(found, list) else None


def parse_layout(line: bytes) -> Layout | None:
    """The data file's layout recorded in a header line, if any and well formed."""
    try:
        data = orjson.loads(line).get("data")
        sig = tuple(data["sig"])
        tables = {str(k): (v[0], v[1]) for k, v in data["tables"].items()}
    except (orjson.JSONDecodeError, AttributeError, KeyError, TypeError, IndexError):
        return None
    numbers = [*sig, *(n for span in tables.values() for n in span)]
    if len(sig) != 3 or not all(type(n) is int and n >= 0 for n in numbers):
        return None
    return Layout(sig, tables)


def parse_header(line: bytes) -> Header | None:
    """The header in ``line``, or None when it is not a Nurture journal header."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(value, dict) or value.get("nurture_journal") != 1:
        return None
    gen, uid = value.get("gen"), value.get("uid")
    if not isinstance(gen, int) or not (uid is None or isinstance(uid, str)):
        return None
    return Header(gen, uid)


def encode(ops: list[Op]) -> bytes:
    """One journal line for ``ops`` (documents are already JSON, embedded as they are)."""
    return orjson.dumps(
        {"ops": [[table, doc_id, None if doc is None else orjson.Fragment(doc)]
                 for table, doc_id, doc in ops]}
    ) + b"\n"


def encode_doc(table: str, doc_id: str, doc: dict[str, Any]) -> bytes:
    """A document as JSON for the journal; text that UTF-8 cannot hold is a ``ValidationError``."""
    try:
        return orjson.dumps(doc)
    except orjson.JSONEncodeError as exc:
        if "surrogates" not in str(exc):
            raise  # a programming error: something that is not JSON
        where = _surrogate_path(doc) or f"{table}[{doc_id!r}]"
        raise ValidationError(where, "contains text that is not valid Unicode (a lone "
                                     "surrogate, e.g. from a mis-encoded terminal)") from None


def decode_doc(blob: bytes) -> dict[str, Any]:
    """A private copy of a document from its JSON."""
    doc: dict[str, Any] = orjson.loads(blob)
    return doc


def _surrogate_path(value: Any, path: str = "") -> str | None:
    """Where in a document the first unencodable string is, e.g. ``emails.0.address``."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return path or None
        return None
    items = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and _surrogate_path(key) is not None:
            return path or str(key)
        found = _surrogate_path(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


class DamagedLine(Exception):
    """A journal line that is not torn but unreadable; ``offset`` is relative to the tail."""

    def __init__(self, offset: int, problem: str) -> None:
        super().__init__(problem)
        self.offset = offset
        self.problem = problem


Record = list[tuple[str, str, dict[str, Any] | None]]


def read_lines(tail: bytes) -> tuple[list[Record], int]:
    """Parse the complete lines of ``tail``: (records, bytes consumed).

    Stops before a torn last line (damaged with nothing after it); raises
    ``DamagedLine`` for a damaged line with more lines after it. A last line
    that lacks only its newline but is a whole, valid entry is kept: no prefix
    of an entry is valid JSON, so it was written whole (the writer adds the
    missing newline before its own line). Blank lines are skipped.
    """
    records: list[Record] = []
    consumed = 0
    while True:
        end = tail.find(b"\n", consumed)
        line = tail[consumed:] if end < 0 else tail[consumed:end]
        if not line.strip():
            if end < 0:
                return records, consumed
            consumed = end + 1
            continue
        try:
            record = _parse_line(line)
        except ValueError as exc:
            if end < 0 or not tail[end + 1:].strip():
                return records, consumed  # the last line, never acknowledged
            raise DamagedLine(consumed, str(exc)) from None
        records.append(record)
        consumed = len(tail) if end < 0 else end + 1


def _parse_line(line: bytes) -> Record:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    ops = value.get("ops") if isinstance(value, dict) else None
    if not isinstance(ops, list):
        raise ValueError("not a journal entry (no list of ops)")
    for op in ops:
        if not (isinstance(op, list) and len(op) == 3 and isinstance(op[0], str)
                and isinstance(op[1], str) and (op[2] is None or isinstance(op[2], dict))):
            raise ValueError(f"malformed op {str(op)[:80]}")
    return ops
