"""The writers' lock (``store.lockfile``): exclusive between processes, re-entrant within one,
given up by a process that dies, and waited for no longer than its timeout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nurture.store.lockfile import FileLock, Timeout

HOLD = """
import sys
from nurture.store.lockfile import FileLock
lock = FileLock(sys.argv[1], timeout=5)
lock.acquire()
print("held", flush=True)
sys.stdin.readline()  # hold it until told to go
"""


@pytest.fixture
def holder(tmp_path: Path):
    path = tmp_path / "book.json.lock"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield path, proc
    proc.kill()
    proc.wait()


def test_another_process_holding_it_times_out(holder) -> None:
    path, _ = holder
    lock = FileLock(str(path), timeout=0.1)
    with pytest.raises(Timeout):
        lock.acquire()
    assert not lock.is_locked


def test_a_dead_holder_releases_it(holder) -> None:
    path, proc = holder
    proc.kill()
    proc.wait()
    lock = FileLock(str(path), timeout=5)
    lock.acquire()
    assert lock.is_locked
    lock.release()


def test_it_is_re_entrant_and_released_with_the_last_hold(tmp_path: Path) -> None:
    path = tmp_path / "book.json.lock"
    lock = FileLock(str(path), timeout=5)
    lock.acquire()
    lock.acquire()
    lock.release()
    other = FileLock(str(path), timeout=0)
    with pytest.raises(Timeout):
        other.acquire()  # still held once
    lock.release()
    other.acquire()  # now free
    other.release()
    assert path.stat().st_mode & 0o777 == 0o600
