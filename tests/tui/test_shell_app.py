"""The shell as a whole: writer, reload on external change, layouts, help, keymap, palette, CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from tui_support import TODAY, demo_book, quiet_book, ready, real_app, settle, type_text, until

from nurture.cli import main as cli_main
from nurture.config import Config
from nurture.errors import NotFound
from nurture.model import Contact
from nurture.store import open_store
from nurture.tui.app import NurtureApp
from nurture.tui.commands import NurtureCommands
from nurture.tui.screens.help import HelpScreen, help_table
from nurture.tui.widgets.contacts import ContactList

DAN, MAYA = "c-demo0000", "c-demo0001"


async def test_first_frame_paints_before_the_file_is_read(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        # The screen is up while the store is still loading on the writer thread.
        assert app.screen.query_one(ContactList) is not None
        await ready(pilot)
        assert len(app.data.contacts) == 40
        assert app.sub_title.startswith("Sun 22 November 2026")


async def test_another_process_writing_is_picked_up(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        revision = app.data.revision
        with open_store(book) as other:  # as `nurture add` in another terminal would
            other.save_contact(Contact.new("Zelda Fitzgerald", company="Jazz Age"))
        app.poll()
        for _ in range(50):
            await settle(pilot, rounds=1)
            if app.data.revision != revision:
                break
        names = [app.data.by_id[i].display_name for i in app.screen.query_one(ContactList).rows]
        assert "Zelda Fitzgerald" in names


async def test_a_failed_write_is_a_notification_not_a_crash(book: Path) -> None:
    app = real_app(book)
    said: list[object] = []  # notifications and error callbacks, in the order they came
    notify = app.notify

    def recording_notify(message: str, **options: object) -> None:
        said.append(message)
        notify(message, **options)

    app.notify = recording_notify  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        said.clear()
        done: list[object] = []

        def bad(store):
            raise NotFound("nobody called Quux")

        app.run_write(bad, done=done.append, error=said.append)
        await settle(pilot)
        assert done == []
        assert said[0] == "nobody called Quux" and isinstance(said[1], NotFound)
        assert [n.message for n in app._notifications][-1] == "nobody called Quux"

        def disk_full(store):
            raise OSError(28, "No space left on device")

        said.clear()
        app.run_write(disk_full, error=said.append, description="save Dan")
        await settle(pilot)
        assert said[0] == "Could not save Dan: [Errno 28] No space left on device"
        assert isinstance(said[1], OSError)
        # A write that keeps failing the same way (retried each second) says so once.
        app.run_write(disk_full, error=said.append, description="save Dan")
        await settle(pilot)
        assert len(said) == 3 and isinstance(said[2], OSError)
        app.run_write(lambda store: store.contact(DAN).display_name, done=done.append,
                      error=said.append)
        await settle(pilot)
        assert done == ["Dan Okafor"] and len(said) == 3


@pytest.mark.parametrize(("size", "visible"), [
    ((80, 24), {"contacts-pane"}),
    ((120, 40), {"contacts-pane", "centre-pane"}),
    ((200, 50), {"contacts-pane", "centre-pane", "compose-pane"}),
])
async def test_layout_uses_the_room_it_has(book: Path, size, visible) -> None:
    app = real_app(book)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        shown = {p for p in ("contacts-pane", "centre-pane", "compose-pane")
                 if app.screen.query_one(f"#{p}").display}
        assert shown == visible
        assert app.screen.query_one("#pane-tabs").display == (size[0] < 140)
        await pilot.press("2")  # the timeline, however narrow
        assert app.screen.query_one("#centre-pane").display


async def test_help_lists_bindings_with_the_users_keymap(book: Path) -> None:
    config = Config(keymap={"quick-note": "ctrl+k", "no-such-binding": "x"})
    app = real_app(book, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert any("no-such-binding" in n.message for n in app._notifications)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(help_table(app))
        text = console.export_text()
        assert "^k" in text and "Quick note" in text and "quick-note" in text
        assert "Filter contacts as you type" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        opened: list[str | None] = []
        app.open_quick_note = opened.append  # type: ignore[method-assign]
        await pilot.press("ctrl+k")
        assert opened == [app.main.selected_contact_id]


async def test_theme_comes_from_config(book: Path) -> None:
    app = real_app(book, config=Config(theme="nord"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.theme == "nord"
    app = real_app(book, config=Config(theme="no-such-theme"))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert any("unknown theme 'no-such-theme'" in n.message for n in app._notifications)


async def test_palette_jumps_to_a_contact_and_lists_actions(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        provider = NurtureCommands(app.screen)
        hits = [hit async for hit in provider.search("priya")]
        contact_hits = [h for h in hits if h.text and h.text.startswith("Open ")]
        assert contact_hits[0].text == "Open Priya Raman"
        contact_hits[0].command()
        await pilot.pause()
        assert app.main.selected_contact_id == "c-demo0004"
        names = [hit.text async for hit in provider.discover()]
        for action in ("Daily review", "Import contacts", "Export contacts", "News",
                       "Add contact", "Quick note", "Journal"):
            assert action in names


async def test_ctrl_p_palette_finds_contacts_through_the_apps_commands(book: Path) -> None:
    # NurtureApp.COMMANDS lists our provider by a loader (as Textual lists its own):
    # the palette a user opens must still offer contacts.
    from textual.command import CommandList

    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "priya")
        prompts: list[str] = []
        for _ in range(200):
            lists = app.screen.query(CommandList)
            prompts = [str(o.prompt) for o in lists.first().options] if lists else []
            if any("Open Priya Raman" in p for p in prompts):
                break
            await pilot.pause(0.01)
        assert any("Open Priya Raman" in p for p in prompts), prompts
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.main.selected_contact_id == "c-demo0004"


def test_export_offers_only_formats_that_can_be_written() -> None:
    from nurture.interop.api import EXPORT_FORMATS
    from nurture.tui.commands import actions
    from nurture.tui.screens.transfer import EXPORT_FORMATS as DIALOG_FORMATS

    assert {value.split("-")[0] for _, value in DIALOG_FORMATS} <= set(EXPORT_FORMATS)

    class Stub:
        main = None

        def __getattr__(self, name: str) -> object:
            return lambda *args: None

    help_text = next(h for name, h, _ in actions(Stub()) if name == "Export contacts")
    named = {word for word in ("vCard", "CSV", "iCalendar", "Markdown", "JSON")
             if word in help_text}
    assert named == {"vCard", "iCalendar", "Markdown", "JSON"}


async def test_header_counts_open_suggestions(book: Path) -> None:
    from nurture.actions import review_dismiss
    from nurture.actions.clock import moment

    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        count = len(app.suggestions())
        assert count > 1
        # Then the weekly routine (tests/tui/test_screens_stats.py).
        assert app.sub_title == f"Sun 22 November 2026 · {count} suggestions · 1/5 this week"
        # One dismissed (as `nurture dismiss` would): the count follows the engine's new answer.
        key = app.suggestions()[0].key
        app.run_write(lambda store: review_dismiss(store, app.rules, key, today=TODAY,
                                                   now=moment(TODAY)))
        assert await until(pilot, lambda: app.data.suggestions_ready
                           and key not in {s.key for s in app.suggestions()})
        assert len(app.suggestions()) == count - 1
        assert app.sub_title == (f"Sun 22 November 2026 · {count - 1} suggestions · "
                                 "1/5 this week")


async def test_real_rules_engine_feeds_the_app(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        found = app.suggestions()
        assert found, "the sample book has people due a touch"
        assert all(s.contact_ids[0] in app.data.by_id for s in found)
        assert app.sub_title.endswith(f" · {len(found)} suggestions · 1/5 this week")


async def test_filter_typed_in_the_app_matches_interest(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "yankees")
        await pilot.pause()
        rows = app.screen.query_one(ContactList).rows
        assert rows and all("yankees" in app.data.by_id[r].interests for r in rows)


def test_note_command_names_an_ambiguous_contact_and_exits_1(tmp_path: Path,
                                                           monkeypatch, capsys) -> None:
    path = demo_book(tmp_path)
    started: list[NurtureApp] = []
    monkeypatch.setattr(NurtureApp, "run", lambda self: started.append(self) or 0)
    assert cli_main(["--db", str(path), "note", "Müller"]) == 1
    assert "matches 2 contacts" in capsys.readouterr().err
    assert started == []
    assert cli_main(["--db", str(path), "note", "Dan Okafor"]) == 0
    assert started[0].quick_note_for == DAN and started[0].db_path == path


def test_demo_command_builds_the_sample_in_its_own_file(tmp_path: Path, monkeypatch) -> None:
    started: list[NurtureApp] = []
    monkeypatch.setattr(NurtureApp, "run", lambda self: started.append(self) or 0)
    monkeypatch.setenv("NURTURE_TODAY", TODAY.isoformat())
    user_db = tmp_path / "data" / "nurture.json"
    assert cli_main(["demo"]) == 0
    app = started[0]
    assert app.db_path != user_db and not user_db.exists()
    assert app.today == TODAY
    with open_store(app.db_path) as store:
        assert len(store.contacts()) == 40
    assert cli_main([]) == 0  # `nurture` alone opens the app on the user's file
    assert started[1].db_path == user_db


async def test_review_opens_first_when_there_are_suggestions(book: Path) -> None:
    from nurture.tui.screens.review import ReviewScreen

    app = real_app(book, review_on_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.suggestions()
        assert isinstance(app.screen, ReviewScreen)
    app = real_app(quiet_book(book.parent), review_on_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.screen is app.main  # nothing to review: straight to the contacts


async def test_the_review_waits_for_someone_who_started_typing_before_it_was_ready(
        book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from textual.widgets import Input

    from nurture.tui.screens.review import ReviewScreen

    # The rules' first answer held until the person has typed: a large book shows its
    # people seconds before its review is ready.
    typed = threading.Event()
    early = NurtureApp._early_review

    def review_late(self: NurtureApp, first):  # type: ignore[no-untyped-def]
        assert typed.wait(30)
        return early(self, first)

    monkeypatch.setattr(NurtureApp, "_early_review", review_late)
    app = real_app(book, review_on_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await until(pilot, lambda: bool(app.loaded))
        await pilot.press("slash")
        await type_text(pilot, "maya")
        typed.set()
        assert await until(pilot, lambda: bool(app.data.suggestions_ready))
        await settle(pilot)
        assert app.suggestions()
        assert app.screen is app.main  # not opened over the filter
        await type_text(pilot, "dsx")  # which the review would take as done, snooze, dismiss
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "mayadsx"
        with open_store(app.db_path) as store:
            assert store.review_states() == {}  # no suggestion marked
        assert any("review is ready" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+r")  # where it waits
        assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen))


async def test_quick_note_for_opens_straight_into_the_note(book: Path) -> None:
    from nurture.tui.screens.quick_note import QuickNoteScreen

    app = real_app(book, quick_note_for=MAYA, review_on_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.suggestions()  # a review to open, yet the note asked for comes first
        assert isinstance(app.screen, QuickNoteScreen)
        assert app.screen_stack.count(app.screen) == 1


def _leave_a_note(path: Path, contact_id: str, text: str, days_ago: int = 1) -> None:
    """A note saved mid-call by an app that then died: it is still in the file."""
    from nurture.model import QuickNote, now

    # The call began days ago (by the clock the note screen reads) and was last saved
    # five minutes in.
    started = now().subtract(days=days_ago)
    store = open_store(path, create=False)
    try:
        store.save_quick_note(QuickNote(id=f"q-{contact_id}", contact_id=contact_id, text=text,
                                        started=started, updated=started.add(minutes=5)),
                              touch=False)
    finally:
        store.close()


async def test_a_note_left_by_a_crash_is_offered_on_start_up(book: Path) -> None:
    from textual.widgets import TextArea

    from nurture.tui.screens.quick_note import QuickNoteScreen
    from nurture.tui.screens.review import ReviewScreen

    _leave_a_note(book, MAYA, "she got the job")
    app = real_app(book, review_on_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert app.suggestions()
        # The note is on top, the day's review waits underneath.
        assert isinstance(app.screen, QuickNoteScreen) and app.screen.contact_id == MAYA
        assert app.screen.query_one(TextArea).text == "she got the job"
        assert isinstance(app.screen_stack[-2], ReviewScreen)
        # Yesterday's call ended at its last save: the timer carries on from there.
        assert 5 * 60 <= app.screen.seconds < 6 * 60
        saved_at = app.store.quick_notes()[0].updated
        app.screen.flush()  # a save tick: nothing changed, nothing is written
        await settle(pilot)
        assert "is back" in str(app.screen.query_one("#qn-status").render())
        assert app.store.quick_notes()[0].updated == saved_at
        await pilot.press("escape")  # not now: kept for later
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert [n.text for n in app.store.quick_notes()] == ["she got the job"]
    _leave_a_note(book, DAN, "the boat", days_ago=2)
    app = real_app(book)  # no review asked for: the notes are offered all the same
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert isinstance(app.screen, QuickNoteScreen) and app.screen.contact_id == DAN
        assert app.screen_stack.count(app.screen) == 1
        assert any("Maya Lindqvist" in n.message for n in app._notifications)


async def test_no_leftover_offered_when_a_note_was_asked_for(book: Path) -> None:
    from nurture.tui.screens.quick_note import QuickNoteScreen

    _leave_a_note(book, MAYA, "she got the job")
    app = real_app(book, quick_note_for=DAN)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot)
        notes = [s for s in app.screen_stack if isinstance(s, QuickNoteScreen)]
        assert [s.contact_id for s in notes] == [DAN]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_focus_comes_back_after_another_screen(book: Path, size) -> None:
    from textual.widgets import TextArea

    from nurture.tui.widgets.timeline import Timeline

    app = real_app(book)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        # From the review, c writes to the person: the note must have the keys, at a
        # width where the compose pane was hidden until then.
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert await until(pilot, lambda: app.main.pane == "compose"
                           and isinstance(app.focused, TextArea)), app.focused
        assert app.focused is not None and app.focused.id == "compose-text"
        for keys, pane, kind in ((("f1", "escape"), "compose", TextArea),
                                 # Esc in compose goes back to the review it came from;
                                 # Esc there, to the timeline.
                                 (("escape", "escape", "question_mark", "escape"), "timeline",
                                  Timeline),
                                 (("1", "ctrl+n", "escape"), "contacts", ContactList)):
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            assert await until(pilot, lambda pane=pane, kind=kind: app.screen is app.main
                               and app.main.pane == pane and isinstance(app.focused, kind)), (
                keys, app.screen, app.focused)


async def test_an_unreadable_data_file_ends_the_app_with_its_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("not json{", encoding="utf-8")
    app = real_app(bad)
    said: list[object] = []
    leave = app.exit

    def exit_and_remember(result=None, return_code=0, message=None) -> None:
        said.append(message)
        leave(result, return_code, message)

    app.exit = exit_and_remember  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        assert await until(pilot, lambda: app._exit)
    assert app.return_code == 1
    assert "not valid JSON" in str(said[0])  # printed as the app closes
    assert bad.read_text(encoding="utf-8") == "not json{"


async def test_compose_pane_hears_of_changes_once(book: Path, monkeypatch) -> None:
    from nurture.tui.widgets.compose import ComposePane

    heard: list[int] = []
    original = ComposePane.on_store_changed

    def counting(self, message) -> None:
        heard.append(message.revision)
        original(self, message)

    monkeypatch.setattr(ComposePane, "on_store_changed", counting)
    app = real_app(book)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        heard.clear()
        app.run_write(lambda store: store.save_contact(Contact.new("Ida Lovelace")))
        await settle(pilot)
        # One for the new book, one when its suggestions arrive; no echo back and forth.
        assert 1 <= len(heard) <= 2


async def test_a_book_that_cannot_be_written_opens_read_only_and_says_so(book: Path) -> None:
    import os

    os.chmod(book, 0o400)
    before = book.read_bytes()
    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert len(app.data.contacts) == 40
        assert "read-only" in app.sub_title
        assert any(n.title == "Read-only" and "read-only (mode 0400)" in n.message
                   for n in app._notifications)
        app.run_write(lambda store: store.delete_contact(DAN), description="delete")
        await settle(pilot)
        assert any(n.title == "Not saved" and "nothing was saved" in n.message
                   for n in app._notifications)
    assert book.read_bytes() == before


async def test_a_journal_set_aside_is_announced_once_in_the_app(book: Path) -> None:
    journal = book.with_name(book.name + ".journal")
    with open_store(book) as store:
        store.checkpoint()
        old_copy = book.read_bytes()
        store.checkpoint()
        store.delete_contact(DAN)
        unfolded = journal.read_bytes()
    book.write_bytes(old_copy)  # a backup restored over the file…
    journal.write_bytes(unfolded)  # …beside a journal of a later generation
    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        (aside,) = (book.parent / "backups").glob(f"{book.name}.journal.*.orphan-journal")
        notes = [n for n in app._notifications if n.title == "Journal set aside"]
        assert len(notes) == 1 and str(aside) in notes[0].message
    app = real_app(book)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert not [n for n in app._notifications if n.title == "Journal set aside"]


def test_every_binding_id_declared_anywhere_in_the_app_is_accepted_by_the_keymap() -> None:
    # 20 ids of the dialogs (snooze, sent how?, the forms, pickers) were refused by [keymap].
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding

    import nurture.tui.screens
    import nurture.tui.widgets
    from nurture.tui import bindings

    declared = set()
    for package in (nurture.tui.screens, nurture.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for owner in vars(module).values():
                if inspect.isclass(owner) and owner.__module__ == module.__name__:
                    declared |= {b.id for b in getattr(owner, "BINDINGS", [])
                                 if isinstance(b, Binding) and b.id}
    assert len(declared) > 60
    assert declared - bindings.binding_ids() == set()
