"""Every contact built through the derived index, a part at a time, without parsing the
contacts table: the same people, in the same order, as parsing it gives, with the
journal's writes in their places; a malformed record is still named, and a write
afterwards still works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nurture.errors import DataFileError
from nurture.store import index, open_store
from nurture.store.repository import CONTACTS, Store

from .conftest import journal_of, make_contact

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


def test_writes_after_building_from_the_index(db: Path) -> None:
    """Edits in this store and another, and a deletion, reach the built contacts."""
    _book(db)
    with open_store(db) as store, open_store(db) as other:
        store.contacts()
        mine = store.contact("c-0001")
        assert mine is not None
        mine.display_name = "Bea Mine"
        store.save_contact(mine)
        theirs = other.contact("c-0002")
        assert theirs is not None
        theirs.display_name = "Cleo Theirs"
        other.save_contact(theirs)
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
