"""Private, atomic file operations and rotating backups."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pendulum

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_dir(path: Path) -> None:
    """Create a folder (and any missing parents) as 0700: it holds personal data.

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
    """Make a rename or a new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync folder.

    A reader (or a crash) sees the old file or the new one, never a mix. The
    file is 0600 whatever the umask.
    """
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        try:
            os.fchmod(fd, PRIVATE_FILE)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        # Disk full, permission denied…: the old file is intact; leave no litter.
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def remove_stale_temps(path: Path) -> None:
    """Delete temp files a crashed writer left beside ``path``.

    Call only with the store's lock held: every temp file is written under it.
    """
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


_BACKUP_RE = re.compile(r"^(?P<name>.+)\.(?P<day>\d{4}-\d{2}-\d{2})\.bak$")


def daily_backup(path: Path, keep: int, today: pendulum.Date | None = None) -> Path | None:
    """Keep one copy of ``path`` per day, the ``keep`` newest, in ``backups/`` beside it.

    The data file is only ever replaced, never changed in place, so a hard link
    is a true snapshot and costs nothing; a private copy is the fallback.
    """
    if keep <= 0 or not path.exists():
        return None
    day = (today or pendulum.today().date()).isoformat()
    folder = backup_dir(path)
    ensure_dir(folder)
    target = folder / f"{path.name}.{day}.bak"
    if not target.exists():
        try:
            os.link(path, target)
        except FileExistsError:
            pass
        except OSError:
            copy_private(path, target)
    olds = sorted(
        (p for p in folder.iterdir()
         if (m := _BACKUP_RE.match(p.name)) and m.group("name") == path.name),
        reverse=True,
    )
    for old in olds[keep:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    return target


def copy_private(source: Path, target: Path) -> None:
    """An atomic 0600 copy (never readable by others, even for an instant)."""
    atomic_write(target, source.read_bytes())


def set_aside(path: Path, reason: str) -> Path:
    """Move ``path`` into ``backups/`` under a unique name instead of deleting it."""
    folder = backup_dir(path)
    ensure_dir(folder)
    stamp = pendulum.now("UTC").format("YYYYMMDDTHHmmss")
    target = folder / f"{path.name}.{stamp}.{reason}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{path.name}.{stamp}-{n}.{reason}"
    os.replace(path, target)  # same file system: backups/ is beside the data file
    fsync_dir(folder)
    fsync_dir(path.parent)
    return target
