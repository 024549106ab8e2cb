"""Tables parsed on first use: the layout, deferred writes, and falling back to a full parse."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import orjson
import pytest

from nurture.errors import DataFileError
from nurture.store import Store, open_store
from nurture.store.loading import encode_with_layout

from .conftest import journal_of, make_contact, make_entry


def _unparsed(store: Store) -> set[str]:
    return set(store._db.storage._mem.lazy)


@pytest.fixture
def folded(db: Path) -> Path:
    """A book folded by a checkpoint: its journal header records the file's layout."""
    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann"), make_contact("c-2", "Ben")])
        store.save_interactions([make_entry("i-1", "c-1", days_ago=3),
                                 make_entry("i-2", "c-2", days_ago=1)])
        store.checkpoint()
    return db


def test_the_layout_encoder_writes_exactly_what_orjson_writes() -> None:
    data = {"_meta": {"schema": {"version": 1, "gen": 3, "uid": "x"}},
            "contacts": {"c-1": {"id": "c-1", "display_name": "Zoë\nline", "emails": [],
                                 "extra": {"nested": {"a": [1, 2.5, None, True]}}}},
            "empty": {}, "news": {"n-1": {"id": "n-1", "title": "\"quoted\" \\ back"}}}
    blob, spans = encode_with_layout(data)
    assert blob == orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    for name, (start, end) in spans.items():
        assert orjson.loads(blob[start:end]) == data[name]


def test_opening_a_folded_book_parses_nothing_but_what_is_read(folded: Path) -> None:
    store = open_store(folded)
    assert _unparsed(store) == {"contacts", "interactions"}
    assert [c.display_name for c in store.contacts()] == ["Ann", "Ben"]
    # Built through the index, a part at a time; `nurture list` never parses the timeline.
    assert _unparsed(store) == {"contacts", "interactions"}
    assert [e.id for e in store.interactions()] == ["i-2", "i-1"]
    assert _unparsed(store) == {"contacts", "interactions"}  # the timeline too


def test_writes_to_an_unparsed_table_wait_and_apply_in_order(folded: Path) -> None:
    store = open_store(folded)
    store.save_interaction(make_entry("i-3", "c-1"))
    # Store.delete_interaction reads the entry first (which parses): delete below it.
    store._db.storage.commit([("interactions", "i-1", None)])
    store.save_interaction(make_entry("i-3", "c-1", text="edited"))
    assert "interactions" in _unparsed(store)  # three writes, and still no parse
    assert {e.id: e.text for e in store.interactions()} == {"i-2": "", "i-3": "edited"}
    reopened = open_store(folded)  # from the journal, over the lazily parsed file
    assert {e.id: e.text for e in reopened.interactions()} == {"i-2": "", "i-3": "edited"}


def test_a_failed_batch_takes_back_writes_to_an_unparsed_table(folded: Path) -> None:
    store = open_store(folded)
    with pytest.raises(RuntimeError), store.batch():
        store._db.upsert("interactions", "i-9", {"id": "i-9", "contact_ids": ["c-1"],
                                                  "kind": "call", "at": "2026-01-01T00:00:00Z"})
        raise RuntimeError("undo it")
    assert "interactions" in _unparsed(store)
    assert [e.id for e in store.interactions()] == ["i-2", "i-1"]


def test_a_write_undone_after_its_table_was_parsed_mid_batch(folded: Path) -> None:
    store = open_store(folded)
    with pytest.raises(RuntimeError), store.batch():
        store.save_interaction(make_entry("i-1", "c-1", text="changed"))  # waits: unparsed
        assert store.interaction("i-1").text == "changed"  # this read parses the table
        raise RuntimeError("undo it")
    assert store.interaction("i-1").text == ""


def test_a_failed_append_takes_back_a_deferred_write(folded: Path, monkeypatch) -> None:
    store = open_store(folded)

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(DataFileError, match="Input/output"):
        store.save_interaction(make_entry("i-3", "c-1"))
    monkeypatch.undo()
    assert store.interaction("i-3") is None
    assert [e.id for e in store.interactions()] == ["i-2", "i-1"]


def test_a_file_edited_by_hand_is_parsed_whole_and_checked(folded: Path) -> None:
    data = orjson.loads(folded.read_bytes())
    data["contacts"]["c-1"]["display_name"] = "Ann (edited by hand)"
    folded.write_bytes(orjson.dumps(data))  # same generation, different bytes
    store = open_store(folded)
    assert _unparsed(store) == set()
    assert store.contact("c-1").display_name == "Ann (edited by hand)"


def test_a_header_layout_that_does_not_fit_the_file_is_ignored(folded: Path) -> None:
    lines = journal_of(folded).read_bytes().split(b"\n", 1)
    head = orjson.loads(lines[0])
    head["data"]["tables"]["contacts"] = [5, 10**9]  # nonsense, with the right signature
    journal_of(folded).write_bytes(orjson.dumps(head) + b"\n" + lines[1])
    store = open_store(folded)
    assert _unparsed(store) == set() and len(store.contacts()) == 2


def test_another_process_s_writes_reach_an_unparsed_table(folded: Path) -> None:
    ours, theirs = open_store(folded), open_store(folded)
    theirs.save_interaction(make_entry("i-3", "c-1"))
    theirs.checkpoint()  # a new file: ours reloads it lazily
    theirs.save_interaction(make_entry("i-4", "c-2"))
    assert [c.id for c in ours.contacts()] == ["c-1", "c-2"]
    assert "interactions" in _unparsed(ours)
    assert {e.id for e in ours.interactions()} == {"i-1", "i-2", "i-3", "i-4"}


def test_a_folded_book_is_read_a_range_at_a_time_not_whole(folded: Path) -> None:
    from nurture.store.tables import FileBytes

    store = open_store(folded)
    mem = store._db.storage._mem
    assert isinstance(mem.raw, FileBytes)  # no copy of the file's bytes in memory
    assert [c.display_name for c in store.contacts()] == ["Ann", "Ben"]
    assert [e.id for e in store.interactions()] == ["i-2", "i-1"]
    assert isinstance(mem.raw, FileBytes)  # built in parts: both still unparsed
    assert set(mem.lazy) == {"contacts", "interactions"}
    store._db.raw_table("contacts")
    store._db.raw_table("interactions")
    assert mem.raw is None and mem.lazy == {}  # all parsed: the file is let go


def test_a_file_changed_in_place_under_a_reader_is_refused_then_reread(folded: Path) -> None:
    store = open_store(folded)
    with open(folded, "r+b") as handle:  # a hand edit in place: same inode
        handle.seek(0, os.SEEK_END)
        handle.write(b"\n")
    with pytest.raises(DataFileError, match="changed in place"):
        store._db.storage._mem.table("interactions")  # the bytes under it moved
    # Through the store, the change is noticed first and the file read again.
    assert [e.id for e in store.interactions()] == ["i-2", "i-1"]


def test_everyone_unordered_is_everyone_and_refuses_a_filter(tmp_path) -> None:
    # For the rules, which rank what they find: the same people, not sorted by name.
    from nurture.model import Contact

    path = tmp_path / "book.json"
    with open_store(path, backups_keep=0) as store:
        store.save_contacts([Contact.new(name) for name in ("Zoë", "anna", "Émile", "Bo")])
    with open_store(path, backups_keep=0) as store:
        ordered = store.contacts()
        unordered = store.contacts(ordered=False)
        assert sorted(c.id for c in unordered) == sorted(c.id for c in ordered)
        assert [c.display_name for c in ordered] == ["anna", "Bo", "Émile", "Zoë"]
        with pytest.raises(ValueError, match="everyone"):
            store.contacts(tags=["x"], ordered=False)
