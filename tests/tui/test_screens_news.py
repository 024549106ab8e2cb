"""The News view: who each item concerns, a clipping in one key, feeds fetched in a worker."""

from __future__ import annotations

from textual.widgets import OptionList, Static
from tui_support import DAN, demo_book, ready, real_app, settle

from nurture.model import Feed
from nurture.tui.screens.news import AddNewsItem, NewsScreen

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbor Freight press room</title>
<link>https://harbor.example/</link><description>News</description>
<item><title>Harbor Freight Lines opens a Lisbon terminal</title>
<link>https://harbor.example/lisbon</link><guid>harbor-1</guid>
<pubDate>Sat, 21 Nov 2026 08:00:00 +0000</pubDate></item>
</channel></rss>
"""


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, contact_id, suggestion=None, template=None, news_item=None) -> None:
        self.calls.append((contact_id, news_item.id if news_item else ""))


def names(app, contact_ids) -> set[str]:
    return {app.data.by_id[c].display_name for c in contact_ids}


def status(app) -> str:
    return str(app.screen.query_one("#news-status", Static).render())


async def open_news(pilot) -> NewsScreen:
    await ready(pilot)
    pilot.app.open_news()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewsScreen)
    return screen


async def test_items_show_who_they_concern_and_compose_a_clipping(tmp_path):
    app = real_app(demo_book(tmp_path))
    recorder = Recorder()
    app.open_compose = recorder
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_news(pilot)
        assert [i.id for i in screen.items] == ["n-demo1", "n-demo2"]
        assert status(app) == "2 items, 2 concerning your people"
        people = screen.query_one("#news-matches", OptionList)
        yankees_fans = [o.id for o in people.options]
        assert names(app, yankees_fans) == {"Dan Okafor", "David Cohen"}
        await pilot.press("c")
        await pilot.press("2")
        assert recorder.calls == [(yankees_fans[0], "n-demo1"), (yankees_fans[1], "n-demo1")]
        # Enter on an item, then Enter on a person: two keys.
        await pilot.press("j", "enter")
        await pilot.press("down", "enter")
        acme = [o.id for o in people.options]
        assert names(app, acme) == {"Priya Raman", "Ethan Park"}  # both at Acme
        assert recorder.calls[-1] == (acme[1], "n-demo2")


async def test_add_an_item_by_hand(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_news(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddNewsItem)
        await pilot.press("enter", "enter", "enter", "enter", "enter")  # no title yet
        await settle(pilot)
        assert isinstance(app.screen, AddNewsItem)
        assert "needs a title" in str(app.screen.query_one("#news-form-error").render())
        app.screen.query_one("#news-title").value = "Sailing club wins the regatta"
        app.screen.query_one("#news-url").value = "ftp://nope"
        await pilot.press("ctrl+s")
        assert "not an http(s)" in str(app.screen.query_one("#news-form-error").render())
        app.screen.query_one("#news-url").value = "https://sail.example/regatta"
        app.screen.query_one("#news-tags").value = "sailing, regattas"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        saved = [i for i in app.store.news_items() if i.title.startswith("Sailing club")]
        assert len(saved) == 1 and saved[0].tags == ["sailing", "regattas"]
        assert saved[0].source == "manual"
        await settle(pilot)
        assert screen.current is not None and screen.current.id == saved[0].id
        sailors = [m.contact_id for m in screen.matches[saved[0].id]]
        assert names(app, sailors) == {"Maya Lindqvist", "Henrik Larsen"}


async def test_fetch_feeds_in_a_worker_with_a_report(tmp_path):
    feed_file = tmp_path / "harbor.xml"
    feed_file.write_text(RSS, encoding="utf-8")
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_news(pilot)
        app.run_write(lambda store: [store.save_feed(Feed(url=feed_file.as_uri(),
                                                          company="Harbor Freight Lines")),
                                     store.save_feed(Feed(url=(tmp_path / "gone.xml")
                                                          .as_uri()))])
        await settle(pilot)
        await pilot.press("f")
        for _ in range(100):
            await settle(pilot, rounds=1)
            if not screen.fetching:
                break
        assert not screen.fetching
        text = status(app)
        assert "Last fetch: 2 feeds: 1 fetched, 1 failed; 1 new item, 0 updated" in text
        assert "gone.xml" in text  # the dead feed is named
        item = next(i for i in app.store.news_items() if "Lisbon terminal" in i.title)
        assert [m.contact_id for m in screen.matches[item.id]] == [DAN]  # Dan works there
        assert not screen.query_one("#news-progress").display


async def test_no_feeds_says_how_to_subscribe(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_news(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert not screen.fetching
        assert "nurture feeds add" in status(app)
