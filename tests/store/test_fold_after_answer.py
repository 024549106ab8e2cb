"""No command pays for a checkpoint: the command line folds the journal after its answer,
in a detached process for a large file, and nothing is lost either way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nurture.cli import main
from nurture.store import fold, open_store, storage

from .conftest import journal_of, make_contact, make_entry


def _generation(db: Path) -> int:
    with open(journal_of(db), "rb") as handle:
        return int(json.loads(handle.readline())["gen"])


def _lines(db: Path) -> int:
    return len(journal_of(db).read_bytes().splitlines()) - 1  # without the header


def _four_lines_after_a_checkpoint(db: Path) -> None:
    with open_store(db) as store:
        store.checkpoint()
        store.save_contact(make_contact("c-1", "Ann Lee"))
        for n in range(3):
            store.save_interaction(make_entry(f"i-{n}", "c-1"))
        store.close(fold=False)


def test_the_write_that_fills_the_journal_is_not_folded_inside_the_command(
        db: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(storage, "JOURNAL_MAX_LINES", 5)
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", 0)  # this small book too
    _four_lines_after_a_checkpoint(db)
    gen, lines = _generation(db), _lines(db)
    assert lines == 4
    spawned = []

    def spawn(program: str, argv: list[str], env: object, **options: object) -> int:
        spawned.append((capsys.readouterr().out, argv, options.get("setsid")))
        return 4242  # the fold would run there

    monkeypatch.setattr(os, "posix_spawn", spawn)
    assert main(["--db", str(db), "log", "Ann", "lunch"]) == 0
    assert len(spawned) == 1
    printed, argv, detached = spawned[0]
    assert "with Ann Lee" in printed  # the answer was out first
    assert argv[1:4] == ["-m", "nurture.store.fold", str(db)] and detached
    assert (_generation(db), _lines(db)) == (gen, 5)  # the command itself folded nothing
    with open_store(db) as store:
        assert len(store.interactions("c-1")) == 4



def test_one_fold_of_a_book_runs_at_a_time(db: Path, monkeypatch) -> None:
    """Found in use: each command that read a copied 50,000-person book whole started a
    fold while the last was still reading it (three at once). A second fold leaves at
    once, folding nothing; the next after it folds."""
    from nurture.store.lockfile import FileLock

    _four_lines_after_a_checkpoint(db)
    monkeypatch.setattr(storage, "JOURNAL_MAX_LINES", 3)  # a fold is due
    gen = _generation(db)
    running = FileLock(str(fold.guard_path(db)), timeout=0)
    running.acquire()  # another fold of this book is under way
    try:
        assert fold.main([str(db), "0"]) == 0
        assert (_generation(db), _lines(db)) == (gen, 4)  # left to the one running
    finally:
        running.release()
    assert fold.main([str(db), "0"]) == 0
    assert _generation(db) == gen + 1 and _lines(db) == 0
    assert fold.guard_path(db).stat().st_mode & 0o077 == 0  # private, as the book



def test_a_fold_started_while_another_runs_is_not_lost(tmp_path: Path, monkeypatch) -> None:
    """Found in review: a fold laying out a copy held the guard while a command wrote and
    started its own fold, which left at once; the first then found the journal no longer
    empty and left too, so the write stayed unfolded and the copy was read whole by every
    command. The holder looks again after letting go."""
    from nurture.store import index

    copy = _copy_of_a_folded_book(tmp_path)
    with open_store(copy) as first:  # a command reads the copy whole
        first.close(fold=False)
    gen = _generation(copy)
    real, left = index._rows, []

    def rows_while_another_writes(*args: object) -> object:
        if not left:  # the second command: a write, and its fold while this one runs
            other = open_store(copy)
            other.save_contact(make_contact("c-2", "Bo Kim"))
            assert other._db.storage.fold_due(closing=True)
            other.close(fold=False)
            left.append(fold.main([str(copy), "0"]))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "_rows", rows_while_another_writes)
    assert fold.main([str(copy), "0"]) == 0
    monkeypatch.undo()
    assert left == [0]  # the second left at once, its work to the first
    assert _generation(copy) == gen + 1 and _lines(copy) == 0
    assert not _read_whole(copy)
    with open_store(copy) as store:
        assert {c.id for c in store.contacts()} == {"c-1", "c-2"}


def test_a_checkpoint_tells_what_others_wrote_since(db: Path) -> None:
    """Found in review: the writes of another process that a checkpoint caught up with
    under its lock reached the file but not this process's built models, and a refresh
    afterwards found nothing new (the app's contacts missed them until restarted)."""
    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee")])
        store.checkpoint()
        store.close(fold=False)
    mine = open_store(db)
    assert [c.id for c in mine.contacts()] == ["c-1"]  # built
    revision = mine.revision
    with open_store(db) as other:
        other.save_contact(make_contact("c-2", "Bo Kim"))
        other.close(fold=False)
    mine.checkpoint()
    assert sorted(c.id for c in mine.contacts()) == ["c-1", "c-2"]
    assert mine.revision > revision  # the app redraws on a new revision
    mine.close(fold=False)


FILL = """
import sys
from nurture.model import Contact, Interaction
from nurture.store import open_store
store = open_store(sys.argv[1])
store.save_contacts([Contact(id=f"c-{n}", display_name=f"Person {n}", notes="x" * 600)
                     for n in range(2000)])
store.checkpoint()
store.save_interaction(Interaction.new(["c-1"], "note", "y" * 300_000))  # a large journal
store.close(fold=False)
"""


def test_a_large_file_is_folded_by_a_detached_process_after_the_command(db: Path) -> None:
    db.parent.mkdir(parents=True)
    env = {**os.environ, "NURTURE_TODAY": "2025-06-15"}
    subprocess.run([sys.executable, "-c", FILL, str(db)], check=True, env=env)
    assert db.stat().st_size > fold.FOLD_IN_BACKGROUND_BYTES
    gen = _generation(db)
    done = subprocess.run([sys.executable, "-m", "nurture", "--db", str(db), "log",
                           "Person 1", "the last word"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "with Person 1" in done.stdout and done.stderr == ""
    deadline = time.monotonic() + 60
    while _generation(db) == gen:  # folded in the background, after the command exited
        assert time.monotonic() < deadline, "the journal was never folded"
        time.sleep(0.02)
    while _lines(db):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    folded = json.loads(db.read_bytes())["interactions"]
    assert sorted(len(e["text"]) for e in folded.values()) == [len("the last word"), 300_000]


@pytest.mark.parametrize("size", [0, 10**9])
def test_a_fold_that_cannot_start_loses_nothing(db: Path, monkeypatch, capsys,
                                               size: int) -> None:
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", size)
    monkeypatch.setattr(storage, "FOLD_ON_CLOSE_BYTES", 0)

    def spawn(*args: object, **kwargs: object) -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "posix_spawn", spawn)
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann Lee"))
    assert main(["--db", str(db), "log", "Ann", "lunch"]) == 0
    with open_store(db) as store:
        assert [e.text for e in store.interactions("c-1")] == ["lunch"]


def test_the_fold_process_folds_a_due_journal_and_leaves_a_folded_one(db: Path) -> None:
    from nurture.store import fold

    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann Lee"))
        store.checkpoint()
        store.save_interaction(make_entry("i-1", "c-1", text="y" * 300_000))
        store.close(fold=False)
    gen = _generation(db)
    assert fold.main([str(db), "0"]) == 0
    assert (_generation(db), _lines(db)) == (gen + 1, 0)
    assert fold.main([str(db), "0"]) == 0  # nothing due: nothing rewritten
    assert _generation(db) == gen + 1
    assert fold.main([str(db.with_name("missing.json"))]) == 1  # never creates a file
    assert not db.with_name("missing.json").exists()


def test_a_book_in_another_encoding_is_laid_out_by_its_first_write(
        tmp_path: Path, monkeypatch, capsys) -> None:
    """A file tidied by hand (or written by another program) has no layout that fits it,
    and cannot be described as it is, so every command read it whole; the first write's
    fold lays it out, and the next commands read only what they use."""
    monkeypatch.setattr(storage, "SMALL_FILE", 0)  # this book counts as a large one
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", 10**9)  # folded in this process
    original = tmp_path / "here" / "book.json"
    with open_store(original) as store:
        store.save_contact(make_contact("c-1", "Ann Lee"))
        store.save_interactions([make_entry(f"i-{n}", "c-1") for n in range(5)])
        store.checkpoint()
    copy = tmp_path / "there" / "book.json"
    copy.parent.mkdir()
    copy.write_text(json.dumps(json.loads(original.read_bytes()), indent=2))

    def read_whole() -> bool:
        with open_store(copy) as store:
            return not store._db.storage._mem.lazy

    assert read_whole()
    assert main(["--db", str(copy), "show", "Ann"]) == 0  # reading changes nothing
    assert read_whole()
    assert main(["--db", str(copy), "log", "Ann", "lunch"]) == 0
    assert "with Ann Lee" in capsys.readouterr().out
    assert not read_whole() and _lines(copy) == 0
    with open_store(copy) as store:
        assert store._db.storage.index_view("interactions") is not None
        assert sorted(e.text for e in store.interactions("c-1")) == ["", "", "", "", "", "lunch"]


def _copy_of_a_folded_book(tmp_path: Path) -> Path:
    original = tmp_path / "here" / "book.json"
    with open_store(original) as store:
        store.save_contact(make_contact("c-1", "Ann Lee"))
        store.save_interactions([make_entry(f"i-{n}", "c-1", text=f"call {n}")
                                 for n in range(5)])
        store.checkpoint()
    copy = tmp_path / "there" / "book.json"
    copy.parent.mkdir()
    shutil.copy(original, copy)  # the data file only: a new file, no journal
    return copy


def _read_whole(db: Path) -> bool:
    with open_store(db) as store:
        return not store._db.storage._mem.lazy


def test_a_copied_book_is_laid_out_after_a_command_without_rewriting_it(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", 10**9)  # in this process
    copy = _copy_of_a_folded_book(tmp_path)
    before = (copy.read_bytes(), copy.stat().st_ino, copy.stat().st_mtime_ns)
    assert _read_whole(copy)
    with open_store(copy) as other:  # another process has the book open meanwhile
        assert main(["--db", str(copy), "show", "Ann"]) == 0
        assert (copy.read_bytes(), copy.stat().st_ino, copy.stat().st_mtime_ns) == before
        assert not _read_whole(copy)  # the next open reads only what it uses
        other.save_interaction(make_entry("i-late", "c-1", text="a late call"))
    with open_store(copy) as store:
        assert store._db.storage.index_view("interactions") is not None
        assert sorted(e.text for e in store.interactions("c-1")) == [
            "a late call", *(f"call {n}" for n in range(5))]


def test_a_file_in_another_encoding_is_left_as_it_is(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", 10**9)
    copy = _copy_of_a_folded_book(tmp_path)
    copy.write_text(json.dumps(json.loads(copy.read_bytes()), indent=2))  # a hand tidy-up
    before = copy.read_bytes()
    assert main(["--db", str(copy), "show", "Ann"]) == 0
    assert copy.read_bytes() == before and _read_whole(copy)


def test_a_large_copy_is_laid_out_by_a_detached_process(tmp_path: Path) -> None:
    db = tmp_path / "here" / "book.json"
    db.parent.mkdir(parents=True)
    env = {**os.environ, "NURTURE_TODAY": "2025-06-15"}
    subprocess.run([sys.executable, "-c", FILL, str(db)], check=True, env=env)
    with open_store(db) as store:
        store.checkpoint()
    copy = tmp_path / "there" / "book.json"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    assert copy.stat().st_size > fold.FOLD_IN_BACKGROUND_BYTES and _read_whole(copy)
    done = subprocess.run([sys.executable, "-m", "nurture", "--db", str(copy), "show",
                           "Person 1"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Person 1" in done.stdout, done.stderr
    deadline = time.monotonic() + 60
    while _read_whole(copy):  # laid out in the background, after the command exited
        assert time.monotonic() < deadline, "the copy was never laid out"
        time.sleep(0.05)


@pytest.mark.parametrize("meanwhile", ["a reader", "a write", "a fold"])
def test_others_do_not_wait_while_a_copy_is_laid_out(
        tmp_path: Path, monkeypatch, meanwhile: str) -> None:
    """Found in use: laying out a restored 50,000-person book held the writers' lock
    for over 10 s, and `nurture show` run meanwhile failed with "try again". Now the
    lock is taken only to put the index and the header in place, and not at all when
    the file or its journal changed meanwhile (then the fold lays it out)."""
    from nurture.store import index

    copy = _copy_of_a_folded_book(tmp_path)
    monkeypatch.setattr(storage, "LOCK_TIMEOUT", 0.2)
    real, seen = index._rows, []

    def rows_while_another_comes(*args: object) -> object:
        if seen:  # the other's own fold
            return real(*args)  # type: ignore[arg-type]
        other = open_store(copy)  # takes the lock at open
        seen.append(other.contact("c-1"))
        if meanwhile != "a reader":
            other.save_contact(make_contact("c-2", "Bo Kim"))
        if meanwhile == "a fold":
            other.checkpoint()
        other.close(fold=False)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "_rows", rows_while_another_comes)
    with open_store(copy) as store:
        assert store.lay_out_due()
        laid = store.lay_out()
        store.close(fold=False)
    assert seen and seen[0] is not None and laid is (meanwhile == "a reader")
    monkeypatch.undo()
    # Laid out by us, or by the other's fold; after a write, by the next fold.
    assert _read_whole(copy) is (meanwhile == "a write")
    with open_store(copy) as store:
        assert {c.id for c in store.contacts()} == ({"c-1"} if meanwhile == "a reader"
                                                     else {"c-1", "c-2"})


@pytest.mark.parametrize(("shape", "due"), [("copy", True), ("compact", False),
                                             ("tables reordered", False)])
def test_only_a_file_that_begins_as_nurture_writes_it_is_read_again_to_lay_it_out(
        tmp_path: Path, shape: str, due: bool) -> None:
    copy = _copy_of_a_folded_book(tmp_path)
    data = json.loads(copy.read_bytes())
    if shape == "compact":  # as TinyDB's own storage writes it
        copy.write_text(json.dumps(data))
    elif shape == "tables reordered":
        copy.write_text(json.dumps(dict(reversed(data.items())), indent=2))
    with open_store(copy) as store:
        assert store._db.storage._mem.lazy == {}  # read whole: no layout fits it
        assert store.lay_out_due() is due


def _synced_with_its_journal(tmp_path: Path) -> Path:
    """A book and its (empty) journal as another machine wrote them: the journal's header
    names the same generation, with a layout of that machine's file (a long inode)."""
    copy = _copy_of_a_folded_book(tmp_path)
    original = tmp_path / "here" / "book.json"
    line = json.loads(journal_of(original).read_bytes())
    line["data"]["sig"][0] = 10**18 + 7  # that machine's inode
    journal_of(copy).write_bytes(json.dumps(line, separators=(",", ":")).encode() + b"\n")
    return copy


def test_writes_by_others_survive_a_shorter_header(tmp_path: Path) -> None:
    copy = _synced_with_its_journal(tmp_path)
    before = len(journal_of(copy).read_bytes())
    with open_store(copy) as reader:  # opened before: it knows the old header's length
        assert not reader._db.storage._mem.lazy
        with open_store(copy) as layer:
            assert layer.lay_out()
        assert len(journal_of(copy).read_bytes()) < before  # the local inode is shorter
        with open_store(copy) as writer:
            writer.save_contact(make_contact("c-C", "Cleo Writer"))
            writer.close(fold=False)
        reader.save_contact(make_contact("c-B", "Bea Reader"))
        reader.close(fold=False)
    with open_store(copy) as store:
        assert {"c-C", "c-B"} <= {c.id for c in store.contacts()}


def test_a_book_laid_out_by_another_process_is_not_folded_by_a_reader(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage, "SMALL_FILE", 0)  # this book counts as a large one
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", 10**9)
    copy = _copy_of_a_folded_book(tmp_path)
    reader = open_store(copy)  # reads it whole, before anyone laid it out
    gen = _generation(copy)
    assert reader.lay_out_due()
    assert main(["--db", str(copy), "show", "Ann"]) == 0  # lays it out
    before = (copy.stat().st_ino, copy.stat().st_mtime_ns)
    assert not reader.fold_due(closing=True) and not reader.lay_out_due()
    fold.close_after_answer(reader, 0)
    assert _generation(copy) == gen and (copy.stat().st_ino, copy.stat().st_mtime_ns) == before


def test_a_file_that_only_begins_as_nurture_writes_it_is_read_once(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fold, "FOLD_IN_BACKGROUND_BYTES", 10**9)
    copy = _copy_of_a_folded_book(tmp_path)
    copy.write_bytes(copy.read_bytes().rstrip(b"\n"))  # an editor dropped the last newline
    data = copy.read_bytes()
    with open_store(copy) as store:
        assert store.lay_out_due()
    assert main(["--db", str(copy), "show", "Ann"]) == 0  # finds it is not its encoding
    with open_store(copy) as store:
        assert not store.lay_out_due()  # the header says so: not read again
    assert copy.read_bytes() == data
    assert main(["--db", str(copy), "log", "Ann", "lunch"]) == 0  # a write folds it
    assert not _read_whole(copy)


def _index_version(db: Path) -> int | None:
    import sqlite3

    path = db.with_name(db.name + ".index")
    if not path.exists():
        return None
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    conn.close()
    return None if found is None else int(found[0])


def _lose_the_index(db: Path, how: str) -> None:
    import sqlite3

    path = db.with_name(db.name + ".index")
    if how == "deleted":
        path.unlink()
    else:  # as an older version wrote it
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value = value - 1 WHERE key = 'version'")
        conn.close()


@pytest.mark.parametrize("how", ["deleted", "an older version's"])
@pytest.mark.parametrize("journal", [False, True])
def test_a_lost_index_is_written_again_after_a_command_without_touching_the_book(
        db: Path, capsys, monkeypatch, how: str, journal: bool) -> None:
    from nurture.store import index

    monkeypatch.setattr(storage, "SMALL_FILE", 0)  # not folded at close for being small

    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee"), make_contact("c-2", "Bo Kim")])
        store.save_interaction(make_entry("i-1", "c-1", text="lunch"))
        store.checkpoint()
        if journal:  # a write the index will not know, as always
            store.save_interaction(make_entry("i-2", "c-2", text="tea"))
        store.close(fold=False)
    _lose_the_index(db, how)
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in (db, journal_of(db))]
    assert main(["--db", str(db), "show", "Bo"]) == 0
    assert "Bo Kim" in capsys.readouterr().out
    assert _index_version(db) == index.VERSION
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in (db, journal_of(db))] == before
    with open_store(db) as store:
        assert store._db.storage._file_index() is not None
        assert not store.reindex_due(look=True)
        assert [e.text for e in store.interactions("c-2")] == (["tea"] if journal else [])


def test_a_large_books_index_is_written_again_by_a_detached_process(tmp_path: Path) -> None:
    db = tmp_path / "book.json"
    env = {**os.environ, "NURTURE_TODAY": "2025-06-15"}
    subprocess.run([sys.executable, "-c", FILL, str(db)], check=True, env=env)
    assert db.stat().st_size > fold.FOLD_IN_BACKGROUND_BYTES
    _lose_the_index(db, "deleted")
    done = subprocess.run([sys.executable, "-m", "nurture", "--db", str(db), "show",
                           "Person 1"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Person 1" in done.stdout, done.stderr
    deadline = time.monotonic() + 60
    while _index_version(db) is None:  # written in the background, after the command
        assert time.monotonic() < deadline, "the index was never written again"
        time.sleep(0.05)


def test_a_command_that_reads_no_table_does_not_look_for_the_index(db: Path) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann Lee"))
        store.checkpoint()
        store.close(fold=False)
    _lose_the_index(db, "deleted")
    with open_store(db) as store:
        assert not store.reindex_due()  # nothing read: nothing known, nothing paid
        store.contact("c-1")  # looks it up
        assert store.reindex_due()


def _rows_while_another_writes(db: Path, fold_meanwhile: bool,
                               wrote: list[bool]) -> Callable[..., object]:
    """``index._rows`` that lets another process write (and fold) the first time the
    rows are made, as a second command would while the index is being built."""
    from nurture.store import index

    real = index._rows

    def rows(*args: object) -> object:
        if wrote:  # the other's own fold
            return real(*args)  # type: ignore[arg-type]
        wrote.append(True)
        other = open_store(db)  # takes the lock at open, and again to write
        other.save_contact(make_contact("c-2", "Bo Kim"))
        if fold_meanwhile:
            other.checkpoint()
        other.close(fold=False)
        return real(*args)  # type: ignore[arg-type]

    return rows


@pytest.mark.parametrize("fold_meanwhile", [False, True])
def test_writers_do_not_wait_while_the_index_is_built_again(
        db: Path, monkeypatch, fold_meanwhile: bool) -> None:
    """Found in review: the rebuild held the writers' lock throughout (16 s for the
    50,000-person book, where a writer waits 10 s): now only while it is put in place,
    and not at all over a file folded meanwhile."""
    from nurture.store import index

    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee")])
        store.checkpoint()
        store.close(fold=False)
    _lose_the_index(db, "deleted")
    monkeypatch.setattr(storage, "LOCK_TIMEOUT", 0.2)
    wrote: list[bool] = []
    monkeypatch.setattr(index, "_rows", _rows_while_another_writes(db, fold_meanwhile, wrote))
    with open_store(db) as store:
        store.contact("c-1")  # looks for the index: missing
        placed = store.reindex()
        store.close(fold=False)
    assert wrote and placed is not fold_meanwhile
    monkeypatch.undo()
    with open_store(db) as store:
        assert store._db.storage._file_index() is not None  # the fold's, or ours
        assert {c.id for c in store.contacts()} == {"c-1", "c-2"}


@pytest.mark.parametrize("fold_meanwhile", [False, True])
def test_others_do_not_wait_while_a_fold_builds_its_index(
        db: Path, monkeypatch, fold_meanwhile: bool) -> None:
    """Found measuring: a checkpoint held the writers' lock for 16 s at 50,000 people,
    the new file's index built under it, and a command started meanwhile waited 10 s
    and failed. Now the index is built after the lock is let go, and put in place only
    over the file it describes."""
    from nurture.store import index

    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee")])
        store.checkpoint()
        store.close(fold=False)
    monkeypatch.setattr(storage, "LOCK_TIMEOUT", 0.2)
    real, wrote = index._rows, []
    with open_store(db) as store:
        store.save_contact(make_contact("c-3", "Cy Ode"))
        monkeypatch.setattr(index, "_rows", _rows_while_another_writes(db, fold_meanwhile, wrote))
        store.checkpoint()
        monkeypatch.setattr(index, "_rows", real)
        gen = store._db.storage._mem.meta["gen"]
        store.close(fold=False)
    assert wrote
    monkeypatch.undo()
    with open_store(db) as store:
        found = store._db.storage._file_index()
        assert found is not None  # ours, or the other's over the file it folded
        assert store._db.storage._mem.meta["gen"] == gen + (1 if fold_meanwhile else 0)
        assert {c.id for c in store.contacts()} == {"c-1", "c-2", "c-3"}


def test_a_fold_parses_the_tables_before_it_takes_the_lock(db: Path, monkeypatch) -> None:
    """Parsing a 260 MB book was a third of the time the lock was held."""
    from nurture.store.lockfile import FileLock

    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee")])
        store.save_interaction(make_entry("i-1", "c-1"))
        store.checkpoint()
        store.close(fold=False)
    with open_store(db) as store:
        store.save_interaction(make_entry("i-2", "c-1"))
        mem = store._db.storage._mem
        assert mem.lazy  # opened as a command opens it: nothing parsed yet
        unparsed_under_lock: list[list[str]] = []
        real = FileLock.acquire

        def acquire(lock: FileLock) -> None:
            real(lock)
            unparsed_under_lock.append(sorted(mem.lazy))

        monkeypatch.setattr(FileLock, "acquire", acquire)
        store.checkpoint()
        monkeypatch.undo()
        assert unparsed_under_lock and unparsed_under_lock[0] == []
        store.close(fold=False)
    with open_store(db) as store:
        assert {e.id for e in store.interactions("c-1")} == {"i-1", "i-2"}


def test_a_book_in_another_versions_encoding_is_not_reindexed_after_every_command(
        db: Path, monkeypatch) -> None:
    """A laid-out file that this version would encode otherwise (another orjson, say)
    cannot get an index of this version's: that is said once, not found out again."""
    from nurture.store import index

    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee")])
        store.checkpoint()
        store.close(fold=False)
    _lose_the_index(db, "deleted")
    real = storage.encode_with_index

    def another_encoding(*args: object, **kwargs: object) -> object:
        blob, spans, doc_spans = real(*args, **kwargs)  # type: ignore[arg-type]
        return blob.replace(b"  ", b"\t"), spans, doc_spans

    monkeypatch.setattr(storage, "encode_with_index", another_encoding)
    with open_store(db) as store:
        assert store.reindex_due(look=True)
        assert not store.reindex()
        store.close(fold=False)
    with open_store(db) as store:
        assert store._db.storage._file_index() is None  # no index: the tables are read
        assert not store.reindex_due(look=True)  # and not built again to find out
        assert [c.id for c in store.contacts()] == ["c-1"]
    assert index.path_for(db).exists()


def test_an_index_being_built_is_not_taken_for_a_crashed_writers_leftover(
        db: Path, monkeypatch) -> None:
    """Found in review: any store opened while the index was being built (without the
    lock) deleted its temporary file as a crashed writer's, so the book's index never came
    back while it was in use. A leftover of a process that is gone is still deleted."""
    from nurture import fsutil
    from nurture.store import index

    with open_store(db) as store:
        store.save_contacts([make_contact("c-1", "Ann Lee")])
        store.checkpoint()
        store.close(fold=False)
    _lose_the_index(db, "deleted")
    gone = db.with_name(f".{db.name}.index.999999999.building")  # no such process
    real, seen = index._add_words, []

    def words_while_another_opens(conn: object) -> bool:
        gone.write_bytes(b"half an index")
        seen.append(sorted(p.name for p in db.parent.glob(f".{db.name}.*")))
        open_store(db).close(fold=False)  # clears what crashed writers left
        seen.append(sorted(p.name for p in db.parent.glob(f".{db.name}.*")))
        return real(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "_add_words", words_while_another_opens)
    with open_store(db) as store:
        store.contact("c-1")
        assert store.reindex()
        store.close(fold=False)
    building = fsutil.building_name(index.path_for(db)).name
    assert seen == [sorted([building, gone.name]), [building]]
    assert _index_version(db) == index.VERSION
    assert not list(db.parent.glob(f".{db.name}.*"))
