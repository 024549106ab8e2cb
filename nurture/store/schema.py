"""The data file's shape: version stamp, validation and the migration registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from nurture.errors import DataFileError

META = "_meta"
META_ID = "schema"
SCHEMA_VERSION = 1

# Documents in these tables must carry these keys; anything else is not our file.
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "contacts": ("id", "display_name"),
    "interactions": ("id", "contact_ids", "kind", "at"),
    "review": ("key", "status", "at"),
    "news": ("id", "title"),
    "feeds": ("url",),
    "drafts": ("id", "contact_id"),
    "quick_notes": ("id", "contact_id", "started"),
}

Data = dict[str, dict[str, Any]]

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


def new_data() -> Data:
    return {META: {META_ID: {"version": SCHEMA_VERSION, "gen": 0}}}


def meta(data: Data) -> dict[str, Any]:
    return data[META][META_ID]


def check_shape(path: Path, data: Any) -> int:
    """Refuse anything that is not a Nurture data file; return its schema version."""
    if not isinstance(data, dict):
        raise DataFileError(path, f"valid JSON, but not a Nurture data file "
                                  f"(the top level is {type(data).__name__}, not an object)")
    version = 0
    stamp = data.get(META, {}).get(META_ID) if isinstance(data.get(META), dict) else None
    if stamp is not None:
        if not isinstance(stamp, dict) or not isinstance(stamp.get("version"), int):
            raise DataFileError(path, "the schema stamp (_meta.schema.version) is not a number")
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
        if table == META:
            continue
        if not isinstance(docs, dict):
            raise DataFileError(path, f"table {table!r} is not an object of documents")
        required = REQUIRED_KEYS.get(table, ())
        for doc_id, doc in docs.items():
            if not isinstance(doc, dict):
                raise DataFileError(path, f"{table}[{doc_id!r}] is not an object")
            for key in required:
                if key not in doc:
                    raise DataFileError(path, f"{table}[{doc_id!r}] has no {key!r} field")
    return version


def migrate(data: Data, version: int) -> Data:
    """Run the registered steps from ``version`` up to the current schema."""
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    gen = data.get(META, {}).get(META_ID, {}).get("gen", 0)
    data[META] = {META_ID: {"version": SCHEMA_VERSION, "gen": gen}}
    return data
