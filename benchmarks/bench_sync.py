"""Sync a 5,000-contact / 50,000-entry book with its vdir folders: a first sync, and
incremental ones (nothing changed; 10 changes), each beside a floor measured in the
same run.

Run: ``python benchmarks/bench_sync.py [CONTACTS ENTRIES]``. The book comes from
``synth.make_book``. Floors:

- first sync: writing the same number of files of the same sizes with plain
  ``write_bytes`` (no rendering, no fsync), then one ``os.sync()``;
- incremental: one ``os.scandir`` + ``stat`` of both folders (what any sync must
  do to notice a changed file), plus building the book's models once (what any
  sync must do to notice a changed record).

The 10 changes: 4 contacts edited and 3 entries logged in the book, 2 files
edited and 1 removed in the folders (as vdirsyncer would after a phone's edit).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pendulum
from synth import make_book

from nurture.config import Config
from nurture.model import Interaction, InteractionKind
from nurture.store import open_store
from nurture.sync.session import sync_now


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def scan_floor(folders: list[Path], store) -> float:
    def run() -> int:
        n = 0
        for folder in folders:
            with os.scandir(folder) as entries:
                for entry in entries:
                    entry.stat()
                    n += 1
        store.refresh()
        store.contacts()
        store.interactions()
        return n
    return statistics.median(timed(run)[0] for _ in range(3))


def main() -> None:
    n_contacts, n_entries = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (5000,
                                                                                       50000)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        contacts, entries = make_book(n_contacts, n_entries)
        store = open_store(work / "nurture.json", backups_keep=0)
        store.save_contacts(contacts)
        store.save_interactions(entries)
        folders = [work / "dav" / "contacts", work / "dav" / "calendar"]
        for folder in folders:
            folder.mkdir(parents=True)
        config = Config(raw={"sync": {"contacts": str(folders[0]), "calendar": str(folders[1])}})

        first, report = timed(lambda: sync_now(store, config, store.path))
        written = report.count("folder", "created")  # type: ignore[attr-defined]
        sizes = [p.stat().st_size for f in folders for p in f.iterdir()]
        floor_dir = work / "floor"
        floor_dir.mkdir()

        def floor_write() -> None:
            for n, size in enumerate(sizes):
                (floor_dir / f"{n}.x").write_bytes(b"x" * size)
            os.sync()
        first_floor, _ = timed(floor_write)

        quiet = statistics.median(timed(lambda: sync_now(store, config, store.path))[0]
                                  for _ in range(3))
        # Ten changes, on both sides.
        for contact in store.contacts()[:4]:
            contact.notes = "edited for the benchmark"
            store.save_contact(contact)
        someone = store.contacts()[10].id
        for n in range(3):
            store.save_interaction(Interaction(
                id=f"i-bench{n:03d}", contact_ids=[someone], kind=InteractionKind.CALL,
                at=pendulum.datetime(2026, 11, 1, 9, n, tz="UTC"), text="a call"))
        cards = sorted(folders[0].iterdir())
        for card in cards[100:102]:
            card.write_text(card.read_text().replace("END:VCARD", "NOTE:from a phone\r\nEND:VCARD"))
        cards[200].unlink()
        incremental, report = timed(lambda: sync_now(store, config, store.path))
        floor = scan_floor(folders, store)
        store.close()

    changes = len(report.changes)  # type: ignore[attr-defined]
    print(f"Sync of a {n_contacts:,}-contact / {n_entries:,}-entry book ({written:,} items)")
    print(f"{'':38} {'sync':>9} {'floor':>9} {'ratio':>7}")
    print(f"{'first sync (book -> empty folders)':38} {first:8.2f}s {first_floor:8.2f}s "
          f"{first / first_floor:6.1f}x")
    print(f"{'incremental, nothing changed':38} {quiet:8.2f}s {floor:8.2f}s {quiet / floor:6.1f}x")
    print(f"{f'incremental, 10 changes ({changes} items moved)':38} {incremental:8.2f}s "
          f"{floor:8.2f}s {incremental / floor:6.1f}x")


if __name__ == "__main__":
    main()
