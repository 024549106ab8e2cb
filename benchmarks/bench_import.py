"""Import 5,000 contacts from one .vcf and from a vdir, against bare vobject as the floor.

Run: ``python benchmarks/bench_import.py [N]``. The address book comes from
``synth.make_book``; it is exported with Nurture's own vCard writer (3.0), so
the cards carry what real ones do (several emails and phones, addresses,
year-less birthdays, labelled dates, family). Three figures per layout, each
the median of several runs:

- floor: ``vobject.readComponents`` over the same text (what parsing costs
  with nothing done with the result);
- read: our reader (vobject's line parser, RFC value rules, mapping onto
  Contacts), no store;
- import: the whole ``nurture import``: read, plan against the book, one
  durable batch into a fresh store.

The target is import within 2x of the floor.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vobject
from synth import make_book

from nurture.interop import import_path
from nurture.interop.vcard import read_vcard_paths
from nurture.interop.vcard_out import write_vcards
from nurture.store import open_store

RUNS = 5


def median_time(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_file(path: Path) -> int:
    return sum(1 for _ in vobject.readComponents(path.read_text(encoding="utf-8")))


def floor_vdir(folder: Path) -> int:
    return sum(sum(1 for _ in vobject.readComponents(p.read_text(encoding="utf-8")))
               for p in sorted(folder.glob("*.vcf")))


def our_read(path: Path) -> int:
    result = read_vcard_paths([path])
    assert not result.problems, result.problems[:3]
    return len(result.incoming)


def our_import(path: Path, work: Path) -> int:
    db = work / f"db-{time.perf_counter_ns()}.json"
    with open_store(db, backups_keep=0) as store:
        report = import_path(path, store)
        assert len(report.plan.added) == N, report.summary()
    return len(report.plan.added)


if __name__ == "__main__":
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    contacts, _ = make_book(N, 0, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        single = work / "book.vcf"
        vdir = work / "vdir"
        write_vcards(contacts, single, "3.0")
        write_vcards(contacts, vdir, "3.0")
        size = single.stat().st_size
        print(f"{N} contacts: {size / 1e6:.1f} MB in one .vcf; {N} files in a vdir")
        print(f"{'layout':8} {'floor (vobject)':>16} {'our read':>10} {'import':>10} "
              f"{'read/floor':>11} {'import/floor':>13}")
        for name, path, floor in (("one .vcf", single, floor_file), ("vdir", vdir, floor_vdir)):
            assert floor(path) == N
            base = median_time(lambda p=path, f=floor: f(p))
            read = median_time(lambda p=path: our_read(p))
            whole = median_time(lambda p=path: our_import(p, work), runs=3)
            print(f"{name:8} {base:15.2f}s {read:9.2f}s {whole:9.2f}s "
                  f"{read / base:10.2f}x {whole / base:12.2f}x")
        one = median_time(lambda: write_vcards(contacts, work / "again.vcf", "3.0"), runs=3)
        many = median_time(lambda: write_vcards(contacts, work / "again", "3.0"), runs=3)
        print(f"export (vCard 3.0): one .vcf {one:.2f}s, vdir {many:.2f}s "
              f"({one / N * 1e6:.0f} µs per contact in one file)")
