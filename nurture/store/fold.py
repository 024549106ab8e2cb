"""``python -m nurture.store.fold PATH [KEEP]``: fold a data file's journal into it.

A command starts this after its answer is out (``cli.context``) when the file
is large, so that nobody waits for the checkpoint. It opens the file as any
writer does and folds under the file lock, catching up with other processes'
writes first; killed at any moment it is a crash like any other, and the
journal is replayed at the next open. It prints nothing (nobody is reading).
"""

from __future__ import annotations

import sys
from pathlib import Path

from nurture.errors import NurtureError
from nurture.store import open_store


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    keep = int(argv[1]) if len(argv) > 1 else 7
    try:
        store = open_store(path, backups_keep=keep, create=False, auto_fold=False)
    except (NurtureError, OSError):
        return 1  # nothing lost: the next command's fold, or the next open, retries
    try:
        if store.fold_due(closing=True):  # unless someone folded it meanwhile
            store.checkpoint()
    except (NurtureError, OSError):
        return 1
    finally:
        store.close(fold=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
