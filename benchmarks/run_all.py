"""Every target of "commands cost what they touch", beside its reference, in one run.

    python benchmarks/run_all.py            # the 5k-contact / 50k-entry book (24 MB)
    python benchmarks/run_all.py --large    # and the 50k / 500k book (237 MB)
    python benchmarks/run_all.py --runs 9   # more repetitions (medians are printed)

Books come from ``synth.py`` and are kept under ``benchmarks/.data/`` (git-ignored)
so that a second run does not rebuild them. Every command runs as a fresh
process; each round runs every command and every reference once, interleaved,
so that a busy machine slows both alike, and the medians are compared. Peak
memory is the process's own ``ru_maxrss`` (from ``wait4``), the data file's
size the yardstick. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
sys.path.insert(0, str(HERE.parent))

TODAY = "2025-06-15"
SIZES = {"5k": (5_000, 50_000), "50k": (50_000, 500_000)}
# The limits of the issue: (ratio to `python -c pass`, today's seconds, app's seconds).
LIMITS = {"5k": {"ratio": 2.5, "today": 0.3, "on_screen": 0.5, "review": 1.0},
          "50k": {"ratio": 4.0, "today": 1.5, "on_screen": 3.0, "review": 3.0}}
FRAME = 0.016  # one frame at 60 Hz: a filter keystroke's worst case
TAG = "sailing"
BOOK_VERSION = 6  # bump when synth.py or the data format changes (6: entries' places)


@dataclass
class Run:
    wall: float  # start to exit
    answer: float  # start to the first line of output
    rss: int  # peak resident memory, bytes


def run(cmd: list[str], env: dict[str, str]) -> Run:
    """Run ``cmd`` as a fresh process: wall time, time to its first output line, peak RSS.

    Linux starts a child's ``ru_maxrss`` at its parent's resident size when it
    forks, so this process never loads a book itself (see ``in_child``).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    answer = time.perf_counter() - start
    proc.stdout.read()
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {errors.decode()[:400]}")
    return Run(wall, answer, usage.ru_maxrss * 1024)


def in_child(helper: str, *args: str) -> str:
    """Run one of this module's helpers in a child process; what it printed."""
    done = subprocess.run([sys.executable, __file__, "--helper", helper, *args],
                          check=True, stdout=subprocess.PIPE)
    return done.stdout.decode().strip()


# ---------------------------------------------------------------- the books


def book_path(size: str) -> Path:
    return DATA / f"book-{size}.json"


def build_book(size: str) -> Path:
    return Path(in_child("build_book_here", size))


def build_book_here(size: str) -> Path:
    """The synthetic book of ``size``, folded by a checkpoint; built once, then reused."""
    path = book_path(size)
    stamp = path.with_suffix(".built")
    n_contacts, n_entries = SIZES[size]
    wanted = f"{BOOK_VERSION} {n_contacts} {n_entries}"
    from nurture.store import open_store

    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        # Its derived index as this version writes it (as a user's is after an upgrade).
        store = open_store(path, backups_keep=0, create=False, auto_fold=False)
        try:
            if store.reindex_due(look=True):
                print(f"writing the {size} book's index again…", file=sys.stderr, flush=True)
                store.reindex()
        finally:
            store.close(fold=False)
        return path
    import pendulum
    from synth import make_book

    for old in DATA.glob(f"{path.name}*"):
        old.unlink()
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"building the {size} book ({n_contacts:,} contacts, {n_entries:,} entries)…",
          file=sys.stderr, flush=True)
    contacts, entries = make_book(n_contacts, n_entries, seed=42,
                                  today=pendulum.Date.fromisoformat(TODAY))
    with open_store(path, backups_keep=0) as store:
        store.save_contacts(contacts)
        store.save_interactions(entries)
        store.checkpoint()
    stamp.write_text(wanted)
    return path


def build_sqlite_reference(book: Path) -> Path:
    return Path(in_child("build_sqlite_reference_here", str(book)))


def build_sqlite_reference_here(book: Path) -> Path:
    """The same contacts and timeline in SQLite, indexed as a database would be."""
    import sqlite3

    import orjson

    target = book.with_suffix(".sqlite")
    if target.exists() and target.stat().st_mtime_ns >= book.stat().st_mtime_ns:
        return target
    target.unlink(missing_ok=True)
    data = orjson.loads(book.read_bytes())
    db = sqlite3.connect(target)
    db.executescript("""
        CREATE TABLE contacts (id TEXT PRIMARY KEY, name TEXT, doc TEXT);
        CREATE INDEX contacts_name ON contacts(name);
        CREATE TABLE interactions (id TEXT PRIMARY KEY, at TEXT, doc TEXT);
        CREATE TABLE links (contact_id TEXT, at TEXT, interaction_id TEXT);
        CREATE INDEX links_contact ON links(contact_id, at);
    """)
    db.executemany("INSERT INTO contacts VALUES (?, ?, ?)",
                   [(k, v["display_name"], orjson.dumps(v).decode())
                    for k, v in data["contacts"].items()])
    db.executemany("INSERT INTO interactions VALUES (?, ?, ?)",
                   [(k, v["at"], orjson.dumps(v).decode())
                    for k, v in data["interactions"].items()])
    db.executemany("INSERT INTO links VALUES (?, ?, ?)",
                   [(c, v["at"], k) for k, v in data["interactions"].items()
                    for c in v["contact_ids"]])
    db.commit()
    db.close()
    return target


SQLITE_SHOW = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(cid, doc), = db.execute("SELECT id, doc FROM contacts WHERE id = ?", (sys.argv[2],))
rows = db.execute("SELECT i.doc FROM links l JOIN interactions i ON i.id = l.interaction_id "
                  "WHERE l.contact_id = ? ORDER BY l.at DESC LIMIT 12", (cid,)).fetchall()
print(doc[:60], len(rows))
"""

SQLITE_LOG = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA synchronous = FULL")
(cid,), = db.execute("SELECT id FROM contacts WHERE id = ?", (sys.argv[2],))
with db:
    db.execute("INSERT INTO interactions VALUES ('bench', '2025-06-15', '{}')")
    db.execute("INSERT INTO links VALUES (?, '2025-06-15', 'bench')", (cid,))
print(cid)
with db:
    db.execute("DELETE FROM interactions WHERE id = 'bench'")
    db.execute("DELETE FROM links WHERE interaction_id = 'bench'")
"""

PARSE_ALONE = "import orjson, sys; d = orjson.loads(open(sys.argv[1], 'rb').read()); print(len(d))"
# What every command that reads the book imports from other projects before any work of
# its own (as nurture imports them: the package first, which defers dateutil's parser):
# the floor under the lookups' ratios.
LIBRARIES = "import nurture, orjson, pendulum, platformdirs, sqlite3, tinydb"


# ---------------------------------------------------------------- measuring


@dataclass
class Row:
    label: str
    value: str
    reference: str
    target: str
    ok: bool | None  # None: reported, no target

    def cells(self) -> list[str]:
        verdict = "—" if self.ok is None else ("pass" if self.ok else "FAIL")
        return [self.label, self.value, self.reference, self.target, verdict]


@dataclass
class Report:
    size: str
    book: Path
    rows: list[Row] = field(default_factory=list)

    def add(self, *args: object) -> None:
        self.rows.append(Row(*args))  # type: ignore[arg-type]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def someone(book: Path) -> tuple[str, str]:
    name, _, contact_id = in_child("someone_here", str(book)).rpartition("\t")
    return name, contact_id


def someone_here(book: Path) -> str:
    """A contact with a unique display name (else email) and interests: (it, id)."""
    from nurture.store import open_store

    with open_store(book, backups_keep=0) as store:
        contacts = store._db.raw_table("contacts")
        counts: dict[str, int] = {}
        for doc in contacts.values():
            counts[doc["display_name"]] = counts.get(doc["display_name"], 0) + 1
        for doc_id, doc in sorted(contacts.items()):
            if counts[doc["display_name"]] == 1 and doc.get("interests"):
                return f"{doc['display_name']}\t{doc_id}"
        # A large synthetic book repeats every name: find them by a unique email.
        emails: dict[str, int] = {}
        for doc in contacts.values():
            for email in doc.get("emails", ()):
                emails[email["address"]] = emails.get(email["address"], 0) + 1
        for doc_id, doc in sorted(contacts.items()):
            for email in doc.get("emails", ()):
                if emails[email["address"]] == 1:
                    return f"{email['address']}\t{doc_id}"
    raise SystemExit(f"no contact with a unique name or email in {book}")


def median_of(runs: list[Run], attr: str = "wall") -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def work_copy(book: Path, name: str) -> Path:
    """The book as a fresh file to write to, without touching the built one.

    The data file is hard-linked: the very same file (same inode, so the
    journal's recorded layout and the index still hold), which a checkpoint
    replaces by a rename, leaving the built book as it was. The journal and the
    index are copied.
    """
    work = book.parent / f"{book.stem}-{name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    copy = work / "book.json"
    os.link(book, copy)
    for beside in (".journal", ".index"):  # the index is derived: a copy only saves time
        if book.with_name(book.name + beside).exists():
            shutil.copy2(book.with_name(book.name + beside), copy.with_name(copy.name + beside))
    return copy


def measure_cli(report: Report, runs: int, env: dict[str, str]) -> None:
    book = work_copy(report.book, "cli")
    limit = LIMITS[report.size]
    name, contact_id = someone(book)
    nurture = [sys.executable, "-m", "nurture", "--db", str(book)]
    reference_db = build_sqlite_reference(report.book)
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sqlite3 show": [sys.executable, "-c", SQLITE_SHOW, str(reference_db), contact_id],
        "sqlite3 log": [sys.executable, "-c", SQLITE_LOG, str(reference_db), contact_id],
        "parse alone": [sys.executable, "-c", PARSE_ALONE, str(book)],
        "libraries alone": [sys.executable, "-c", LIBRARIES],
        "start-up": [*nurture, "--version"],  # imports and argument parsing, no data
        "show": [*nurture, "show", name],
        "log": [*nurture, "log", contact_id, "benchmark entry"],
        "list --tag": [*nurture, "list", "--tag", TAG],
        "follow-ups": [*nurture, "follow-ups"],
        "today": [*nurture, "today"],
    }
    timings: dict[str, list[Run]] = {k: [] for k in commands}
    for cmd in commands.values():  # warm the page cache and the bytecode
        run(cmd, env)
    for _ in range(runs):
        for label, cmd in commands.items():
            timings[label].append(run(cmd, env))
    bare = median_of(timings["python -c pass"])
    libraries = median_of(timings["libraries alone"])
    for label in ("show", "log", "list --tag", "follow-ups"):
        took = median_of(timings[label])
        ref = timings["sqlite3 log" if label == "log" else "sqlite3 show"]
        report.add(f"nurture {label}", ms(took),
                   f"python -c pass {ms(bare)}; sqlite3 {ms(median_of(ref))}; "
                   f"nurture --version {ms(median_of(timings['start-up']))}; "
                   f"its libraries alone {ms(libraries)} ({libraries / bare:.1f}x)",
                   f"<= {limit['ratio']}x pass ({took / bare:.1f}x)",
                   took <= limit["ratio"] * bare)
    took = median_of(timings["today"])
    parsed = median_of(timings["parse alone"])
    report.add("nurture today", ms(took), f"parse the file alone {ms(parsed)}",
               f"<= {ms(limit['today'])}", took <= limit["today"])
    size = book.stat().st_size
    peak = max(r.rss for r in timings["today"])
    report.add("nurture today, peak memory", mib(peak), f"data file {mib(size)}",
               f"<= 2x file ({peak / size:.1f}x)", peak <= 2 * size)
    shutil.rmtree(book.parent, ignore_errors=True)
    measure_checkpoint(report, env, median_of(timings["log"]), contact_id)


def measure_checkpoint(report: Report, env: dict[str, str], ordinary: float,
                       contact_id: str) -> None:
    """The `log` whose write reaches the journal's limit costs what any `log` costs.

    Folding the journal rewrites the whole file (seconds at 50k contacts); the
    command must answer and exit within 1.5x an ordinary `log` of the same run,
    and the fold must still happen (in the background).
    """
    from nurture.store import storage

    fill = """
import os, sys
from nurture.model import Interaction
from nurture.store import open_store, storage
store = open_store(sys.argv[1], backups_keep=0)
for n in range(storage.JOURNAL_MAX_LINES - 1 - store._db.storage._journal_lines):
    store.save_interaction(Interaction.new([sys.argv[2]], "note", f"filler {n}"))
os._exit(0)  # no close: nothing folds
"""
    answers, walls = [], []
    for _ in range(FOLD_RUNS):  # one sample read anywhere from 1.0x to 1.7x
        book = work_copy(report.book, "fold")
        run([sys.executable, "-c", fill, str(book), contact_id], env)
        gen_before = _generation(book)
        logged = run([sys.executable, "-m", "nurture", "--db", str(book), "log", contact_id,
                      "the write that fills the journal"], env)
        _wait_for_fold(book, gen_before)
        answers.append(logged.answer)
        walls.append(logged.wall)
        shutil.rmtree(book.parent, ignore_errors=True)
    answer, wall = statistics.median(answers), statistics.median(walls)
    took = max(answer, wall)
    report.add(f"log at the journal's limit ({storage.JOURNAL_MAX_LINES} lines): no checkpoint",
               f"answer {ms(answer)}, exit {ms(wall)}",
               f"an ordinary log {ms(ordinary)}; median of {FOLD_RUNS}",
               f"<= 1.5x ordinary ({took / ordinary:.1f}x)", took <= 1.5 * ordinary)


FOLD_RUNS = 3  # each fills the journal and waits for its fold (10 s at 50,000 people)


def _generation(book: Path) -> int:
    with open(book.with_name(book.name + ".journal"), "rb") as handle:
        return int(json.loads(handle.readline())["gen"])


def _wait_for_fold(book: Path, before: int, timeout: float = 120.0) -> None:
    """A fold in the background must still happen (the next `log` must not inherit it),
    and end: it builds the new file's index after the journal's new generation is
    written, and what is measured next must not share the machine with it."""
    from nurture.store import fold

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _generation(book) > before and not fold.running(book):
            return
        time.sleep(0.05)
    print(f"  (warning: the journal of {book} was not folded within {timeout:.0f} s)")


def measure_app(report: Report, runs: int, env: dict[str, str]) -> None:
    limit = LIMITS[report.size]
    bench = [sys.executable, str(HERE / "bench_tui.py")]
    book = work_copy(report.book, "app")
    # The floor under the memory target: the same app on a book of one person.
    tiny = book.with_name("one-person.json")
    subprocess.run([sys.executable, "-m", "nurture", "--db", str(tiny), "add", "Ann Example"],
                   env=env, check=True, capture_output=True)
    bare, starts, keys, alone = [], [], [], []
    for index in range(runs):
        bare.append(json.loads(subprocess.run([*bench, "--bare"], env=env, check=True,
                                              capture_output=True).stdout))
        alone.append(json.loads(subprocess.run([*bench, "--measure", str(tiny), "--no-keys"],
                                               env=env, check=True,
                                               capture_output=True).stdout)["peak_rss"])
        cmd = [*bench, "--measure", str(book)]
        if index:
            cmd.append("--no-keys")  # keystrokes once: they are many samples already
        found = json.loads(subprocess.run(cmd, env=env, check=True,
                                          capture_output=True).stdout)
        starts.append(found)
        if "direct" in found:
            keys = found["direct"]
    bare_frame = statistics.median(b["first_frame"] for b in bare)
    for key, label in (("usable", "app: contacts on screen"),
                       ("review", "app: review ready (its suggestions on screen)")):
        took = statistics.median(s[key] for s in starts)
        lim = limit["on_screen" if key == "usable" else "review"]
        report.add(label, ms(took), f"bare Textual app paints in {ms(bare_frame)}",
                   f"<= {ms(lim)}", took <= lim)
    loaded = statistics.median(s["complete"] for s in starts)
    report.add("app: every timeline loaded", ms(loaded),
               "after the review, on the writer thread", "no target", None)
    ready = statistics.median(s["filter_ready"] for s in starts)
    report.add("app: filter ready (keystrokes timed after)", ms(ready),
               "built after the review, on the writer thread", "no target", None)
    worst = max(keys)
    report.add(f"filter keystroke, median / worst ({starts[0]['rows']:,} contacts)",
               f"{statistics.median(keys) * 1000:.1f} / {worst * 1000:.1f} ms", "one frame 16 ms",
               "worst <= 16 ms", worst <= FRAME)
    size = report.book.stat().st_size
    peak = statistics.median(s["peak_rss"] for s in starts)
    report.add("app: peak memory", mib(peak),
               f"data file {mib(size)}; on a one-person book {mib(statistics.median(alone))}",
               f"<= 2x file ({peak / size:.1f}x)", peak <= 2 * size)
    shutil.rmtree(book.parent, ignore_errors=True)


# ---------------------------------------------------------------- output


def print_table(report: Report, runs: int) -> None:
    n_contacts, n_entries = SIZES[report.size]
    print(f"\n{n_contacts:,} contacts / {n_entries:,} entries "
          f"({report.book.stat().st_size / 1e6:.0f} MB), medians of {runs} interleaved runs")
    header = ["", "measured", "reference, same run", "target", ""]
    rows = [header, *(r.cells() for r in report.rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main() -> int:
    if sys.argv[1:2] == ["--helper"]:
        helper, *rest = sys.argv[2:]
        print(globals()[helper](*(Path(a) if "/" in a else a for a in rest)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also the 50k / 500k book")
    parser.add_argument("--only-large", action="store_true", help="only the 50k / 500k book")
    parser.add_argument("--runs", type=int, default=5, help="rounds of every command")
    parser.add_argument("--skip-app", action="store_true", help="the command line only")
    args = parser.parse_args()
    sizes = ["50k"] if args.only_large else ["5k", "50k"] if args.large else ["5k"]
    if "50k" in sizes:
        free = shutil.disk_usage(DATA.parent).free
        if free < 3 * 2**30:
            raise SystemExit(f"the large book needs about 1 GB on disk; {mib(free)} free")
    home = DATA / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NURTURE_TODAY": TODAY, "HOME": str(home),
           "NURTURE_CONFIG_DIR": str(home / "config"), "PYTHONPATH": str(HERE.parent)}
    # An installed package runs from compiled bytecode: without this, a shell that
    # sets PYTHONDONTWRITEBYTECODE would time compiling every changed module each run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    missed = 0
    reports = []
    for size in sizes:
        report = Report(size, build_book(size))
        measure_cli(report, args.runs, env)
        if not args.skip_app:
            measure_app(report, max(3, args.runs // 2 + 1), env)
        print_table(report, args.runs)
        reports.append(report)
        missed += sum(1 for r in report.rows if r.ok is False)
    print(f"\n{missed} target(s) missed" if missed else "\nevery target met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
