"""Subscribing to RSS and Atom feeds and fetching them politely.

``fetch_all`` is usable from a TUI worker thread: it touches no store, reports
progress through a callback run in the calling thread, and returns what each
feed gave (updated ``Feed`` records and new ``NewsItem`` objects) for the
caller to save with :func:`save_fetch`.

Politeness: a User-Agent naming us, conditional requests (ETag and
Last-Modified) so an unchanged feed costs the server a 304, a minimum interval
between two fetches of the same feed, a timeout, a cap on the size read, and a
small pool of parallel fetches.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pendulum

from nurture import __version__
from nurture.errors import ValidationError
from nurture.model import Feed, NewsItem, normalize_tag
from nurture.news.items import NewsMerge, entry_to_item, merge_news

if TYPE_CHECKING:
    import httpx

    from nurture.store import Store

USER_AGENT = f"Nurture/{__version__} (personal feed reader; +https://pypi.org/project/nurture/)"
TIMEOUT = 15.0  # seconds to connect, and between two reads
MIN_INTERVAL = pendulum.duration(minutes=30)
MAX_BYTES = 8 * 1024 * 1024  # no real feed is bigger; a bigger answer is a mistake
WORKERS = 4

Progress = Callable[[int, int, "FeedResult"], None]


class FetchStatus(StrEnum):
    FETCHED = "fetched"
    NOT_MODIFIED = "not-modified"
    TOO_SOON = "too-soon"
    FAILED = "failed"


@dataclass(slots=True)
class FeedResult:
    """What one feed gave: its updated record, its items, or why it failed."""

    feed: Feed
    status: FetchStatus
    items: list[NewsItem] = field(default_factory=list)
    error: str = ""

    @property
    def name(self) -> str:
        return self.feed.title or self.feed.url


@dataclass(slots=True)
class FetchReport:
    results: list[FeedResult] = field(default_factory=list)

    @property
    def items(self) -> list[NewsItem]:
        return [item for result in self.results for item in result.items]

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.status is FetchStatus.FAILED]

    def count(self, status: FetchStatus) -> int:
        return sum(1 for r in self.results if r.status is status)


class FeedError(Exception):
    """One feed could not be fetched or read; its message names the problem."""


# ---------------------------------------------------------------- subscribing


def check_url(url: str) -> str:
    """The feed URL, trimmed, or a ValidationError saying what is wrong with it."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        # Both raise ValueError for "http://[::1" or "http://host:99999".
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise ValidationError("url", f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme in ("http", "https"):
        if not host:
            raise ValidationError("url", f"{url!r} has no host name")
    elif parts.scheme == "file":
        if not parts.path:
            raise ValidationError("url", f"{url!r} has no path")
    else:
        raise ValidationError("url", f"{url!r} is not an http(s) or file URL")
    return url


def subscribe(url: str, tags: Iterable[str] = (), company: str = "",
              existing: Iterable[Feed] = ()) -> Feed:
    """A feed record for ``url``; an existing subscription keeps its fetch state."""
    url = check_url(url)
    tag_list = list(dict.fromkeys(t for t in (normalize_tag(t) for t in tags) if t))
    for feed in existing:
        if feed.url == url:
            return dataclasses.replace(feed, tags=tag_list, company=company.strip())
    return Feed(url=url, tags=tag_list, company=company.strip())


# ---------------------------------------------------------------- fetching


def fetch_all(feeds: Iterable[Feed], *, client: httpx.Client | None = None,
              now: pendulum.DateTime, progress: Progress | None = None,
              force: bool = False, min_interval: pendulum.Duration = MIN_INTERVAL,
              timeout: float = TIMEOUT, workers: int = WORKERS) -> FetchReport:
    """Fetch every feed (a few at a time); one feed failing never stops the others."""
    import httpx

    feeds = list(feeds)
    results: dict[str, FeedResult] = {}
    due: list[Feed] = []
    for feed in feeds:
        if not force and feed.last_fetched is not None and now - feed.last_fetched < min_interval:
            results[feed.url] = FeedResult(feed, FetchStatus.TOO_SOON)
        else:
            due.append(feed)
    own_client = client is None
    if client is None:
        client = httpx.Client(timeout=timeout, follow_redirects=True,
                              headers={"User-Agent": USER_AGENT})
    try:
        done = len(results)
        if progress is not None:
            for result in results.values():
                progress(done, len(feeds), result)
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(due)))) as pool:
            futures = [pool.submit(fetch_one, feed, client=client, now=now, timeout=timeout)
                       for feed in due]
            for future in as_completed(futures):
                result = future.result()
                results[result.feed.url] = result
                done += 1
                if progress is not None:
                    progress(done, len(feeds), result)
    finally:
        if own_client:
            client.close()
    return FetchReport([results[feed.url] for feed in feeds])


def fetch_one(feed: Feed, *, client: httpx.Client, now: pendulum.DateTime,
              timeout: float = TIMEOUT) -> FeedResult:
    """Fetch and parse one feed; every failure becomes a FAILED result with a message."""
    updated = dataclasses.replace(feed, last_fetched=now)
    try:
        body, headers = _download(feed, client, timeout)
        if body is None:
            updated.last_error = ""
            return FeedResult(updated, FetchStatus.NOT_MODIFIED)
        parsed = _parse(body, headers)
    except FeedError as exc:
        updated.last_error = str(exc)
        return FeedResult(updated, FetchStatus.FAILED, error=str(exc))
    updated.etag = headers.get("etag", "")
    updated.last_modified = headers.get("last-modified", "")
    updated.last_error = ""
    title = str(parsed.feed.get("title") or "").strip()
    if title:
        updated.title = title
    items = [item for entry in parsed.entries
             if (item := entry_to_item(entry, updated, now)) is not None]
    return FeedResult(updated, FetchStatus.FETCHED, items)


def _download(feed: Feed, client: httpx.Client, timeout: float
              ) -> tuple[bytes | None, dict[str, str]]:
    """(body or None when unchanged, the response headers that matter)."""
    import httpx

    if feed.url.startswith("file:"):
        return _read_file(feed)
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    # httpx's timeout is per read; the deadline bounds a server that trickles bytes.
    deadline = time.monotonic() + 4 * timeout
    try:
        with client.stream("GET", feed.url, headers=headers, timeout=timeout) as response:
            if response.status_code == 304:
                return None, {}
            if response.status_code >= 400:
                raise FeedError(f"the server answered {response.status_code} "
                                f"{response.reason_phrase}".rstrip())
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FeedError(f"the answer is over {MAX_BYTES // 2**20} MB")
                if time.monotonic() > deadline:
                    raise FeedError("the server is too slow")
                chunks.append(chunk)
            return b"".join(chunks), {
                "etag": response.headers.get("ETag", ""),
                "last-modified": response.headers.get("Last-Modified", ""),
                "content-type": response.headers.get("Content-Type", ""),
                "content-location": str(response.url)}
    except httpx.TimeoutException:
        raise FeedError(f"no answer within {timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise FeedError(f"cannot fetch: {str(exc) or type(exc).__name__}") from None


def _read_file(feed: Feed) -> tuple[bytes | None, dict[str, str]]:
    # A local file is "modified" when its modification time changes.
    path = Path(unquote(urlsplit(feed.url).path))
    try:
        stamp = str(path.stat().st_mtime_ns)
        if feed.last_modified == stamp:
            return None, {}
        return path.read_bytes(), {"last-modified": stamp}
    except OSError as exc:
        raise FeedError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse(body: bytes, headers: dict[str, str]) -> Any:
    import feedparser

    # A stream, never bytes: feedparser would take bytes that look like a
    # path for a local file name and read that file.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={
        k: v for k, v in headers.items() if k in ("content-type", "content-location") and v})
    # feedparser recovers what it can from sloppy feeds (bozo but with entries),
    # and a well-formed feed may be empty; a broken document with nothing in it
    # is an error.
    if parsed.entries or (parsed.get("version") and not parsed.get("bozo")):
        return parsed
    problem = parsed.get("bozo_exception")
    detail = f": {problem}" if problem else ""
    raise FeedError(f"not an RSS or Atom feed{detail}")


# ---------------------------------------------------------------- saving


def save_fetch(store: Store, report: FetchReport, *, now: pendulum.DateTime,
               keep_days: int) -> NewsMerge:
    """Save the feeds' new state and the new items, and expire old feed items, at once."""
    with store.batch():
        # A feed removed while it was being fetched stays removed, items and all.
        subscribed = {feed.url for feed in store.feeds()}
        fetched = [item for item in report.items if item.source in subscribed]
        merge = merge_news(store.news_items(), fetched, now=now, keep_days=keep_days)
        for result in report.results:
            if result.status is not FetchStatus.TOO_SOON and result.feed.url in subscribed:
                store.save_feed(result.feed)
        if merge.to_save:
            store.save_news_items(merge.to_save)
        for item_id in merge.expired:
            store.delete_news_item(item_id)
    return merge
