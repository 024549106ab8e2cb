"""A fork server for the crash and concurrency tests (run as a script, not collected).

Importing Nurture costs a few hundred milliseconds; forking costs one. So this
process imports once and, for each ``go MODE SEED`` line on stdin, forks a
writer child, reports ``S pid N``, waits for it to end (normally, or killed by
the test with SIGKILL) and reports ``S dead``. Children print one line per write
*after* the store acknowledged it, with a single ``write`` call so lines never
interleave:

    C A <id>      a new interaction is durable
    C V <n>       the counter contact now holds n
    C done        (concurrent mode) finished

Server and children share one pipe, so a child's first line may arrive before
the server's ``pid`` line: the ``S``/``C`` tag says who spoke, never the order.
``S dead`` is written after the child was reaped, so every line of that child
comes before it.
"""

from __future__ import annotations

import os
import random
import sys

import pendulum

from nurture.model import Contact, Interaction, InteractionKind
from nurture.store import open_store, storage

COUNTER = "c-counter"
AT = pendulum.datetime(2025, 1, 1, tz="UTC")


def say(text: str) -> None:
    """A child's line (one ``write``, so lines never interleave)."""
    os.write(1, ("C " + text + "\n").encode())


def report(text: str) -> None:
    """The server's own line."""
    os.write(1, ("S " + text + "\n").encode())


def entry(entry_id: str, rng: random.Random) -> Interaction:
    return Interaction(id=entry_id, contact_ids=[COUNTER], kind=InteractionKind.NOTE,
                       at=AT.add(seconds=rng.randrange(10**7)),
                       text="é" * rng.randrange(0, 400))


def crash_child(path: str, seed: int) -> None:
    """Write forever in varied ways, until killed."""
    rng = random.Random(seed)
    # Fold often, so that kills also land inside checkpoints.
    storage.JOURNAL_MAX_LINES = rng.choice([5, 20, 2000])
    store = open_store(path, backups_keep=2)
    counter = store.contact(COUNTER)
    value = int(counter.notes) if counter else 0
    n = 0
    while True:
        action = rng.random()
        if action < 0.45:
            entry_id = f"i-{seed}-{n}"
            store.save_interaction(entry(entry_id, rng))
            say(f"A {entry_id}")
        elif action < 0.65:
            # A big batch makes a long journal line, which a kill can cut short.
            ids = [f"i-{seed}-{n}-{k}" for k in range(rng.choice([2, 50, 400]))]
            store.save_interactions(entry(i, rng) for i in ids)
            say("A " + " ".join(ids))
        elif action < 0.95:
            value += 1
            store.save_contact(Contact(id=COUNTER, display_name="Counter", notes=str(value)))
            say(f"V {value}")
        else:
            store.checkpoint()
        n += 1


def concurrent_child(path: str, seed: int, count: int) -> None:
    """Write ``count`` entries, each in its own durable write, then report."""
    rng = random.Random(seed)
    storage.JOURNAL_MAX_LINES = 25  # both processes fold while the other writes
    store = open_store(path, backups_keep=0)
    for n in range(count):
        store.save_interaction(entry(f"i-{seed}-{n}", rng))
    store.close()
    say("done")


def main() -> None:
    path = sys.argv[1]
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        mode, seed = words[1], int(words[2])
        pids = []
        for k in range(int(words[3]) if len(words) > 3 else 1):
            pid = os.fork()
            if pid == 0:
                try:
                    if mode == "crash":
                        crash_child(path, seed)
                    else:
                        concurrent_child(path, seed + k, 150)
                except BaseException as exc:  # report, never fall back into the server loop
                    say(f"error {type(exc).__name__}: {exc}")
                    os._exit(3)
                os._exit(0)
            pids.append(pid)
        report("pid " + " ".join(map(str, pids)))
        for pid in pids:
            os.waitpid(pid, 0)
        report("dead")


if __name__ == "__main__":
    main()
