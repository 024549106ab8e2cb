"""Compose: from a suggestion to the timeline, drafts that survive, and ways to send."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from pathlib import Path

from textual.widgets import OptionList, Select, Static, TextArea
from tui_support import DAN, MAYA, demo_book, ready, real_app, settle, until

from nurture.editor import edit_text
from nurture.model import InteractionKind, ReviewStatus
from nurture.store import open_store
from nurture.tui.app import NurtureApp
from nurture.tui.screens.review import ReviewScreen
from nurture.tui.widgets.compose import ComposePane, draft_id
from nurture.tui.widgets.sent_picker import SentPicker


def wait_for(condition, seconds: float = 10) -> None:
    """Off the UI thread: wait until ``condition()`` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def pane(app) -> ComposePane:
    return app.main.query_one(ComposePane)


async def add_to_note(pilot, who: str, template: str, text: str) -> ComposePane:
    """Compose to ``who`` with ``template`` and add ``text`` at the end of the note."""
    pilot.app.open_compose(who, template=template)
    await settle(pilot)
    compose = pane(pilot.app)
    text_area = compose.query_one(TextArea)
    text_area.insert(text, text_area.document.end)
    return compose


async def test_compose_from_a_suggestion_mark_sent_and_see_it_on_the_timeline(tmp_path):
    from nurture.compose import choose_template

    app = real_app(demo_book(tmp_path))  # the real rules engine on the demo book
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.data.suggestions_ready)
        app.open_review()
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        row = next(i for i, s in enumerate(review.queue)
                   if s.rule == "cadence" and s.contact_ids == [DAN])
        suggestion = review.queue[row]
        review.query_one(OptionList).highlighted = row
        await pilot.press("c")
        await settle(pilot)
        compose = pane(app)
        assert app.screen is app.main
        assert compose.contact.id == DAN and compose.suggestion == suggestion
        assert compose.template_id == choose_template(suggestion) == "check-in"
        assert "Dan" in compose.text
        count = len(app.store.interactions(DAN))
        # The note has the keys, even at a width where the pane was hidden a moment ago.
        assert await until(pilot, lambda: app.focused is compose.query_one(TextArea)), \
            app.focused

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SentPicker)
        await pilot.press("e")
        await settle(pilot)
        entries = app.store.interactions(DAN)
        assert len(entries) == count + 1
        sent = entries[0]
        assert (sent.kind, sent.channel, sent.suggestion_key) == (
            InteractionKind.EMAIL, "email", suggestion.key)
        assert "Dan" in sent.text
        assert app.store.review_states()[suggestion.key].status is ReviewStatus.DONE
        assert suggestion.key not in {s.key for s in app.suggestions()}
        assert app.data.timeline(DAN)[0].id == sent.id  # what the timeline pane draws
        assert compose.text == "" and compose.contact is None  # ready for the next note
        assert compose.query_one(TextArea).disabled
        assert app.store.drafts() == []
        # Opened from the review: back to it; the main screen shows the timeline, where
        # the note now is.
        assert isinstance(app.screen, ReviewScreen)
        assert app.main.pane == "timeline"


async def test_a_draft_survives_closing_and_reopening(tmp_path):
    path = demo_book(tmp_path)
    app = real_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        compose = await add_to_note(pilot, MAYA, "thank-you",
                                    "\nP.S. The regatta photos are wonderful.\n")
        compose.flush()
        await settle(pilot)
        [draft] = app.store.drafts()
        assert draft.id == draft_id(MAYA) and draft.template == "thank-you"
        assert draft.text.endswith("P.S. The regatta photos are wonderful.\n")
        # Writing to someone else keeps Maya's draft.
        app.open_compose(DAN)
        await settle(pilot)
        assert "regatta" not in pane(app).text

    again = real_app(path)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        again.open_compose(MAYA)
        await settle(pilot)
        compose = pane(again)
        assert compose.text == draft.text
        assert compose.template_id == "thank-you"
        assert "draft" in str(compose.query_one("#compose-status", Static).render())
        await pilot.press("ctrl+s", "m")
        await settle(pilot)
        sent = again.store.interactions(MAYA)[0]
        # A thank-you note is logged as one, by the channel it went by.
        assert (sent.kind, sent.channel) == (InteractionKind.THANK_YOU, "card")
        assert again.store.drafts() == []


async def test_a_draft_whose_save_ends_as_the_app_closes_is_kept(tmp_path):
    """The writer answers after every screen is gone (the app closing): the draft is
    on disk and its callback does not reach a pane that has lost its widgets."""
    gate = threading.Event()

    class Closing(NurtureApp):
        async def _close_all(self) -> None:
            await super()._close_all()  # every screen and widget removed
            gate.set()  # only now may the save finish...
            await asyncio.to_thread(lambda: wait_for(lambda: not self.busy))
            for _ in range(5):  # ...and its answer be handled by the app
                await asyncio.sleep(0.01)

    path = demo_book(tmp_path)
    app = real_app(path, Closing)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        compose = await add_to_note(pilot, MAYA, "thank-you", "\nP.S. Lovely evening.\n")
        app.run_write(lambda store: gate.wait(10), description="wait")
        compose.flush()
    assert gate.is_set()
    with open_store(path, create=False) as store:
        [draft] = store.drafts()
    assert draft.text.endswith("P.S. Lovely evening.\n")


async def test_a_widget_being_removed_is_not_shown_to(tmp_path):
    """While its widgets go, a pane is still attached: a write's answer must not touch it."""
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        compose = pane(app)
        assert app.still_shows(compose)
        removing = compose.remove()
        assert compose.is_attached and not app.still_shows(compose)
        await removing
        assert not app.still_shows(compose)


async def test_pitch_warning_template_switch_and_undo(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_compose(DAN)
        await settle(pilot)
        compose = pane(app)
        warning = compose.query_one("#compose-warning", Static)
        assert not warning.display
        compose.query_one(TextArea).insert("Our new pricing gives you 20% off this month!\n")
        await settle(pilot)
        assert warning.display
        assert "pitch" in str(warning.render())

        before = compose.text
        compose.query_one("#compose-template", Select).value = "birthday"
        await settle(pilot)
        assert compose.template_id == "birthday"
        assert compose.text != before and "birthday" in compose.text.lower()
        compose.query_one(TextArea).focus()
        await pilot.press("ctrl+z")
        assert compose.text == before


async def test_copy_mailto_and_a_news_clipping(tmp_path):
    app = real_app(demo_book(tmp_path))
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        item = next(i for i in app.data.news if i.id == "n-demo1")
        app.open_compose(DAN, news_item=item)
        await settle(pilot)
        compose = pane(app)
        assert compose.template_id == "clipping"
        assert item.title in compose.text and item.url in compose.text
        await pilot.press("ctrl+l")
        assert app.clipboard.startswith("Hi Dan") and not app.clipboard.startswith("Subject")
        await pilot.press("ctrl+o")
        [url] = opened
        assert url.startswith("mailto:dan@harbor.example?subject=Saw%20this")
        assert "body=Hi%20Dan" in url
        # A clipping answers no suggestion: nothing is marked done.
        await pilot.press("ctrl+s", "t")
        await settle(pilot)
        entry = app.store.interactions(DAN)[0]
        assert (entry.kind, entry.suggestion_key) == (InteractionKind.MESSAGE, "")
        assert app.store.review_states() == {}


def write_editor(tmp_path: Path) -> tuple[str, Path]:
    """An "editor" that records the file's mode and appends a line."""
    script = tmp_path / "fake-editor.sh"
    mode_file = tmp_path / "mode"
    script.write_text(f'#!/bin/sh\nstat -c %a "$1" > {mode_file}\n'
                      'printf "See you soon.\\n" >> "$1"\n', encoding="utf-8")
    script.chmod(0o700)
    return str(script), mode_file


def test_edit_text_round_trips_through_a_private_temp_file(tmp_path):
    command, mode_file = write_editor(tmp_path)
    assert edit_text("Hi Dan,\n", command) == "Hi Dan,\nSee you soon.\n"
    assert edit_text("Hi Dan,", command) == "Hi Dan,\nSee you soon."
    assert mode_file.read_text().strip() == "600"


async def test_editor_key_hands_the_note_over_and_takes_it_back(tmp_path, monkeypatch):
    command, _ = write_editor(tmp_path)
    monkeypatch.setenv("VISUAL", command)
    app = real_app(demo_book(tmp_path))
    # The headless test driver cannot suspend; the real one hands the terminal over.
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_compose(DAN)
        await settle(pilot)
        compose = pane(app)
        before = compose.text
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert compose.text == before + "\nSee you soon."
        compose.flush()
        await settle(pilot)
        assert app.store.drafts()[0].text == compose.text



async def test_an_edited_address_is_used_at_once(tmp_path):
    app = real_app(demo_book(tmp_path))
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        app.open_compose(DAN)
        await settle(pilot)

        def new_address(store):
            dan = store.contact(DAN)
            dan.emails[0].address = "dan.okafor@home.example"
            return store.save_contact(dan)

        app.run_write(new_address)
        await settle(pilot)
        compose = pane(app)
        assert "dan.okafor@home.example" in str(compose.query_one("#compose-to").render())
        compose.query_one(TextArea).focus()
        await pilot.press("ctrl+o")
        assert opened[0].startswith("mailto:dan.okafor@home.example?")


async def test_notes_are_signed_with_the_name_from_the_config(tmp_path):
    from nurture.config import Config

    config = Config(my_name="Sam Rivera")
    config.raw = {}  # the typed setting is what counts, not the raw table
    app = real_app(demo_book(tmp_path), config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_compose(DAN)
        await settle(pilot)
        assert pane(app).text.rstrip().endswith("Sam Rivera")


async def test_the_compose_pane_key_writes_to_the_selected_person(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.open_contact(MAYA)
        await settle(pilot)
        await pilot.press("1", "3")
        await settle(pilot)
        compose = pane(app)
        assert compose.contact is not None and compose.contact.id == MAYA
        assert "Maya" in compose.text
        assert await until(pilot, lambda: app.focused is compose.query_one(TextArea))


async def test_the_cursor_starts_where_the_note_begins_with_the_subject_in_view(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.open_compose(DAN)
        await settle(pilot)
        text_area = pane(app).query_one(TextArea)
        row, column = text_area.cursor_location
        lines = pane(app).text.split("\n")
        assert lines[0].startswith("Subject:")
        assert row > 0 and column == 0
        assert lines[row].strip() and not lines[row].startswith(("Subject:", "Hi ", "Dear "))
        assert text_area.scroll_offset.y == 0  # "Subject:" is on screen
        await pilot.press("O", "k")
        assert pane(app).text.split("\n")[row].startswith("Ok")
