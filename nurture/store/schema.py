"""The data file's shape: version stamp, validation and the migration registry.

The stamp lives in the ``_meta`` table: ``{"schema": {"version": 1, "gen": 3,
"uid": "..."}}``. ``gen`` counts checkpoints and ``uid`` names the file, so a
journal can tell whether it belongs to this file and this generation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nurture.errors import DataFileError

META = "_meta"
META_ID = "schema"
SCHEMA_VERSION = 1

# Documents in these tables must carry these keys; anything else is not our file.
REQUIRED_KEYS: dict[str, frozenset[str]] = {
    "contacts": frozenset(("id", "display_name")),
    "interactions": frozenset(("id", "contact_ids", "kind", "at")),
    "review": frozenset(("key", "status", "at")),
    "news": frozenset(("id", "title")),
    "feeds": frozenset(("url",)),
    "drafts": frozenset(("id", "contact_id")),
    "quick_notes": frozenset(("id", "contact_id", "started")),
    "capture": frozenset(("key",)),
}

Data = dict[str, dict[str, Any]]

# A contact document's revision: 0 (or absent) at first, one more at every save.
REVISION = "rev"


def revision(doc: dict[str, Any] | None) -> int | None:
    """The revision of a stored document; None when there is no document."""
    if doc is None:
        return None
    value = doc.get(REVISION, 0)
    return value if type(value) is int else 0

# version N -> function turning a version-N document set into version N+1.
MIGRATIONS: dict[int, Callable[[Data], Data]] = {}


def migration(from_version: int) -> Callable[[Callable[[Data], Data]], Callable[[Data], Data]]:
    """Register the step from ``from_version`` to ``from_version + 1``."""

    def register(step: Callable[[Data], Data]) -> Callable[[Data], Data]:
        MIGRATIONS[from_version] = step
        return step

    return register


@migration(0)
def _stamp_unversioned(data: Data) -> Data:
    """Version 0 is an empty or hand-made file with our tables but no stamp."""
    return data


def new_uid() -> str:
    return os.urandom(8).hex()  # secrets.token_hex(8), without importing secrets


def new_data() -> Data:
    return {META: {META_ID: {"version": SCHEMA_VERSION, "gen": 0, "uid": new_uid()}}}


def meta(data: Data) -> dict[str, Any]:
    stamp: dict[str, Any] = data[META][META_ID]
    return stamp


def check_shape(path: Path, data: Any) -> int:
    """Refuse anything that is not a Nurture data file; return its schema version."""
    if not isinstance(data, dict):
        raise DataFileError(path, f"valid JSON, but not a Nurture data file "
                                  f"(the top level is {type(data).__name__}, not an object)")
    version = 0
    meta_table = data.get(META)
    if meta_table is not None and not isinstance(meta_table, dict):
        raise DataFileError(path, f"the {META} table is not an object; it was left untouched")
    stamp = meta_table.get(META_ID) if meta_table else None
    if stamp is not None:
        if not isinstance(stamp, dict) or type(stamp.get("version")) is not int \
                or stamp["version"] < 0:
            raise DataFileError(path, "the schema stamp (_meta.schema.version) is not a "
                                      "version number; it was left untouched")
        if type(stamp.get("gen", 0)) is not int or not isinstance(stamp.get("uid", ""), str):
            raise DataFileError(path, "the schema stamp (_meta.schema) has a bad gen or uid; "
                                      "it was left untouched")
        version = stamp["version"]
    else:
        unknown = sorted(set(data) - set(REQUIRED_KEYS) - {META})
        if unknown:
            raise DataFileError(path, f"valid JSON, but not a Nurture data file "
                                      f"(no schema stamp; unknown tables: {', '.join(unknown)})")
    if version > SCHEMA_VERSION:
        raise DataFileError(path, f"written by a newer Nurture (schema {version}; this version "
                                  f"reads up to {SCHEMA_VERSION}); it was left untouched")
    for table, docs in data.items():
        if table != META:
            check_table(path, table, docs)
    return version


def check_table(path: Path, table: str, docs: Any) -> None:
    """Refuse a table that is not an object of documents carrying the required keys."""
    if not isinstance(docs, dict):
        raise DataFileError(path, f"table {table!r} is not an object of documents")
    required = REQUIRED_KEYS.get(table, frozenset())
    for doc_id, doc in docs.items():
        if not isinstance(doc, dict):
            raise DataFileError(path, f"{table}[{doc_id!r}] is not an object")
        if not doc.keys() >= required:
            missing = sorted(required - doc.keys())
            raise DataFileError(path, f"{table}[{doc_id!r}] has no {missing[0]!r} field")


def current_stamp(meta_table: Any) -> dict[str, Any] | None:
    """The stamp of a ``_meta`` table when it is this version's, else None."""
    stamp = meta_table.get(META_ID) if isinstance(meta_table, dict) else None
    if (isinstance(stamp, dict) and type(stamp.get("version")) is int
            and stamp["version"] == SCHEMA_VERSION and type(stamp.get("gen")) is int
            and isinstance(stamp.get("uid"), str)):
        return stamp
    return None


def migrate(data: Data, version: int) -> Data:
    """Run the registered steps from ``version`` up to the current schema."""
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    old = data.get(META, {}).get(META_ID, {})
    data[META] = {META_ID: {"version": SCHEMA_VERSION, "gen": old.get("gen", 0),
                            "uid": old.get("uid") or new_uid()}}
    return data
