"""Crash safety and two writers, with real processes.

A fork server (``crash_writer.py``) starts writer children; the test kills
them with SIGKILL at random moments, inside writes, batches and checkpoints,
and then checks that every write a child reported as acknowledged is in the
file, and that the file opens.
"""

from __future__ import annotations

import contextlib
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nurture.store import open_store

HELPER = Path(__file__).with_name("crash_writer.py")
KILLS = 120

pytestmark = pytest.mark.slow


class Server:
    """The fork server and its line protocol."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, str(HELPER), str(db)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     bufsize=0)
        assert self.proc.stdin and self.proc.stdout
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        self.buffer = b""

    def send(self, line: str) -> None:
        assert self.proc.stdin
        self.proc.stdin.write((line + "\n").encode())

    def line(self, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                raise AssertionError("the writer server stopped answering")
            chunk = os.read(self.proc.stdout.fileno(), 65536)  # type: ignore[union-attr]
            if not chunk:
                raise AssertionError("the writer server exited")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()

    def close(self) -> None:
        self.send("quit")
        self.proc.wait(timeout=10)


class Acked:
    """What children reported as durable."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.counter = 0

    def take(self, line: str) -> None:
        kind, _, rest = line.partition(" ")
        if kind == "A":
            self.ids.update(rest.split())
        elif kind == "V":
            self.counter = max(self.counter, int(rest))
        elif kind == "error":
            raise AssertionError(f"a writer failed: {rest}")
        else:
            raise AssertionError(f"unexpected line from a writer: {line!r}")

    def check(self, db: Path) -> None:
        with open_store(db, backups_keep=2) as store:
            stored = {entry.id for entry in store.interactions()}
            missing = self.ids - stored
            assert not missing, f"{len(missing)} acknowledged writes lost: {sorted(missing)[:3]}"
            counter = store.contact("c-counter")
            value = int(counter.notes) if counter else 0
            assert value >= self.counter, "an acknowledged update was lost"


def test_acknowledged_writes_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    db = tmp_path / "data" / "nurture.json"
    rng = random.Random(20261122)
    server = Server(db)
    acked = Acked()
    kills_inside_a_write = 0
    try:
        for round_ in range(KILLS):
            server.send(f"go crash {round_}")
            first = server.line()
            assert first.startswith("pid "), first
            pid = int(first.split()[1])
            # Let it write for a while (opening the store included), then kill it
            # wherever it is.
            time.sleep(rng.uniform(0.0, 0.06))
            with contextlib.suppress(ProcessLookupError):  # it may have failed on its own
                os.kill(pid, signal.SIGKILL)
            while (line := server.line()) != "dead":
                acked.take(line)
            kills_inside_a_write += _journal_has_torn_tail(db)
            if round_ % 20 == 19:
                acked.check(db)  # opens after a crash, holds everything acknowledged
    finally:
        server.close()
    acked.check(db)
    assert len(acked.ids) > 200 and acked.counter > 50, "the writers barely wrote anything"
    # Temp files from checkpoints cut short are cleaned up by the next open.
    assert not list(db.parent.glob(".*.tmp"))
    print(f"{KILLS} kills, {len(acked.ids)} acknowledged entries, "
          f"{kills_inside_a_write} kills left a torn journal line")


def _journal_has_torn_tail(db: Path) -> int:
    journal = db.with_name(db.name + ".journal")
    try:
        return int(not journal.read_bytes().endswith(b"\n"))
    except FileNotFoundError:
        return 0


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nurture.json"
    server = Server(db)
    try:
        server.send("go concurrent 100 2")  # two children, seeds 100 and 101
        assert server.line().startswith("pid ")
        lines = []
        while (line := server.line()) != "dead":
            lines.append(line)
    finally:
        server.close()
    assert lines == ["done", "done"]
    with open_store(db) as store:
        ids = {entry.id for entry in store.interactions()}
    expected = {f"i-{seed}-{n}" for seed in (100, 101) for n in range(150)}
    assert ids == expected


def test_a_process_sees_another_process_s_write_at_its_next_read(tmp_path: Path) -> None:
    db = tmp_path / "nurture.json"
    with open_store(db) as store:
        assert store.interactions() == []
        server = Server(db)
        try:
            server.send("go concurrent 7 1")
            assert server.line().startswith("pid ")
            while server.line() != "dead":
                pass
        finally:
            server.close()
        # No explicit refresh: the next read picks the other process's writes up.
        assert len(store.interactions()) == 150
        assert store.interaction("i-7-149") is not None
