"""Helpers for the screens' Pilot tests: the demo book, a fixed today, fixed suggestions.

The suggestions are fixed here (not taken from the rules engine) so that these
tests exercise the screens, not the tuning of the rules; like the engine they
leave out what the review states hide today.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
from textual.pilot import Pilot

from nurture.config import Config
from nurture.demo import build_demo
from nurture.model import Suggestion
from nurture.store import open_store
from nurture.tui import app as app_module
from nurture.tui.app import NurtureApp

TODAY = pendulum.date(2026, 11, 22)
DAN, MAYA, PRIYA = "c-demo0000", "c-demo0001", "c-demo0004"


def demo_file(directory: Path, today: pendulum.Date = TODAY) -> Path:
    """The sample address book, written to ``directory``."""
    path = directory / "demo.json"
    store = open_store(path, backups_keep=0)
    try:
        build_demo(store, today)
    finally:
        store.close()
    return path


def fixed_suggestions(today: pendulum.Date = TODAY) -> list[Suggestion]:
    return [
        Suggestion(key=f"cadence:{DAN}:{today}", rule="cadence", contact_ids=[DAN],
                   title="Check in with Dan", reason="You last spoke 7 weeks ago about the "
                   "Yankees' bullpen.", due=today, priority=0.9, template="thinking-of-you"),
        Suggestion(key=f"birthday:{MAYA}:{today.year}", rule="key-date", contact_ids=[MAYA],
                   title="Maya's birthday on Thu 26 Nov", reason="Maya turns 40 in 4 days.",
                   due=today.add(days=4), priority=0.8, template="birthday",
                   facts={"label": "birthday"}),
        Suggestion(key=f"thank-you:{PRIYA}:{today}", rule="thank-you", contact_ids=[PRIYA],
                   title="Thank Priya", reason="Priya introduced you to a new client last week.",
                   due=today, priority=0.7, template="thank-you"),
    ]


class ScreensApp(NurtureApp):
    """The real app with the fixed suggestions in place of the rules engine."""

    # Textual resolves CSS_PATH next to the subclass; the app's sheet lives with the app.
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, db_path: Path, *, suggestions: list[Suggestion] | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("today", TODAY)
        kwargs.setdefault("review_on_start", False)
        kwargs.setdefault("config", Config())
        super().__init__(db_path, **kwargs)
        self.fixed = fixed_suggestions(self.today) if suggestions is None else suggestions

    def _load_rules(self) -> Any:
        return None

    def _suggest(self, contacts: Any, timelines: Any, news: Any, review: Any,
                 today: pendulum.Date) -> list[Suggestion]:
        return [s for s in self.fixed if not (s.key in review and review[s.key].hides_on(today))]


def real_app(db_path: Path, **kwargs: Any) -> NurtureApp:
    """The app with the real rules engine on ``db_path`` (a real book), a fixed today."""
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("review_on_start", False)
    kwargs.setdefault("config", Config())
    return NurtureApp(db_path, **kwargs)


class FakeClock:
    """A clock the test moves by hand (the quick note's call timer reads it)."""

    def __init__(self, at: pendulum.DateTime) -> None:
        self.at = at

    def __call__(self) -> pendulum.DateTime:
        return self.at


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let every write finish and every message that follows it be handled."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    """Wait (a little at a time) for something the UI does on a later tick."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


async def loaded(pilot: Pilot) -> None:
    """Wait until the store is open and the first snapshot is published."""
    for _ in range(200):
        if pilot.app.loaded:
            break
        await pilot.pause(0.01)
    assert pilot.app.loaded, "the store never loaded"
    await settle(pilot)
