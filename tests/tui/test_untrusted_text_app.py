"""Hostile strings through every sink of the app: no crash, the literal text shown, no action run.

The book (``hostile.fill_book``) holds every string of the corpus as a contact's
name, company, title, notes and key date, a timeline entry and follow-up, a news
item and a feed. The app starts on it with the real rules engine, then every
screen is opened, every contact selected, the palette searched, a contact deleted
and undone (confirm dialog, notifications), a news item removed, a clipping
composed, the review walked, and the text on screen read back.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hostile import HOSTILE, fill_book, forbidden_in, marker
from textual.widgets import Label
from tui_support import TODAY, ready, real_app, settle

from nurture.tui.commands import NurtureCommands
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.contact_form import ContactForm
from nurture.tui.screens.news import NewsScreen
from nurture.tui.screens.review import ReviewScreen
from nurture.tui.text import plain, with_markup

# Strings that must be seen exactly as written, brackets and all.
LITERAL = ["[Video] How we sail", "[SOLVED] Printer works", "Aaron [/] Smith",
           "Stray [/x] tag", "[b]Bold[/b] Baker", "[/r/python] weekly thread"]


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as text (from the SVG screenshot Textual renders)."""
    svg = app.export_screenshot()
    rows: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for parts in rows.values())


@pytest.fixture
def hostile_book(tmp_path: Path) -> tuple[Path, dict[str, list[str]]]:
    path = tmp_path / "hostile.json"
    return path, fill_book(path, TODAY)


class Watched:
    """The app on the hostile book, with every notification it shows kept."""

    def __init__(self, path: Path) -> None:
        self.app = real_app(path)
        self.notes: list[str] = []
        self.seen: list[str] = []

    def look(self) -> None:
        self.seen.append(screen_text(self.app))
        # The notifications as the app keeps them (what the toasts show).
        for notification in self.app._notifications:
            if notification.message not in self.notes:
                self.notes.append(notification.message)

    def check(self) -> str:
        """Still running, nothing run from data, no control on screen; the text seen."""
        assert self.app.is_running and self.app.return_code is None
        shown = "\n".join(self.seen + self.notes)
        assert forbidden_in(shown) == []
        assert not Path("/tmp/x.svg").exists()
        return shown


async def test_contacts_card_timeline_palette_and_confirm(hostile_book) -> None:
    path, ids = hostile_book
    watched = Watched(path)
    app = watched.app
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        watched.look()
        # Every contact selected: card, timeline (border title), contacts row; a click
        # on the card where "Read more" would be a link must do nothing.
        for contact_id in ids["contacts"]:
            app.open_contact(contact_id)
            await settle(pilot, 1)
            watched.look()
            await pilot.click("#card", offset=(2, 0))
        # The palette: every hostile name as a query; the hits carry the literal text.
        provider = NurtureCommands(app.screen)
        for _, value in HOSTILE:
            async for hit in provider.search(value[:20]):
                assert hit.text is not None and forbidden_in(hit.text) == []
        await pilot.press("ctrl+p", *"Aaron")
        await settle(pilot, 2)
        watched.look()
        await pilot.press("escape")
        await settle(pilot, 1)
        # The edit form's border title, then delete (confirm dialog, notification), undo.
        app.main.edit_contact(ids["contacts"][1])  # "[@click=app.quit]Read more[/]"
        await settle(pilot, 1)
        assert isinstance(app.screen, ContactForm)
        watched.look()
        await pilot.press("escape")
        await settle(pilot, 1)
        # Markup that runs an action or crashes, ESC and OSC 52, CR, a newline, 100 KB.
        for n in (1, 3, 5, 10, 13, 20, 21, 22):
            contact_id = ids["contacts"][n]
            app.main.delete_contact(contact_id)
            await settle(pilot, 1)
            assert isinstance(app.screen, ConfirmScreen)
            watched.look()
            watched.seen.append(str(app.screen.query_one("#question", Label).render()))
            await pilot.click("#question")
            await pilot.press("y")
            await settle(pilot)
            watched.look()
            await pilot.press("ctrl+z")
            await settle(pilot)
            watched.look()
        assert len(app.data.contacts) == len(ids["contacts"])
        shown = watched.check()
    for literal in LITERAL:
        assert literal in shown, literal
    assert "Edit [@click=app.quit]Read more[/]" in shown
    assert "Delete [@click=app.quit]Read more[/] and 1 timeline entry?" in shown
    assert any(n.startswith("Deleted [@click=app.quit]Read more[/]. Press") for n in watched.notes)
    assert "Clear\\x1b[2J\\x1b[Hscreen" in shown and "Invoice \\u202egnp.exe" in shown


async def test_news_walk_remove_and_clipping(hostile_book) -> None:
    path, ids = hostile_book
    watched = Watched(path)
    app = watched.app
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_news()
        await settle(pilot)
        news = app.screen
        assert isinstance(news, NewsScreen)
        for _ in ids["news"]:
            await pilot.press("j")
            await settle(pilot, 1)
            watched.look()
            await pilot.click("#news-article")
        # Remove "[/r/python] weekly thread" (its notification quotes it), then
        # compose a clipping for "[SOLVED] Printer works".
        for name in ("markup-subreddit", "markup-solved"):
            index = next(i for i, (n, _) in enumerate(HOSTILE) if n == name)
            news._select(ids["news"][index])
            await settle(pilot, 1)
            if name == "markup-subreddit":
                await pilot.press("delete")
            else:
                await pilot.press("c", "1")
            await settle(pilot)
            watched.look()
        shown = watched.check()
    assert len(app.data.news) == len(ids["news"]) - 1
    assert "Removed “[/r/python] weekly thread”." in watched.notes
    assert "[Video] How we sail" in shown and "[@click=app.quit]Read more[/]" in shown
    assert "Clipping: [SOLVED] Printer works" in shown or "[SOLVED] Printer works" in shown


async def test_review_and_journal(hostile_book) -> None:
    path, _ = hostile_book
    watched = Watched(path)
    app = watched.app
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_review()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        for _ in range(len(app.data.suggestions)):
            await pilot.press("j")
            await settle(pilot, 1)
            watched.look()
        await pilot.press("escape")
        await settle(pilot)
        app.main.action_journal()
        await settle(pilot)
        watched.look()
        shown = watched.check()
    assert "Aaron [/] Smith" in shown and "[SOLVED] Printer works" in shown


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_plain_and_with_markup_keep_data_as_text(name: str, value: str) -> None:
    content = plain(value)
    assert forbidden_in(content.plain) == []
    assert not content.spans
    mixed = with_markup("[b]Delete[/b] $name?", name=value)
    assert mixed.plain.startswith("Delete ") and mixed.plain.endswith("?")
    assert plain(value, multiline=True).plain in mixed.plain
    assert forbidden_in(mixed.plain) == []
    assert all(span.style in ("b", "bold") or "bold" in str(span.style)
               for span in mixed.spans)


async def test_a_book_whose_first_contact_breaks_markup_starts(tmp_path: Path) -> None:
    from nurture.model import Contact
    from nurture.store import open_store

    path = tmp_path / "aaron.json"
    with open_store(path) as store:
        store.save_contact(Contact.new("Aaron [/] Smith", company="[link=x"))
    app = real_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "Aaron [/] Smith" in screen_text(app)
        assert app.is_running


async def test_the_edit_form_shows_controls_and_keeps_untouched_fields(tmp_path: Path) -> None:
    from textual.widgets import Input

    from nurture.model import Contact
    from nurture.store import open_store

    path = tmp_path / "form.json"
    with open_store(path) as store:
        contact = store.save_contact(Contact.new("Clear\x1b[2Jscreen", company="Acme",
                                                 notes="Osc\x1b]52;c;eA==\x07"))
    app = real_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.main.edit_contact(contact.id)
        await settle(pilot, 1)
        assert isinstance(app.screen, ContactForm)
        assert app.screen.query_one("#f-name", Input).value == "Clear\\x1b[2Jscreen"
        assert forbidden_in(screen_text(app)) == []
        app.screen.query_one("#f-company", Input).value = "Initech"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with open_store(path) as store:
        saved = store.contact(contact.id)
    assert saved is not None and saved.company == "Initech"
    # Untouched fields keep their own text, controls and all (the importers clean data).
    assert saved.display_name == "Clear\x1b[2Jscreen" and saved.notes == "Osc\x1b]52;c;eA==\x07"


async def test_quitting_during_a_fetch_from_a_dripping_server_does_not_wait(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import threading

    from nurture.model import Feed
    from nurture.store import open_store

    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    listener = socket.create_server(("127.0.0.1", 0))
    accepted, cut, stop = threading.Event(), threading.Event(), threading.Event()

    def drip() -> None:  # headers one byte at a time, for at most 60 s
        conn, _ = listener.accept()
        accepted.set()
        with conn:
            conn.recv(65536)
            try:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 3000:
                    if stop.wait(0.02):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                cut.set()  # the client hung up: what quitting must do

    server = threading.Thread(target=drip, daemon=True)
    server.start()
    path = tmp_path / "feeds.json"
    with open_store(path) as store:
        store.save_feed(Feed(url=f"http://127.0.0.1:{listener.getsockname()[1]}/feed"))
    app = real_app(path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            app.open_news()
            await settle(pilot, 1)
            await pilot.press("f")
            for _ in range(500):
                if accepted.is_set():
                    break
                await pilot.pause(0.02)
            assert accepted.is_set(), "the fetch never connected"
        # The app has quit; the fetch must hang up long before the server would stop.
        assert cut.wait(10)
    finally:
        stop.set()
        server.join(5)
        listener.close()


async def test_fetching_feeds_with_hostile_titles_and_errors(tmp_path: Path) -> None:
    from nurture.model import Feed
    from nurture.store import open_store

    rss = tmp_path / "feed.rss"
    rss.write_text("<?xml version='1.0'?><rss version='2.0'><channel>"
                   "<title>[/r/python] Chan &#x1b;]0;pwned&#x7; [@click=app.quit]q[/]</title>"
                   "<item><title>[Video] Item [/x]</title><link>javascript:alert(1)</link>"
                   "<guid>1</guid></item></channel></rss>", encoding="utf-8")
    missing = tmp_path / "[" / "gone [/x].rss"
    path = tmp_path / "fetch.json"
    with open_store(path) as store:
        store.save_feed(Feed(url=rss.as_uri()))
        store.save_feed(Feed(url=missing.as_uri()))
    watched = Watched(path)
    app = watched.app
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_news()
        await settle(pilot, 1)
        await pilot.press("f")
        for _ in range(500):
            if "Last fetch" in screen_text(app):
                break
            await pilot.pause(0.02)
        await settle(pilot)
        watched.look()
        shown = watched.check()
        item = next(i for i in app.data.news)
    assert "[Video] Item [/x]" in shown and "gone [/x].rss" in shown
    assert item.url == ""  # a javascript: link is dropped, the item kept
    assert any("1 failed" in note for note in watched.notes)


@pytest.mark.parametrize(("url", "opened"), [
    ("javascript:alert(1)", False), ("file:///etc/passwd", False),
    ("https://news.example/a", True),
])
async def test_o_opens_only_web_links(tmp_path: Path, url: str, opened: bool) -> None:
    from nurture.model import NewsItem
    from nurture.store import open_store

    path = tmp_path / "links.json"
    with open_store(path) as store:
        # Stored as an older version or another program may have left it.
        store.save_news_item(NewsItem(id="n-link", title="A link", url=url))
    watched = Watched(path)
    app = watched.app
    calls: list[str] = []
    app.open_url = lambda link, **_: calls.append(link)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_news()
        await settle(pilot, 1)
        await pilot.press("o")
        await settle(pilot, 1)
        watched.look()
    assert calls == ([url] if opened else [])
    if not opened:
        assert f"Not opened: {url} is not a web address." in watched.notes


async def test_search_stats_and_cards_show_hostile_text_without_controls(hostile_book) -> None:
    path, _ = hostile_book
    watched = Watched(path)
    app = watched.app
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        # The names of everyone with the interest reach the hits' heads; every hostile
        # value is an entry text, so a word of each reaches a snippet.
        # (Queries a person could type: the search box shows what was typed.)
        words = sorted({marker(v) for _, v in HOSTILE if marker(v).isalnum()})
        for query in ("sailing", *words[:6]):
            app.open_search(query)
            await settle(pilot)
            watched.look()
            await pilot.press("escape")
            await settle(pilot)
        for open_screen in (app.open_stats, app.open_cards):
            open_screen()
            await settle(pilot)
            watched.look()
            await pilot.press("escape")
            await settle(pilot)
        watched.check()
