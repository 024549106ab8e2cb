"""Feed entries into news items, and merging a fetch into the items already kept.

Pure logic: parsed feedparser entries in, ``NewsItem`` objects out; no network,
no store.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pendulum

from nurture.model import Feed, NewsItem, normalize_tag

# Summaries are for a glance in a list and a line in a suggestion, not for reading.
SUMMARY_LIMIT = 600

_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2",
                         "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "figure"})
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})


class _TextOnly(HTMLParser):
    """Collects the readable text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(fragment: str, limit: int | None = None) -> str:
    """The text of an HTML fragment on one line: tags dropped, entities decoded."""
    if "<" in fragment:
        parser = _TextOnly()
        parser.feed(fragment)
        parser.close()
        fragment = "".join(parser.parts)
    else:
        fragment = html.unescape(fragment)
    text = re.sub(r"\s+", " ", fragment).strip()
    if limit is not None and len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[:cut if cut > limit // 2 else limit].rstrip(" ,;:.") + "…"
    return text


def item_id(feed_url: str, entry_key: str) -> str:
    """A stable id for an entry of a feed, so a re-fetched entry is the same item."""
    digest = hashlib.blake2b(f"{feed_url}\n{entry_key}".encode(), digest_size=5).hexdigest()
    return f"n-{digest}"


def _when(entry: Mapping[str, Any]) -> pendulum.DateTime | None:
    # feedparser gives every date it understood as a UTC struct_time.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                return pendulum.datetime(year, month, day, hour, minute, second, tz="UTC")
            except ValueError:
                continue
    return None


def _tags(*groups: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for group in groups:
        for tag in group:
            tag = normalize_tag(tag)
            if tag:
                seen.setdefault(tag, None)
    return list(seen)


def web_link(url: str) -> str:
    """``url`` when it is a plain http(s) link with a host, else "".

    The one rule for links from data: only these are followed, opened or put
    in a note (no ``javascript:``, ``file:``, ``data:``; no spaces or controls).
    """
    url = url.strip()
    if not _WEB_LINK.match(url):
        return ""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return ""
    return url if host else ""


# No whitespace, controls (C0, DEL, C1) or bidi controls anywhere in a link.
_WEB_LINK = re.compile(r"(?i)https?://[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+$")


def entry_to_item(entry: Mapping[str, Any], feed: Feed, now: pendulum.DateTime) -> NewsItem | None:
    """A news item for one parsed entry of ``feed``; None when it has nothing to show."""
    link = web_link(str(entry.get("link") or ""))
    summary_html = str(entry.get("summary") or "")
    if not summary_html and entry.get("content"):
        summary_html = str(entry["content"][0].get("value") or "")
    summary = plain_text(summary_html, SUMMARY_LIMIT)
    title = plain_text(str(entry.get("title") or ""))
    if not title:
        title = plain_text(summary, 80) if summary else link
    if not title:
        return None
    key = str(entry.get("id") or "") or link or title
    categories = [str(t.get("term") or t.get("label") or "") for t in entry.get("tags") or ()]
    return NewsItem(id=item_id(feed.url, key), title=title, url=link, summary=summary,
                    published=_when(entry), added=now, tags=_tags(feed.tags, categories),
                    company=feed.company, source=feed.url)


def item_time(item: NewsItem) -> pendulum.DateTime | None:
    """When an item happened: published, else when we first saw it."""
    return item.published or item.added


def _link_key(url: str) -> str:
    # The same article is often linked with and without a trailing slash or fragment.
    return url.split("#", 1)[0].rstrip("/").casefold()


@dataclass(slots=True)
class NewsMerge:
    """What a fetch changes in the kept news: items to save and ids to delete."""

    new: list[NewsItem] = field(default_factory=list)
    updated: list[NewsItem] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    duplicates: int = 0

    @property
    def to_save(self) -> list[NewsItem]:
        return [*self.new, *self.updated]


def merge_news(existing: Iterable[NewsItem], fetched: Iterable[NewsItem], *,
               now: pendulum.DateTime, keep_days: int) -> NewsMerge:
    """Fold fetched items into the kept ones.

    An entry already kept (same feed entry id) is updated in place and keeps
    the day it was first seen; an entry whose link is already kept under
    another id (the same article in two feeds, or added by hand) is a
    duplicate and dropped. Feed items older than ``keep_days`` are expired;
    items the user added by hand are left for the user to remove.
    """
    cutoff = now.subtract(days=keep_days)
    merge = NewsMerge()
    by_id: dict[str, NewsItem] = {}
    links: dict[str, str] = {}
    for item in existing:
        when = item_time(item)
        if item.source != "manual" and when is not None and when < cutoff:
            merge.expired.append(item.id)
            continue
        by_id[item.id] = item
        if item.url:
            links.setdefault(_link_key(item.url), item.id)
    for item in fetched:
        when = item_time(item)
        if when is not None and when < cutoff:
            continue
        link = _link_key(item.url) if item.url else ""
        old = by_id.get(item.id)
        if old is None:
            if link and link in links:
                merge.duplicates += 1
                continue
            merge.new.append(item)
        else:
            item.added = old.added or item.added
            if _same(old, item):
                continue
            merge.updated.append(item)
        by_id[item.id] = item
        if link:
            links.setdefault(link, item.id)
    return merge


def _same(a: NewsItem, b: NewsItem) -> bool:
    return (a.title, a.url, a.summary, a.published, a.tags, a.company) == (
        b.title, b.url, b.summary, b.published, b.tags, b.company)
