"""Helpers for the app's Pilot and snapshot tests: the demo book, a fixed today,
the app with the real rules engine, and waits on conditions.

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


def quiet_book(directory: Path, today: pendulum.Date = TODAY,
               name: str = "quiet.json") -> Path:
    """The demo book on a day its owner has already been through: every suggestion the
    rules engine makes ``today`` dismissed by the real review action, so nothing is waiting
    while the people's cadences stay as overdue as they are."""
    from nurture.actions import build_review, review_dismiss
    from nurture.actions.clock import moment
    from nurture.rules import RulesConfig

    path = demo_book(directory, today, name)
    rules = RulesConfig.from_app_config(Config())
    with open_store(path, backups_keep=0) as store:
        for _ in range(10):  # past the daily limit, more wait their turn: ask until none is left
            queue = build_review(store, rules, today, now=moment(today)).queue
            if not queue:
                break
            for suggestion in queue:
                review_dismiss(store, rules, suggestion.key, today=today, now=moment(today))
        assert not build_review(store, rules, today, now=moment(today)).queue
    return path


def real_app(db_path: Path, app_class: type[NurtureApp] = NurtureApp,
             **options: Any) -> NurtureApp:
    """The app with the real rules engine on ``db_path`` (a real book), a fixed today,
    the default configuration and no review on start unless the test asks."""
    options.setdefault("today", TODAY)
    options.setdefault("review_on_start", False)
    options.setdefault("config", Config())
    return app_class(db_path, **options)


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
    """Wait until the store is open, the first snapshot is on screen and the rules
    engine has given its first suggestions (so the header's count is settled)."""
    app: Any = pilot.app
    assert await until(pilot, lambda: bool(app.loaded)), "the store never loaded"
    assert await until(pilot, lambda: bool(app.data.suggestions_ready)), (
        "the rules engine never answered")
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
