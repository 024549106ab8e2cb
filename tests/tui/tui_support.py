"""Helpers for the app's Pilot and snapshot tests: the demo book, a fixed today,
suggestions fixed or from the real rules engine, and waits on conditions.

Every wait here is on a condition with a generous limit: on a quiet machine it
returns at once, on a loaded one it takes longer instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pendulum
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from nurture.config import Config
from nurture.demo import build_demo
from nurture.model import Suggestion
from nurture.store import open_store
from nurture.tui.app import NurtureApp

TODAY = pendulum.date(2026, 11, 22)
DAN, MAYA, PRIYA = "c-demo0000", "c-demo0001", "c-demo0004"
WAIT_SECONDS = 30.0  # a limit for waits on a condition, never a pause


def demo_book(directory: Path, today: pendulum.Date = TODAY, name: str = "book.json") -> Path:
    """The demo address book (deterministic for a seed and a date) in ``directory``."""
    path = directory / name
    store = open_store(path, backups_keep=0)
    try:
        build_demo(store, today)
    finally:
        store.close()
    return path


def fixed_suggestions(today: pendulum.Date = TODAY) -> list[Suggestion]:
    """Three suggestions of different rules, for screens that need some."""
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


def suggestion(contact_id: str, title: str, today: pendulum.Date = TODAY) -> Suggestion:
    """A plain check-in suggestion for ``contact_id``, due today."""
    return Suggestion(key=f"test:{contact_id}:{today}", rule="cadence", contact_ids=[contact_id],
                      title=title, reason="A test reason.", due=today, priority=0.5)


class FixedApp(NurtureApp):
    """The real app with given suggestions in place of the rules engine's.

    The rules configuration is still the real one, so the list's due markers and
    the card's cadence are what a user sees.

    Tests of a screen are about the screen; fixed suggestions keep them (and the
    snapshots) from changing whenever the rules are tuned. Like the engine, the
    fixed list leaves out what the review states hide today. ``suggestions=None``
    means ``fixed_suggestions()``.
    """

    def __init__(self, db_path: Path, *, suggestions: list[Suggestion] | None = None,
                 **options: Any) -> None:
        options.setdefault("today", TODAY)
        options.setdefault("review_on_start", False)
        options.setdefault("config", Config())
        super().__init__(db_path, **options)
        self.fixed = fixed_suggestions(self.today) if suggestions is None else suggestions

    def _suggest(self, contacts: Any, timelines: Any, news: Any, review: Any,
                 today: pendulum.Date) -> list[Suggestion]:
        return [s for s in self.fixed if not (s.key in review and review[s.key].hides_on(today))]


def real_app(db_path: Path, **options: Any) -> NurtureApp:
    """The app with the real rules engine on ``db_path`` (a real book), a fixed today."""
    options.setdefault("today", TODAY)
    options.setdefault("review_on_start", False)
    options.setdefault("config", Config())
    return NurtureApp(db_path, **options)


def shell_app(path: Path, *, real_rules: bool = False, **options: Any) -> NurtureApp:
    """The app on ``path`` with a fixed today, no review on start and, unless
    ``real_rules``, no suggestions but the ones given."""
    if real_rules:
        return real_app(path, **options)
    options.setdefault("suggestions", [])
    return FixedApp(path, **options)


class FakeClock:
    """A clock the test moves by hand (the quick note's call timer reads it)."""

    def __init__(self, at: pendulum.DateTime) -> None:
        self.at = at

    def __call__(self) -> pendulum.DateTime:
        return self.at


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let every write finish and every message that follows it be handled."""
    app = pilot.app
    for _ in range(rounds):
        assert await until(pilot, lambda: not app.busy), (  # type: ignore[attr-defined]
            "the writer never finished")
        others = [w for w in app.workers if w.group != "writer"]  # the writer never ends
        for worker in others:  # one replaced by a newer one (exclusive) never completes
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool],
                seconds: float = WAIT_SECONDS) -> bool:
    """Wait (a little at a time) for something the UI does on a later tick."""
    deadline = pendulum.now().add(seconds=seconds)  # a limit only: returns as soon as it holds
    while not condition():
        if pendulum.now() > deadline:
            return False
        await pilot.pause(0.01)
    return True


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the store is open and the first snapshot is on screen."""
    assert await until(pilot, lambda: bool(pilot.app.loaded)), (  # type: ignore[attr-defined]
        "the store never loaded")
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
