"""Private, atomic file operations and rotating backups."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pendulum

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def ensure_dir(path: Path) -> None:
    """Create a folder (and parents) as 0700: it holds personal data."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: temp file in the same folder, fsync, rename, fsync folder.

    A reader (or a crash) sees the old file or the new one, never a mix.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def backup_dir(path: Path) -> Path:
    return path.parent / "backups"


_BACKUP_RE = re.compile(r"^(?P<name>.+)\.(?P<day>\d{4}-\d{2}-\d{2})\.bak$")


def daily_backup(path: Path, keep: int, today: pendulum.Date | None = None) -> Path | None:
    """Keep one copy of ``path`` per day, the ``keep`` newest, in ``backups/`` beside it.

    The data file is only ever replaced, never changed in place, so a hard link
    is a true snapshot and costs nothing; a copy is the fallback.
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
        except OSError:
            shutil.copy2(path, target)
            os.chmod(target, PRIVATE_FILE)
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
    shutil.copyfile(source, target)
    os.chmod(target, PRIVATE_FILE)
