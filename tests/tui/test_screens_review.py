"""The daily review: done, snooze, dismiss and undo are persisted; an empty day is kind."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import OptionList, Static
from tui_support import DAN, MAYA, PRIYA, TODAY, FixedApp, demo_book, ready, settle

from nurture.errors import ValidationError
from nurture.model import ReviewStatus
from nurture.store import open_store
from nurture.tui.screens.review import ReviewScreen
from nurture.tui.screens.snooze import SnoozePicker, parse_snooze


def progress(app: FixedApp) -> str:
    return str(app.screen.query_one("#review-progress", Static).render())


def highlighted_contact(app: FixedApp) -> str:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    assert screen.current is not None
    return screen.current.contact_ids[0]


async def test_done_snooze_dismiss_are_saved_and_the_cursor_moves_on(tmp_path):
    path = demo_book(tmp_path)
    app = FixedApp(path)
    keys = {s.contact_ids[0]: s.key for s in app.fixed}
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_review()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert progress(app) == "0 of 3 reviewed"
        assert highlighted_contact(app) == DAN

        await pilot.press("d")
        await settle(pilot)
        assert app.store.review_states()[keys[DAN]].status is ReviewStatus.DONE
        assert highlighted_contact(app) == MAYA
        assert progress(app) == "1 of 3 reviewed"

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SnoozePicker)
        await pilot.press("w")
        await settle(pilot)
        state = app.store.review_states()[keys[MAYA]]
        assert state.status is ReviewStatus.SNOOZED
        assert state.until == TODAY.add(weeks=1)
        assert highlighted_contact(app) == PRIYA

        await pilot.press("x")
        await settle(pilot)
        assert app.store.review_states()[keys[PRIYA]].status is ReviewStatus.DISMISSED
        assert progress(app) == "3 of 3 reviewed — all caught up. Thank you!"
        # The rules engine (here its stand-in) no longer offers them today.
        assert app.suggestions() == []

    # Written to the file, not just kept in memory.
    store = open_store(path, create=False)
    try:
        states = store.review_states()
        assert {k: states[k].status for k in keys.values()} == {
            keys[DAN]: ReviewStatus.DONE, keys[MAYA]: ReviewStatus.SNOOZED,
            keys[PRIYA]: ReviewStatus.DISMISSED}
    finally:
        store.close()


async def test_snooze_to_a_typed_date_and_undo(tmp_path):
    app = FixedApp(demo_book(tmp_path))
    key = app.fixed[0].key
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_review()
        await settle(pilot)
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
        assert progress(app) == "0 of 3 reviewed"


async def test_enter_opens_the_contact_and_escape_closes(tmp_path):
    app = FixedApp(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_review()
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert app.main.selected_contact_id == MAYA
        app.open_review()
        await settle(pilot)
        await pilot.press("d")  # the first, Dan's
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main
        # Coming back the same day keeps the count: the done one is still in the queue.
        app.open_review()
        await settle(pilot)
        assert progress(app) == "1 of 3 reviewed"
        assert isinstance(app.screen, ReviewScreen)
        assert [s.contact_ids[0] for s in app.screen.queue] == [DAN, MAYA, PRIYA]


async def test_an_empty_day_says_so_and_offers_the_people_waiting_longest(tmp_path):
    app = FixedApp(demo_book(tmp_path), suggestions=[])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
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
        assert app.store.review_states() == {}


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
