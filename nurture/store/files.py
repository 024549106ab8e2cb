"""Backups beside the data file, and the temp files a crashed writer leaves.

Writing itself (atomic, private) is ``nurture.fsutil``'s.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from pathlib import Path

import orjson
import pendulum

from nurture.fsutil import alive, atomic_write, ensure_private_dir, fsync_dir


def through_link(path: Path) -> Path:
    """The file a symlinked data file points to: writes replace the target and keep the link.

    The journal, the lock and the backups then live beside the target, so that a
    process opening the link and one opening the target share one lock.
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _no_write_bits(mode: int) -> bool:
    # Checked as well as access(): root may write anything, but a file or a folder
    # its owner made read-only (chmod a-w) is a wish to respect.
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def why_read_only(path: Path, journal_path: Path) -> str | None:
    """Why the book at ``path`` cannot be written (a read-only file system, data file,
    journal or folder), or None when it can."""
    folder = path.parent
    try:
        folder_mode = folder.stat().st_mode
    except OSError:
        return None  # created on open, or refused there with its reason
    if _read_only_fs(folder):
        return "it is on a read-only file system"
    for file, what in ((path, "the data file is"), (journal_path, "its journal is")):
        try:
            mode = file.stat().st_mode
        except OSError:
            continue
        if _no_write_bits(mode) or not os.access(file, os.W_OK):
            return f"{what} read-only (mode {stat.S_IMODE(mode):04o})"
    if _no_write_bits(folder_mode) or not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} cannot be written"
    return None


def _read_only_fs(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def disk_error(path: Path, exc: OSError) -> str:
    """One sentence for a failed write to ``path`` (the caller names the file)."""
    reasons = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
               errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission was denied", errno.EPERM: "permission was denied"}
    detail = exc.strerror or type(exc).__name__
    reason = reasons.get(exc.errno or 0)
    said = f"{reason} ({detail})" if reason else detail
    return f"could not be written: {said}; nothing was saved"


def remove_stale_temps(path: Path) -> None:
    """Delete temp files a crashed writer left beside ``path``.

    Call only with the store's lock held: every ``.tmp`` file is written under it
    (the names are ``fsutil.temp_name``'s). A ``.building`` file is written without
    it (``fsutil.building_name``: an index built again by a process that holds the
    lock only to put it in place), so it is deleted only once its process is gone.
    """
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            name = entry.name
            if not name.startswith(prefix):
                continue
            if name.endswith(".tmp") or (name.endswith(".building")
                                         and not alive(name.split(".")[-2])):
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


def notices_path(path: Path) -> Path:
    return backup_dir(path) / f"{path.name}.notices"


def add_notice(path: Path, text: str) -> None:
    """Remember something to tell the user at the next start (``take_notices``).

    Kept in a file, not in memory: the process that set a journal aside may be
    a command whose output nobody reads, or may die before it says anything.
    """
    target = notices_path(path)
    ensure_private_dir(target.parent)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, orjson.dumps(text) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def take_notices(path: Path) -> list[str]:
    """The notices not yet shown (each once), removed as they are taken. Lock held."""
    target = notices_path(path)
    try:
        lines = target.read_bytes().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        with contextlib.suppress(orjson.JSONDecodeError):
            value = orjson.loads(line)
            if isinstance(value, str):
                found.append(value)
    with contextlib.suppress(OSError):
        target.unlink()
    return found
