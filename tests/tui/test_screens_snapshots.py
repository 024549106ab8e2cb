"""Snapshots of the review, compose, quick note and news screens on the sample book.

Fixed today, the real rules engine, a frozen call timer and no cursor blink, so the
pictures only change when the screens do. Regenerate after an intended change
with ``pytest tests/tui/test_screens_snapshots.py --snapshot-update`` and look
at the report before committing.
"""

from __future__ import annotations

import pendulum
import pytest
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer, Header, TextArea
from tui_support import DAN, FakeClock, demo_book, ready, real_app, settle, until

from nurture.tui.app import NurtureApp
from nurture.tui.screens.quick_note import QuickNoteScreen
from nurture.tui.widgets.compose import ComposePane

SIZES = [(80, 24), (120, 40)]
CALL_START = pendulum.datetime(2026, 11, 22, 10, 0, tz="UTC")


@pytest.fixture(autouse=True)
def _no_autosave(monkeypatch) -> None:
    """Saving as you type runs on a one-second clock: a slow run would catch a "Saved"
    status a fast one does not. Tests that want it call ``flush()`` themselves."""
    monkeypatch.setattr(QuickNoteScreen, "SAVE_SECONDS", 3600.0)
    monkeypatch.setattr(ComposePane, "SAVE_SECONDS", 3600.0)


@pytest.mark.parametrize("size", SIZES)
def test_review(tmp_path, snap_compare, size) -> None:
    async def opened(pilot: Pilot) -> None:
        await ready(pilot)
        await until(pilot, lambda: pilot.app.data.suggestions_ready)
        pilot.app.open_review()
        await settle(pilot)
        await pilot.press("d")  # one done, so the marks and the progress show
        await settle(pilot)

    # The real rules engine on the demo book.
    assert snap_compare(real_app(demo_book(tmp_path)), terminal_size=size, run_before=opened)


class ComposeOnly(Screen[None]):
    """The compose pane on its own, so its pictures do not move with the main screen's."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ComposePane(id="compose")
        yield Footer()


class ComposeApp(NurtureApp):
    def get_default_screen(self) -> Screen[None]:
        return ComposeOnly()


@pytest.mark.parametrize("size", SIZES)
def test_compose_from_a_suggestion(tmp_path, snap_compare, size) -> None:
    async def opened(pilot: Pilot) -> None:
        await ready(pilot)
        app = pilot.app
        pane = app.screen.query_one(ComposePane)
        # The engine's own check-in for Dan (the demo book has him a week past his cadence).
        suggestion = next(s for s in app.suggestions()
                          if s.rule == "cadence" and s.contact_ids == [DAN])
        pane.load(app.data.by_id[DAN], suggestion=suggestion)
        await settle(pilot)
        text_area = pane.query_one("#compose-text", TextArea)
        text_area.focus()
        text_area.insert("\n\nP.S. Our new pricing is 20% off.", text_area.document.end)
        await settle(pilot)

    assert snap_compare(real_app(demo_book(tmp_path), ComposeApp), terminal_size=size,
                        run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_quick_note(tmp_path, snap_compare, size) -> None:
    async def opened(pilot: Pilot) -> None:
        await ready(pilot)
        clock = FakeClock(CALL_START)
        screen = QuickNoteScreen(DAN, clock=clock)
        pilot.app.push_screen(screen)
        await settle(pilot)
        screen.query_one(TextArea).insert(
            "Dan is taking up #sailing.\nFollow up in 2 weeks: send the book on knots.")
        await settle(pilot)
        clock.at = CALL_START.add(minutes=12, seconds=5)
        screen.flush()
        await settle(pilot)
        screen.refresh_timer()

    assert snap_compare(real_app(demo_book(tmp_path)), terminal_size=size, run_before=opened)


def test_quick_note_facts(tmp_path, snap_compare) -> None:
    async def finished(pilot: Pilot) -> None:
        await ready(pilot)
        clock = FakeClock(CALL_START)
        screen = QuickNoteScreen(DAN, clock=clock)
        pilot.app.push_screen(screen)
        await settle(pilot)
        screen.query_one(TextArea).insert(
            "Dan is taking up #sailing. Anniversary: 2019-06-01.\n"
            "Follow up in 2 weeks: send the book on knots.")
        clock.at = CALL_START.add(minutes=12, seconds=5)
        screen.refresh_timer()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("2")  # the anniversary off
        await settle(pilot)

    assert snap_compare(real_app(demo_book(tmp_path)), terminal_size=(120, 40),
                        run_before=finished)


def test_news(tmp_path, snap_compare) -> None:
    async def opened(pilot: Pilot) -> None:
        await ready(pilot)
        pilot.app.open_news()
        await settle(pilot)

    assert snap_compare(real_app(demo_book(tmp_path)), terminal_size=(120, 40),
                        run_before=opened)
