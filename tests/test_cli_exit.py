"""`nurture` leaves as soon as its answer is out (`nurture.cli.run`): everything it
printed arrives, a reader that goes away early is not an error, and a write is kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nurture.cli import main
from nurture.model import Contact
from nurture.store import open_store

ENV = {**os.environ, "NURTURE_TODAY": "2025-06-15"}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.json"
    with open_store(path) as store:  # enough people to fill the output buffer many times
        store.save_contacts([Contact.new(f"Person {n:04d}", company=f"Firm {n}",
                                         interests=["sailing"]) for n in range(1500)])
    return path


def nurture(*args: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nurture", *args], env=ENV, text=True,
                          capture_output=True, timeout=60, **options)  # type: ignore[call-overload]


def test_everything_printed_arrives(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    done = nurture("--db", str(book), "list", "--tag", "sailing")
    assert main(["--db", str(book), "list", "--tag", "sailing"]) == 0
    in_process = capsys.readouterr().out
    assert done.returncode == 0 and done.stderr == ""
    assert len(done.stdout) > 64 * 1024 and done.stdout == in_process


def test_a_reader_that_leaves_early_is_not_an_error(book: Path) -> None:
    with subprocess.Popen([sys.executable, "-m", "nurture", "--db", str(book), "list"],
                          env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()  # `nurture list | head -1`
        error = child.stderr.read()
        code = child.wait(timeout=60)
    assert b"Person 0000" in first and code == 0 and error == b""


def test_a_failure_keeps_its_code_and_its_sentence(tmp_path: Path) -> None:
    done = nurture("--db", str(tmp_path / "none.json"), "show", "Nobody")
    assert done.returncode == 1 and done.stderr.startswith("nurture: ")


def test_a_write_is_on_disk_when_the_command_has_left(book: Path) -> None:
    done = nurture("--db", str(book), "log", "Person 0007", "a call about boats")
    assert done.returncode == 0, done.stderr
    with open_store(book) as store:
        [person] = [c for c in store.contacts() if c.display_name == "Person 0007"]
        assert [e.text for e in store.interactions(person.id)] == ["a call about boats"]


def test_a_profiler_still_writes_its_results(book: Path, tmp_path: Path) -> None:
    """`python -m cProfile -m nurture …` (and coverage) write their results at exit."""
    out = tmp_path / "today.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "nurture",
                           "--db", str(book), "today"], env=ENV, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_output_to_a_full_disk_is_a_failure_with_one_sentence(book: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "nurture", "--db", str(book), "list"],
                              env=ENV, stdout=full, stderr=subprocess.PIPE, text=True,
                              timeout=60)
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
