"""Capture from a Maildir of 100,000 messages, then again after 20 new ones.

Run: ``python benchmarks/bench_capture.py [N] [DIR]`` (DIR keeps the Maildir
between runs; writing 100,000 files takes minutes). The Maildir is written with
the standard library's ``mailbox`` module: N messages over three years, from
and to 500 contacts, strangers, mailing lists and no-reply robots, threads of
replies, a few KB of body each. Figures, each beside its floor measured in
the same run over the same folder:

- first run: ``nurture capture`` as the command runs it (open the book, read
  every header, plan, log in one batch); floor: a bare ``os.scandir`` of
  cur/ and new/ plus ``BytesHeaderParser`` over each file's first 8 KiB;
- re-run with 20 new messages: the same command; floor: the bare listing of
  the folder (what any re-run must do to find what is new).

Goals: first run under 30 s on 2 cores; re-run under 1 s.
"""

from __future__ import annotations

import mailbox
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from zoneinfo import ZoneInfo

from nurture.capture.apply import log_plan, plan_from_store
from nurture.config import CaptureConfig
from nurture.model import Contact, Email
from nurture.store import open_store

ME = "sam@example.org"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Lisbon")
BODY = ("Thanks for the notes. Let us talk on Thursday about the plan and the numbers.\n"
        * 40)


def contacts(n: int = 500) -> list[Contact]:
    return [Contact(id=f"c-{i:05d}", display_name=f"Person {i}",
                    emails=[Email(f"person{i}@example.org")]) for i in range(n)]


def render(rng: random.Random, index: int, at: datetime) -> bytes:
    """One message as a mail client stores it: headers of a real client, then a body."""
    kind = rng.random()
    person = f"Person {rng.randrange(600)} <person{rng.randrange(600)}@example.org>"
    extra = ""
    if kind < 0.25:
        sender, to = "Team <team@lists.example.org>", ME
        extra = "List-Id: Team <team.lists.example.org>\nList-Unsubscribe: <mailto:u@x>\n"
    elif kind < 0.35:
        sender, to = "Shop <no-reply@shop.example>", ME
    elif kind < 0.65:
        sender, to = person, f"Sam <{ME}>"
    else:
        sender, to = f"Sam <{ME}>", person
    thread = rng.randrange(max(1, index // 3) + 1)
    refs = f"References: <t{thread}@example.org>\nIn-Reply-To: <t{thread}@example.org>\n" \
        if rng.random() < 0.5 else ""
    date = at.strftime("%a, %d %b %Y %H:%M:%S +0000")
    text = (f"Return-Path: <{ME}>\nReceived: from mx.example.org by mail.example.org with ESMTPS"
            f"\n\tid {index}; {date}\nFrom: {sender}\nTo: {to}\n"
            f"Subject: =?utf-8?q?Caf=C3=A9_plan_{thread}?=\nDate: {date}\n"
            f"Message-ID: <m{index}@example.org>\n{refs}{extra}"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            f"Content-Transfer-Encoding: 8bit\n\n{BODY}")
    return text.encode("utf-8")


def make_maildir(folder: Path, n: int, start: int = 0, seed: int = 7) -> None:
    rng = random.Random(seed + start)
    box = mailbox.Maildir(str(folder), create=True)
    first = NOW - timedelta(days=3 * 365)
    for i in range(start, start + n):
        at = first + timedelta(seconds=rng.randrange(3 * 365 * 86400)) if start == 0 \
            else NOW - timedelta(hours=1 + i - start)
        box.add(render(rng, i, at))
    box.close()


def floor_first(folder: Path) -> int:
    parser = BytesHeaderParser(policy=compat32)
    count = 0
    for sub in ("cur", "new"):
        with os.scandir(folder / sub) as entries:
            for entry in entries:
                with open(entry.path, "rb") as f:
                    head = f.read(8192)
                parser.parsebytes(head)
                count += 1
    return count


def floor_listing(folder: Path) -> int:
    count = 0
    for sub in ("cur", "new"):
        with os.scandir(folder / sub) as entries:
            count += sum(1 for _ in entries)
    return count


def capture(db: Path, config: CaptureConfig) -> tuple[int, int]:
    with open_store(db, backups_keep=0) as store:
        plan = plan_from_store(store, config, now=NOW, zone=ZONE)
        assert not plan.problems, plan.problems[:3]
        return log_plan(store, plan), plan.counts.messages


CPU: list[float] = []  # CPU seconds of the last timed call, this process and its workers


def timed(fn):  # type: ignore[no-untyped-def]
    before = os.times()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    after = os.times()
    CPU[:] = [sum(after[:4]) - sum(before[:4])]
    return elapsed, result


def count(folder: Path) -> int:
    return floor_listing(folder) if folder.exists() else 0


def main(n: int, work: Path) -> None:
    folder = work / "INBOX"
    have = count(folder)
    made, _ = timed(lambda: make_maildir(folder, n - have, start=have) if have < n else None)
    total = count(folder)
    size = sum(e.stat().st_size for sub in ("cur", "new") for e in os.scandir(folder / sub))
    print(f"{total} messages ({size / 1e6:.0f} MB; {max(0, n - have)} written with "
          f"mailbox.Maildir in {made:.0f}s)")
    db = work / "book.json"
    for old in work.glob("book.json*"):
        old.unlink()
    with open_store(db, backups_keep=0) as store:
        store.save_contacts(contacts())
    config = CaptureConfig(maildirs=[folder], me=[ME])

    # Wall time, and CPU time (this process and its worker processes): on a shared
    # machine the CPU time says what the run costs when it has the cores to itself.
    floor, counted = timed(lambda: floor_first(folder))
    floor_cpu = CPU[0]
    assert counted == total
    first, (logged, read) = timed(lambda: capture(db, config))
    first_cpu = CPU[0]
    assert read == total
    print(f"first run: {first:6.2f}s wall, {first_cpu:6.2f}s CPU   floor (scandir + "
          f"BytesHeaderParser) {floor:6.2f}s wall, {floor_cpu:6.2f}s CPU   "
          f"({logged} entries logged from {read} messages)")

    make_maildir(folder, 20, start=total)
    listing, _ = timed(lambda: floor_listing(folder))
    listing_cpu = CPU[0]
    again, (logged, read) = timed(lambda: capture(db, config))
    assert read == 20, read
    print(f"re-run:    {again:6.2f}s wall, {CPU[0]:6.2f}s CPU   floor (scandir of cur/ and "
          f"new/) {listing:6.2f}s wall, {listing_cpu:6.2f}s CPU   ({logged} entries logged "
          f"from {read} new messages)")
    idle, (logged, read) = timed(lambda: capture(db, config))
    assert read == 0 and logged == 0
    print(f"nothing new: {idle:.2f}s wall, {CPU[0]:.2f}s CPU")


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    if len(sys.argv) > 2:  # a folder to keep the Maildir in between runs (writing it is slow)
        kept = Path(sys.argv[2])
        kept.mkdir(parents=True, exist_ok=True)
        main(size, kept)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(size, Path(tmp))
