"""News items and feeds: add and remove, once for the command line and the app.

(Fetching is `news.feeds.fetch_all` then `save_fetch`: network first, one write after.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nurture.errors import NotFound
from nurture.model import Feed, NewsItem

if TYPE_CHECKING:
    from nurture.store import Store


@dataclass(frozen=True, slots=True)
class NewsChanged:
    item: NewsItem
    added: bool  # False: removed


@dataclass(frozen=True, slots=True)
class FeedChanged:
    feed: Feed
    known: bool  # the URL was already subscribed (its tags or company updated)
    items_removed: int = 0  # with `remove_feed`: the feed's items that went with it


def add_news_item(store: Store, item: NewsItem) -> NewsChanged:
    """Record ``item`` (a clipping typed by hand or a link)."""
    store.save_news_item(item)
    return NewsChanged(item, added=True)


def remove_news_item(store: Store, item_id: str) -> NewsChanged:
    """Forget one news item (its review rows go with it, as nothing suggests it)."""
    item = next((i for i in store.news_items() if i.id == item_id), None)
    if item is None:
        raise NotFound(f"no news item with id {item_id} (see `nurture news list`)")
    store.delete_news_item(item.id)
    return NewsChanged(item, added=False)


def add_feed(store: Store, url: str, tags: list[str], company: str) -> FeedChanged:
    """Subscribe to ``url`` (or update its tags and company when already subscribed)."""
    from nurture.news.feeds import subscribe

    existing = store.feeds()
    feed = subscribe(url, tags, company, existing)
    known = any(f.url == feed.url for f in existing)
    store.save_feed(feed)
    return FeedChanged(feed, known=known)


def remove_feed(store: Store, url: str) -> FeedChanged:
    """Unsubscribe from ``url`` and forget the items it brought, in one write."""
    url = url.strip()
    feed = next((f for f in store.feeds() if f.url == url), None)
    if feed is None:
        raise NotFound(f"no feed {url} (see `nurture feeds list`)")
    items = [i.id for i in store.news_items() if i.source == url]
    with store.batch():
        store.delete_feed(url)
        for item_id in items:
            store.delete_news_item(item_id)
    return FeedChanged(feed, known=True, items_removed=len(items))
