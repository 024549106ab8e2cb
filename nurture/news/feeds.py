"""Subscribing to RSS and Atom feeds and fetching them politely.

``fetch_all`` is usable from a TUI worker thread: it touches no store, reports
progress through a callback run in the calling thread, and returns what each
feed gave (updated ``Feed`` records and new ``NewsItem`` objects) for the
caller to save with :func:`save_fetch`.

Politeness: a User-Agent naming us, conditional requests (ETag and
Last-Modified) so an unchanged feed costs the server a 304, a minimum interval
between two fetches of the same feed, a timeout, a cap on the size read, and a
small pool of parallel fetches.

Safety (a feed is anyone's text): each fetch has one total deadline, headers
included, enforced by a watchdog that cuts the connection (a server that
drips its headers one byte at a time cannot hold us, and ``cancelled`` stops
every fetch at once when the app quits); a feed on a public address is
never let reach a loopback or private one (checked on the address actually
connected, so a redirect or a DNS answer cannot get round it), while a feed
on your own machine or network may redirect within it; ``file://`` feeds must
be regular files and get the same size cap as the web.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import ipaddress
import socket
import stat
import threading
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
from nurture.news.items import NewsMerge, entry_to_item, merge_news, web_link

if TYPE_CHECKING:
    import httpx

    from nurture.store import Store

USER_AGENT = f"Nurture/{__version__} (personal feed reader; +https://pypi.org/project/nurture/)"
TIMEOUT = 15.0  # seconds to connect, and between two reads
DEADLINE_FACTOR = 4  # a whole fetch, headers included, gets 4 × TIMEOUT
MIN_INTERVAL = pendulum.duration(minutes=30)
MAX_BYTES = 8 * 1024 * 1024  # no real feed is bigger; a bigger answer is a mistake
WORKERS = 4
MAX_REDIRECTS = 10
REDIRECTS = (301, 302, 303, 307, 308)

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
              timeout: float = TIMEOUT, workers: int = WORKERS,
              cancelled: Callable[[], bool] | None = None) -> FetchReport:
    """Fetch every feed (a few at a time); one feed failing never stops the others.

    When ``cancelled()`` turns true, every fetch still running ends within a
    fraction of a second (each then fails with "stopped"): the app passes
    "the app is no longer running", so quitting never waits on a slow server.
    """

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
        client = new_client(timeout)
    try:
        done = len(results)
        if progress is not None:
            for result in results.values():
                progress(done, len(feeds), result)
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(due)))) as pool:
            futures = [pool.submit(fetch_one, feed, client=client, now=now, timeout=timeout,
                                   cancelled=cancelled)
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


def new_client(timeout: float = TIMEOUT) -> httpx.Client:
    """The HTTP client for feeds: our User-Agent, and redirects checked before anything else."""
    import httpx

    def check_redirect(response: httpx.Response) -> None:
        # httpx reads a redirect's Location before we see the response; a
        # Location that is not a web address must fail here, in our words.
        if response.status_code in REDIRECTS:
            _redirect_target(response)

    # No kept-alive connections: every fetch (and every redirect) connects
    # afresh, so the watchdog and the address rule see each connection.
    return httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT},
                        limits=httpx.Limits(max_keepalive_connections=0),
                        event_hooks={"response": [check_redirect]})


def fetch_one(feed: Feed, *, client: httpx.Client, now: pendulum.DateTime,
              timeout: float = TIMEOUT, deadline: float | None = None,
              cancelled: Callable[[], bool] | None = None) -> FeedResult:
    """Fetch and parse one feed; every failure becomes a FAILED result with a message.

    ``deadline`` (seconds, default ``DEADLINE_FACTOR × timeout``) bounds the
    whole fetch, from connecting to the last byte.
    """
    updated = dataclasses.replace(feed, last_fetched=now)
    try:
        body, headers = _download(feed, client, timeout,
                                  DEADLINE_FACTOR * timeout if deadline is None else deadline,
                                  cancelled)
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


def is_public(address: str) -> bool:
    """True for an address on the internet; False for loopback, private, link-local…"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


class _Refused(Exception):
    """Raised from the trace hook: this connection breaks the address rule."""


class _Guard:
    """One fetch's deadline and address rule.

    httpx's timeouts are per read, so a server answering one byte at a time
    never trips them. A watchdog thread waits for the deadline (or ``cancelled``)
    and shuts down the fetch's sockets, which ends any read at once. The
    sockets and the peer addresses come from httpcore's documented ``trace``
    request extension (``connection.connect_tcp.complete`` returns the stream).
    """

    def __init__(self, seconds: float, cancelled: Callable[[], bool] | None) -> None:
        self.seconds = seconds
        self.cancelled = cancelled
        self.stop: str = ""  # why the watchdog cut the fetch: "deadline" or "cancelled"
        self.origin_public: bool | None = None
        self._streams: list[Any] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="feed-deadline", daemon=True)

    def __enter__(self) -> _Guard:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        end = time.monotonic() + self.seconds
        while not self._done.is_set():
            left = end - time.monotonic()
            if left <= 0:
                self._cut("deadline")
                return
            if self.cancelled is not None and self.cancelled():
                self._cut("cancelled")
                return
            # Wake often enough to see ``cancelled`` turn true: it is polled.
            self._done.wait(min(left, 0.1))

    def _cut(self, why: str) -> None:
        with self._lock:
            self.stop = why
            streams = list(self._streams)
        for stream in streams:
            _shutdown(stream)

    def trace(self, name: str, info: dict[str, Any]) -> None:
        if name not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        stream = info.get("return_value")
        if stream is None:
            return
        with self._lock:
            self._streams.append(stream)
            stopped = bool(self.stop)
        if stopped:
            _shutdown(stream)
            raise _Refused("")
        if name == "connection.connect_tcp.complete":
            peer = stream.get_extra_info("server_addr")
            address = str(peer[0]) if peer else ""
            public = is_public(address)
            if self.origin_public is None:
                self.origin_public = public
            elif self.origin_public and not public:
                _shutdown(stream)
                raise _Refused(f"it redirected from a public address to a local one "
                               f"({address}); not followed")


def _shutdown(stream: Any) -> None:
    sock = stream.get_extra_info("socket")
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _download(feed: Feed, client: httpx.Client, timeout: float, deadline: float,
              cancelled: Callable[[], bool] | None = None
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
    with _Guard(deadline, cancelled) as guard:
        try:
            url = feed.url
            for _hop in range(MAX_REDIRECTS + 1):
                with client.stream("GET", url, headers=headers, timeout=timeout,
                                   follow_redirects=False,
                                   extensions={"trace": guard.trace}) as response:
                    if response.status_code in REDIRECTS:
                        url = _redirect_target(response)
                        continue
                    return _read_response(response, guard)
            raise FeedError(f"more than {MAX_REDIRECTS} redirects")
        except (_Refused, httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            if guard.stop == "deadline":
                raise FeedError(f"no complete answer within {deadline:g} s") from None
            if guard.stop == "cancelled":
                raise FeedError("stopped") from None
            if isinstance(exc, _Refused):
                raise FeedError(str(exc)) from None
            if isinstance(exc, httpx.TimeoutException):
                raise FeedError(f"no answer within {timeout:g} s") from None
            raise FeedError(f"cannot fetch: {str(exc) or type(exc).__name__}") from None


def _redirect_target(response: httpx.Response) -> str:
    """Where a redirect leads, if it is a web address; following never leaves http(s)."""
    from urllib.parse import urljoin

    location = response.headers.get("Location", "")
    target = web_link(urljoin(str(response.url), location)) if location else ""
    if not target:
        raise FeedError(f"it redirected to {location!r}, which is not a web address; "
                        "not followed")
    return target


def _read_response(response: httpx.Response, guard: _Guard
                   ) -> tuple[bytes | None, dict[str, str]]:
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
        chunks.append(chunk)
    if guard.stop:  # cut just as the last byte came: still too late
        raise _Refused("")
    return b"".join(chunks), {
        "etag": response.headers.get("ETag", ""),
        "last-modified": response.headers.get("Last-Modified", ""),
        "content-type": response.headers.get("Content-Type", ""),
        "content-location": str(response.url)}


def _read_file(feed: Feed) -> tuple[bytes | None, dict[str, str]]:
    # A local file is "modified" when its modification time changes.
    path = Path(unquote(urlsplit(feed.url).path))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # /dev/zero, a FIFO, a folder: nothing a feed is, and some never end.
            raise FeedError(f"{path} is not a regular file")
        stamp = str(info.st_mtime_ns)
        if feed.last_modified == stamp:
            return None, {}
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise FeedError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(body) > MAX_BYTES:
        raise FeedError(f"the file is over {MAX_BYTES // 2**20} MB")
    return body, {"last-modified": stamp}


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
