"""Migrations, daily backups, private permissions and leftovers of crashed writers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import pendulum
import pytest

from nurture import fsutil
from nurture.errors import DataFileError
from nurture.store import files, open_store, schema

from .conftest import journal_of, make_contact


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------- migrations


def _version(db: Path) -> int:
    return orjson.loads(db.read_bytes())["_meta"]["schema"]["version"]


def test_a_migration_keeps_a_byte_for_byte_copy_first(db: Path, monkeypatch) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann"))
    original = db.read_bytes()
    assert _version(db) == 1
    calls: list[int] = []
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, lambda data: calls.append(1) or data)
    with open_store(db):
        pass
    assert calls == [1]
    backup = db.with_name("nurture.json.pre-v2.bak")
    assert backup.read_bytes() == original and _mode(backup) == 0o600
    assert _version(db) == 2


def test_unfolded_journal_writes_are_migrated_and_backed_up(db: Path, monkeypatch) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    store.checkpoint()
    store.save_contact(make_contact("c-2", "Ben"))  # only in the journal
    del store  # dies without folding
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, _mark_migrated)
    with open_store(db) as store:
        migrated = {c.id: c.extra for c in store.contacts()}
    assert migrated == {"c-1": {"migrated": True}, "c-2": {"migrated": True}}
    backup = orjson.loads(db.with_name("nurture.json.pre-v2.bak").read_bytes())
    assert set(backup["contacts"]) == {"c-1", "c-2"}  # the journal folded in, unmigrated
    assert backup["_meta"]["schema"]["version"] == 1
    assert "migrated" not in backup["contacts"]["c-2"]["extra"]
    assert _version(db) == 2
    assert journal_of(db).read_bytes().count(b"\n") == 1  # a fresh journal: just its header


def _mark_migrated(data: schema.Data) -> schema.Data:
    for doc in data.get("contacts", {}).values():
        doc["extra"] = {"migrated": True}
    return data


def test_an_unstamped_file_with_our_tables_is_stamped(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b'{"contacts": {"c-1": {"id": "c-1", "display_name": "Ann"}}}')
    with open_store(db) as store:
        assert [c.display_name for c in store.contacts()] == ["Ann"]
    assert _version(db) == schema.SCHEMA_VERSION
    assert db.with_name(f"nurture.json.pre-v{schema.SCHEMA_VERSION}.bak").exists()


def test_a_file_from_a_newer_version_is_refused_not_migrated(db: Path) -> None:
    db.parent.mkdir(parents=True)
    content = b'{"_meta": {"schema": {"version": 2, "gen": 4}}, "contacts": {}}'
    db.write_bytes(content)
    with pytest.raises(DataFileError, match="newer Nurture"):
        open_store(db)
    assert db.read_bytes() == content
    assert not list(db.parent.glob("*.bak"))


# ---------------------------------------------------------------- backups


def test_daily_backups_keep_the_newest_n(tmp_path: Path) -> None:
    data = tmp_path / "nurture.json"
    first = pendulum.date(2026, 11, 1)
    for day in range(6):
        fsutil.atomic_write(data, f"day {day}".encode())  # replaced, as a checkpoint does
        files.daily_backup(data, keep=3, today=first.add(days=day))
        files.daily_backup(data, keep=3, today=first.add(days=day))  # twice a day: one copy
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == [f"nurture.json.2026-11-0{d}.bak" for d in (4, 5, 6)]
    assert (tmp_path / "backups" / "nurture.json.2026-11-04.bak").read_bytes() == b"day 3"


def test_a_backup_is_a_snapshot_not_a_live_view(db: Path) -> None:
    store = open_store(db, backups_keep=3)
    store.save_contact(make_contact("c-1", "Ann"))
    store.checkpoint()
    (backup,) = (db.parent / "backups").iterdir()
    before = backup.read_bytes()
    store.save_contact(make_contact("c-2", "Ben"))
    store.checkpoint()  # replaces the data file; the day's backup keeps the morning's state
    assert backup.read_bytes() == before and b"Ben" not in before
    store.close()


def test_no_backups_when_keep_is_zero(db: Path) -> None:
    with open_store(db, backups_keep=0) as store:
        store.save_contact(make_contact("c-1", "Ann"))
    assert not (db.parent / "backups").exists()


# ---------------------------------------------------------------- privacy and leftovers


def test_new_files_are_0600_and_new_folders_0700_whatever_the_umask(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "nurture.json"
    old = os.umask(0o022)
    try:
        store = open_store(db, backups_keep=2)
        store.save_contact(make_contact("c-1", "Ann"))
        store.checkpoint()
        store.close()
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", db.parent / "backups"):
        assert _mode(folder) == 0o700, folder
    made = [db, journal_of(db), db.with_name("nurture.json.lock"),
            *(db.parent / "backups").iterdir()]
    for path in made:
        assert _mode(path) == 0o600, path


def test_temp_files_left_by_a_crashed_checkpoint_are_removed(db: Path) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann"))
    leftover = db.with_name(".nurture.json.4242.tmp")
    leftover.write_bytes(b'{"half": ')
    unrelated = db.with_name(".other.json.4242.tmp")
    unrelated.write_bytes(b"not ours")
    with open_store(db) as store:
        assert len(store.contacts()) == 1
    assert not leftover.exists() and unrelated.exists()


def test_a_failed_atomic_write_leaves_the_old_file_and_no_litter(tmp_path: Path,
                                                                monkeypatch) -> None:
    target = tmp_path / "file.json"
    target.write_bytes(b"old")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        fsutil.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]
