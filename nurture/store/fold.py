"""``python -m nurture.store.fold PATH [KEEP]``: fold a data file's journal into it.

A command starts this after its answer is out (``cli.context``) when the file
is large, so that nobody waits for the checkpoint. It opens the file as any
writer does and folds under the file lock, catching up with other processes'
writes first; killed at any moment it is a crash like any other, and the
journal is replayed at the next open. It prints nothing (nobody is reading).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from nurture.errors import NurtureError
from nurture.store import open_store

if TYPE_CHECKING:
    from nurture.store import Store


class Flushable(Protocol):
    def flush(self) -> None: ...


# From this size on, a fold (which rewrites the whole file) runs after the
# command has answered, in another process, not in the command's time.
FOLD_IN_BACKGROUND_BYTES = 1024 * 1024


def fold_in_background(store: Store, backups_keep: int,
                       *streams: Flushable) -> None:
    """Fold the journal in a detached process that outlives this command; the answer is out.

    A fresh process (``nurture.store.fold``), not a fork of this one: it reads the
    file itself, so this process exits at once instead of paying for the pages a
    forked child would share with it. It folds like any writer, under the file
    lock; killed at any moment, it is a crash the crash tests cover, and one
    that cannot be started loses nothing (the journal is replayed, folded later).
    """
    for stream in streams:
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    argv = [sys.executable, "-m", "nurture.store.fold", str(store.path), str(backups_keep)]
    quiet = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDWR, 0),
             (os.POSIX_SPAWN_DUP2, 0, 1), (os.POSIX_SPAWN_DUP2, 0, 2)]
    with contextlib.suppress(OSError):
        os.posix_spawn(sys.executable, argv, os.environ, file_actions=quiet, setsid=True)


def close_after_answer(store: Store, backups_keep: int, *streams: Flushable) -> None:
    """Close ``store`` once the answer is out (the command line's, the app's at exit).

    A fold of the journal that is due runs here when the file is small
    (milliseconds), else in a detached process, so that nobody waits for a
    checkpoint. So does the layout of a file read whole because it was copied or
    restored (``Store.lay_out``: its index, without rewriting it).
    """
    fold = store.fold_due(closing=True)
    lay_out = not fold and store.lay_out_due()
    reindex = not fold and not lay_out and store.reindex_due()
    if (fold or lay_out or reindex) and store.file_size() >= FOLD_IN_BACKGROUND_BYTES:
        fold_in_background(store, backups_keep, *streams)
        store.close(fold=False)
    else:
        with contextlib.suppress(NurtureError, OSError):  # derived: costs only time
            if lay_out:
                store.lay_out()
            elif reindex:
                store.reindex()
        store.close()


def guard_path(path: Path) -> Path:
    """The lock only a fold takes (``<file>.fold.lock``): one at a time per file."""
    return path.with_name(path.name + ".fold.lock")


def running(path: Path) -> bool:
    """Whether a fold of the book at ``path`` is running (its guard is held)."""
    from nurture.store.lockfile import FileLock, Timeout

    guard = FileLock(str(guard_path(path)), timeout=0)
    try:
        guard.acquire()
    except Timeout:
        return True
    guard.release()
    return False


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    keep = int(argv[1]) if len(argv) > 1 else 7
    # One fold of a file at a time. A command that reads a copied book whole ends while
    # the fold it started is still reading it, and starts another: three at once, each
    # reading 260 MB at 50,000 people, made the commands beside them twice as slow.
    # The one that runs does the work; the others leave at once.
    from nurture import fsutil
    from nurture.store.lockfile import FileLock, Timeout

    for _ in range(ROUNDS):
        guard = FileLock(str(guard_path(path)), timeout=0, mode=fsutil.PRIVATE_FILE)
        try:
            guard.acquire()
        except (Timeout, OSError):
            return 0  # its holder looks again once it lets go
        try:
            code = _fold(path, keep)
        finally:
            guard.release()
        # A fold started while the guard was held left its work here (found in review:
        # a write made while this one laid a copy out stayed unfolded, the copy read
        # whole by every command). Looked for after letting go, so that a fold started
        # from now on takes the guard itself.
        if code != 0 or not _due(path, keep):
            return code
    return 0


ROUNDS = 5  # then the next command's fold goes on


def _due(path: Path, keep: int) -> bool:
    """Whether a fold, a lay-out or a new index is due for the book at ``path``."""
    try:
        store = open_store(path, backups_keep=keep, create=False, auto_fold=False)
    except (NurtureError, OSError):
        return False
    try:
        return store.fold_due(closing=True) or store.lay_out_due() \
            or store.reindex_due(look=True)
    finally:
        store.close(fold=False)


def _fold(path: Path, keep: int) -> int:
    try:
        store = open_store(path, backups_keep=keep, create=False, auto_fold=False)
    except (NurtureError, OSError):
        return 1  # nothing lost: the next command's fold, or the next open, retries
    try:
        if store.fold_due(closing=True):  # unless someone folded it meanwhile
            store.checkpoint()
        elif store.lay_out_due():
            store.lay_out()
        elif store.reindex_due(look=True):
            store.reindex()
    except (NurtureError, OSError):
        return 1
    finally:
        store.close(fold=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
