"""Never overwrite what cannot be read: bad files are refused, untouched, with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from nurture.cli import main
from nurture.errors import DataFileError
from nurture.store import open_store

from .conftest import fingerprint, journal_of, make_contact, make_entry

BAD_FILES = {
    "not JSON": (b'{"contacts": {"c-1": {"id": "c-1", "display_name": "Ann"', "not valid JSON"),
    "binary": (b"\xff\xfe\x00garbage", "not valid JSON"),
    "0 bytes": (b"", "is empty (0 bytes)"),
    "only whitespace": (b"\n  \n", "is empty"),
    "a list": (b"[]", "the top level is list"),
    "a string": (b'"hello"', "the top level is str"),
    "TinyDB's default table": (b'{"_default": {"1": {"a": 1}}}', "unknown tables: _default"),
    "table not an object": (b'{"contacts": []}', "table 'contacts' is not an object"),
    "document not an object": (b'{"contacts": {"c-1": 5}}', "contacts['c-1'] is not an object"),
    "document without its id": (b'{"contacts": {"c-1": {"display_name": "Ann"}}}',
                                "contacts['c-1'] has no 'id' field"),
    "meta not an object": (b'{"_meta": [], "contacts": {}}', "_meta table is not an object"),
    "version not a number": (b'{"_meta": {"schema": {"version": "1"}}}', "not a version number"),
    "newer schema": (b'{"_meta": {"schema": {"version": 99, "gen": 0}}, "contacts": {}}',
                     "written by a newer Nurture (schema 99"),
}


@pytest.mark.parametrize("content,problem", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_file_it_cannot_read_is_refused_and_left_untouched(db: Path, content: bytes,
                                                              problem: str) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(content)
    os.utime(db, ns=(1_000_000_000, 1_000_000_000))  # an mtime a rewrite could not keep
    before = fingerprint(db)
    with pytest.raises(DataFileError) as info:
        open_store(db)
    message = str(info.value)
    assert message.startswith(str(db)) and problem in message, message
    assert fingerprint(db) == before
    assert not journal_of(db).exists()  # nothing was started beside it either
    assert not (db.parent / "backups").exists()


def test_a_truncated_file_is_refused_untouched(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts(make_contact(f"c-{n}", f"Person {n}") for n in range(50))
    whole = db.read_bytes()
    db.write_bytes(whole[: len(whole) // 2])
    before = fingerprint(db, journal_of(db))
    with pytest.raises(DataFileError, match="not valid JSON"):
        open_store(db)
    assert fingerprint(db, journal_of(db)) == before


def test_the_cli_reports_a_refused_file_in_one_line_and_exits_1(db: Path, capsys) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")
    assert main(["--db", str(db), "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"nurture: {db}: is empty") and err.count("\n") == 1
    assert "Traceback" not in err and db.read_bytes() == b""


def test_a_document_the_model_cannot_read_is_refused_at_first_read(db: Path) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann"))
    data = orjson.loads(db.read_bytes())
    data["contacts"]["c-1"]["kind"] = "alien"
    db.write_bytes(orjson.dumps(data))
    before = fingerprint(db)
    store = open_store(db)  # opening parses no models: it stays fast
    with pytest.raises(DataFileError) as info:
        store.contacts()
    assert str(db) in str(info.value) and "contacts['c-1']" in str(info.value)
    assert "alien" in str(info.value)
    store.close()
    assert fingerprint(db) == before


# ---------------------------------------------------------------- the journal


def _journal_lines(db: Path) -> list[bytes]:
    return journal_of(db).read_bytes().splitlines(keepends=True)


def _two_unfolded_writes(db: Path) -> None:
    """A store that wrote two entries and then died (never closed, so nothing was folded)."""
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    store.save_interaction(make_entry("i-1", "c-1"))
    store.save_interaction(make_entry("i-2", "c-1"))
    del store


@pytest.mark.parametrize("tail", [b'{"ops":[["interactions","i-3",{"id":"i', b"\x00\x00\x00\x00",
                                  b'{"ops":[["interactions","i-3",{"id":\n'],
                         ids=["cut mid-line", "zeros from a power cut", "garbage with newline"])
def test_a_torn_last_journal_line_loses_only_that_line(db: Path, tail: bytes) -> None:
    _two_unfolded_writes(db)
    with open(journal_of(db), "ab") as handle:
        handle.write(tail)
    with open_store(db) as store:
        assert {e.id for e in store.interactions()} == {"i-1", "i-2"}
        store.save_interaction(make_entry("i-4", "c-1"))  # cuts the torn line off first
        assert tail not in journal_of(db).read_bytes()
        store2 = open_store(db)
        assert {e.id for e in store2.interactions()} == {"i-1", "i-2", "i-4"}


def test_a_damaged_line_in_the_middle_of_the_journal_is_refused(db: Path) -> None:
    _two_unfolded_writes(db)
    lines = _journal_lines(db)
    lines.insert(2, b'{"ops": [["contacts", 12]]}\n')  # damaged, with good lines after it
    journal_of(db).write_bytes(b"".join(lines))
    before = fingerprint(db, journal_of(db))
    with pytest.raises(DataFileError) as info:
        open_store(db)
    message = str(info.value)
    assert message.startswith(str(journal_of(db)))
    assert f"damaged entry at byte {len(b''.join(lines[:2]))}" in message
    assert fingerprint(db, journal_of(db)) == before


def test_a_journal_without_a_header_is_refused(db: Path) -> None:
    _two_unfolded_writes(db)
    journal_of(db).write_bytes(b"these are my notes\n")
    before = fingerprint(db, journal_of(db))
    with pytest.raises(DataFileError, match="not a Nurture journal header"):
        open_store(db)
    assert fingerprint(db, journal_of(db)) == before


def test_a_journal_already_folded_before_a_crash_is_not_replayed(db: Path) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Old name"))
    old_journal = journal_of(db).read_bytes()
    store.save_contact(make_contact("c-1", "New name"))
    store.checkpoint()
    # A crash between the data file's rename and the journal's leaves the old journal.
    journal_of(db).write_bytes(old_journal)
    with open_store(db) as reopened:
        assert reopened.contact("c-1").display_name == "New name"
    assert not list((db.parent / "backups").glob("*orphan*"))


def test_a_journal_that_belongs_to_another_file_is_set_aside_not_lost(db: Path) -> None:
    _two_unfolded_writes(db)
    journal_bytes = journal_of(db).read_bytes()
    os.replace(db, db.with_name("moved-away.json"))  # the journal stays behind
    with open_store(db) as fresh:
        assert fresh.interactions() == [] and fresh.contacts() == []
    (orphan,) = (db.parent / "backups").glob("nurture.json.journal.*.orphan-journal")
    assert orphan.read_bytes() == journal_bytes


# ---------------------------------------------------------------- behind an open store


def test_a_file_replaced_behind_an_open_store_does_not_swallow_the_next_write(db: Path,
                                                                               tmp_path) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    other = tmp_path / "other" / "nurture.json"
    with open_store(other) as elsewhere:
        elsewhere.save_contact(make_contact("c-9", "From a backup"))
    os.replace(other, db)  # a sync tool or a restore puts another valid file in place
    store.save_contact(make_contact("c-2", "Ben"))
    with open_store(db) as reopened:
        names = {c.display_name for c in reopened.contacts()}
    assert names == {"From a backup", "Ben"}
    # Ann's write lived in the old file's journal: kept aside, not deleted.
    (orphan,) = (db.parent / "backups").glob("*.orphan-journal")
    assert b'"Ann"' in orphan.read_bytes()


def test_garbage_written_behind_an_open_store_is_refused_not_overwritten(db: Path) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    db.write_bytes(b"{ not json")
    before = fingerprint(db, journal_of(db))
    with pytest.raises(DataFileError, match="not valid JSON"):
        store.save_contact(make_contact("c-2", "Ben"))
    with pytest.raises(DataFileError, match="not valid JSON"):
        store.contacts()
    store.close()
    assert fingerprint(db, journal_of(db)) == before


def test_a_store_recovers_once_a_refused_file_is_fixed(db: Path) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    store.checkpoint()
    good = db.read_bytes()
    db.write_bytes(b"{ not json")
    with pytest.raises(DataFileError):
        store.contacts()
    db.write_bytes(good)
    assert [c.display_name for c in store.contacts()] == ["Ann"]
    store.save_contact(make_contact("c-2", "Ben"))
    assert len(open_store(db).contacts()) == 2


def test_a_data_file_deleted_behind_an_open_store_is_not_silently_recreated(db: Path) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    db.unlink()
    with pytest.raises(DataFileError, match="disappeared"):
        store.save_contact(make_contact("c-2", "Ben"))
    assert not db.exists()
