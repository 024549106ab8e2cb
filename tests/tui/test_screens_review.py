"""The daily review: done, snooze, dismiss and undo are persisted; an empty day is kind."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import OptionList, Static
from tui_support import TODAY, demo_book, quiet_book, ready, real_app, settle, until

from nurture.errors import ValidationError
from nurture.model import ReviewStatus
from nurture.store import open_store
from nurture.tui.app import NurtureApp
from nurture.tui.screens.review import ReviewScreen
from nurture.tui.screens.snooze import SnoozePicker, parse_snooze


def progress(app: NurtureApp) -> str:
    return str(app.screen.query_one("#review-progress", Static).render())


async def open_review(pilot, app) -> ReviewScreen:
    await ready(pilot)
    await until(pilot, lambda: app.data.suggestions_ready)
    app.open_review()
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_done_snooze_dismiss_are_saved_and_the_cursor_moves_on(tmp_path):
    path = demo_book(tmp_path)
    app = real_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, app)
        first, second, third = (s.key for s in screen.queue[:3])
        total = len(screen.queue)
        assert total == len(app.suggestions()) > 3
        assert progress(app) == f"0 of {total} reviewed"
        assert screen.current is not None and screen.current.key == first

        await pilot.press("d")
        await settle(pilot)
        assert app.store.review_states()[first].status is ReviewStatus.DONE
        assert screen.current is not None and screen.current.key == second
        # Done without logging is a touch that day: it may close their other rows too.
        closed = [s.key for s in screen.queue if not screen.waiting(s.key)]
        assert first in closed
        assert progress(app) == f"{len(closed)} of {total} reviewed"

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SnoozePicker)
        await pilot.press("w")
        await settle(pilot)
        state = app.store.review_states()[second]
        assert state.status is ReviewStatus.SNOOZED
        assert state.until == TODAY.add(weeks=1)
        assert screen.current is not None and screen.current.key == third

        await pilot.press("x")
        await settle(pilot)
        assert app.store.review_states()[third].status is ReviewStatus.DISMISSED
        closed = [s.key for s in screen.queue if not screen.waiting(s.key)]
        assert {first, second, third} <= set(closed)
        assert progress(app) == f"{len(closed)} of {len(screen.queue)} reviewed"
        # The rules engine no longer offers them today.
        assert not {first, second, third} & {s.key for s in app.suggestions()}

    # Written to the file, not just kept in memory.
    store = open_store(path, create=False)
    try:
        states = store.review_states()
        assert {k: states[k].status for k in (first, second, third)} == {
            first: ReviewStatus.DONE, second: ReviewStatus.SNOOZED,
            third: ReviewStatus.DISMISSED}
    finally:
        store.close()


async def test_done_on_a_follow_up_checks_it_off_as_nurture_done_does(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, app)
        row = next(i for i, s in enumerate(screen.queue) if s.rule == "follow-up")
        suggestion = screen.queue[row]
        follow_up_id = suggestion.facts["follow_up_id"]
        screen.query_one(OptionList).highlighted = row
        await pilot.press("d")
        await settle(pilot)
        entry = app.store.interaction(suggestion.facts["interaction_id"])
        assert entry is not None
        follow_up = next(f for f in entry.follow_ups if f.id == follow_up_id)
        assert follow_up.done is not None  # the promise is kept, not just hidden
        # Undo puts the suggestion back, and with it the open follow-up.
        screen.query_one(OptionList).highlighted = row
        await pilot.press("u")
        await settle(pilot)
        entry = app.store.interaction(suggestion.facts["interaction_id"])
        assert entry is not None
        assert next(f for f in entry.follow_ups if f.id == follow_up_id).done is None
        assert suggestion.key in {s.key for s in app.suggestions()}


async def test_snooze_to_a_typed_date_and_undo(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, app)
        key = screen.queue[0].key
        total = len(screen.queue)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("tab", *"someday", "enter")
        await settle(pilot)
        # A date that cannot be read keeps the picker open and says why.
        assert isinstance(app.screen, SnoozePicker)
        assert "is not a date" in str(app.screen.query_one("#snooze-error", Static).render())
        input_box = app.screen.query_one("#snooze-date")
        input_box.value = ""
        await pilot.press(*"12-24", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.store.review_states()[key].until == pendulum.date(2026, 12, 24)

        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("u")
        await settle(pilot)
        assert key not in app.store.review_states()
        assert progress(app) == f"0 of {total} reviewed"


async def test_enter_opens_the_contact_and_escape_closes(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, app)
        queue = [s.key for s in screen.queue]
        second = screen.queue[1].contact_ids[0]
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert app.main.selected_contact_id == second
        app.open_review()
        await settle(pilot)
        await pilot.press("d")  # the first
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main
        # Coming back the same day keeps the count: the done one is still in the queue.
        app.open_review()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert [s.key for s in app.screen.queue[:len(queue)]] == queue
        assert not app.screen.waiting(queue[0])
        assert progress(app).startswith(f"{app.screen.reviewed} of {len(app.screen.queue)} ")


async def test_an_empty_day_says_so_and_offers_the_people_waiting_longest(tmp_path):
    # Every suggestion of the day already dismissed: the engine has nothing left to offer,
    # while the people's check-ins stay as overdue as they were.
    path = quiet_book(tmp_path)
    with open_store(path, create=False) as store:
        states = store.review_states()
    app = real_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.suggestions() == []
        app.open_review()
        await settle(pilot)
        assert progress(app).startswith("Nothing needs you today")
        offered = [o.id for o in app.screen.query_one(OptionList).options]
        assert len(offered) == 5
        data = app.data
        # Overdue check-ins come first, the longest overdue at the top.
        dues = [data.facts[o.removeprefix("contact:")].due for o in offered]
        assert all(d is not None and d < TODAY for d in dues)
        assert dues == sorted(dues)
        all_dues = [data.facts[c.id].due for c in data.contacts]
        assert min(d for d in all_dues if d is not None) == dues[0]
        # Done does nothing here (there is no suggestion), and nothing is written.
        await pilot.press("d")
        await settle(pilot)
        assert app.store.review_states() == states


@pytest.mark.parametrize(("text", "expected"), [
    ("tomorrow", pendulum.date(2026, 11, 23)),
    ("next week", pendulum.date(2026, 11, 29)),
    ("friday", pendulum.date(2026, 11, 27)),
    ("Sun", pendulum.date(2026, 11, 29)),
    ("10d", pendulum.date(2026, 12, 2)),
    ("3w", pendulum.date(2026, 12, 13)),
    ("2027-01-05", pendulum.date(2027, 1, 5)),
    ("12-24", pendulum.date(2026, 12, 24)),
    ("03-01", pendulum.date(2027, 3, 1)),  # already past this year: next year's
    ("11-22", pendulum.date(2027, 11, 22)),
])
def test_parse_snooze(text, expected):
    assert parse_snooze(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "someday", "2026-11-22", "2025-01-01", "13-01", "0d"])
def test_parse_snooze_refuses_what_is_not_a_later_date(text):
    with pytest.raises(ValidationError):
        parse_snooze(text, TODAY)


async def test_a_date_typed_straight_after_s_is_not_swallowed(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, app)
        key = screen.queue[0].key
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SnoozePicker)
        await pilot.press(*"12-24", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert app.store.review_states()[key].until == pendulum.date(2026, 12, 24)
        # The weekday grammar is the command line's: friday is the next Friday.
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"friday", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.queue[1].key in app.store.review_states()
        assert app.store.review_states()[screen.queue[1].key].until == pendulum.date(2026, 11, 27)
