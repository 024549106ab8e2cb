"""Private, atomic file writing: one implementation for the store and the exporters.

Everything Nurture writes holds personal data, so files are created 0600 and
folders 0700 whatever the umask; and a reader (or a crash) must see a file
whole, the old version or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and any missing parents) as 0700; existing folders are left as they are.

    Parents are made private too, as the XDG base-directory spec asks for the
    data directories it creates.
    """
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR)
            os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in the folder ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_name(path: Path) -> Path:
    """The temporary file ``atomic_write`` uses for ``path`` (``.NAME.PID.tmp`` beside it)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def building_name(path: Path) -> Path:
    """A temporary file for ``path`` written without the store's lock (``.NAME.PID.building``
    beside it): ``files.remove_stale_temps`` leaves it while its process lives."""
    return path.with_name(f".{path.name}.{os.getpid()}.building")


def alive(pid: str) -> bool:
    """Whether the process ``pid`` (a number as text) is running (as far as this user can
    tell: one of another user's counts as running)."""
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def atomic_write(path: Path, data: bytes, *, sync_dir: bool = True, sync: bool = True) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync folder.

    The file is 0600 whatever the umask. ``sync_dir=False`` leaves the folder's
    fsync to the caller, who may write many files and sync the folder once;
    ``sync=False`` leaves the file's too (the caller makes many files durable at
    once, e.g. with ``os.sync()``).
    """
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        try:
            # O_CREAT's mode does not apply to a stale temp file left by a crash.
            os.fchmod(fd, PRIVATE_FILE)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        # Disk full, permission denied…: the old file is intact; leave no litter.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(path.parent)
