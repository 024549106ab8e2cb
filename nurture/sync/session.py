"""One sync as a user asks for it: the configured command, reconcile, the command again.

Both the command line (``nurture sync``) and the app ("Sync now") call
``sync_now``; nothing here prints or imports Textual.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

from nurture.config import Config
from nurture.errors import InputFileError, NurtureError
from nurture.sync.engine import Progress, SyncReport, SyncSettings

RUN_TIMEOUT = 600  # seconds one run of the sync command may take


def settings_from_config(config: Config) -> SyncSettings:
    """The ``[sync]`` table; a wrong type is refused naming the field."""
    raw = config.raw.get("sync", {})
    where = config.path or Path("config.toml")
    if not isinstance(raw, dict):
        raise InputFileError(where, "must be a table", field="sync")
    settings = SyncSettings()
    on_start = raw.get("on_start", False)
    if not isinstance(on_start, bool):
        raise InputFileError(where, "must be true or false", field="sync.on_start")
    settings.on_start = on_start
    for name in ("contacts", "calendar", "run"):
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise InputFileError(where, "must be a non-empty string", field=f"sync.{name}")
        if name == "run":
            settings.run = value
        else:
            setattr(settings, name, Path(value).expanduser())
    return settings


def state_path(db_path: Path) -> Path:
    """What the book and its folders last agreed on, beside the data file."""
    return db_path.with_name(db_path.name + ".sync.json")


def run_command(command: str) -> None:
    """Run the sync command (``vdirsyncer sync``); its failure is one sentence."""
    try:
        args = shlex.split(command)
    except ValueError as exc:
        raise NurtureError(f"the sync command {command!r} cannot be read ({exc})") from None
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise NurtureError(f"the sync command {args[0]!r} was not found "
                           "(install it, or change run under [sync])") from None
    except subprocess.TimeoutExpired:
        raise NurtureError(f"`{command}` did not finish within {RUN_TIMEOUT} s") from None
    if done.returncode != 0:
        said = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        last = f": {said[-1].strip()}" if said else ""
        raise NurtureError(f"`{command}` failed (exit {done.returncode}){last}")


def sync_now(store: Any, config: Config, db_path: Path, *, dry_run: bool = False,
             progress: Progress | None = None) -> SyncReport:
    """Sync the book with its folders (and, with ``run``, the server) both ways."""
    from nurture.actions.sync import sync

    return sync(lambda fn: fn(store), config, db_path, dry_run=dry_run, progress=progress)
