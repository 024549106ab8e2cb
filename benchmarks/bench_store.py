"""Our journaled store against TinyDB's default JSONStorage, on the same synthetic books.

    python benchmarks/bench_store.py            # 5,000/50,000 and 20,000/200,000
    python benchmarks/bench_store.py --quick    # 500/5,000 and 2,000/20,000

For each size it prints, for both stores: open+load, one durable insert of an
interaction (median and worst of N), one contact update, a tag query, and the
ratios; plus the bare ``orjson.loads`` of our file as the floor for opening.
Files go to a temporary folder on the same disk as the system temp dir (it
must not be a tmpfs, or fsync would cost nothing).
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pendulum
from synth import make_book
from tinydb import Query, TinyDB

from nurture.documents import contact_to_doc, interaction_to_doc
from nurture.model import Interaction, InteractionKind
from nurture.store import open_store, storage

TODAY = pendulum.date(2025, 6, 15)
TAG = "sailing"


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds per call of ``fn``, ``repeat`` times (garbage collection off while timing)."""
    out = []
    for _ in range(repeat):
        gc.disable()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
        gc.enable()
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def new_entry(n: int, contact_id: str) -> Interaction:
    return Interaction(id=f"i-bench-{n:08d}", contact_ids=[contact_id],
                       kind=InteractionKind.CALL, at=pendulum.now("UTC"),
                       text="Called about the renewal; she is sailing in July")


def bench_size(folder: Path, n_contacts: int, n_interactions: int, reps: int,
               tinydb_reps: int) -> dict[str, float]:
    print(f"\n== {n_contacts:,} contacts / {n_interactions:,} interactions ==")
    t0 = time.perf_counter()
    contacts, entries = make_book(n_contacts, n_interactions, seed=42, today=TODAY)
    print(f"   generated in {time.perf_counter() - t0:.1f} s")
    ours_path = folder / f"ours-{n_contacts}.json"
    with open_store(ours_path, backups_keep=0) as store:
        store.save_contacts(contacts)
        store.save_interactions(entries)
        store.checkpoint()
    theirs_path = folder / f"tinydb-{n_contacts}.json"
    tables = {"contacts": {str(i + 1): contact_to_doc(c) for i, c in enumerate(contacts)},
              "interactions": {str(i + 1): interaction_to_doc(e) for i, e in enumerate(entries)}}
    theirs_path.write_text(json.dumps(tables))
    del tables
    size_mb = ours_path.stat().st_size / 1e6
    print(f"   our file {size_mb:.1f} MB (indented); TinyDB's "
          f"{theirs_path.stat().st_size / 1e6:.1f} MB (compact)")
    r: dict[str, float] = {}

    # --- open + load
    r["floor"] = statistics.median(timed(lambda: orjson.loads(ours_path.read_bytes()), 5))

    def open_ours(parse_all: bool) -> None:
        store = open_store(ours_path, backups_keep=0)
        if parse_all:
            store._db.storage.read()  # every table parsed, as TinyDB's open does
        store.close()

    r["open"] = statistics.median(timed(lambda: open_ours(True), 5))
    # What a command that reads only contacts pays: tables are parsed on first use.
    r["open_lazy"] = statistics.median(timed(lambda: open_ours(False), 5))

    def open_theirs() -> None:
        db = TinyDB(theirs_path)
        len(db.table("contacts"))  # TinyDB reads lazily: force the load
        db.close()

    r["tinydb_open"] = statistics.median(timed(open_theirs, 3))

    # First use of the models (built lazily, once per process).
    store = open_store(ours_path, backups_keep=0)
    r["build_contacts"] = timed(store.contacts, 1)[0]
    r["build_timeline"] = timed(store.interactions_by_contact, 1)[0]

    # --- a tag query on data in memory
    def tag_query() -> list[object]:
        return [c for c in store.contacts() if TAG in c.interests]

    r["tag"] = statistics.median(timed(tag_query, 50))
    r["by_contact"] = statistics.median(timed(store.interactions_by_contact, 5))
    tdb = TinyDB(theirs_path)
    tcontacts, tentries = tdb.table("contacts"), tdb.table("interactions")
    tcontacts.clear_cache()
    r["tinydb_tag"] = statistics.median(timed(
        lambda: (tcontacts.clear_cache(), tcontacts.search(Query().interests.any([TAG]))),
        tinydb_reps))

    # --- one durable insert of an interaction, and one contact update
    ids = [c.id for c in contacts]
    counter = iter(range(10**9))
    inserts = timed(lambda: store.save_interaction(new_entry(next(counter), ids[7])), reps)
    r["insert"], r["insert_max"] = statistics.median(inserts), max(inserts)
    person = store.contact(ids[11])

    def update() -> None:
        person.title = f"Title {next(counter)}"
        store.save_contact(person)

    r["update"] = statistics.median(timed(update, reps))
    # A checkpoint folds the journal every JOURNAL_MAX_LINES writes: its share per write.
    r["checkpoint"] = timed(store.checkpoint, 1)[0]
    r["insert_amortised"] = r["insert"] + r["checkpoint"] / storage.JOURNAL_MAX_LINES
    store.close()

    r["tinydb_insert"] = statistics.median(timed(
        lambda: tentries.insert(interaction_to_doc(new_entry(next(counter), ids[7]))),
        tinydb_reps))
    r["tinydb_update"] = statistics.median(timed(
        lambda: tcontacts.update({"title": f"T {next(counter)}"}, doc_ids=[12]), tinydb_reps))
    tdb.close()
    report(r, reps, tinydb_reps)
    return r


def report(r: dict[str, float], reps: int, tinydb_reps: int) -> None:
    rows = [
        ("open + load (every table parsed)", r["open"], r["tinydb_open"]),
        (f"durable insert (median of {reps} / {tinydb_reps})", r["insert"], r["tinydb_insert"]),
        ("contact update (median)", r["update"], r["tinydb_update"]),
        ("tag query", r["tag"], r["tinydb_tag"]),
    ]
    print(f"   {'':38} {'ours':>12} {'TinyDB default':>15} {'speed-up':>9}")
    for label, ours, theirs in rows:
        print(f"   {label:38} {ms(ours)} {ms(theirs):>15} {theirs / ours:8.1f}x")
    print(f"   bare orjson.loads of our file: {ms(r['floor'])}; our open + load is "
          f"{r['open'] / r['floor']:.2f}x that; open alone (tables parsed on first use) "
          f"{ms(r['open_lazy'])}")
    print(f"   worst insert {ms(r['insert_max'])}; a checkpoint {ms(r['checkpoint'])}, "
          f"every {storage.JOURNAL_MAX_LINES} writes: amortised insert "
          f"{ms(r['insert_amortised'])}")
    print(f"   first contacts() builds the models in {ms(r['build_contacts'])}; the first "
          f"timeline in {ms(r['build_timeline'])}; later interactions_by_contact() "
          f"{ms(r['by_contact'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--reps", type=int, default=50, help="writes timed per size")
    args = parser.parse_args()
    sizes = [(500, 5_000), (2_000, 20_000)] if args.quick else [(5_000, 50_000),
                                                                 (20_000, 200_000)]
    targets = [(10e-3, 1.5, 10e-3), (20e-3, 1.5, None)]  # insert, open ratio, tag query
    folder = Path(tempfile.mkdtemp(prefix="nurture-bench-"))
    print(f"Python {sys.version.split()[0]}, files in {folder}")
    failures = []
    try:
        for (n_c, n_i), (insert_t, open_t, tag_t) in zip(sizes, targets, strict=True):
            r = bench_size(folder, n_c, n_i, args.reps, 5 if n_c <= 5_000 else 3)
            if r["insert"] > insert_t:
                failures.append(f"insert {r['insert'] * 1000:.1f} ms > {insert_t * 1000:.0f} ms")
            if r["open"] / r["floor"] > open_t:
                failures.append(f"open {r['open'] / r['floor']:.2f}x orjson.loads > {open_t}x")
            if tag_t is not None and r["tag"] > tag_t:
                failures.append(f"tag query {r['tag'] * 1000:.1f} ms > {tag_t * 1000:.0f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    label = " (quick sizes)" if args.quick else ""
    print(f"\nTargets{label}: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
