"""The derived index beside the data file (``<file>.index``): written at each checkpoint, used
only for exactly the file it describes, with the journal's later changes laid over it, and
never needed: a stale, missing, foreign or damaged index costs time, never an answer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import orjson
import pytest

from nurture.model import FollowUp
from nurture.store import Store, index, open_store
from nurture.store.loading import encode_with_index

from .conftest import make_contact, make_entry


def _index_of(db: Path) -> Path:
    return db.with_name(db.name + ".index")


def _book(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts([make_contact(f"c-{n}", f"Person {n}") for n in range(3)])
        entries = [make_entry(f"i-{n}", f"c-{n % 3}", *(["c-2"] if n % 4 == 0 else []),
                              days_ago=n) for n in range(12)]
        entries[5].follow_ups = [FollowUp("call back")]
        entries[6].follow_ups = [FollowUp("done", done=entries[6].at)]
        store.save_interactions(entries)
        store.checkpoint()
        store.close(fold=False)


def _answers(store: Store) -> tuple[dict[str, list[str]], list[str]]:
    people = {cid: [e.id for e in store.interactions(cid)] for cid in ("c-0", "c-1", "c-2")}
    return people, [e.id for e in store.entries_with_open_follow_ups()]


def _expected(db: Path) -> tuple[dict[str, list[str]], list[str]]:
    """The same questions answered from the whole, parsed timeline."""
    with open_store(db) as store:
        store.interactions()  # builds everything: no index involved
        return _answers(store)


def _used_index(store: Store) -> bool:
    return "interactions" in store._db.storage._mem.lazy  # answered without parsing it


def test_the_encoder_notes_each_documents_range_in_exactly_orjsons_bytes() -> None:
    data = {"_meta": {"schema": {"version": 1}},
            "interactions": {"i-1": {"id": "i-1", "text": "Zoë\n\"x\"", "follow_ups": []},
                             "i-2": {}, "i-3": {"nested": {"a": [1, {"b": None}]}}},
            "contacts": {}}
    blob, spans, docs = encode_with_index(data, "interactions")
    assert blob == orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    assert {k: orjson.loads(blob[a:b]) for k, (a, b) in docs.items()} == data["interactions"]
    assert {k: orjson.loads(blob[a:b]) for k, (a, b) in spans.items()} == data


def test_a_checkpoint_writes_it_and_show_reads_a_few_documents(db: Path) -> None:
    _book(db)
    assert _index_of(db).exists()
    expected = _expected(db)
    with open_store(db) as store:
        assert _answers(store) == expected and _used_index(store)
    assert expected[1] == ["i-5"] and len(expected[0]["c-2"]) == 6


def test_the_journals_later_writes_are_laid_over_it(db: Path) -> None:
    _book(db)
    with open_store(db) as store:  # another process's writes, in the journal
        store.save_interaction(make_entry("i-new", "c-1", text="new"))
        store._db.storage.commit([("interactions", "i-4", None)])  # c-1 and c-2 lose it
        moved = make_entry("i-1", "c-0", days_ago=1)  # was c-1's: now c-0's
        moved.follow_ups = [FollowUp("now open")]
        store.save_interaction(moved)
        closed = store.interaction("i-5")
        closed.follow_ups[0].done = closed.at
        store.save_interaction(closed)
        store.close(fold=False)
    expected = _expected(db)
    with open_store(db) as store:
        assert "interactions" in store._db.storage._mem.lazy
        assert _answers(store) == expected and _used_index(store)
        store.save_interaction(make_entry("i-mine", "c-2"))  # this process's own write
        assert "i-mine" in [e.id for e in store.interactions("c-2")]
    assert expected[1] == ["i-1"] and "i-new" in expected[0]["c-1"]


@pytest.mark.parametrize("damage", ["missing", "garbage", "stale", "foreign", "bad span",
                                    "edited file"])
def test_a_damaged_or_stale_index_is_ignored(db: Path, damage: str) -> None:
    _book(db)
    expected = _expected(db)
    path = _index_of(db)
    value = json.loads(path.read_bytes())
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 100)
    elif damage == "stale":
        value["gen"] -= 1
        path.write_text(json.dumps(value))
    elif damage == "foreign":
        value["uid"] = "another file"
        path.write_text(json.dumps(value))
    elif damage == "bad span":
        first = value["by_contact"]["c-1"][0]
        value["by_contact"]["c-1"][0] = [first[0] + 3, first[1], first[2]]  # mid-document
        value["open"] = [[1, 2, "i-5"]]
        path.write_text(json.dumps(value))
    else:  # the data file edited in place by hand: same inode, another size
        with open(db, "ab") as handle:
            handle.write(b"\n")
    with open_store(db) as store:
        assert _answers(store) == expected


def test_a_checkpoint_that_fails_leaves_no_stale_index(db: Path, monkeypatch) -> None:
    _book(db)
    from nurture import fsutil

    real = fsutil.atomic_write

    def fail_on_data_file(path: Path, *args: object, **kwargs: object) -> None:
        if path == db:
            raise OSError(28, "No space left on device")
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    with open_store(db) as store:
        store.save_interaction(make_entry("i-new", "c-1"))
        monkeypatch.setattr(fsutil, "atomic_write", fail_on_data_file)
        with pytest.raises(Exception, match="No space left"):
            store.checkpoint()
        monkeypatch.undo()
        store.close(fold=False)
    assert not _index_of(db).exists()
    with open_store(db) as store:
        assert "i-new" in [e.id for e in store.interactions("c-1")]


def test_the_index_is_private(db: Path) -> None:
    _book(db)
    assert os.stat(_index_of(db)).st_mode & 0o777 == 0o600
    assert index.path_for(db) == _index_of(db)


def test_ranges_read_from_a_file_changed_in_place_are_refused(db: Path) -> None:
    from nurture.errors import DataFileError

    _book(db)
    with open_store(db) as store:
        with open(db, "ab") as handle:  # a hand edit in place (its size tells)
            handle.write(b" ")
        with pytest.raises(DataFileError, match="changed in place"):
            store._db.storage.indexed("interactions", "c-1")


@pytest.mark.parametrize("ids", [[["c-1"]], [{"a": 1}], "c-1", [1]])
def test_a_record_too_malformed_to_index_costs_the_index_not_the_fold(db: Path, ids) -> None:
    # Found in review: a hand-edited ``contact_ids`` made every fold raise TypeError after
    # the data file was replaced, so every command ended in a traceback.
    _book(db)
    raw = json.loads(db.read_bytes())
    raw["interactions"]["i-3"]["contact_ids"] = ids
    db.write_bytes(json.dumps(raw).encode())
    os.chmod(db, 0o600)
    with open_store(db) as store:
        store.save_contact(make_contact("c-9", "Someone New"))  # a journal to fold
        store.checkpoint()  # no exception: the file is folded, the index left out
        store.close(fold=False)
    assert not _index_of(db).exists()
    assert "c-9" in json.loads(db.read_bytes())["contacts"]
    # The record is named when someone's timeline is read.
    with open_store(db) as store, pytest.raises(Exception, match="i-3"):
        store.interactions()
