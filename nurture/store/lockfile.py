"""The file lock that serialises writers of one data file: ``flock`` on ``<file>.lock``.

Why not the filelock package: importing it (4.x) costs 25–35 ms, more than
everything else a command like ``nurture show`` needs, and the store needs only
this: one exclusive lock, re-entrant within the process, waited for with a
timeout. ``flock`` locks belong to the open file, so the kernel releases one
when its process dies, and a process that forked keeps its own.
"""

from __future__ import annotations

import fcntl
import os
import time


class Timeout(Exception):
    """The lock was not free within the timeout."""


class FileLock:
    """An exclusive, re-entrant lock on ``path`` (created with ``mode``), held by one process."""

    POLL = 0.02  # seconds between tries while another process holds it

    def __init__(self, path: str, *, timeout: float, mode: int = 0o600) -> None:
        self.path = path
        self.timeout = timeout
        self.mode = mode
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0

    @property
    def is_locked(self) -> bool:
        return self._fd is not None and self._pid == os.getpid()

    def acquire(self) -> None:
        """Take the lock (or count one more hold); ``Timeout`` when it stays taken."""
        if self.is_locked:
            self._depth += 1
            return
        # A forked child does not share its parent's hold (the kernel's lock is
        # the open file's, which both have): it opens the file anew.
        self._fd, self._depth = None, 0
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, self.mode)
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Timeout(self.path) from None
                    time.sleep(self.POLL)  # flock has no timed wait
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._pid, self._depth = fd, os.getpid(), 1

    def release(self) -> None:
        """Give one hold back; the lock is released with the last."""
        if not self.is_locked:
            return
        self._depth -= 1
        if self._depth == 0:
            fd, self._fd = self._fd, None
            assert fd is not None
            os.close(fd)  # closing the only descriptor releases the flock
