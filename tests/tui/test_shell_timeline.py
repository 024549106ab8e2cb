"""Pilot flows of the timeline: log in two keys, check off a follow-up, edit, delete, journal."""

from __future__ import annotations

from pathlib import Path

import pendulum
from textual.widgets import Input, TextArea
from tui_support import TODAY, ready, real_app, settle, type_text

from nurture.model import FollowUp, Interaction, InteractionKind
from nurture.store import open_store
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.entry_form import EntryForm, KindPicker, parse_due, parse_when
from nurture.tui.widgets.timeline import Timeline, pinned_follow_ups

MAYA = "c-demo0001"


async def test_log_a_call_in_two_keys(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(MAYA)
        before = len(app.data.timeline(MAYA))
        await pilot.press("l")
        assert isinstance(app.screen, KindPicker)
        await pilot.press("c")
        assert isinstance(app.screen, EntryForm)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "Talked about the regatta")
        app.screen.query_one("#follow-up", Input).value = "send the race results"
        app.screen.query_one("#due", Input).value = "2w"
        await pilot.press("ctrl+s")
        await settle(pilot)
        timeline = app.data.timeline(MAYA)
        assert len(timeline) == before + 1
        newest = timeline[0]
        assert newest.kind is InteractionKind.CALL and newest.channel == "phone"
        assert newest.text == "Talked about the regatta"
        assert newest.at.date() == TODAY
        assert newest.follow_ups[0].due == TODAY.add(weeks=2)
        # The new follow-up is pinned on top of the timeline.
        timeline_widget = app.screen.query_one(Timeline)
        pinned = [o.id for o in timeline_widget.options if o.id and o.id.startswith("f:")]
        assert f"f:{newest.id}:{newest.follow_ups[0].id}" in pinned


async def test_follow_up_checked_off_with_one_key_and_undone(book: Path) -> None:
    with open_store(book) as store:
        entry = Interaction.new([MAYA], "call", "Budget call",
                                at=pendulum.datetime(2026, 11, 20, 10, tz="UTC"),
                                follow_ups=[FollowUp("send the budget", due=TODAY)])
        store.save_interaction(entry)
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(MAYA)
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        timeline.highlighted = timeline.get_option_index(f"f:{entry.id}:{entry.follow_ups[0].id}")
        await pilot.press("x")
        await settle(pilot)
        saved = next(e for e in app.data.timeline(MAYA) if e.id == entry.id)
        assert saved.follow_ups[0].done is not None
        assert all(not (o.id or "").endswith(entry.follow_ups[0].id)
                   for o in timeline.options)
        await pilot.press("ctrl+z")
        await settle(pilot)
        saved = next(e for e in app.data.timeline(MAYA) if e.id == entry.id)
        assert saved.follow_ups[0].done is None


async def test_edit_then_delete_an_entry_with_undo(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(MAYA)
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        first = app.data.timeline(MAYA)[0]
        timeline.highlighted = timeline.get_option_index(f"i:{first.id}")
        await pilot.press("e")
        assert isinstance(app.screen, EntryForm)
        area = app.screen.query_one("#text", TextArea)
        area.text = "Rewritten note"
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = next(e for e in app.data.timeline(MAYA) if e.id == first.id)
        assert edited.text == "Rewritten note" and edited.at == first.at
        said = [n.message for n in app._notifications]
        assert said[-1] == f"Saved the {first.kind.value}."  # an edit, not a new log
        await pilot.press("e")
        await pilot.press("ctrl+s")  # saved as it was: nothing written, and said so
        await settle(pilot)
        assert [n.message for n in app._notifications][-1] == "Nothing changed."

        timeline.highlighted = timeline.get_option_index(f"i:{first.id}")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert all(e.id != first.id for e in app.data.timeline(MAYA))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert any(e.id == first.id for e in app.data.timeline(MAYA))


async def test_journal_is_one_key_away(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(MAYA)
        await pilot.press("g")
        timeline = app.screen.query_one(Timeline)
        assert timeline.journal
        shown = {o.id.split(":")[1] for o in timeline.options if o.id and o.id.startswith("i:")}
        assert shown == {e.id for e in app.data.journal}
        assert shown, "the sample has entries in the last days"
        assert len({c for e in app.data.journal for c in e.contact_ids}) > 1
        assert not app.screen.query_one("#card").display  # no one person's card beside it
        await pilot.press("g")
        assert not timeline.journal
        assert app.screen.query_one("#card").display


async def test_a_new_entry_comes_into_view_and_an_update_keeps_the_place(book: Path) -> None:
    priya = "c-demo0004"
    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.open_contact(priya)
        await settle(pilot)
        timeline = app.main.query_one(Timeline)
        assert not pinned_follow_ups(app.data.timeline(priya))
        await pilot.press("down", "down")
        await settle(pilot)
        assert timeline.highlighted == 2
        # Another program edits the contact: the cursor stays where it was.
        app.run_write(lambda store: store.save_contact(store.contact(priya)))
        await settle(pilot)
        assert timeline.highlighted == 2
        entry = Interaction.new([priya], InteractionKind.CARD_SENT, "A long card.\n" * 12,
                                at=pendulum.now())
        app.run_write(lambda store: store.save_interaction(entry))
        await settle(pilot)
        # A note just logged shows from its first line, not the old place.
        assert timeline.highlighted_option.id == f"i:{entry.id}"
        assert timeline.scroll_offset.y == 0


def test_pinned_follow_ups_soonest_first_undated_last() -> None:
    at = pendulum.datetime(2026, 1, 1, tz="UTC")
    a = Interaction.new(["c"], "call", at=at, follow_ups=[FollowUp("later",
                                                                   due=pendulum.date(2026, 3, 1)),
                                                          FollowUp("whenever")])
    b = Interaction.new(["c"], "note", at=at, follow_ups=[FollowUp("soon",
                                                                   due=pendulum.date(2026, 2, 1)),
                                                          FollowUp("done", done=at)])
    assert [f.text for _, f in pinned_follow_ups([a, b])] == ["soon", "later", "whenever"]


def test_parse_when_and_due() -> None:
    today = pendulum.date(2026, 11, 22)
    assert parse_when("yesterday 18:05", today, "UTC") == pendulum.datetime(2026, 11, 21, 18, 5,
                                                                            tz="UTC")
    assert parse_when("2026-06-01 09:30", today, "UTC").hour == 9
    assert parse_when("now", today, "UTC").date() == today
    assert parse_when("06-01", today, "UTC") == pendulum.datetime(2026, 6, 1, 12, tz="UTC")
    assert parse_due("10", today) == pendulum.date(2026, 12, 2)
    assert parse_due("01-05", today) == pendulum.date(2027, 1, 5)
    assert parse_due("", today) is None
    import pytest

    from nurture.errors import ValidationError

    with pytest.raises(ValidationError, match="not a time of day"):
        parse_when("25:00", today, "UTC")
    with pytest.raises(ValidationError, match="month 13"):
        parse_due("2026-13-01", today)


async def test_while_the_timelines_load_the_pane_says_so_not_that_there_are_none() -> None:
    import pendulum as _pendulum
    from textual.app import App, ComposeResult

    from nurture.model import Contact
    from nurture.tui.widgets.timeline import Timeline
    from nurture.tui.writer import Snapshot

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Timeline(id="timeline")

    dan = Contact(id="c-dan", display_name="Dan Okafor")
    today = _pendulum.date(2026, 11, 25)
    app = Host()
    async with app.run_test() as pilot:
        pane = app.query_one(Timeline)
        for complete, said in ((False, "Loading the timelines"), (True, "No entries yet")):
            snapshot = Snapshot(today=today, contacts=[dan], by_id={dan.id: dan},
                                complete=complete)
            pane.show(snapshot, dan.id, journal=False)
            await pilot.pause()
            assert said in str(pane.get_option_at_index(0).prompt)
