"""Fetching feeds from local files and from a server on 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path

import pendulum
import pytest

from nurture.errors import ValidationError
from nurture.model import Feed
from nurture.news.feeds import (
    USER_AGENT,
    FetchStatus,
    check_url,
    fetch_all,
    save_fetch,
    subscribe,
)
from nurture.store import open_store

from .conftest import FEEDS, FeedServer

NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")


def file_feed(name: str, **fields: object) -> Feed:
    return Feed(url=(FEEDS / name).as_uri(), **fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- subscribing


def test_check_url() -> None:
    assert check_url("  https://example.org/feed ") == "https://example.org/feed"
    assert check_url("file:///tmp/feed.xml") == "file:///tmp/feed.xml"
    for bad in ("example.org/feed", "ftp://example.org/f", "https:///nohost", "javascript:x",
                "http://[::1/feed", "http://example.org:99999/feed"):
        with pytest.raises(ValidationError, match="url"):
            check_url(bad)


def test_subscribe_normalises_tags_and_keeps_fetch_state() -> None:
    feed = subscribe("https://x.org/f", ["#Yankees", "baseball", "yankees", " "], " Acme ")
    assert (feed.tags, feed.company) == (["yankees", "baseball"], "Acme")
    fetched = Feed(url="https://x.org/f", etag='"v1"', last_fetched=NOW, title="X")
    again = subscribe("https://x.org/f", ["golf"], existing=[fetched])
    assert (again.tags, again.etag, again.last_fetched, again.title) == (
        ["golf"], '"v1"', NOW, "X")


# ---------------------------------------------------------------- local files


def test_rss_and_atom_from_files() -> None:
    feeds = [file_feed("yankees.rss", tags=["yankees"]),
             file_feed("acme.atom", company="Acme Corp")]
    report = fetch_all(feeds, now=NOW)
    assert [r.status for r in report.results] == [FetchStatus.FETCHED] * 2
    rss, atom = report.results
    assert rss.feed.title == "Yankees News" and atom.feed.title == "Acme Corp. Press Room"
    ace = rss.items[0]
    assert (ace.title, ace.url) == ("Yankees sign a new ace", "https://example.org/yankees/ace")
    assert ace.summary == "The Yankees signed a left-hander & a catcher."
    assert ace.published == pendulum.datetime(2026, 11, 20, 19, 30, tz="UTC")
    assert ace.tags == ["yankees", "signings"]
    lab, results = atom.items
    assert (lab.title, lab.tags, lab.company) == ("Acme opens a lab in Lyon", ["research"],
                                                  "Acme Corp")
    assert lab.summary == "A new lab for 40 engineers."
    assert results.summary == "Revenue up 12%."
    assert results.published == pendulum.datetime(2026, 11, 18, 7, 0, tz="UTC")


def test_unchanged_file_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes((FEEDS / "yankees.rss").read_bytes())
    feed = Feed(url=path.as_uri())
    first = fetch_all([feed], now=NOW).results[0]
    assert first.status is FetchStatus.FETCHED
    second = fetch_all([first.feed], now=NOW.add(hours=1)).results[0]
    assert second.status is FetchStatus.NOT_MODIFIED and second.items == []
    stamp = os.stat(path).st_mtime_ns + 10**9
    os.utime(path, ns=(stamp, stamp))
    third = fetch_all([second.feed], now=NOW.add(hours=2)).results[0]
    assert third.status is FetchStatus.FETCHED and len(third.items) == 3


def test_missing_and_broken_files_fail_by_name_others_land(tmp_path: Path) -> None:
    feeds = [Feed(url=(tmp_path / "gone.xml").as_uri()), file_feed("broken.xml"),
             file_feed("acme.atom")]
    report = fetch_all(feeds, now=NOW)
    gone, broken, good = report.results
    assert gone.status is FetchStatus.FAILED and "cannot read" in gone.error
    assert broken.status is FetchStatus.FAILED and "not an RSS or Atom feed" in broken.error
    assert broken.feed.last_error == broken.error
    assert good.status is FetchStatus.FETCHED and len(good.items) == 2
    assert [r.feed.url for r in report.failed] == [feeds[0].url, feeds[1].url]


def test_truncated_xml_without_entries_fails(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</ti')
    result = fetch_all([Feed(url=path.as_uri())], now=NOW).results[0]
    assert result.status is FetchStatus.FAILED and "not an RSS or Atom feed" in result.error


def test_feed_path_in_body_is_not_read_as_a_file(tmp_path: Path) -> None:
    # feedparser reads bytes that name an existing file as that file.
    secret = tmp_path / "secret.rss"
    secret.write_bytes((FEEDS / "yankees.rss").read_bytes())
    decoy = tmp_path / "decoy.xml"
    decoy.write_bytes(str(secret).encode())
    result = fetch_all([Feed(url=decoy.as_uri())], now=NOW).results[0]
    assert result.status is FetchStatus.FAILED


def test_recently_fetched_feed_is_skipped_unless_forced() -> None:
    feed = file_feed("acme.atom", last_fetched=NOW.subtract(minutes=5))
    assert fetch_all([feed], now=NOW).results[0].status is FetchStatus.TOO_SOON
    assert fetch_all([feed], now=NOW, force=True).results[0].status is FetchStatus.FETCHED
    later = fetch_all([feed], now=NOW.add(hours=1)).results[0]
    assert later.status is FetchStatus.FETCHED and later.feed.last_fetched == NOW.add(hours=1)


def test_progress_reports_every_feed_in_order_of_completion() -> None:
    seen: list[tuple[int, int, str]] = []
    feeds = [file_feed("acme.atom"), file_feed("yankees.rss", last_fetched=NOW),
             file_feed("broken.xml")]
    fetch_all(feeds, now=NOW, progress=lambda d, t, r: seen.append((d, t, r.feed.url)))
    assert [(d, t) for d, t, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert {u for _, _, u in seen} == {f.url for f in feeds}


# ---------------------------------------------------------------- over HTTP


def test_http_feeds_with_user_agent(feed_server: FeedServer) -> None:
    rss = feed_server.serve("/yankees", "yankees.rss")
    atom = feed_server.serve("/acme", "acme.atom", content_type="application/atom+xml")
    report = fetch_all([Feed(url=rss), Feed(url=atom)], now=NOW, timeout=2)
    assert [len(r.items) for r in report.results] == [3, 2]
    assert {h["user-agent"] for _, h in feed_server.requests} == {USER_AGENT}


def test_conditional_request_gets_304(feed_server: FeedServer) -> None:
    url = feed_server.serve("/yankees", "yankees.rss", etag='"v1"',
                            last_modified="Fri, 20 Nov 2026 20:00:00 GMT")
    first = fetch_all([Feed(url=url)], now=NOW, timeout=2).results[0]
    assert first.status is FetchStatus.FETCHED
    assert (first.feed.etag, first.feed.last_modified) == ('"v1"', "Fri, 20 Nov 2026 20:00:00 GMT")
    second = fetch_all([first.feed], now=NOW.add(hours=1), timeout=2).results[0]
    assert second.status is FetchStatus.NOT_MODIFIED and second.items == []
    assert second.feed.etag == '"v1"' and second.feed.last_fetched == NOW.add(hours=1)
    _, headers = feed_server.requests[-1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Fri, 20 Nov 2026 20:00:00 GMT"
    assert "if-none-match" not in feed_server.requests[0][1]


def test_404_and_timeout_fail_by_name_others_land(feed_server: FeedServer) -> None:
    good = feed_server.serve("/acme", "acme.atom")
    slow = feed_server.serve("/slow", "yankees.rss", delay=1.5)
    feeds = [Feed(url=feed_server.url("/missing")), Feed(url=slow), Feed(url=good)]
    report = fetch_all(feeds, now=NOW, timeout=0.5)
    missing, slow_result, good_result = report.results
    assert missing.status is FetchStatus.FAILED and "404" in missing.error
    assert slow_result.status is FetchStatus.FAILED
    assert "no answer within 0.5 s" in slow_result.error
    assert good_result.status is FetchStatus.FETCHED and len(good_result.items) == 2


def test_server_error_and_html_page(feed_server: FeedServer) -> None:
    oops = feed_server.serve("/oops", body=b"boom", status=500)
    page = feed_server.serve("/page", "broken.xml", content_type="text/html")
    report = fetch_all([Feed(url=oops), Feed(url=page)], now=NOW, timeout=2)
    assert [r.status for r in report.results] == [FetchStatus.FAILED] * 2
    assert "500" in report.results[0].error
    assert "not an RSS or Atom feed" in report.results[1].error


def test_refused_connection_fails(feed_server: FeedServer) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_all([Feed(url=f"http://127.0.0.1:{port}/f")], now=NOW, timeout=1).results[0]
    assert result.status is FetchStatus.FAILED and result.error.startswith("cannot fetch")


# ---------------------------------------------------------------- saving


def test_save_fetch_dedupes_expires_and_skips_removed_feeds(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.json")
    try:
        yankees = file_feed("yankees.rss", tags=["yankees"])
        acme = file_feed("acme.atom")
        store.save_feed(yankees)
        store.save_feed(acme)
        report = fetch_all([yankees, acme], now=NOW)
        store.delete_feed(acme.url)  # unsubscribed while fetching
        merge = save_fetch(store, report, now=NOW, keep_days=60)
        # The March story is older than 60 days; Acme's items are not wanted any more.
        assert sorted(i.title for i in merge.new) == ["Spring training dates announced",
                                                      "Yankees sign a new ace"]
        assert [f.url for f in store.feeds()] == [yankees.url]
        assert store.feeds()[0].last_fetched == NOW
        assert len(store.news_items()) == 2

        # Read again in full: the same entries are recognised, nothing is added.
        fresh = [Feed(url=f.url, tags=f.tags) for f in store.feeds()]
        again = fetch_all(fresh, now=NOW.add(days=1))
        assert len(again.items) == 3
        assert save_fetch(store, again, now=NOW.add(days=1), keep_days=60).to_save == []
        assert len(store.news_items()) == 2
        later = NOW.add(days=61)
        merge = save_fetch(store, fetch_all([], now=later), now=later, keep_days=60)
        assert len(merge.expired) == 2 and store.news_items() == []
    finally:
        store.close()


def test_invalid_url_fails_alone() -> None:
    feeds = [Feed(url="http://exa mple.org:99999/feed"), file_feed("acme.atom")]
    bad, good = fetch_all(feeds, now=NOW, timeout=1).results
    assert bad.status is FetchStatus.FAILED and bad.error.startswith("cannot fetch")
    assert good.status is FetchStatus.FETCHED


def test_client_error_without_text_is_named_by_its_type() -> None:
    # httpx errors can carry no text (an exception's str() is then ""): the message
    # names the error's type instead of ending in "cannot fetch: ".
    import httpx

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("", request=request)

    with httpx.Client(transport=httpx.MockTransport(refuse)) as client:
        result = fetch_all([Feed(url="http://feeds.invalid/f")], client=client, now=NOW).results[0]
    assert result.status is FetchStatus.FAILED
    assert result.error == "cannot fetch: ReadError"
