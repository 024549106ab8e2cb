"""The command line and the app run the same actions: each makes the same book from the same book.

Each test copies the demo book twice, does one thing with `nurture ...` on one copy and
with keys in the app (real rules engine) on the other, and compares what the two files hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList
from tui_support import TODAY, demo_book, ready, real_app, settle, until

from nurture.cli import main
from nurture.model import InteractionKind
from nurture.store import open_store
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.review import ReviewScreen


def shape(path: Path) -> dict[str, Any]:
    """What a person would call the book, without ids and instants made on the day."""
    store = open_store(path, create=False)
    try:
        contacts = sorted((c.id, c.display_name, tuple(c.interests)) for c in store.contacts())
        entries = sorted(
            (tuple(e.contact_ids), e.kind.value, e.text, e.channel, e.suggestion_key,
             tuple((f.text, f.due, f.done is not None) for f in e.follow_ups))
            for e in store.interactions())
        review = {k: (s.status.value, s.until) for k, s in store.review_states().items()}
        return {"contacts": contacts, "entries": entries, "review": review}
    finally:
        store.close()


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
    assert main(["--db", str(book), *argv]) == 0


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
])
async def test_review_actions_make_the_same_book(books, rule, keys, argv):
    cli_book, app_book = books
    key = await review_key(app_book, rule, keys)
    cli(cli_book, argv[0], key, *argv[1:])
    assert shape(cli_book) == shape(app_book)
    assert shape(cli_book)["review"][key]


async def test_checking_off_a_follow_up_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        entry = next(e for e in app.store.interactions() if e.open_follow_ups())
        follow_up = entry.open_follow_ups()[0]
        app.main.check_off(entry.id, follow_up.id)
        await settle(pilot)
    cli(cli_book, "complete", follow_up.id)
    assert shape(cli_book) == shape(app_book)


async def test_logging_an_entry_makes_the_same_book(books):
    cli_book, app_book = books
    from nurture.model import Interaction
    from nurture.tui.screens.entry_form import parse_when

    at = parse_when("2026-11-20 14:30", TODAY)
    app = real_app(app_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        dan = app.store.resolve("Dan Okafor")
        app.main._save_entry(Interaction.new([dan.id], InteractionKind.CALL, "About the #yankees",
                                             at=at, channel="phone"))
        await settle(pilot)
    cli(cli_book, "log", "Dan Okafor", "About the #yankees", "--kind", "call",
        "--at", "2026-11-20 14:30", "--channel", "phone")
    assert shape(cli_book) == shape(app_book)


async def test_deleting_a_contact_makes_the_same_book(books):
    cli_book, app_book = books
    app = real_app(app_book)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        dan = app.store.resolve("Dan Okafor")
        app.main.delete_contact(dan.id)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
    cli(cli_book, "delete", "Dan Okafor", "--yes")
    assert shape(cli_book) == shape(app_book)
    assert "Dan Okafor" not in {c[1] for c in shape(cli_book)["contacts"]}
