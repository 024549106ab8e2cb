"""The data file where it is unusual: a symlink, read-only (file, journal, folder, file
system), a lock path that is a folder, a full disk; and the journal's edges (a last entry
without its newline, a journal set aside and announced once)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from nurture.cli import main
from nurture.errors import DataFileError, ReadOnlyBook
from nurture.store import lockfile, open_store

from .conftest import fingerprint, journal_of, make_contact, make_entry


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _book(db: Path) -> None:
    """A book with one contact and one entry, folded (the journal holds only its header)."""
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann Lee"))
        store.save_interaction(make_entry("i-1", "c-1", text="coffee"))
        store.checkpoint()


def _everything(folder: Path) -> dict[str, tuple[bytes, int, int] | None]:
    """Every file under ``folder`` with its bytes, mode and inode."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mode, p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


# ---------------------------------------------------------------- a symlinked data file


def test_a_symlinked_data_file_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "sync" / "nurture.json"
    _book(target)
    link = tmp_path / "home" / "nurture.json"
    link.parent.mkdir()
    link.symlink_to(target)
    with open_store(link) as store:
        store.save_contact(make_contact("c-2", "Ben Ode"))
        store.checkpoint()  # the atomic replace that used to turn the link into a file
    assert link.is_symlink() and os.readlink(link) == str(target)
    with open_store(target) as store:  # the target saw the change
        assert [c.display_name for c in store.contacts()] == ["Ann Lee", "Ben Ode"]
    assert not (link.parent / "nurture.json.journal").exists()  # one journal, the target's


# ---------------------------------------------------------------- read-only books


def test_a_read_only_data_file_is_read_but_never_replaced(db: Path, capsys) -> None:
    _book(db)
    os.chmod(db, 0o400)
    before = _everything(db.parent)
    with open_store(db) as store:
        assert store.read_only == "the data file is read-only (mode 0400)"
        assert [c.display_name for c in store.contacts()] == ["Ann Lee"]
        with pytest.raises(ReadOnlyBook) as info:
            store.save_contact(make_contact("c-2", "Ben Ode"))
    assert str(info.value) == (f"{db}: is open read-only because the data file is read-only "
                               "(mode 0400); nothing was saved")
    code, _, err = run(capsys, "--db", str(db), "log", "Ann", "hello")
    assert code == 1 and err.count("\n") == 1 and "read-only (mode 0400)" in err
    assert _everything(db.parent) == before
    assert stat.S_IMODE(db.stat().st_mode) == 0o400


def test_a_book_in_a_folder_without_write_permission_opens_read_only(db: Path,
                                                                     capsys) -> None:
    _book(db)
    os.chmod(db.parent, 0o500)
    try:
        before = _everything(db.parent)
        code, out, err = run(capsys, "--db", str(db), "list")
        assert (code, err) == (0, "") and "Ann Lee" in out
        code, out, err = run(capsys, "--db", str(db), "show", "Ann")
        assert code == 0 and "coffee" in out
        code, out, err = run(capsys, "--db", str(db), "today")
        assert code == 0 and err == ""
        code, out, err = run(capsys, "--db", str(db), "export", "json", "-")
        assert code == 0 and "Ann Lee" in out
        code, out, err = run(capsys, "--db", str(db), "export", "vcard", "-")
        assert code == 0 and "FN:Ann Lee" in out and "read-only" not in err
        code, out, err = run(capsys, "--db", str(db), "export", "ics", "-")
        assert code == 0 and "BEGIN:VCALENDAR" in out
        code, out, err = run(capsys, "--db", str(db), "log", "Ann", "hello")
        assert code == 1
        assert err == (f"nurture: {db}: is open read-only because its folder {db.parent} "
                       "cannot be written; nothing was saved\n")
        assert _everything(db.parent) == before
    finally:
        os.chmod(db.parent, 0o700)


def test_a_lock_file_that_cannot_be_created_opens_read_only(db: Path, monkeypatch,
                                                           capsys) -> None:
    """A read-only mount: creating the lock file fails with EROFS."""
    _book(db)
    db.with_name("nurture.json.lock").unlink(missing_ok=True)

    def acquire(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(lockfile.FileLock, "acquire", acquire)
    before = fingerprint(db, journal_of(db))
    code, out, err = run(capsys, "--db", str(db), "list")
    assert (code, err) == (0, "") and "Ann Lee" in out
    code, out, err = run(capsys, "--db", str(db), "add", "Ben")
    assert code == 1 and err == (f"nurture: {db}: is open read-only because its lock file "
                                 "nurture.json.lock cannot be written (Read-only file system); "
                                 "nothing was saved\n")
    assert fingerprint(db, journal_of(db)) == before


def test_a_read_only_journal_is_one_sentence_and_nothing_changes(db: Path, capsys) -> None:
    _book(db)
    os.chmod(journal_of(db), 0o400)
    before = fingerprint(db, journal_of(db))
    code, _, err = run(capsys, "--db", str(db), "log", "Ann", "hello")
    assert code == 1 and err == (f"nurture: {db}: is open read-only because its journal is "
                                 "read-only (mode 0400); nothing was saved\n")
    assert fingerprint(db, journal_of(db)) == before


def test_a_lock_path_that_is_a_folder_is_one_sentence(db: Path, capsys) -> None:
    _book(db)
    lock = db.with_name("nurture.json.lock")
    lock.unlink(missing_ok=True)
    lock.mkdir()
    before = fingerprint(db, journal_of(db))
    code, _, err = run(capsys, "--db", str(db), "list")
    assert code == 1 and err == (f"nurture: {lock}: is a folder where Nurture keeps its lock "
                                 "file; move it away (nothing was changed)\n")
    assert fingerprint(db, journal_of(db)) == before


def test_a_full_disk_during_log_is_one_sentence_and_nothing_changes(db: Path, monkeypatch,
                                                                   capsys) -> None:
    _book(db)
    before = fingerprint(db, journal_of(db))
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if os.path.samefile(f"/proc/self/fd/{fd}", journal_of(db)):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    code, _, err = run(capsys, "--db", str(db), "log", "Ann", "hello")
    monkeypatch.undo()
    assert code == 1
    assert err == (f"nurture: {journal_of(db)}: could not be written: the disk is full "
                   "(No space left on device); nothing was saved\n")
    assert fingerprint(db, journal_of(db))[1][0] == before[1][0]  # the line was cut back
    with open_store(db) as store:
        assert [e.text for e in store.interactions()] == ["coffee"]


# ---------------------------------------------------------------- the journal's edges


def test_a_whole_last_entry_without_its_newline_is_kept(db: Path) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    store.save_interaction(make_entry("i-1", "c-1"))
    del store  # died without folding
    content = journal_of(db).read_bytes()
    assert content.endswith(b"}\n")
    journal_of(db).write_bytes(content[:-1])  # only the newline is missing
    with open_store(db) as store:
        assert [e.id for e in store.interactions()] == ["i-1"]
        store.save_interaction(make_entry("i-2", "c-1"))  # must not join the line before
    with open_store(db) as store:
        assert sorted(e.id for e in store.interactions()) == ["i-1", "i-2"]


def test_a_reader_sees_a_kept_entry_and_the_next_write_after_it(db: Path) -> None:
    writer = open_store(db)
    writer.save_contact(make_contact("c-1", "Ann"))
    journal_of(db).write_bytes(journal_of(db).read_bytes()[:-1])
    reader = open_store(db)
    assert [c.id for c in reader.contacts()] == ["c-1"]
    writer.save_contact(make_contact("c-2", "Ben"))
    assert [c.id for c in reader.contacts()] == ["c-1", "c-2"]


def test_a_set_aside_journal_is_announced_once_with_its_path(db: Path, capsys) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    store.checkpoint()
    old_copy = db.read_bytes()  # a backup, a generation behind
    store.checkpoint()
    store.save_contact(make_contact("c-2", "Ben"))
    del store  # died with Ben in the journal only
    db.write_bytes(old_copy)  # the backup restored over the file
    open_store(db).close()  # e.g. the app, whose start nobody reads on a terminal
    (aside,) = (db.parent / "backups").glob("nurture.json.journal.*.orphan-journal")
    code, _, err = run(capsys, "--db", str(db), "list")
    assert code == 0
    assert err == (f"nurture: warning: {db}: the journal nurture.json.journal held changes "
                   "that do not belong to this data file (it was restored or replaced); "
                   f"they were moved to {aside}\n")
    code, _, err = run(capsys, "--db", str(db), "list")
    assert (code, err) == (0, "")  # once


def test_a_read_only_book_does_not_set_aside_or_announce(db: Path, capsys) -> None:
    store = open_store(db)
    store.save_contact(make_contact("c-1", "Ann"))
    del store
    os.replace(db, db.with_name("other.json"))
    open_store(db).close()  # a new, empty file: the old journal is set aside
    os.chmod(db, 0o400)
    code, _, err = run(capsys, "--db", str(db), "list")
    assert (code, err) == (0, "")  # kept for a start that can also forget it
    os.chmod(db, 0o600)
    code, _, err = run(capsys, "--db", str(db), "list")
    assert "orphan-journal" in err


def test_a_read_only_book_without_a_journal_reads_it_once(db: Path) -> None:
    _book(db)
    journal_of(db).unlink()
    os.chmod(db, 0o400)
    store = open_store(db)
    assert [c.id for c in store.contacts()] == ["c-1"]
    assert not journal_of(db).exists()
    assert store.refresh() is False  # not a reload at every read


def test_a_data_file_that_cannot_be_created_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(DataFileError, match=r"no such data file, and it cannot be created: its "
                                            r"folder .* cannot be written"):
        open_store(folder / "nurture.json")


def test_edit_on_a_read_only_book_says_so_before_the_editor(db: Path, capsys,
                                                            monkeypatch) -> None:
    _book(db)
    os.chmod(db, 0o400)
    monkeypatch.setenv("EDITOR", "false")  # never reached
    code, _, err = run(capsys, "--db", str(db), "edit", "Ann")
    assert code == 1 and err == (f"nurture: {db}: is open read-only because the data file is "
                                 "read-only (mode 0400); nothing was saved\n")
