"""Pilot flows of the contacts pane: filter, sort, add (an invalid field first), delete, undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, Static
from tui_support import ready, real_app, settle, type_text, until

from nurture.model import Contact, fold
from nurture.store import open_store
from nurture.store.matching import ContactMatcher
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.contact_form import ContactForm
from nurture.tui.widgets.card import ContactCard
from nurture.tui.widgets.contacts import ContactList, ContactsPane, sort_ids
from nurture.tui.writer import ContactFacts

DAN, MAYA = "c-demo0000", "c-demo0001"


def _names(app) -> list[str]:
    rows = app.screen.query_one(ContactList).rows
    return [app.data.by_id[i].display_name for i in rows]


async def test_filter_ranks_fuzzy_matches_and_escape_clears(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        everyone = len(app.data.contacts)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "maya")
        await pilot.pause()
        assert _names(app)[0] == "Maya Lindqvist"
        assert len(_names(app)) < everyone
        # The card follows the best match.
        assert app.main.selected_contact_id == MAYA
        status = str(app.screen.query_one("#contacts-status", Static).render())
        assert f"of {everyone}" in status

        # A typo in a longer word still finds the company; interests are searched too.
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "northwnd")
        await pilot.pause()
        assert {app.data.by_id[i].company for i in app.screen.query_one(ContactList).rows} \
            == {"Northwind Labs"}
        await pilot.press("escape")
        await pilot.pause()
        assert len(_names(app)) == everyone
        assert not app.screen.query_one(ContactsPane).has_class("-filtering")


async def test_sort_cycles_by_due_and_last_contact(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        by_name = _names(app)
        assert by_name == sorted(by_name, key=fold)
        await pilot.press("s")
        rows = app.screen.query_one(ContactList).rows
        dues = [app.data.facts[i].due for i in rows if app.data.facts[i].due is not None]
        assert dues == sorted(dues) and dues
        await pilot.press("s")
        rows = app.screen.query_one(ContactList).rows
        lasts = [app.data.facts[i].last_at for i in rows if app.data.facts[i].last_at]
        assert lasts == sorted(lasts)
        assert "longest since contact" in str(
            app.screen.query_one("#contacts-status", Static).render())


async def test_add_contact_shows_an_invalid_field_then_saves(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, ContactForm)
        form = app.screen
        await pilot.pause()
        assert app.focused is form.query_one("#f-name", Input)  # typing starts at the name
        form.query_one("#f-name", Input).value = "Ada Quartermaine"
        form.query_one("#f-birthday", Input).value = "02-30"
        form.query_one("#f-emails", Input).value = "ada@example"
        form.query_one("#f-cadence", Input).value = "3m"
        form.query_one("#f-interests", Input).value = "#Chess, rowing"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm), "an invalid form must not close"
        birthday_error = str(form.query_one("#e-birthday", Label).render())
        assert "day 30 does not exist in February" in birthday_error
        assert "not an email address" in str(form.query_one("#e-emails", Label).render())
        assert app.focused is form.query_one("#f-emails", Input)  # the first bad field

        form.query_one("#f-birthday", Input).value = "1990-02-28"
        form.query_one("#f-emails", Input).value = "ada@example.org"
        await pilot.pause()
        assert not form.query_one("#e-birthday", Label).has_class("-shown")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
        added = [c for c in app.data.contacts if c.display_name == "Ada Quartermaine"]
        assert len(added) == 1
        ada = added[0]
        assert ada.cadence_days == 90 and ada.interests == ["chess", "rowing"]
        assert ada.birthday is not None and ada.birthday.text() == "1990-02-28"
        assert app.main.selected_contact_id == ada.id
        # The list's cursor is on her too: edit and delete act on the person shown.
        assert app.main.query_one(ContactList).selected == ada.id
    with open_store(book) as store:  # on disk, not only on screen
        assert store.resolve("Ada Quartermaine").emails[0].address == "ada@example.org"


async def test_edit_keeps_what_the_form_does_not_show(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(DAN)
        await pilot.pause()
        dan = app.data.by_id[DAN]
        addresses = list(dan.addresses)
        app.main.edit_contact(DAN)
        await pilot.pause()
        app.screen.query_one("#f-company", Input).value = "Harbor Freight Global"
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = app.data.by_id[DAN]
        assert edited.company == "Harbor Freight Global"
        assert edited.addresses == addresses and edited.created == dan.created


async def test_delete_asks_then_undo_restores_contact_and_timeline(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(MAYA)
        entries = len(app.data.timeline(MAYA))
        assert entries > 0
        await pilot.press("1", "D")
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{entries} timeline entries" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert MAYA not in app.data.by_id
        assert any("Deleted Maya Lindqvist" in n.message for n in app._notifications)
        # The cursor stays where she was, on the next person by name.
        names = [c.display_name for c in app.data.contacts]
        follower = next(n for n in names if fold(n) > fold("Maya Lindqvist"))
        assert app.data.by_id[app.main.query_one(ContactList).selected].display_name \
            == follower
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert MAYA in app.data.by_id
        assert len(app.data.timeline(MAYA)) == entries
        assert app.main.selected_contact_id == MAYA
        assert app.main.query_one(ContactList).selected == MAYA
        assert "Maya Lindqvist" in str(app.screen.query_one(ContactCard).render())


async def test_delete_can_be_cancelled(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(DAN)
        await pilot.press("1", "delete", "n")
        await settle(pilot)
        assert DAN in app.data.by_id


def test_rank_prefers_names_that_start_with_the_query() -> None:
    people = {"a": "Annette Marsh", "b": "Mara Jones", "c": "Tom Marble"}
    matcher = ContactMatcher([Contact(i, name) for i, name in people.items()], indexed=True)
    assert matcher.rank_ids("mar")[0] == "b"
    assert matcher.rank_ids("mar jon") == ["b"]
    assert matcher.rank_ids("zzz") == []
    assert matcher.rank_ids("  ") == list(people)


def test_sort_by_due_puts_undated_last() -> None:
    import pendulum

    facts = {"a": ContactFacts(due=None), "b": ContactFacts(due=pendulum.date(2026, 1, 2)),
             "c": ContactFacts(due=pendulum.date(2025, 1, 2))}
    assert sort_ids(["a", "b", "c"], "due", facts) == ["c", "b", "a"]
    assert sort_ids(["a", "b", "c"], "last", facts) == ["a", "b", "c"]


async def test_a_row_drawn_before_its_scrollbar_shows_reads_the_same(book: Path) -> None:
    """The scrollbar shows one layout pass after the rows arrive; a row must not change."""
    from textual.app import App, ComposeResult
    from textual.geometry import Region
    from tui_support import TODAY

    from nurture.tui.writer import SnapshotBuilder

    store = open_store(book, create=False)
    try:
        snapshot = SnapshotBuilder().build(store, TODAY)
    finally:
        store.close()

    class ListApp(App[None]):
        CSS = "ContactList { width: 40; height: 8; }"

        def compose(self) -> ComposeResult:
            yield ContactList()

    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        rows = app.query_one(ContactList)
        rows.set_rows([DAN], snapshot)  # fits: no scrollbar
        await pilot.pause()
        assert not rows.show_vertical_scrollbar
        rows.set_rows([DAN, *(c.id for c in snapshot.contacts if c.id != DAN)], snapshot)
        # A frame painted now, before the layout has caught up with the new rows.
        early = rows.render_lines(Region(0, 0, rows.size.width, 1))[0].text
        await pilot.pause()
        assert rows.show_vertical_scrollbar
        screen_row = "".join(s.text for s in app.screen._compositor.render_strips()[0])
        assert early.rstrip() == screen_row[:40].rstrip()
        assert "Harbor Freigh" in early and early.rstrip().endswith("…")


def _save_elsewhere(book: Path, contact_id: str, **fields: str) -> None:
    """Another window (another store on the same file) edits and saves the contact."""
    with open_store(book) as other:
        base = other.contact(contact_id)
        edited = other.contact(contact_id)
        for name, value in fields.items():
            setattr(edited, name, value)
        other.save_contact(edited, base=base)


async def test_an_edit_merges_with_another_windows_save_of_other_fields(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.main.edit_contact(DAN)
        await pilot.pause()
        _save_elsewhere(book, DAN, company="Theirs Inc")
        app.screen.query_one("#f-notes", Input).value = "mine: met at the fair"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
        edited = app.data.by_id[DAN]
        assert (edited.company, edited.notes) == ("Theirs Inc", "mine: met at the fair")
    with open_store(book) as store:
        dan = store.contact(DAN)
        assert (dan.company, dan.notes) == ("Theirs Inc", "mine: met at the fair")


async def test_an_edit_of_a_field_another_window_changed_keeps_the_form_open(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.main.edit_contact(DAN)
        await pilot.pause()
        _save_elsewhere(book, DAN, notes="theirs")
        form = app.screen
        form.query_one("#f-notes", Input).value = "mine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "the form stays open with your text"
        assert form.query_one("#f-notes", Input).value == "mine"
        assert "changed in another window" in str(form.query_one("#e-notes", Label).render())
        assert any(n.message.startswith("notes was changed elsewhere while you were editing")
                   for n in app._notifications)
        with open_store(book) as store:
            assert store.contact(DAN).notes == "theirs"  # nothing of yours was written
        await pilot.press("ctrl+s")  # again: you keep yours
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
    with open_store(book) as store:
        assert store.contact(DAN).notes == "mine"


async def test_after_add_edit_and_undo_the_keys_stay_on_the_contacts_list(book: Path) -> None:
    # Focus went to the timeline, so the next `e` edited an entry instead of the person.
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        contact_list = app.main.query_one(ContactList)
        await pilot.press("a")
        assert isinstance(app.screen, ContactForm)
        app.screen.query_one("#f-name", Input).value = "Ada Quartermaine"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is contact_list
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)  # the person, not an entry
        app.screen.query_one("#f-company", Input).value = "Analytical Engines"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is contact_list
        ada = app.main.selected_contact_id
        assert ada is not None and app.data.by_id[ada].company == "Analytical Engines"
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert ada not in app.data.by_id
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ada in app.data.by_id
        assert app.focused is contact_list and contact_list.selected == ada


async def test_the_form_writes_a_contact_once(book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Ada Quartermaine")
        await pilot.press("ctrl+s")
        await settle(pilot)
        ada = app.store.resolve("Ada Quartermaine")
        assert ada.revision == 1  # written once
        app.main.edit_contact(ada.id)
        await settle(pilot)
        app.screen.query_one("#f-company", Input).value = "Quartermaine Rowing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.resolve("Ada Quartermaine").revision == 2


async def test_before_the_book_is_read_the_list_says_it_is_opening_not_empty() -> None:
    import pendulum as _pendulum
    from textual.app import App, ComposeResult

    from nurture.tui.widgets.contacts import ContactList
    from nurture.tui.writer import Snapshot

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield ContactList(id="list")

    today = _pendulum.date(2026, 11, 25)
    app = Host()
    async with app.run_test() as pilot:
        listing = app.query_one(ContactList)
        for snapshot, said in ((Snapshot(today=today), "Opening the book"),  # nothing read
                               (Snapshot(revision=0, today=today), "No contacts yet")):
            listing.set_rows([], snapshot)
            await pilot.pause()
            assert said in listing.render_line(0).text


async def test_a_word_typed_fast_after_the_slash_goes_into_the_filter(book: Path) -> None:
    from textual import events

    from nurture.tui.widgets.contacts import FilterInput

    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        # All queued at once, as a fast typist's (or a paste's): on the list s sorts,
        # e edits the selected person and a adds one. They went there: the focus moves
        # after the events already queued.
        for key, character in (("slash", "/"), ("s", "s"), ("e", "e"), ("a", "a")):
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert app.screen is app.main  # no form opened
        field = app.screen.query_one(FilterInput)
        assert field.value == "sea" and app.focused is field
        assert app.screen.query_one(ContactsPane).sort == "name"
        await type_text(pilot, "ttle")
        assert field.value == "seattle"
        # Back to the list and into the filter again: what is typed replaces the text
        # there, fast (typed ahead) or not (all selected when the focus came).
        for keys, typed in ((("slash", "m", "a", "y", "a"), "maya"), (("slash",), "dan")):
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.focused, ContactList)
            for key in keys:
                app.post_message(events.Key(key, "/" if key == "slash" else key))
            await settle(pilot)
            assert app.focused is field
            await type_text(pilot, "" if len(keys) > 1 else typed)
            assert field.value == typed
        assert await until(pilot, lambda: app.main.selected_contact_id == DAN)
        # Once the filter had the focus, the list's keys are the list's again.
        await pilot.press("escape")  # the filter cleared, the list focused
        await settle(pilot)
        assert isinstance(app.focused, ContactList) and app.main.selected_contact_id
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)


async def test_a_click_after_the_slash_gives_the_keys_back_to_what_was_clicked(
        book: Path) -> None:
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.click(ContactList)  # the list chosen before any letter was typed
        await settle(pilot)
        assert isinstance(app.focused, ContactList)
        await pilot.press("e")  # the list's edit, not a letter for the filter
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
