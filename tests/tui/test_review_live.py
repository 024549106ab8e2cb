"""The review stays true as you act: whatever closes a suggestion closes its row.

Real rules engine, real (demo) book. Rows are recomputed from the book, so a reason
that has become false is never shown.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from textual.widgets import OptionList, Static
from tui_support import TODAY, demo_book, ready, real_app, settle, type_text, until

from nurture.actions import build_review
from nurture.actions.clock import moment
from nurture.cli import main
from nurture.model import ReviewStatus, Suggestion
from nurture.tui.app import NurtureApp
from nurture.tui.screens.review import ReviewScreen, todays_queue
from nurture.tui.widgets.compose import ComposePane


async def review(pilot, app: NurtureApp) -> ReviewScreen:
    await ready(pilot)
    await until(pilot, lambda: app.data.suggestions_ready)
    app.open_review()
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def row_text(screen: ReviewScreen, key: str) -> str:
    option = screen.query_one(OptionList).get_option(key)
    grid = option.prompt
    return " ".join(str(cell) for column in grid.columns for cell in column.cells)


def progress(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-progress", Static).render())


def on_row(screen: ReviewScreen, rule: str, skip: int = 0) -> Suggestion:
    rows = [i for i, s in enumerate(screen.queue) if s.rule == rule]
    screen.query_one(OptionList).highlighted = rows[skip]
    return screen.queue[rows[skip]]


def counts_true(screen: ReviewScreen, app: NurtureApp) -> None:
    """The header's count of suggestions is the number of rows still waiting, and each of
    them the rules still offer (asked again of the book, with no daily limit)."""
    waiting = [s.key for s in screen.queue if screen.waiting(s.key)]
    rules = dataclasses.replace(app.rules, daily_limit=0)
    offered = build_review(app.store, rules, TODAY, now=moment(TODAY)).queue
    assert set(waiting) <= {s.key for s in offered}
    assert f" · {len(waiting)} suggestion{'s' if len(waiting) != 1 else ''} · " in app.sub_title
    assert progress(screen) == f"{len(screen.queue) - len(waiting)} of {len(screen.queue)} reviewed"


async def test_a_quick_note_from_the_review_closes_its_suggestion(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        suggestion = on_row(screen, "cadence")
        index = screen.queue.index(suggestion)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Caught up on the move")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: app.screen is screen and app.data.suggestions_ready)
        assert app.screen is screen
        assert app.store.review_states()[suggestion.key].status is ReviewStatus.DONE
        assert "(done)" in row_text(screen, suggestion.key)
        assert suggestion.reason not in row_text(screen, suggestion.key)
        # On to the next one still waiting.
        assert screen.current is not None and screen.current.key != suggestion.key
        assert screen.queue.index(screen.current) > index
        counts_true(screen, app)


async def test_a_command_in_another_shell_closes_the_row_within_the_poll(tmp_path):
    path = demo_book(tmp_path)
    app = real_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        suggestion = next(s for s in screen.queue if s.rule == "check-in")
        assert "since" in suggestion.reason  # "Nothing is logged with Priya since."
        who = suggestion.contact_ids[0]
        assert main(["--db", str(path), "log", who, "Called about the tender", "--kind",
                     "call", "--at", "2026-11-22 09:00"]) == 0
        app.poll()
        assert await until(pilot, lambda: app.data.suggestions_ready and
                           suggestion.key not in {s.key for s in app.suggestions()}, 10)
        await settle(pilot)
        text = row_text(screen, suggestion.key)
        assert "(done)" in text and "since" not in text
        counts_true(screen, app)


async def test_checking_off_a_follow_up_closes_its_row(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        suggestion = next(s for s in screen.queue if s.rule == "follow-up")
        app.main.check_off(suggestion.facts["interaction_id"], suggestion.facts["follow_up_id"])
        await settle(pilot)
        await until(pilot, lambda: app.data.suggestions_ready)
        await settle(pilot)
        assert "(done)" in row_text(screen, suggestion.key)
        counts_true(screen, app)


async def test_compose_from_the_review_returns_to_it_after_sending_and_after_escape(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        first = on_row(screen, "news")
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is app.main and app.main.query_one(ComposePane).contact is not None
        # Esc: back to the review, on the same row (it still waits).
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.current is not None and app.screen.current.key == first.key
        # Send it: back to the review, on the next waiting row, this one done.
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        back = app.screen
        assert isinstance(back, ReviewScreen)
        await until(pilot, lambda: app.data.suggestions_ready)
        await settle(pilot)
        assert app.store.review_states()[first.key].status is ReviewStatus.DONE
        assert "(done)" in row_text(back, first.key)
        assert back.current is not None and back.current.key != first.key
        assert back.waiting(back.current.key)
        counts_true(back, app)


async def test_ctrl_r_reopens_at_the_first_waiting_row(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        first_key = screen.queue[0].key
        await pilot.press("d", "d")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, ReviewScreen)
        assert again.current is not None
        assert again.current.key == next(s.key for s in again.queue if again.waiting(s.key))
        assert again.current.key != first_key
        assert again.queue.index(again.current) == 2


def limited_app(tmp_path, limit: int = 3) -> tuple[NurtureApp, Path]:
    """The demo book's app with a daily limit of ``limit`` (the book offers more)."""
    rules = tmp_path / "rules.toml"
    rules.write_text(f"[ranking]\nlimit = {limit}\n", encoding="utf-8")
    path = demo_book(tmp_path)
    return real_app(path, rules_path=rules), path


async def mark_every_row_done(pilot, screen: ReviewScreen) -> None:
    while any(map(screen.waiting, (s.key for s in screen.queue))):
        screen.query_one(OptionList).highlighted = next(
            i for i, s in enumerate(screen.queue) if screen.waiting(s.key))
        await pilot.press("d")
        await settle(pilot)


async def test_a_row_done_does_not_pull_in_one_that_waited_past_the_daily_limit(tmp_path):
    # "0 of 3", done, must read "1 of 3", not "1 of 4": the day's review ends. A
    # suggestion new to the day still joins (here, a promise made in another shell).
    app, path = limited_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        first = [s.key for s in screen.queue]
        assert len(first) == 3 and len(app.data.open_keys) > 4  # more wait past the limit
        assert progress(screen) == "0 of 3 reviewed"
        assert " · 3 suggestions" in app.sub_title
        await mark_every_row_done(pilot, screen)
        assert [s.key for s in screen.queue] == first
        assert progress(screen) == "3 of 3 reviewed — all caught up. Thank you!"
        assert " · 0 suggestions" in app.sub_title  # the header counts what the review has
        # Waiting past the limit still: the rules offer it, the review does not.
        assert app.suggestions() and not set(first) & {s.key for s in app.suggestions()}

        contact = next(c for c in app.data.contacts
                       if c.id not in {k.split(":")[1] for k in app.data.open_keys})
        # Made while the review is open, and while it is closed: each joins it.
        for text, review_open in (("Send the photos", True), ("Call about the lease", False)):
            if not review_open:
                await pilot.press("escape")
                await settle(pilot)
                assert not isinstance(app.screen, ReviewScreen)
            waited = len(screen.queue)
            assert main(["--db", str(path), "follow-up", contact.id, text,
                         "--due", TODAY.isoformat()]) == 0
            assert await until(pilot, lambda: " · 1 suggestion · " in app.sub_title)
            day = todays_queue(app)
            assert day is not None and len(day.rows) == waited + 1  # open or not
            if not review_open:
                screen = await review(pilot, app)
            await settle(pilot)
            assert len(screen.queue) == waited + 1 and screen.queue[-1].title.endswith(text)
            assert progress(screen) == f"{waited} of {waited + 1} reviewed"
            screen.query_one(OptionList).highlighted = waited
            await pilot.press("d")
            await settle(pilot)
            assert " · 0 suggestions · " in app.sub_title


async def test_past_midnight_the_review_waits_for_the_days_answer_not_yesterdays(
        tmp_path, monkeypatch):
    # The book carries the rules' last answer until they run again; past midnight that
    # was yesterday's, with yesterday's reasons, and the review made the new day's rows
    # of it (flaky: "3 of 3" or another order, as the two raced).
    from nurture.tui.app import NurtureApp

    app, _ = limited_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        assert len(screen.queue) == 3
        held = threading.Event()
        reviewed = NurtureApp._reviewed

        def the_new_day_held(self, snapshot, *args):  # type: ignore[no-untyped-def]
            if snapshot.today != TODAY:
                assert held.wait(30)
            return reviewed(self, snapshot, *args)

        monkeypatch.setattr(NurtureApp, "_reviewed", the_new_day_held)
        try:
            app.today = TODAY.add(days=1)  # midnight, seen by the next poll
            app.poll()
            assert await until(pilot, lambda: app.data.today == app.today)
            await pilot.pause()
            assert app.suggestions() == [] and not app.data.suggestions_ready
            assert screen.queue == []  # not yesterday's three
            assert progress(screen) == "Looking for suggestions…"
        finally:
            held.set()
        assert await until(pilot, lambda: app.data.suggestions_ready)
        await settle(pilot)
        assert [s.key for s in screen.queue] == [s.key for s in app.suggestions()]
        assert progress(screen) == "0 of 3 reviewed"


async def test_opened_while_the_rules_run_again_the_review_still_keeps_its_limit(
        tmp_path, monkeypatch):
    # After a write the book carries the rules' last answer until they run again; a
    # review opened in between is made from it, and the answer does not add the one
    # that slid into the limit (found by review: "1 of 4").
    app, path = limited_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        top = app.suggestions()[0].key
        monkeypatch.setenv("NURTURE_TODAY", TODAY.isoformat())
        assert main(["--db", str(path), "done", top]) == 0
        held = threading.Event()
        try:
            def read_then_hold() -> None:  # the writer reads the other shell's write (as
                app._refresh_job()  # a poll does), and the rules wait for the test
                held.wait(30)

            app._writer.put(read_then_hold)
            assert await until(pilot, lambda: top in app.data.review)
            assert not app.data.suggestions_ready
            app.open_review()
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen) and len(screen.queue) == 3
        finally:
            held.set()
        assert await until(pilot, lambda: app.data.suggestions_ready)
        await settle(pilot)
        assert len(screen.queue) == 3
        assert progress(screen) == "1 of 3 reviewed"


async def test_a_new_day_makes_a_new_queue_while_the_review_is_open(tmp_path):
    app, _ = limited_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await review(pilot, app)
        await mark_every_row_done(pilot, screen)
        assert progress(screen).startswith("3 of 3 reviewed")
        yesterday = todays_queue(app)
        app.today = TODAY.add(days=1)  # midnight, seen by the next poll
        app.poll()
        assert await until(pilot, lambda: app.data.today == app.today
                           and app.data.suggestions_ready)
        await settle(pilot)
        assert todays_queue(app) is not yesterday
        assert [s.key for s in screen.queue] == [s.key for s in app.suggestions()]
        assert progress(screen) == "0 of 3 reviewed"
        assert " · 3 suggestions · " in app.sub_title
