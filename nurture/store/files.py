"""Backups beside the data file, and the temp files a crashed writer leaves.

Writing itself (atomic, private) is ``nurture.fsutil``'s.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pendulum

from nurture.fsutil import atomic_write, ensure_private_dir, fsync_dir


def remove_stale_temps(path: Path) -> None:
    """Delete temp files a crashed writer left beside ``path``.

    Call only with the store's lock held: every temp file is written under it.
    The names are ``fsutil.temp_name``'s.
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
    ensure_private_dir(folder)
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
    ensure_private_dir(folder)
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
