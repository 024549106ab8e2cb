"""The command line and the app run the same actions: each makes the same book from the same book.

Each test copies the demo book twice, does one thing with `nurture ...` on one copy and
with keys in the app (real rules engine) on the other, and compares what the two files hold.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.widgets import Input, Log, OptionList, Select
from tui_support import DAN, MAYA, TODAY, demo_book, ready, real_app, settle, type_text, until

from nurture import actions
from nurture.cli import main
from nurture.model import Channel, ChannelKind, Contact
from nurture.store import open_store
from nurture.tui.screens.cards import CardsScreen
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.contact_form import ContactForm
from nurture.tui.screens.entry_form import EntryForm
from nurture.tui.screens.review import ReviewScreen
from nurture.tui.screens.send_many import SendToMany
from nurture.tui.screens.transfer import TransferScreen
from nurture.tui.widgets.timeline import Timeline


def _day(stamp: Any) -> str | None:
    """An instant as its day: what the rules count by (the second an action ran differs
    between two runs and is no part of what it did)."""
    return None if stamp is None else stamp.date().isoformat()


def _contact(contact: Contact) -> str:
    """Everything a contact holds but its id and the instants it was saved at."""
    fields = dataclasses.asdict(contact)
    for made_on_the_day in ("id", "created", "updated", "revision"):
        fields.pop(made_on_the_day)
    fields["uid"] = bool(fields["uid"])  # a card without a UID is given a random one
    return repr(sorted(fields.items()))


def shape(path: Path) -> dict[str, Any]:
    """What a person would call the book, without ids and instants made on the day.

    Contacts are whole (every field); entries name their people by name, so a contact
    made on each copy (its own random id) still compares; review states keep their keys
    (the keys of the demo's suggestions are the same in both copies).
    """
    store = open_store(path, create=False)
    try:
        people = store.contacts()
        names = {c.id: c.display_name for c in people}
        contacts = sorted(_contact(c) for c in people)
        entries = sorted(
            (tuple(sorted(names.get(i, i) for i in e.contact_ids)), e.kind.value, e.text,
             e.channel, e.suggestion_key, _day(e.at), e.duration_seconds is not None,
             tuple((f.text, f.due, _day(f.done)) for f in e.follow_ups))
            for e in store.interactions())
        review = {k: (s.status.value, s.until, _day(s.at))
                  for k, s in store.review_states().items()}
        news = sorted((n.title, n.url, tuple(n.tags), n.company, n.summary)
                      for n in store.news_items())
        return {"contacts": contacts, "entries": entries, "review": review, "news": news}
    finally:
        store.close()


def assert_same_book(cli_book: Path, app_book: Path) -> None:
    """The two books hold the same; if not, say what only one of them holds."""
    by_cli, by_app = shape(cli_book), shape(app_book)
    differences = []
    for part in by_cli:
        ours, theirs = by_cli[part], by_app[part]
        if isinstance(ours, dict):
            ours, theirs = sorted(ours.items()), sorted(theirs.items())
        only_cli = [x for x in ours if x not in theirs]
        only_app = [x for x in theirs if x not in ours]
        differences += [f"{part} only by the command line: {x}" for x in only_cli]
        differences += [f"{part} only by the app: {x}" for x in only_app]
    assert not differences, "\n".join(differences)


@pytest.fixture
def books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two copies of the demo book: one for the command line, one for the app."""
    monkeypatch.setenv("NURTURE_TODAY", TODAY.isoformat())
    original = demo_book(tmp_path)
    cli_book, app_book = tmp_path / "cli.json", tmp_path / "app.json"
    shutil.copy(original, cli_book)
    shutil.copy(original, app_book)
    return cli_book, app_book


def cli(book: Path, *argv: str) -> None:
    options = []
    while argv and argv[0].startswith("--"):  # global options go before the command
        options += argv[:2]
        argv = argv[2:]
    assert main([*options, "--db", str(book), *argv]) == 0


async def review_key(book: Path, rule: str, keys: tuple[str, ...]) -> str:
    """In the app's review, act with ``keys`` on the first suggestion of ``rule``; its key."""
    app = real_app(book)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.data.suggestions_ready)
        app.open_review()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        row = next(i for i, s in enumerate(screen.queue) if s.rule == rule)
        key = screen.queue[row].key
        screen.query_one(OptionList).highlighted = row
        await pilot.press(*keys)
        await settle(pilot)
    return key


@pytest.mark.parametrize(("rule", "keys", "argv"), [
    ("follow-up", ("d",), ("done",)),
    ("cadence", ("d",), ("done",)),
    ("news", ("x",), ("dismiss",)),
    ("thank-you", ("s", "w"), ("snooze", "--until", "1w")),
    ("life-event", ("d",), ("done",)),
    ("check-in", ("x",), ("dismiss",)),
    ("dormant", ("s", "tab", "1", "2", "-", "2", "4", "enter"), ("snooze", "--until", "12-24")),
])
async def test_review_actions_make_the_same_book(books, rule, keys, argv):
    cli_book, app_book = books
    key = await review_key(app_book, rule, keys)
    cli(cli_book, argv[0], key, *argv[1:])
    assert_same_book(cli_book, app_book)
    assert shape(cli_book)["review"][key]


@pytest.mark.parametrize(("rule", "keys", "argv"), [
    ("follow-up", ("d", "u"), ("done",)),  # undo reopens the follow-up done checked off
    ("news", ("x", "u"), ("dismiss",)),
    ("cadence", ("s", "w", "u"), ("snooze", "--until", "1w")),
])
async def test_review_undo_makes_the_same_book(books, rule, keys, argv):
    cli_book, app_book = books
    before = shape(app_book)
    key = await review_key(app_book, rule, keys)
    cli(cli_book, argv[0], key, *argv[1:])
    assert shape(cli_book)["review"][key]  # decided …
    cli(cli_book, "undo", key)  # … and taken back, as `u` did
    assert_same_book(cli_book, app_book)
    assert key not in shape(cli_book)["review"]
    if rule == "follow-up":  # the follow-up is open again on both sides
        assert shape(cli_book)["entries"] == before["entries"]


async def test_checking_off_a_follow_up_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        entry = next(e for e in app.store.interactions() if e.open_follow_ups())
        follow_up = entry.open_follow_ups()[0]
        app.open_contact(entry.contact_ids[0])
        await settle(pilot)
        timeline = app.screen.query_one(Timeline)
        timeline.highlighted = timeline.get_option_index(f"f:{entry.id}:{follow_up.id}")
        await pilot.press("x")
        await settle(pilot)
    cli(cli_book, "complete", follow_up.id)
    assert_same_book(cli_book, app_book)
    assert any(f[2] for e in shape(cli_book)["entries"] for f in e[-1]
               if f[0] == follow_up.text)


@pytest.mark.parametrize(("who", "name", "text", "at"), [
    (DAN, "Dan Okafor", "About the #yankees", "2026-11-20 14:30"),
    # No --at: "now", on the book's day, as the form's "now" is.
    (MAYA, "Maya Lindqvist", "Talked about the regatta", None),
])
async def test_logging_a_call_by_keys_makes_the_same_book(books, who, name, text, at):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(who)
        await settle(pilot)
        await pilot.press("l", "c")  # log, a call
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EntryForm)
        await type_text(pilot, text)
        if at is not None:
            await fill(pilot, form.query_one("#when", Input), at)
            await fill(pilot, form.query_one("#channel", Input), "phone")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EntryForm)
    cli(cli_book, "log", name, text, "--kind", "call", "--channel", "phone",
        *(["--at", at] if at is not None else []))
    assert_same_book(cli_book, app_book)
    if at is not None:
        with open_store(cli_book) as store:
            newest = store.interactions(DAN)[0]
        assert (newest.text, newest.at.hour, newest.at.minute) == (text, 14, 30)


async def test_deleting_a_contact_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(DAN)
        await settle(pilot)
        await pilot.press("1", "D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    cli(cli_book, "delete", "Dan Okafor", "--yes")
    assert_same_book(cli_book, app_book)
    with open_store(cli_book) as store:
        assert "Dan Okafor" not in {c.display_name for c in store.contacts()}


# ---------------------------------------------------------------- contacts


async def fill(pilot, field: Input, text: str) -> None:
    """Type ``text`` into a form field as a person would: focus it, clear it, type."""
    field.focus()
    await pilot.pause()
    field.value = ""
    await type_text(pilot, text)


async def test_adding_a_contact_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        await type_text(pilot, "Ada Quartermaine")
        for field_id, text in (("company", "Quartermaine Rowing"), ("title", "Coach"),
                               ("emails", "ada@example.org"), ("phones", "+44 20 7946 0000"),
                               ("interests", "#Chess, rowing"), ("birthday", "1990-02-28"),
                               ("channels", "email"), ("cadence", "3m"),
                               ("met", "the chess club")):
            await fill(pilot, form.query_one(f"#f-{field_id}", Input), text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
    cli(cli_book, "add", "Ada Quartermaine", "--company", "Quartermaine Rowing",
        "--title", "Coach", "--email", "ada@example.org", "--phone", "+44 20 7946 0000",
        "--tag", "#Chess", "--tag", "rowing", "--birthday", "1990-02-28", "--channel", "email",
        "--cadence", "3m", "--met", "the chess club")
    assert_same_book(cli_book, app_book)
    with open_store(cli_book) as store:
        assert store.resolve("Ada Quartermaine").given_name == "Ada"


def editor_setting_company(tmp_path: Path, company: str) -> str:
    """An $EDITOR for `nurture edit` that changes the company line of the TOML it is given."""
    script = tmp_path / "edit-company.py"
    script.write_text(
        "import re, sys\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        f"text = re.sub(r'(?m)^company = .*$', 'company = \"{company}\"', text)\n"
        "open(path, 'w', encoding='utf-8').write(text)\n", encoding="utf-8")
    return f"{sys.executable} {script}"


async def test_editing_a_contact_makes_the_same_book(books, tmp_path, monkeypatch):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_contact(DAN)
        await settle(pilot)
        await pilot.press("1", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        await fill(pilot, form.query_one("#f-company", Input), "Harbor Freight Global")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactForm)
    monkeypatch.setenv("VISUAL", editor_setting_company(tmp_path, "Harbor Freight Global"))
    monkeypatch.setenv("EDITOR", editor_setting_company(tmp_path, "Harbor Freight Global"))
    cli(cli_book, "edit", "Dan Okafor")
    assert_same_book(cli_book, app_book)
    with open_store(cli_book) as store:
        assert store.contact(DAN).company == "Harbor Freight Global"


# ---------------------------------------------------------------- timeline


async def test_a_gift_to_many_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "send to many")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SendToMany)
        await type_text(pilot, "#sailing")
        await fill(pilot, app.screen.query_one("#many-what", Input), "The Old Man and the Sea")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: not isinstance(app.screen, SendToMany))
        await settle(pilot)
    cli(cli_book, "gift", "The Old Man and the Sea", "--tag", "sailing")
    assert_same_book(cli_book, app_book)
    assert any(e[2] == "The Old Man and the Sea" for e in shape(cli_book)["entries"])


# ---------------------------------------------------------------- cards


@pytest.fixture
def card_books(books: tuple[Path, Path]) -> tuple[Path, Path]:
    """The two copies, in which Maya prefers cards: her key date in the next two weeks
    is a card to send."""
    for path in books:
        with open_store(path) as store:
            maya = store.contact(MAYA)
            edited = dataclasses.replace(maya, channels=[Channel(ChannelKind.CARD)])
            actions.edit_contact(store, edited, base=maya)
    return books


async def open_cards(pilot, app) -> CardsScreen:
    await ready(pilot)
    await pilot.press("ctrl+p")
    await type_text(pilot, "cards")
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, CardsScreen)
    assert await until(pilot, lambda: screen.loaded)
    return screen


@pytest.mark.parametrize(("keys", "flag"), [(("w",), "--written"), (("w", "p"), "--posted")])
async def test_marking_a_card_makes_the_same_book(card_books, keys, flag):
    cli_book, app_book = card_books
    before = shape(cli_book)
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_cards(pilot, app)
        # The engine's key-date suggestion for Maya (her anniversary), as a card.
        row = next(i for i, c in enumerate(screen.cards) if c.contact_ids == [MAYA])
        key = screen.cards[row].key
        assert key.startswith(f"key-date:{MAYA}:")
        screen.query_one("#cards-list", OptionList).highlighted = row
        for k in keys:
            await pilot.press(k)
            await settle(pilot)
    if flag == "--posted":
        cli(cli_book, "cards", "--written", key)
    cli(cli_book, "cards", flag, key)
    assert_same_book(cli_book, app_book)
    assert shape(cli_book) != before


# ---------------------------------------------------------------- news


async def test_adding_a_news_item_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_news()
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        inputs = list(form.query(Input))
        assert inputs, "the add dialog has fields"
        values = {"title": "Lisbon regatta moves to June", "url": "https://news.example/regatta",
                  "tags": "sailing, lisbon", "company": "", "summary": "The race moves."}
        for field in inputs:
            name = next((n for n in values if field.id and n in field.id), None)
            assert name is not None, field.id
            await fill(pilot, field, values[name])
        await pilot.press("ctrl+s")
        await settle(pilot)
    cli(cli_book, "news", "add", "Lisbon regatta moves to June", "--url",
        "https://news.example/regatta", "--tag", "sailing", "--tag", "lisbon",
        "--summary", "The race moves.")
    assert_same_book(cli_book, app_book)
    assert "Lisbon regatta moves to June" in {n[0] for n in shape(cli_book)["news"]}


# ---------------------------------------------------------------- import and export

REAL = Path(__file__).parents[1] / "fixtures" / "interop" / "real"  # sources: SOURCES.md there


async def transfer(app, pilot, mode: str, path: Path, fmt: str | None = None,
                   who: str = "") -> TransferScreen:
    """The import or export dialog, filled in and run (an import: preview, then import)."""
    await ready(pilot)
    app.open_transfer(mode)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, TransferScreen)
    if fmt is not None:
        screen.query_one("#transfer-format", Select).value = fmt
        await settle(pilot)
    if who:
        await fill(pilot, screen.query_one("#transfer-who", Input), who)
    await fill(pilot, screen.query_one("#transfer-path", Input), str(path))
    if mode == "import":
        await pilot.press("enter")  # the preview
        await settle(pilot)
        assert screen.previewed is not None, screen.query_one("#transfer-log").lines
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert screen.report is not None and screen.previewed is None, [
        str(line) for line in screen.query_one("#transfer-log", Log).lines]
    return screen


@pytest.mark.parametrize(("command", "name"), [
    ("vcard", "thunderbird_dos_vcard_addressbook.vcf"),
    ("vcard", "ezvcard_gmail-single2.vcf"),
    ("vcard", "folkerkinzel_v2_1_windows_address_book.vcf"),
    ("csv", "thunderbird_basic_csv_addressbook.csv"),
])
async def test_importing_a_file_makes_the_same_book(books, command, name):
    cli_book, app_book = books
    before = shape(cli_book)
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await transfer(app, pilot, "import", REAL / name)  # the format detected
    cli(cli_book, "import", command, str(REAL / name))
    assert_same_book(cli_book, app_book)
    assert shape(cli_book)["contacts"] != before["contacts"]


def _without_stamps(data: bytes) -> list[str]:
    """An export's lines without the ones that say when it was written (iCalendar's
    DTSTAMP, the second of the export); everything else must be the same byte for byte."""
    return [line for line in data.decode("utf-8").splitlines()
            if not line.startswith("DTSTAMP:")]


@pytest.mark.parametrize(("fmt", "argv", "suffix"), [
    ("vcard-3.0", ("vcard",), "vcf"),
    ("vcard-4.0", ("vcard", "--version", "4.0"), "vcf"),
    ("ics", ("ics",), "ics"),
    ("json", ("json",), "json"),
    ("markdown", ("markdown", "Dan Okafor"), "md"),
])
async def test_exporting_makes_the_same_file_and_book(books, tmp_path, fmt, argv, suffix):
    cli_book, app_book = books
    by_cli, by_app = tmp_path / f"by-cli.{suffix}", tmp_path / f"by-app.{suffix}"
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await transfer(app, pilot, "export", by_app, fmt,
                       who="Dan Okafor" if fmt == "markdown" else "")
    cli(cli_book, "export", argv[0], *argv[1:], str(by_cli))
    assert by_app.stat().st_size > 0
    assert _without_stamps(by_cli.read_bytes()) == _without_stamps(by_app.read_bytes())
    assert_same_book(cli_book, app_book)


# ---------------------------------------------------------------- capture


@pytest.fixture
def capture_setup(tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path, Path]]:
    """Two copies of a book with Ana, Ben and Chloé (added by the add action), a Maildir,
    a calendar vdir, and a config naming them (tests/capture's mailboxes and calendars)."""
    from capture.mailboxes import MAILDIR_MESSAGES, ME, contacts, make_maildir
    from capture.test_calendar import OTHERS, WEEKLY

    monkeypatch.setenv("NURTURE_TODAY", TODAY.isoformat())
    pendulum.set_local_timezone(pendulum.timezone("Europe/Lisbon"))
    cli_book, app_book = tmp_path / "cli.json", tmp_path / "app.json"
    with open_store(cli_book) as store:
        for person in contacts():
            actions.add_contact(store, person)
    shutil.copy(cli_book, app_book)
    (tmp_path / "Mail").mkdir()
    make_maildir(tmp_path / "Mail" / "INBOX", MAILDIR_MESSAGES)
    vdir = tmp_path / "calendars" / "work"
    vdir.mkdir(parents=True)
    (vdir / "weekly.ics").write_text(WEEKLY)
    (vdir / "others.ics").write_text(OTHERS)
    config = tmp_path / "config.toml"
    config.write_text('[capture]\nmaildirs = ["Mail/INBOX"]\ncalendars = ["calendars/work"]\n'
                      f'me = ["{ME}"]\n')
    yield cli_book, app_book, config
    pendulum.set_local_timezone(None)


async def test_capturing_mail_and_meetings_makes_the_same_book(capture_setup):
    from nurture.config import load_config

    cli_book, app_book, config = capture_setup
    before = shape(cli_book)
    app = real_app(app_book, config=load_config(config))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "capture now")
        await pilot.press("enter")
        assert await until(pilot, lambda: any(n.title == "Captured" for n in app._notifications))
        await settle(pilot)
    cli(cli_book, "--config", str(config), "capture")
    assert_same_book(cli_book, app_book)
    assert len(shape(cli_book)["entries"]) == len(before["entries"]) + 10


async def test_removing_a_news_item_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_news()
        await settle(pilot)
        screen = app.screen
        item = screen.current
        assert item is not None
        await pilot.press("delete")
        await settle(pilot)
    cli(cli_book, "news", "remove", item.id)
    assert_same_book(cli_book, app_book)
    assert item.title not in {n[0] for n in shape(cli_book)["news"]}


# ---------------------------------------------------------------- sync


def sync_config(root: Path, incoming: Path) -> Path:
    """A config syncing with a contacts folder holding a real exporter's card (khard's, its
    source in tests/fixtures/interop/real/SOURCES.md) and an empty calendar folder."""
    contacts, calendar = root / "contacts", root / "calendar"
    contacts.mkdir(parents=True)
    calendar.mkdir()
    shutil.copy(incoming, contacts / incoming.name)
    config = root / "config.toml"
    config.write_text(f'[sync]\ncontacts = "{contacts}"\ncalendar = "{calendar}"\n',
                      encoding="utf-8")
    return config


async def test_syncing_with_folders_makes_the_same_book_and_folders(books, tmp_path):
    from nurture.config import load_config

    cli_book, app_book = books
    card = REAL / "khard_post.vcf"
    cli_config, app_config = (sync_config(tmp_path / side, card) for side in ("cli", "app"))
    before = shape(cli_book)
    app = real_app(app_book, config=load_config(app_config))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "sync now")
        await pilot.press("enter")
        assert await until(pilot, lambda: any(n.title in ("Synced", "Sync failed")
                                              for n in app._notifications))
        assert not [n.message for n in app._notifications if n.title == "Sync failed"]
        await settle(pilot)
    cli(cli_book, "--config", str(cli_config), "sync")
    assert_same_book(cli_book, app_book)
    assert len(shape(cli_book)["contacts"]) == len(before["contacts"]) + 1  # the card came in
    for folder in ("contacts", "calendar"):  # and the book went out, the same on both sides
        by_cli = sorted(p.suffix for p in (tmp_path / "cli" / folder).iterdir())
        by_app = sorted(p.suffix for p in (tmp_path / "app" / folder).iterdir())
        assert by_cli == by_app and len(by_cli) > 1
