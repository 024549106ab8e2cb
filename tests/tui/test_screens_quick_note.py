"""Quick notes: facts confirmed before they change the contact, saved as typed, never lost."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import SelectionList, TextArea
from tui_support import DAN, MAYA, TODAY, FakeClock, demo_book, ready, real_app, settle, until

from nurture.model import InteractionKind
from nurture.store import open_store
from nurture.store.matching import rank_contacts
from nurture.tui.screens.contact_picker import SHOWN, ContactPicker
from nurture.tui.screens.quick_note import (
    ConfirmFacts,
    QuickNoteScreen,
    a_or_an,
    elapsed,
    offer_leftover_note,
)

START = pendulum.datetime(2026, 11, 22, 10, 0, tz="UTC")


@pytest.fixture(autouse=True)
def _fast_saves(monkeypatch):
    monkeypatch.setattr(QuickNoteScreen, "SAVE_SECONDS", 0.05)


async def test_log_a_call_with_facts_confirmed_one_by_one(tmp_path):
    app = real_app(demo_book(tmp_path))
    clock = FakeClock(START)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        before = app.store.contact(DAN)
        assert "sailing" not in before.interests and before.key_date("anniversary") is None
        app.push_screen(QuickNoteScreen(DAN, clock=clock))
        await settle(pilot)
        app.screen.query_one(TextArea).insert(
            "Dan is taking up #sailing this spring.\n"
            "Anniversary: 2019-06-01.\n"
            "Follow up in 2 weeks: send the book on knots.")
        clock.at = START.add(minutes=12, seconds=5)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmFacts)
        summaries = [f.summary() for f in app.screen.found]
        assert len(summaries) == 3, summaries
        assert "12-minute call with Dan Okafor" in app.screen.description
        # One key turns the anniversary off; the others stay on.
        anniversary = next(i for i, s in enumerate(summaries) if s.startswith("Anniversary"))
        await pilot.press(str(anniversary + 1))
        assert len(app.screen.query_one(SelectionList).selected) == 2
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (ConfirmFacts, QuickNoteScreen))

        after = app.store.contact(DAN)
        assert "sailing" in after.interests
        assert after.key_date("anniversary") is None  # declined
        entry = app.store.interactions(DAN)[0]
        assert entry.kind is InteractionKind.CALL
        assert entry.duration_seconds == 12 * 60 + 5
        assert entry.at == START
        assert "#sailing" in entry.text
        assert [(f.text, f.due) for f in entry.follow_ups] == [
            ("Send the book on knots", TODAY.add(weeks=2))]
        assert app.store.quick_notes() == []
        # The timeline the panes read has it too.
        assert app.data.timeline(DAN)[0].id == entry.id


async def test_saved_as_typed_and_offered_back_after_a_crash(tmp_path):
    path = demo_book(tmp_path)
    app = real_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.push_screen(QuickNoteScreen(MAYA, clock=FakeClock(START)))
        await settle(pilot)
        await pilot.press(*"she got the job")
        # Saved by the screen's own save clock, not by leaving it.
        assert await until(pilot, lambda: bool(app.store.quick_notes()))
        await settle(pilot)
        notes = app.store.quick_notes()
        assert [(n.contact_id, n.text) for n in notes] == [(MAYA, "she got the job")]
        # Meanwhile nothing is on the timeline yet.
        assert "she got the job" not in app.store.interactions(MAYA)[0].text
    # The app went away without finishing: the note is still in the file.
    store = open_store(path, create=False)
    try:
        assert [n.text for n in store.quick_notes()] == ["she got the job"]
    finally:
        store.close()

    again = real_app(path)
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)  # the app offers it by itself on start-up
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, QuickNoteScreen) and screen.contact_id == MAYA
        assert screen.query_one(TextArea).text == "she got the job"
        await pilot.press("ctrl+t")  # log it as a meeting instead
        await pilot.press("ctrl+s")
        await settle(pilot)
        entry = again.store.interactions(MAYA)[0]
        assert (entry.kind, entry.text) == (InteractionKind.MEETING, "she got the job")
        assert again.store.quick_notes() == []
        offer_leftover_note(again)
        await settle(pilot)
        assert not isinstance(again.screen, QuickNoteScreen)


async def test_opening_a_note_for_the_same_person_resumes_the_leftover(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.push_screen(QuickNoteScreen(DAN, clock=FakeClock(START)))
        await settle(pilot)
        await pilot.press(*"part one")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, QuickNoteScreen)
        app.push_screen(QuickNoteScreen(DAN, clock=FakeClock(START)))
        await settle(pilot)
        assert app.screen.query_one(TextArea).text == "part one"
        assert len(app.store.quick_notes()) == 1


async def test_an_empty_note_leaves_nothing_behind(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        count = len(app.store.interactions(DAN))
        app.push_screen(QuickNoteScreen(DAN, clock=FakeClock(START)))
        await settle(pilot)
        app.screen.flush()  # a save tick with nothing typed
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.quick_notes() == []
        assert len(app.store.interactions(DAN)) == count


async def test_without_a_contact_a_fuzzy_picker_asks_first(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_quick_note()
        await settle(pilot)
        assert isinstance(app.screen, ContactPicker)
        await pilot.press(*"mya lindq", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickNoteScreen)
        assert app.screen.contact_id == MAYA
        # Escape in the picker closes the note screen too.
        await pilot.press("escape")
        app.open_quick_note()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main


def test_rank_contacts_prefers_names_that_start_with_the_query(tmp_path):
    store = open_store(demo_book(tmp_path), create=False)
    try:
        contacts = store.contacts()
    finally:
        store.close()
    assert rank_contacts("dan", contacts)[0].id == DAN
    assert rank_contacts("zoe", contacts)[0].display_name == "Zoë Ångström"  # accents folded
    assert rank_contacts("northwind", contacts)[0].company == "Northwind Labs"
    assert rank_contacts("qqqqxx", contacts) == []
    assert len(rank_contacts("", contacts, SHOWN)) == SHOWN == 30  # the picker shows 30


def test_elapsed():
    assert elapsed(0) == "00:00"
    assert elapsed(247) == "04:07"
    assert elapsed(3723) == "1:02:03"


@pytest.mark.parametrize(("phrase", "expected"), [
    ("call", "a call"), ("email", "an email"), ("8-minute call", "an 8-minute call"),
    ("11-minute meeting", "an 11-minute meeting"), ("80-minute call", "an 80-minute call"),
    ("1-minute call", "a 1-minute call"), ("18-minute call", "an 18-minute call"),
    ("28-minute call", "a 28-minute call"), ("note", "a note"),
])
def test_a_or_an(phrase, expected):
    assert a_or_an(phrase) == expected


@pytest.mark.parametrize(("reopened", "seconds"), [
    (START.add(minutes=10), 10 * 60),  # soon after: the same call went on meanwhile
    (START.add(days=1), 5 * 60),  # the next day: the call ended at the last save
])
async def test_the_call_timer_of_a_note_taken_up_again(tmp_path, reopened, seconds):
    from nurture.model import QuickNote

    path = demo_book(tmp_path)
    store = open_store(path, create=False)
    try:
        note = store.save_quick_note(QuickNote(id="q-1", contact_id=DAN, started=START,
                                               text="the boat", updated=START.add(minutes=5)),
                                     touch=False)
    finally:
        store.close()
    app = real_app(path)
    clock = FakeClock(reopened)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await settle(pilot)
        if isinstance(app.screen, QuickNoteScreen):  # offered on start-up, on the real clock
            await pilot.press("escape")
            await settle(pilot)
        screen = QuickNoteScreen(note=note, clock=clock)
        app.push_screen(screen)
        await settle(pilot)
        assert screen.seconds == seconds
        clock.at = reopened.add(minutes=1)
        await pilot.press("ctrl+s")  # no facts in "the boat": logged at once
        await settle(pilot)
        entry = app.store.interactions(DAN)[0]
        assert (entry.text, entry.at, entry.duration_seconds) == ("the boat", START,
                                                                  seconds + 60)


async def test_a_date_that_replaces_another_says_so(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        dan = app.data.by_id[DAN]
        birthday = dan.key_date("birthday")
        assert birthday is not None and (birthday.month, birthday.day) != (3, 14)
        app.push_screen(QuickNoteScreen(DAN, clock=FakeClock(START)))
        await settle(pilot)
        app.screen.query_one(TextArea).insert("His birthday March 14, not what I had.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmFacts)
        prompt = str(app.screen.query_one(SelectionList).get_option_at_index(0).prompt)
        assert f"replaces {birthday.human()}" in prompt


async def test_the_card_stays_beside_the_note_from_100_columns(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        ben = "c-demo0030"  # interests, family and an open follow-up
        app.main.show_contact(ben)
        await settle(pilot)
        await pilot.press("ctrl+n")  # for the highlighted person
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuickNoteScreen) and screen.contact_id == ben
        card = screen.query_one("#qn-card")
        assert card.display and card.region.width > 0
        shown = " ".join(str(card.render()).split())  # long rows wrap under their value
        contact = app.data.by_id[ben]
        assert "#" + contact.interests[0] in shown  # interests
        assert contact.family[0].name in shown  # family
        assert "Last topic" in shown and "Last contact" in shown
        open_items = [f for e in app.data.timeline(ben) for f in e.open_follow_ups()]
        assert "☐ " + open_items[0].text in shown  # open follow-ups
        # The note keeps the keys: typing goes into it while the card is shown.
        await pilot.press("h", "i")
        assert screen.query_one(TextArea).text == "hi"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not screen.query_one("#qn-card").display


async def test_one_key_picks_someone_else_and_keeps_the_text(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.main.show_contact(DAN)
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuickNoteScreen) and screen.contact_id == DAN
        await pilot.press("o", "k")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ContactPicker)
        await pilot.press(*"mya lindq", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.contact_id == MAYA
        assert screen.note is not None and screen.note.contact_id == MAYA
        assert screen.query_one(TextArea).text == "ok"
        assert app.data.by_id[MAYA].display_name in str(screen.query_one("#qn-who").render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.interactions(MAYA)[0].text == "ok"
