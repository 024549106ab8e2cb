"""How long the morning review takes on large address books, and whether it grows linearly.

    python benchmarks/bench_rules.py [--repeat N] [--sizes 5000x50000,20000x200000]

For each size it builds a synthetic book (``benchmarks/synth.py``), indexes the
timeline the way ``Store.interactions_by_contact()`` does, and times:

- baseline: one walk over every timeline entry (the least any review must do);
- review: ``suggest()`` as ``nurture today`` runs it (ranked, the first 50 worded);
- review, all worded: the same with no daily limit (every suggestion written out).

Figures are medians of ``--repeat`` runs; the ratios compare sizes and the
baseline measured in this same run, so they mean something on any machine.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pendulum
from synth import make_book

from nurture.rules import RulesConfig, suggest

TODAY = pendulum.date(2025, 6, 15)
TARGET_MS = 250.0


def median_ms(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def index(interactions) -> dict[str, list]:
    """What Store.interactions_by_contact() returns: each contact's entries, newest first."""
    timeline: dict[str, list] = {}
    for entry in sorted(interactions, key=lambda i: i.at, reverse=True):
        for cid in entry.contact_ids:
            timeline.setdefault(cid, []).append(entry)
    return timeline


def walk(timeline: dict[str, list]) -> int:
    count = 0
    for entries in timeline.values():
        for entry in entries:
            if entry.follow_ups:
                count += 1
    return count


def measure(n_contacts: int, n_interactions: int, repeat: int) -> dict[str, float]:
    contacts, interactions = make_book(n_contacts, n_interactions, seed=42, today=TODAY)
    timeline = index(interactions)
    limited = RulesConfig()
    unlimited = RulesConfig(daily_limit=0)
    baseline, _ = median_ms(lambda: walk(timeline), repeat)
    review, shown = median_ms(lambda: suggest(contacts, timeline, [], {}, limited, TODAY),
                              repeat)
    everything, found = median_ms(
        lambda: suggest(contacts, timeline, [], {}, unlimited, TODAY), repeat)
    return {"baseline": baseline, "review": review, "all": everything,
            "shown": len(shown), "pending": len(found)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="5000x50000,20000x200000",
                        help="contacts x interactions, comma separated")
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    rows = []
    for n_contacts, n_interactions in sizes:
        figures = measure(n_contacts, n_interactions, args.repeat)
        rows.append((n_contacts, n_interactions, figures))

    print(f"Daily review on a synthetic book (today {TODAY}), median of {args.repeat} runs\n")
    print(f"{'contacts/interactions':>22} {'baseline walk':>14} {'review':>10} "
          f"{'review, all worded':>19} {'review/baseline':>16} {'due':>7}")
    for n_contacts, n_interactions, f in rows:
        print(f"{f'{n_contacts:,}/{n_interactions:,}':>22} {f['baseline']:>11.1f} ms "
              f"{f['review']:>7.1f} ms {f['all']:>16.1f} ms "
              f"{f['review'] / f['baseline']:>15.1f}x {f['pending']:>7,}")
    if len(rows) >= 2:
        (c0, _, small), (c1, _, large) = rows[0], rows[-1]
        size_ratio = c1 / c0
        print(f"\nGrowth from {c0:,} to {c1:,} contacts ({size_ratio:.1f}x the data):")
        for name in ("baseline", "review", "all"):
            print(f"  {name:>8}: {large[name] / small[name]:.2f}x")
    largest = rows[-1][2]["review"]
    verdict = "within" if largest <= TARGET_MS else "OVER"
    print(f"\nLargest review: {largest:.0f} ms ({verdict} the {TARGET_MS:.0f} ms target).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
