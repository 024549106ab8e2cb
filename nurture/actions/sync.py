"""Sync: the book and its vdir folders (and, through vdirsyncer, a CardDAV/CalDAV server).

One sequence for the command line and the app: the sync command, the
reconciliation, the command again to send. ``with_store(fn)`` runs ``fn`` on
the store: directly on the command line, on the app's writer thread in the
app, so that the slow command never holds up other writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from nurture.config import Config
from nurture.store.files import backup_dir
from nurture.sync.engine import Progress, SyncReport, reconcile
from nurture.sync.session import run_command, settings_from_config, state_path


def sync(with_store: Callable[[Callable[[Any], SyncReport]], SyncReport], config: Config,
         db_path: Path, *, dry_run: bool = False, progress: Progress | None = None
         ) -> SyncReport:
    """Sync the book with its folders both ways; what changed on each side, and conflicts."""
    settings = settings_from_config(config)
    say = progress or (lambda _: None)
    if settings.run and not dry_run:
        say(f"running {settings.run}")
        run_command(settings.run)

    def reconciled(store: Any) -> SyncReport:
        return reconcile(store, settings, state_path=state_path(db_path),
                         backups=backup_dir(db_path), dry_run=dry_run, progress=progress)

    report = with_store(reconciled)
    if settings.run:
        if dry_run:
            report.notes.append(f"`{settings.run}` was not run (a dry run changes nothing)")
        else:
            say(f"running {settings.run} again to send the changes")
            run_command(settings.run)
    return report
