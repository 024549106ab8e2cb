"""How long `nurture search` takes per query on large books, beside a naive scan.

    python benchmarks/bench_search.py [--sizes 5000x50000,20000x500000] [--repeat N]

For each size it builds a synthetic book (``benchmarks/synth.py``), builds the
search index once (``nurture.search.SearchIndex``, as the CLI and the app do)
and times a set of queries (rare words, common words, several words, accents,
no match), printing the slowest and the median per query. The baseline, timed
in the same run on the same queries, is the naive search: fold each entry's
and contact's text on every query and test every word by substring.

Targets (from issue 16): at most 50 ms per query over 50,000 entries and
250 ms over 500,000.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import make_book

from nurture.model import Contact, Interaction, fold
from nurture.search import SearchIndex, contact_fields, entry_fields

QUERIES = [
    "marathon",  # one entry in fifteen
    "graduation",  # key dates and entries
    "chloe",  # accent-insensitive: Chloé
    "lisbon conference",  # two words, contact fields
    "renewal follow",  # two words in one entry and its follow-up
    "regatta",  # no match anywhere: the whole book is read
    "roadmap zzz",  # a common word and one that never matches
    "roadmap marathon",  # two common words never in the same entry
    "the",  # a word in many entries: stops after the shown hits
]
TARGETS = {50_000: 50.0, 500_000: 250.0}


def naive(contacts: list[Contact], entries: list[Interaction], query: str,
          limit: int = 50) -> int:
    """Fold every document on each query, then sort the matches newest first."""
    words = fold(query).split()
    found = []
    names = {c.id: c.display_name for c in contacts}
    for entry in entries:
        text = fold(" ".join([*(t for _, t in entry_fields(entry)),
                              *(names.get(c, "") for c in entry.contact_ids)]))
        if all(w in text for w in words):
            found.append((entry.at.timestamp(), entry.id))
    for contact in contacts:
        text = fold(" ".join(t for _, t in contact_fields(contact)))
        if all(w in text for w in words):
            found.append(((contact.updated or contact.created).timestamp(), contact.id))
    found.sort(reverse=True)
    return len(found[:limit])


def timed(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000x50000,20000x500000",
                        help="CONTACTSxENTRIES, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-repeat", type=int, default=1)
    args = parser.parse_args(argv)
    failed = False
    for size in args.sizes.split(","):
        n_contacts, n_entries = (int(x) for x in size.split("x"))
        contacts, entries = make_book(n_contacts, n_entries)
        start = time.perf_counter()
        index = SearchIndex(contacts, entries)
        built = (time.perf_counter() - start) * 1000
        print(f"\n{n_contacts:,} contacts, {n_entries:,} entries "
              f"(index built once in {built:,.0f} ms)")
        print(f"  {'query':<22}{'hits':>6}{'search ms':>12}{'naive ms':>12}{'speed-up':>10}")
        ours, theirs = [], []
        for query in QUERIES:
            result = index.search(query)
            hits = f"{len(result.hits)}{'+' if result.more else ''}"
            mine = timed(partial(index.search, query), args.repeat)
            base = timed(partial(naive, contacts, entries, query), args.baseline_repeat)
            ours.append(mine)
            theirs.append(base)
            print(f"  {query:<22}{hits:>6}{mine:>12.2f}{base:>12.0f}{base / mine:>9.0f}x")
        target = TARGETS.get(n_entries)
        worst = max(ours)
        verdict = ""
        if target is not None:
            ok = worst <= target
            failed |= not ok
            verdict = f"  target {target:.0f} ms: {'met' if ok else 'MISSED'}"
        print(f"  slowest query {worst:.2f} ms, median {statistics.median(ours):.2f} ms; "
              f"naive median {statistics.median(theirs):.0f} ms.{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
