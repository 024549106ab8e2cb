"""Whole-process ``nurture list --tag T`` over 5,000 contacts, against ``khard list``.

    python benchmarks/bench_cli.py [--contacts 5000] [--runs 7]
    python benchmarks/bench_cli.py --install-khard   # into /tmp/khardenv, never our venv

Both programs get the same synthetic contacts: Nurture as its data file (with
a realistic timeline of 10 entries per contact), khard as a vdir of vCards.
Each command runs as a fresh process; the median of the runs is reported.
When khard is not installed the issue's reference figure (3.5 s) is used.
It also prints where Nurture's own start-up time goes (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pendulum
import vobject
from synth import make_book

from nurture.model import Contact
from nurture.store import open_store

KHARD_ENV = Path("/tmp/khardenv")
KHARD = KHARD_ENV / "bin" / "khard"
KHARD_REFERENCE = 3.5  # seconds, measured for the issue on this machine
TAG = "sailing"


def run_median(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, int]:
    """Median wall time of ``cmd`` as a fresh process, and the lines it printed."""
    times, lines = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        lines = done.stdout.count(b"\n")
    return statistics.median(times), lines


def write_vcard(contact: Contact, folder: Path) -> None:
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("uid").value = contact.id
    card.add("fn").value = contact.display_name
    card.add("n").value = vobject.vcard.Name(family=contact.family_name,
                                             given=contact.given_name)
    if contact.company:
        card.add("org").value = [contact.company]
    if contact.title:
        card.add("title").value = contact.title
    for email in contact.emails:
        card.add("email").value = email.address
    for phone in contact.phones:
        card.add("tel").value = phone.number
    if contact.interests:
        card.add("categories").value = contact.interests
    if contact.birthday and contact.birthday.year:
        card.add("bday").value = contact.birthday.text()
    (folder / f"{contact.id}.vcf").write_text(card.serialize())


def store_share(db: Path, work: Callable[..., object]) -> float:
    """Median seconds to open ``db`` (fresh each time) and run ``work(store)``."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        store = open_store(db, backups_keep=0)
        if work.__code__.co_argcount:
            work(store)
        store.close()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def nurture_command() -> list[str]:
    script = Path(sys.executable).with_name("nurture")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nurture"]


def import_profile(cmd_args: list[str], env: dict[str, str]) -> list[tuple[int, str]]:
    """The slowest top-level imports of one run: (cumulative microseconds, module)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "nurture", *cmd_args],
                          env=env, capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        # "import time:  self | cumulative | <indent>name"; one space of indent = top level
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2]
        if len(name) - len(name.lstrip()) == 1:
            rows.append((int(parts[1]), name.strip()))
    return sorted(rows, reverse=True)[:8]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--install-khard", action="store_true",
                        help=f"create {KHARD_ENV} and pip-install khard there first")
    args = parser.parse_args()
    if args.install_khard and not KHARD.exists():
        subprocess.run([sys.executable, "-m", "venv", str(KHARD_ENV)], check=True)
        subprocess.run([str(KHARD_ENV / "bin" / "pip"), "install", "-q", "khard"], check=True)

    folder = Path(tempfile.mkdtemp(prefix="nurture-bench-cli-"))
    try:
        contacts, entries = make_book(args.contacts, args.contacts * 10, seed=42,
                                      today=pendulum.date(2025, 6, 15))
        db = folder / "nurture.json"
        with open_store(db, backups_keep=0) as store:
            store.save_contacts(contacts)
            store.save_interactions(entries)
            store.checkpoint()
        env = {**os.environ, "NURTURE_CONFIG_DIR": str(folder / "config"),
               "HOME": str(folder)}
        cmd = [*nurture_command(), "--db", str(db), "list", "--tag", TAG]
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the disk cache
        ours, found = run_median(cmd, args.runs, env)
        ours_all, listed = run_median([*cmd[:-2]], args.runs, env)
        bare, _ = run_median([sys.executable, "-c", "pass"], args.runs, env)
        print(f"{args.contacts:,} contacts, {len(entries):,} timeline entries "
              f"({db.stat().st_size / 1e6:.1f} MB), median of {args.runs} runs")
        print(f"  nurture list --tag {TAG}   {ours * 1000:7.0f} ms  ({found} contacts)")
        print(f"  nurture list                 {ours_all * 1000:7.0f} ms  ({listed} contacts)")
        print(f"  python -c pass               {bare * 1000:7.0f} ms  (interpreter start)")

        if KHARD.exists():
            vdir = folder / "vdir"
            vdir.mkdir()
            for contact in contacts:
                write_vcard(contact, vdir)
            config = folder / "khard.conf"
            config.write_text(f"[addressbooks]\n[[bench]]\npath = {vdir}\n")
            khard_cmd = [str(KHARD), "-c", str(config), "list"]
            reference, khard_lines = run_median(khard_cmd, max(3, args.runs // 2), env)
            print(f"  khard list                   {reference * 1000:7.0f} ms  "
                  f"({khard_lines} lines, same contacts as a vdir)")
        else:
            reference = KHARD_REFERENCE
            print(f"  khard list                   {reference * 1000:7.0f} ms  "
                  "(the issue's figure; run with --install-khard to measure it here)")
        ratio = ours / reference
        verdict = "met" if ratio <= 0.1 else "MISSED"
        print(f"  nurture takes {ratio:.3f} of khard's time (target 0.1 or less): {verdict}")

        print("\nThe store's share, in-process (median of 5):")
        for label, work in (
                ("open", lambda: None),
                ("open + contacts(), filtered after", lambda s: [c for c in s.contacts()
                                                                 if TAG in c.interests]),
                ("open + contacts(tags=[T])", lambda s: s.contacts(tags=[TAG]))):
            print(f"  {label:36} {store_share(db, work) * 1000:7.1f} ms")
        print("\nWhere nurture's start-up goes (cumulative import time of top-level modules):")
        for micros, name in import_profile(cmd[len(nurture_command()):], env):
            print(f"  {micros / 1000:7.1f} ms  {name}")
        return 0 if ratio <= 0.1 else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
