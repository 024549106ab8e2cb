"""Feed entries into news items; merging, de-duplication and expiry."""

from __future__ import annotations

import pendulum

from nurture.model import Feed, NewsItem
from nurture.news.items import entry_to_item, item_id, merge_news, plain_text

NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")
FEED = Feed(url="https://example.org/feed", tags=["yankees", "Baseball"], company="Yankees LLC")


def test_plain_text_drops_tags_scripts_and_decodes_entities() -> None:
    html = "<p>The <b>Yankees</b> &amp; the Mets</p><script>x()</script><p>Next</p>"
    assert plain_text(html) == "The Yankees & the Mets Next"
    assert plain_text("Fish &amp; chips") == "Fish & chips"


def test_plain_text_shortens_on_a_word() -> None:
    text = plain_text("word " * 50, limit=32)
    assert text.endswith("…") and len(text) <= 33 and "wor…" not in text


def test_entry_becomes_item_with_feed_tags_and_categories() -> None:
    entry = {"title": "Yankees sign a new ace", "link": "https://example.org/ace",
             "id": "guid-1", "summary": "<p>A <i>left</i>-hander.</p>",
             "published_parsed": (2026, 11, 20, 19, 30, 0, 4, 324, 0),
             "tags": [{"term": "Signings"}, {"term": "baseball"}, {"term": ""}]}
    item = entry_to_item(entry, FEED, NOW)
    assert item is not None
    assert item.id == item_id(FEED.url, "guid-1")
    assert (item.title, item.url, item.summary) == (
        "Yankees sign a new ace", "https://example.org/ace", "A left-hander.")
    assert item.published == pendulum.datetime(2026, 11, 20, 19, 30, tz="UTC")
    assert item.added == NOW
    assert item.tags == ["yankees", "baseball", "signings"]
    assert (item.company, item.source) == ("Yankees LLC", FEED.url)


def test_entry_without_title_or_id_falls_back() -> None:
    item = entry_to_item({"summary": "Only a summary here.", "link": "https://x.org/a"}, FEED, NOW)
    assert item is not None
    assert item.title == "Only a summary here."
    assert item.id == item_id(FEED.url, "https://x.org/a")
    assert item.published is None


def test_empty_entry_is_skipped() -> None:
    assert entry_to_item({"title": "  ", "summary": ""}, FEED, NOW) is None


def test_ids_are_stable_and_distinct_per_feed() -> None:
    assert item_id("a", "1") == item_id("a", "1")
    assert item_id("a", "1") != item_id("b", "1")
    assert item_id("a", "1") != item_id("a", "2")


def news(nid: str, url: str = "", *, days_ago: float = 1, source: str = FEED.url,
         title: str = "T") -> NewsItem:
    return NewsItem(id=nid, title=title, url=url, published=NOW.subtract(days=days_ago),
                    added=NOW.subtract(days=days_ago), source=source)


def test_merge_adds_new_and_skips_duplicates_by_link() -> None:
    kept = [news("n-1", "https://x.org/a")]
    fetched = [news("n-2", "https://x.org/a/"), news("n-3", "https://x.org/b#top"),
               news("n-4", "https://X.org/b")]
    merge = merge_news(kept, fetched, now=NOW, keep_days=60)
    assert [i.id for i in merge.new] == ["n-3"]
    assert merge.duplicates == 2 and merge.updated == [] and merge.expired == []


def test_merge_updates_a_changed_entry_and_keeps_first_seen() -> None:
    first_seen = NOW.subtract(days=3)
    kept = [NewsItem(id="n-1", title="Old title", url="https://x.org/a", added=first_seen,
                     source=FEED.url)]
    again = [NewsItem(id="n-1", title="Old title", url="https://x.org/a", added=NOW,
                      source=FEED.url)]
    assert merge_news(kept, again, now=NOW, keep_days=60).to_save == []
    changed = [NewsItem(id="n-1", title="New title", url="https://x.org/a", added=NOW,
                        source=FEED.url)]
    merge = merge_news(kept, changed, now=NOW, keep_days=60)
    assert [(i.title, i.added) for i in merge.updated] == [("New title", first_seen)]
    assert merge.new == []


def test_merge_expires_old_feed_items_but_not_manual_ones() -> None:
    kept = [news("n-old", days_ago=61), news("n-young", days_ago=59),
            news("n-mine", days_ago=400, source="manual")]
    fetched = [news("n-ancient", "https://x.org/z", days_ago=90), news("n-fresh", days_ago=0)]
    merge = merge_news(kept, fetched, now=NOW, keep_days=60)
    assert merge.expired == ["n-old"]
    assert [i.id for i in merge.new] == ["n-fresh"]
