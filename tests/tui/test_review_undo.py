"""`u` in the review: takes back the decision just made, even after the cursor moved on."""

from __future__ import annotations

import threading

from textual.widgets import OptionList
from tui_support import demo_book, ready, real_app, settle, until

from nurture.model import ReviewStatus
from nurture.tui.screens.review import ReviewScreen


async def _review(pilot, app) -> ReviewScreen:
    await ready(pilot)
    assert await until(pilot, lambda: app.data.suggestions_ready)
    app.open_review()
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_u_right_after_a_decision_takes_it_back_and_returns_to_the_row(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _review(pilot, app)
        first = screen.queue[0].key
        await pilot.press("x")  # dismissed by mistake; the cursor has moved on
        await settle(pilot)
        assert app.store.review_states()[first].status is ReviewStatus.DISMISSED
        assert screen.current is not None and screen.current.key != first
        await pilot.press("u")
        await settle(pilot)
        assert first not in app.store.review_states()
        assert screen.current is not None and screen.current.key == first
        assert screen.waiting(first)
        # Two decisions, two undos, newest first.
        await pilot.press("d")  # the first row again, done this time
        await settle(pilot)
        dismissed = screen.current.key
        await pilot.press("x")
        await settle(pilot)
        assert {first, dismissed} <= set(app.store.review_states())
        await pilot.press("u")
        await settle(pilot)
        assert dismissed not in app.store.review_states()
        assert app.store.review_states()[first].status is ReviewStatus.DONE
        await pilot.press("u")
        await settle(pilot)
        assert first not in app.store.review_states()


async def test_u_on_a_waiting_row_with_nothing_decided_changes_nothing(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _review(pilot, app)
        before = dict(app.store.review_states())
        screen.query_one(OptionList).highlighted = 0
        await pilot.press("u")
        await settle(pilot)
        assert app.store.review_states() == before


async def test_u_pressed_before_the_decision_is_saved_still_takes_it_back(tmp_path):
    # Found in review: x then u before the write and the redraw finished rang the bell
    # and forgot the decision, so it could never be taken back.
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _review(pilot, app)
        first = screen.queue[0].key
        gate = threading.Event()
        app.run_write(lambda store: gate.wait(10))  # the writer is busy (a large book)
        await pilot.press("x", "u")  # both before the dismissal is saved
        await pilot.pause()
        gate.set()
        await settle(pilot)
        assert first not in app.store.review_states()
        assert screen.waiting(first)
