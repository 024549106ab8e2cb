"""TinyDB over the journaled storage: queries run on the in-memory data, writes journal.

TinyDB's own ``Table._update_table`` copies the whole table and hands it to the
storage to rewrite; ours lets the updater work on the live table through a
tracker that keeps a pre-image of every document it hands out, then journals
only the documents whose JSON actually changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from nurture.store.storage import Changes, JournaledStorage


class _Tracking(MutableMapping[str, Any]):
    """A table seen by TinyDB's updaters: remembers each document's JSON before it was touched."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.before: dict[str, bytes | None] = {}

    def _remember(self, key: str) -> None:
        if key not in self.before:
            doc = self.raw.get(key)
            self.before[key] = None if doc is None else orjson.dumps(doc)

    def __getitem__(self, key: Any) -> Any:
        key = str(key)
        value = self.raw[key]
        self._remember(key)  # the updater may change it in place
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        key = str(key)
        self._remember(key)
        self.raw[key] = value

    def __delitem__(self, key: Any) -> None:
        key = str(key)
        self._remember(key)
        del self.raw[key]

    def __contains__(self, key: object) -> bool:
        return str(key) in self.raw

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def _journaled(storage: Storage) -> JournaledStorage:
    """The storage under every table here (TinyDB types it as any ``Storage``)."""
    if not isinstance(storage, JournaledStorage):
        raise TypeError(f"a JournaledStorage is needed, not {type(storage).__name__}")
    return storage


class JournaledTable(Table):
    """TinyDB's Table with string ids and writes that cost one journal line, not a rewrite."""

    # TinyDB types document ids as int and ``_next_id`` as None (set in its __init__
    # without annotation); ours are the store's string ids and a counter.
    document_id_class = str  # type: ignore[assignment]  # string ids, see above
    _next_id: int | None  # type: ignore[assignment]  # a counter, see above

    def __init__(self, storage: Storage, name: str, cache_size: int = 0,
                 persist_empty: bool = False) -> None:
        # No query cache by default: the data is in memory already, and a cache
        # would serve stale results after another process's write.
        super().__init__(storage, name, cache_size=cache_size, persist_empty=persist_empty)

    def _update_table(self, updater: Any) -> None:
        storage = _journaled(self._storage)
        raw = storage.table(self.name, create=True)
        tracking = _Tracking(raw)
        try:
            updater(tracking)
            ops = []
            for key, before in tracking.before.items():
                doc = raw.get(key)
                after = None if doc is None else orjson.dumps(doc)
                if after != before:
                    ops.append((self.name, key, None if after is None else orjson.loads(after)))
        finally:
            # Put memory back as it was; commit() applies the changes properly
            # (durably, or not at all).
            for key, before in tracking.before.items():
                if before is None:
                    raw.pop(key, None)
                else:
                    raw[key] = orjson.loads(before)
        if ops:
            storage.commit(ops)
        self.clear_cache()

    def _read_table(self) -> dict[str, Any]:
        # One table, parsed on first use (TinyDB's version asks for all of them).
        return _journaled(self._storage).table(self.name)

    def _get_next_id(self) -> str:
        # TinyDB's version adds 1 to the largest id, which fails for string ids.
        if self._next_id is None:
            numeric = [int(k) for k in self._read_table() if k.isdigit()]
            self._next_id = max(numeric, default=0) + 1
        next_id = self._next_id
        self._next_id += 1
        return str(next_id)

    def clear_cache(self) -> None:
        super().clear_cache()
        self._next_id = None  # another process may have inserted since

    def replace(self, doc_id: str, document: dict[str, Any]) -> None:
        """Set the whole document ``doc_id`` (insert or overwrite)."""
        _journaled(self._storage).commit([(self.name, doc_id, dict(document))])


class _TinyDB(TinyDB):
    table_class = JournaledTable

    def drop_table(self, name: str) -> None:
        # TinyDB's version edits the live data in place before writing it back,
        # which a journal cannot see; delete the documents as ops instead.
        self._tables.pop(name, None)
        storage = _journaled(self.storage)
        docs = storage.table(name)
        if docs:
            storage.commit([(name, doc_id, None) for doc_id in list(docs)])


class NurtureDB:
    """TinyDB over a ``JournaledStorage``: what the repository talks to."""

    def __init__(self, path: Path, *, backups_keep: int = 7, create: bool = True,
                 auto_fold: bool = True) -> None:
        self.tinydb = _TinyDB(str(path), storage=JournaledStorage, create=create,
                              backups_keep=backups_keep, auto_fold=auto_fold)
        self.storage = _journaled(self.tinydb.storage)
        self.path = self.storage.path

    def table(self, name: str) -> JournaledTable:
        table = self.tinydb.table(name)
        if not isinstance(table, JournaledTable):
            raise TypeError(f"table {name!r} is a {type(table).__name__}, not a JournaledTable")
        return table

    def raw_table(self, name: str) -> dict[str, dict[str, Any]]:
        """The live documents of a table (read-only), without copying."""
        return self.storage.table(name)

    def upsert(self, table: str, doc_id: str, doc: dict[str, Any]) -> None:
        self.storage.commit([(table, doc_id, doc)])

    def delete(self, table: str, doc_id: str) -> None:
        if doc_id in self.raw_table(table):
            self.storage.commit([(table, doc_id, None)])

    def get(self, table: str, doc_id: str) -> dict[str, Any] | None:
        """A copy of document ``doc_id`` of ``table``, or None."""
        doc = self.raw_table(table).get(doc_id)
        return None if doc is None else dict(doc)

    def batch(self) -> contextlib.AbstractContextManager[Changes]:
        return self.storage.batch()

    def refresh(self) -> Changes | None:
        return self.storage.refresh()

    def checkpoint(self) -> Changes:
        return self.storage.checkpoint()

    def close(self, *, fold: bool = True) -> None:
        if not fold:
            self.storage.close(fold=False)
        self.tinydb.close()


def open_db(path: Path, *, backups_keep: int = 7, create: bool = True,
            auto_fold: bool = True) -> NurtureDB:
    return NurtureDB(path, backups_keep=backups_keep, create=create, auto_fold=auto_fold)
