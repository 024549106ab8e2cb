"""The journaled storage: failed writes change nothing, batches, TinyDB's API, threads."""

from __future__ import annotations

import errno
import os
import threading
import weakref
from pathlib import Path

import orjson
import pytest
from tinydb import Query

from nurture.errors import DataFileError, ValidationError
from nurture.store import open_store, storage
from nurture.store.db import open_db

from .conftest import journal_of, make_contact, make_entry


def _disk_full_on_journal(monkeypatch: pytest.MonkeyPatch, db: Path, *,
                          half: bool = True) -> None:
    """Make the next journal append write part of its line, then fail with ENOSPC."""
    real_write = os.write
    journal_ino = journal_of(db).stat().st_ino

    def write(fd: int, data: bytes) -> int:
        if os.fstat(fd).st_ino == journal_ino:
            if half:
                real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_a_failed_append_changes_nothing_in_memory_or_on_disk(db: Path, monkeypatch) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    journal_before = journal_of(db).read_bytes()
    _disk_full_on_journal(monkeypatch, db)
    # One sentence naming the journal (no traceback at the CLI), not a bare OSError.
    with pytest.raises(DataFileError, match=r"\.journal: could not be written: the disk is "
                                            r"full \(No space left on device\); nothing was "
                                            r"saved$"):
        store.save_contact(make_contact("c-2", "Ben"))
    with pytest.raises(DataFileError, match="No space"):
        store.save_contact(make_contact("c-1", "Ann renamed"))
    monkeypatch.undo()
    assert journal_of(db).read_bytes() == journal_before  # the half line was cut off
    assert [c.display_name for c in store.contacts()] == ["Ann"]
    store.save_contact(make_contact("c-3", "Cleo"))  # and the next write is clean
    assert sorted(c.display_name for c in open_store(db).contacts()) == ["Ann", "Cleo"]


def test_a_failed_fsync_is_not_acknowledged_and_is_rolled_back(db: Path, monkeypatch) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    before = journal_of(db).read_bytes()

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(DataFileError, match="Input/output"):
        store.save_interaction(make_entry("i-1", "c-1"))
    monkeypatch.undo()
    assert journal_of(db).read_bytes() == before
    assert store.interactions() == [] and store.interaction("i-1") is None


def test_a_failed_batch_write_puts_everything_back(db: Path, monkeypatch) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    assert store.contacts()  # the cache is built: it must be put back too
    _disk_full_on_journal(monkeypatch, db)
    with pytest.raises(DataFileError), store.batch():
        store.save_contact(make_contact("c-1", "Ann renamed"))
        store.save_contact(make_contact("c-2", "Ben"))
        assert len(store.contacts()) == 2  # reads inside see the batch
    monkeypatch.undo()
    assert [c.display_name for c in store.contacts()] == ["Ann"]


def test_a_checkpoint_that_fails_after_the_append_does_not_fail_the_write(db: Path,
                                                                          monkeypatch) -> None:
    store = open_store(db)
    monkeypatch.setattr(storage, "JOURNAL_MAX_LINES", 1)  # fold after every write
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        if str(dst) == str(db):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    store.save_contact(make_contact("c-1", "Ann"))  # durable in the journal: no error
    monkeypatch.undo()
    assert [c.display_name for c in open_store(db).contacts()] == ["Ann"]
    assert not list(db.parent.glob(".*.tmp"))


def test_unstorable_text_is_refused_before_anything_changes(db: Path) -> None:
    store = open_store(db)
    bad = make_contact("c-1", "Ann")
    bad.notes = "lone surrogate \udcff from a mis-encoded terminal"
    with pytest.raises(ValidationError, match="not valid Unicode"):
        store.save_contact(bad)
    assert store.contacts() == []
    assert journal_of(db).read_bytes().count(b"\n") == 1


def test_a_batch_is_one_journal_line_and_a_failed_block_undoes_its_level(db: Path) -> None:
    store = open_store(db)
    with store.batch():
        store.save_contact(make_contact("c-1", "Ann"))
        with pytest.raises(RuntimeError), store.batch():
            store.save_contact(make_contact("c-2", "Ben"))
            store.save_contact(make_contact("c-1", "Ann changed inside"))
            raise RuntimeError("the inner block fails")
        assert [c.display_name for c in store.contacts()] == ["Ann"]
        store.save_interaction(make_entry("i-1", "c-1"))
    lines = journal_of(db).read_bytes().splitlines()
    assert len(lines) == 2  # header + one line for the whole batch
    assert [op[1] for op in orjson.loads(lines[1])["ops"]] == ["c-1", "i-1"]
    reopened = open_store(db)
    assert [c.display_name for c in reopened.contacts()] == ["Ann"]
    assert [e.id for e in reopened.interactions()] == ["i-1"]


def test_an_outer_batch_that_fails_writes_nothing(db: Path) -> None:
    store = open_store(db)
    size = journal_of(db).stat().st_size
    with pytest.raises(KeyError), store.batch():
        store.save_contacts([make_contact("c-1", "Ann"), make_contact("c-2", "Ben")])
        raise KeyError("oops")
    assert journal_of(db).stat().st_size == size
    assert store.contacts() == [] and open_store(db).contacts() == []


# ---------------------------------------------------------------- TinyDB's own API


def test_a_conditional_tinydb_update_journals_only_the_documents_it_changed(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts(make_contact(f"c-{n}", f"Person {n}") for n in range(100))
    ndb = open_db(db)
    updated = ndb.table("contacts").update({"company": "Acme"}, Query().display_name == "Person 7")
    assert updated == ["c-7"]
    last = orjson.loads(journal_of(db).read_bytes().splitlines()[-1])
    assert [op[1] for op in last["ops"]] == ["c-7"]
    assert ndb.table("contacts").search(Query().company == "Acme")[0]["id"] == "c-7"
    assert open_store(db).contact("c-7").company == "Acme"


def test_tinydb_insert_and_drop_table_are_journaled(db: Path) -> None:
    ndb = open_db(db)
    table = ndb.table("notes")
    assert table.insert({"text": "one"}) == "1"
    assert table.insert({"text": "two"}) == "2"
    again = open_db(db)
    assert sorted(d["text"] for d in again.table("notes").all()) == ["one", "two"]
    again.tinydb.drop_table("notes")
    assert open_db(db).table("notes").all() == []


def test_tinydb_queries_see_another_store_s_write_without_a_stale_cache(db: Path) -> None:
    ours, theirs = open_db(db), open_store(db)
    contacts = ours.table("contacts")
    assert contacts.search(Query().display_name == "Ann") == []
    theirs.save_contact(make_contact("c-1", "Ann"))
    ours.refresh()
    assert len(contacts.search(Query().display_name == "Ann")) == 1


# ---------------------------------------------------------------- threads and refresh


def test_threads_writing_and_reading_at_once_lose_nothing(db: Path) -> None:
    store = open_store(db)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(40):
                store.save_interaction(make_entry(f"i-{worker}-{n}", "c-1", days_ago=n))
                store.interactions("c-1")
                store.interactions_by_contact()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.interactions("c-1")) == 160
    assert len(open_store(db).interactions()) == 160


def test_refresh_reports_other_writes_and_revision_counts_changes(db: Path) -> None:
    ours, theirs = open_store(db), open_store(db)
    assert ours.refresh() is False
    start = ours.revision
    theirs.save_contact(make_contact("c-1", "Ann"))
    assert ours.refresh() is True and ours.revision > start
    assert ours.refresh() is False
    theirs.checkpoint()  # the data file is replaced: ours reloads it
    theirs.save_contact(make_contact("c-2", "Ben"))
    assert sorted(c.display_name for c in ours.contacts()) == ["Ann", "Ben"]
    ours.save_contact(make_contact("c-3", "Cleo"))
    assert len(theirs.contacts()) == 3


def test_a_closed_store_refuses_writes(db: Path) -> None:
    store = open_store(db)
    store.close()
    with pytest.raises(Exception, match="closed"):
        store.save_contact(make_contact("c-1", "Ann"))


def test_a_dropped_store_is_freed_at_once_not_pinned_by_a_cycle(db: Path) -> None:
    # Loading freezes the data for the garbage collector (memory.bulk_load), so
    # a store caught in a reference cycle would keep its whole book in memory.
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    store.save_interaction(make_entry("i-1", "c-1"))
    store.contacts(), store.interactions_by_contact(), store.resolve("ann")
    refs = [weakref.ref(store), weakref.ref(store._db), weakref.ref(store._db.storage)]
    store.close()
    del store
    assert [ref() for ref in refs] == [None, None, None]
