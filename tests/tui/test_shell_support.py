"""Helpers for the shell's Pilot tests: the sample book, a fixed today, settling.

No tests here; the module is named test_* so that it sits beside the tests it serves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
from textual.pilot import Pilot

from nurture.config import Config
from nurture.demo import build_demo
from nurture.model import Suggestion
from nurture.store import open_store
from nurture.tui.app import NurtureApp

SHELL_TODAY = pendulum.date(2026, 11, 22)


def sample_book(directory: Path, today: pendulum.Date = SHELL_TODAY) -> Path:
    """The demo address book (deterministic for a seed and a date) in ``directory``."""
    path = directory / "book.json"
    store = open_store(path, backups_keep=0)
    try:
        build_demo(store, today)
    finally:
        store.close()
    return path


class ShellApp(NurtureApp):
    """The app with fixed suggestions in place of the rules engine.

    The shell's tests are about the shell; fixed suggestions keep them (and the
    snapshots) from changing whenever the rules are tuned. One test in
    test_shell_app.py runs the real engine.
    """

    def __init__(self, db_path: Path, *, suggestions: list[Suggestion] | None = None,
                 **options: Any) -> None:
        super().__init__(db_path, **options)
        self.fixed = suggestions or []

    def _suggest(self, contacts: Any, timelines: Any, news: Any, review: Any,
                 today: pendulum.Date) -> list[Suggestion]:
        return [s for s in self.fixed if not (s.key in review and review[s.key].hides_on(today))]


def shell_app(path: Path, *, real_rules: bool = False, **options: Any) -> NurtureApp:
    """The app on ``path`` with a fixed today and no review on start."""
    options.setdefault("today", SHELL_TODAY)
    options.setdefault("review_on_start", False)
    options.setdefault("config", Config())
    return NurtureApp(path, **options) if real_rules else ShellApp(path, **options)


def suggestion(contact_id: str, title: str, today: pendulum.Date = SHELL_TODAY) -> Suggestion:
    """A plain check-in suggestion for ``contact_id``, due today."""
    return Suggestion(key=f"test:{contact_id}:{today}", rule="cadence", contact_ids=[contact_id],
                      title=title, reason="A test reason.", due=today, priority=0.5)


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let every write finish and every message that follows it be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def ready(pilot: Pilot) -> None:
    """Wait until the store is open and the first snapshot is on screen."""
    for _ in range(300):
        if pilot.app.loaded:  # type: ignore[attr-defined]
            break
        await pilot.pause(0.01)
    assert pilot.app.loaded, "the store never loaded"  # type: ignore[attr-defined]
    await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
