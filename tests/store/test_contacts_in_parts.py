"""Every contact, and every timeline entry, built through the derived index a part at a
time, without parsing the table: the same records, in the same order, as parsing it
gives, with the journal's writes in their places; a malformed record is still named,
and writes afterwards still reach them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nurture.errors import DataFileError
from nurture.model import FollowUp
from nurture.store import index, open_store
from nurture.store.repository import CONTACTS, INTERACTIONS, Store

from .conftest import journal_of, make_contact, make_entry

PEOPLE = 1_234  # more than two parts of 500


def _book(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts(make_contact(f"c-{n:04d}", f"Person {n}", interests=[f"t{n % 7}"])
                            for n in range(PEOPLE))
        store.checkpoint()  # laid out, with its index
        # Then, in the journal: an edit, a deletion, someone new.
        edited = store.contact("c-0600")
        assert edited is not None
        edited.display_name = "Aaron Edited"
        store.save_contact(edited)
        store.delete_contact("c-0007")
        store.save_contact(make_contact("c-new", "Zoe New"))
        store.close(fold=False)
    assert journal_of(db).exists()


def _built(store: Store) -> list[tuple[str, str, int]]:
    items = store._caches[CONTACTS].items
    assert items is not None
    return [(cid, c.display_name, c.revision) for cid, c in items.items()]


def test_every_contact_without_parsing_the_table(db: Path) -> None:
    _book(db)
    with open_store(db) as store:
        in_parts = [c.id for c in store.contacts()]
        assert CONTACTS in store._db.storage._mem.lazy  # the table was never parsed
        built = _built(store)
        one = store.contact("c-0600")  # a private copy, still without the parse
        assert CONTACTS in store._db.storage._mem.lazy
    with open_store(db) as store:
        store._db.raw_table(CONTACTS)  # parsed first: the models are built from it
        whole = [c.id for c in store.contacts()]
        assert _built(store) == built  # the same documents, in the same order
    assert in_parts == whole and len(whole) == PEOPLE
    assert whole[0] == "c-0600" and whole[-1] == "c-new" and "c-0007" not in whole
    assert one is not None and one.display_name == "Aaron Edited"


def _rename(store: Store, contact_id: str, name: str) -> None:
    contact = store.contact(contact_id)
    assert contact is not None
    contact.display_name = name
    store.save_contact(contact)


def test_writes_after_building_from_the_index(db: Path) -> None:
    """Edits in this store and another, and a deletion, reach the built contacts."""
    _book(db)
    with open_store(db) as store, open_store(db) as other:
        store.contacts()
        _rename(store, "c-0001", "Bea Mine")
        _rename(other, "c-0002", "Cleo Theirs")
        store.delete_contact("c-0003")
        names = {c.id: c.display_name for c in store.contacts()}
        # The writes, ours and theirs, each read their own documents: no parse.
        assert CONTACTS in store._db.storage._mem.lazy
    assert names["c-0001"] == "Bea Mine" and names["c-0002"] == "Cleo Theirs"
    assert "c-0003" not in names and len(names) == PEOPLE - 1


def test_a_malformed_record_in_the_journal_is_named(db: Path) -> None:
    _book(db)
    with open_store(db) as store:
        store._db.upsert(CONTACTS, "c-0100", {"id": "c-0100", "display_name": "Bad",
                                              "cadence_days": "often"})
        store.close(fold=False)
    with open_store(db) as store, pytest.raises(DataFileError, match=r"c-0100.*cadence_days"):
        store.contacts()


def test_a_range_that_holds_another_document_falls_back_to_the_parse(db: Path) -> None:
    """An index whose ranges were tampered with costs time, never a wrong person."""
    _book(db)
    with sqlite3.connect(index.path_for(db)) as tampered:
        tampered.execute("UPDATE person SET (start, end) = (SELECT start, end FROM person "
                         "WHERE id = 'c-0003') WHERE id = 'c-0900'")
    with open_store(db) as store:
        names = {c.id: c.display_name for c in store.contacts()}
        assert CONTACTS not in store._db.storage._mem.lazy  # parsed after all
    assert names["c-0900"] == "Person 900" and names["c-0003"] == "Person 3"
    assert len(names) == PEOPLE


ENTRIES = 1_100


def _timeline_book(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts(make_contact(f"c-{n}", f"Person {n}") for n in range(5))
        entries = []
        for n in range(ENTRIES):
            entry = make_entry(f"i-{n:04d}", f"c-{n % 5}", days_ago=n % 97, text=f"entry {n}")
            entry.source_ids = [f"<m{n}@example.org>"] if n % 10 == 0 else []
            entry.follow_ups = [FollowUp(f"do {n}")] if n % 9 == 0 else []
            entries.append(entry)
        store.save_interactions(entries)
        store.checkpoint()
        edited = store.interaction("i-0500")
        assert edited is not None
        edited.text = "edited"
        store.save_interaction(edited)
        store._db.storage.commit([(INTERACTIONS, "i-0007", None)])
        store.save_interaction(make_entry("i-new", "c-2", text="new"))
        store.close(fold=False)


def test_the_timeline_without_parsing_its_table(db: Path) -> None:
    _timeline_book(db)
    with open_store(db) as store:
        in_parts = [(e.id, e.text) for e in store.interactions()]
        items = store._caches[INTERACTIONS].items
        assert items is not None
        order = list(items)
        opened = [e.id for e in store.entries_with_open_follow_ups()]
        sources = store.source_index()
        theirs = [e.id for e in store.interactions("c-2")]
        assert INTERACTIONS in store._db.storage._mem.lazy  # none of these parsed it
    with open_store(db) as store:
        store._db.raw_table(INTERACTIONS)  # parsed first: built from it
        assert [(e.id, e.text) for e in store.interactions()] == in_parts
        assert list(store._caches[INTERACTIONS].items or ()) == order
        assert [e.id for e in store.entries_with_open_follow_ups()] == opened
        assert store.source_index() == sources
        assert [e.id for e in store.interactions("c-2")] == theirs
    assert len(in_parts) == ENTRIES and ("i-0500", "edited") in in_parts
    assert "i-0007" not in dict(in_parts) and "i-new" in theirs
    assert len(opened) == len([n for n in range(ENTRIES) if n % 9 == 0])
    assert sources["<m10@example.org>"] == "i-0010"


def test_writes_reach_the_timeline_built_in_parts(db: Path) -> None:
    _timeline_book(db)
    with open_store(db) as store, open_store(db) as other:
        store.interactions()
        store.save_interaction(make_entry("i-mine", "c-1", text="mine"))
        other.save_interaction(make_entry("i-theirs", "c-1", text="theirs"))
        store.delete_interaction("i-0001")
        ids = {e.id for e in store.interactions("c-1")}
        assert INTERACTIONS in store._db.storage._mem.lazy
    assert {"i-mine", "i-theirs"} <= ids and "i-0001" not in ids


def test_a_record_deleted_then_written_again_comes_last_as_the_parse_puts_it(db: Path) -> None:
    """Found in review: the journal's last write of each record took the place of its
    first, where the parse puts a record deleted and written again last (here it decided
    which of two entries holding one message id capture finds)."""
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "A"))
        store.save_interactions([make_entry(i, "c-1") for i in ("i-a", "i-b")])
        for entry_id in ("i-a", "i-b"):
            entry = store.interaction(entry_id)
            assert entry is not None
            entry.source_ids = ["<m@x>"]
            store.save_interaction(entry)
        store.checkpoint()
        gone = store.delete_interaction("i-a")
        store.save_interaction(gone)  # undone
        store.close(fold=False)
    with open_store(db) as store:
        store.interactions()
        in_parts = (list(store._caches[INTERACTIONS].items or ()), store.source_index())
    with open_store(db) as store:
        store._db.raw_table(INTERACTIONS)
        store.interactions()
        parsed = (list(store._caches[INTERACTIONS].items or ()), store.source_index())
    assert in_parts == parsed


def test_a_closed_store_lets_the_file_go(db: Path) -> None:
    """Found in review: the tables built through the index stay unparsed, so the file
    stayed open after close (a fold by another process could not free its space)."""
    from nurture.store.tables import FileBytes

    _book(db)
    store = open_store(db)
    store.contacts()
    raw = store._db.storage._mem.raw
    assert isinstance(raw, FileBytes) and raw.fd is not None
    store.close(fold=False)
    assert raw.fd is None


def test_a_change_that_cannot_be_read_leaves_no_stale_contacts(db: Path, monkeypatch) -> None:
    """Found in review: reading a changed document failed before the built contacts were
    told, and they stayed as they were while the journal had moved on."""
    _book(db)
    with open_store(db) as store, open_store(db) as other:
        store.contacts()
        _rename(other, "c-0002", "Cleo Theirs")
        storage = store._db.storage

        def fail(*args: object, **kwargs: object) -> None:
            raise DataFileError(db, "was changed in place while Nurture was reading it")

        monkeypatch.setattr(storage, "indexed", fail)
        with pytest.raises(DataFileError, match="changed in place"):
            store.contacts()
        monkeypatch.undo()
        names = {c.id: c.display_name for c in store.contacts()}
    assert names["c-0002"] == "Cleo Theirs"


def test_a_change_to_two_tables_that_cannot_be_read_leaves_neither_stale(
        db: Path, monkeypatch) -> None:
    """Found in review: the tables after the one whose documents could not be read were
    never told of the change (the journal had moved on), and stayed stale for good."""
    _book(db)
    with open_store(db) as store, open_store(db) as other:
        store.contacts()
        store.interactions()
        with other.batch():
            _rename(other, "c-0002", "Cleo Theirs")
            other.save_interaction(make_entry("i-new", "c-0002"))
        storage = store._db.storage
        real, calls = storage.indexed, []

        def fail_once(*args: object, **kwargs: object) -> object:
            if not calls:
                calls.append(True)
                raise DataFileError(db, "was changed in place while Nurture was reading it")
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(storage, "indexed", fail_once)
        with pytest.raises(DataFileError, match="changed in place"):
            store.contacts()
        names = {c.id: c.display_name for c in store.contacts()}
        entries = {e.id for e in store.interactions("c-0002")}
    assert names["c-0002"] == "Cleo Theirs" and "i-new" in entries


def test_reading_after_close_is_one_sentence(db: Path) -> None:
    """Found in review: letting the file go at close turned a later read of a table built
    through the index into a bare AssertionError."""
    _timeline_book(db)
    store = open_store(db)
    timelines = store.review_timelines()
    store.close(fold=False)
    with pytest.raises(DataFileError, match="closed"):
        timelines["c-1"]
    with pytest.raises(DataFileError, match="closed"):
        store.contacts()
