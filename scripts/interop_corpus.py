"""Import a corpus of real address-book files into a throw-away book and say what happened.

    .venv/bin/python scripts/interop_corpus.py [PATH ...]

PATH is a file or a folder of .vcf/.csv files (default: tests/fixtures/interop/real
and tests/fixtures/interop). For each file: its records, what was imported (added,
merged, unchanged), what was refused and why, the warnings, and the values not
carried into the book (by property or column). Then the whole book is exported as
vCard 3.0 and 4.0 and imported back, and every contact that comes back different is
counted as a loss. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

import pendulum

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nurture.documents import contact_to_doc  # noqa: E402
from nurture.interop import export_path, import_path  # noqa: E402
from nurture.interop.csv_profiles import OUTLOOK_DEFAULTS  # noqa: E402
from nurture.interop.textfiles import read_text  # noqa: E402
from nurture.interop.vcard import RawCard, decode_vcard, split_cards  # noqa: E402
from nurture.interop.vcard_map import DROPPED  # noqa: E402
from nurture.store import open_store  # noqa: E402

AT = pendulum.datetime(2026, 11, 22, 9, tz="UTC")
# Properties the reader leaves out on purpose, and why.
WHY_NOT = {"LABEL": "printed address label (rebuilt from ADR)",
           "REV": "the file's timestamp (Nurture writes its own)"}


def files_of(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.iterdir()
                          if p.suffix.lower() in (".vcf", ".csv") and p.is_file())
        else:
            out.append(path)
    return out


def not_carried_vcard(path: Path) -> Counter[str]:
    """Content lines the reader drops (not mapped to a field, not kept as written)."""
    counts: Counter[str] = Counter()
    for card in split_cards(decode_vcard(path.read_bytes(), path), str(path)):
        if isinstance(card, RawCard):
            counts.update(line.name for line in card.lines
                          if line.name in DROPPED and line.name in WHY_NOT)
    return counts


def not_carried_csv(path: Path, result_detected: str) -> Counter[str]:
    """Cells the CSV reader leaves out: Outlook's filler values and ignored columns."""
    import csv
    import io

    from nurture.interop import csv_profiles as P

    counts: Counter[str] = Counter()
    rows = list(csv.reader(io.StringIO(read_text(path))))
    if not rows:
        return counts
    targets = P.PROFILES.get(result_detected, P.generic)(rows[0])
    for row in rows[1:]:
        for header, cell in zip(rows[0], row, strict=False):
            target = targets.get(header)
            if cell.strip() and target is not None and target.field == "ignore":
                counts[f"{header} (ignored column)"] += 1
            elif result_detected == "outlook" and cell.strip().lower() in OUTLOOK_DEFAULTS:
                counts[f"{header} (Outlook's filler)"] += 1
    return counts


def essence(contact) -> dict:
    doc = contact_to_doc(contact)
    for key in ("id", "created", "updated"):
        doc.pop(key, None)
    return doc


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / "tests/fixtures/interop/real",
                                         ROOT / "tests/fixtures/interop"]
    files = files_of(paths)
    totals: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp, \
            open_store(Path(tmp) / "book.json", backups_keep=0) as store:
        for path in files:
            try:
                report = import_path(path, store, at=AT)
            except Exception as exc:  # a file nothing could be read from: say so, go on
                print(f"{path.name}: not read: {exc}")
                totals["files not read"] += 1
                continue
            plan = report.plan
            merged = plan.merged_records
            warnings = [p for p in report.problems if not p.skipped]
            reasons = report.skip_reasons()
            kind = report.format
            dropped = not_carried_vcard(path) if kind == "vcard" else \
                not_carried_csv(path, kind.removeprefix("csv (").rstrip(")"))
            print(f"{path.name}: {report.records} records; added {len(plan.added)}, merged "
                  f"{merged}, unchanged {len(plan.unchanged)}; refused "
                  f"{len(plan.skipped) + report.bad_records}"
                  + (f" ({', '.join(f'{n} {why}' for why, n in reasons.items())})"
                     if reasons else "")
                  + f"; {len(warnings)} warnings"
                  + (f"; not carried: {', '.join(f'{n} {k}' for k, n in dropped.items())}"
                     if dropped else ""))
            for skip in plan.skipped:
                print(f"    refused {skip.name!r} ({skip.place}): {skip.reason}")
            for problem in report.problems:
                if problem.skipped:
                    print(f"    refused: {problem}")
            totals["files"] += 1
            totals["records"] += report.records
            totals["imported"] += len(plan.added) + merged
            totals["unchanged"] += len(plan.unchanged)
            totals["warnings"] += len(warnings)
            refused.update(reasons)
            lost.update(dropped)
        before = {c.id: essence(c) for c in store.contacts()}
        for version in ("3.0", "4.0"):
            target = Path(tmp) / f"vdir-{version}"
            export_path(store, target, "vcard", today=AT.date(), version=version)
            again = import_path(target, store, at=AT, dry_run=True)
            changed = len(again.plan.added) + len(again.plan.merged)
            after = {c.id: essence(c) for c in store.contacts()}
            totals[f"contacts changed by a {version} round trip"] = changed + sum(
                after[cid] != doc for cid, doc in before.items())
    print()
    print(f"files {totals['files']} (not read: {totals['files not read']}); "
          f"records {totals['records']}; imported {totals['imported']} "
          f"(added or merged); unchanged {totals['unchanged']}; refused "
          f"{sum(refused.values())}"
          + (f" ({', '.join(f'{n} {why}' for why, n in refused.items())})" if refused else "")
          + f"; warnings {totals['warnings']}")
    print("values not carried into the book: "
          + (", ".join(f"{n} {k}" + (f" [{WHY_NOT[k]}]" if k in WHY_NOT else "")
                       for k, n in lost.items()) or "none"))
    print(f"contacts changed by export and re-import: vCard 3.0 "
          f"{totals['contacts changed by a 3.0 round trip']}, vCard 4.0 "
          f"{totals['contacts changed by a 4.0 round trip']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
