"""Feeds as an attacker serves them: dripped headers, redirects inward, endless files, bad links.

The servers here are raw sockets on 127.0.0.1 in a thread of the test, bounded
in time, so the bytes on the wire are exactly what a hostile server would send.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pendulum
import pytest

from nurture.model import Feed
from nurture.news.feeds import FetchStatus, _Guard, _Refused, fetch_all, fetch_one, is_public
from nurture.news.items import web_link

from .conftest import FEEDS

NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")
RSS = (FEEDS / "yankees.rss").read_bytes()


@dataclass
class RawServer:
    """Answers every connection with ``answer(conn)``; records how many came."""

    answer: Callable[[socket.socket, threading.Event], None]
    port: int = 0
    accepted: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/feed"


@pytest.fixture
def raw_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., RawServer]]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    started: list[tuple[RawServer, socket.socket, threading.Thread]] = []

    def start(answer: Callable[[socket.socket, threading.Event], None]) -> RawServer:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.1)
        server = RawServer(answer, port=listener.getsockname()[1])

        def serve() -> None:
            while not server.stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                server.accepted.set()
                threading.Thread(target=_answer, args=(server, conn), daemon=True).start()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        started.append((server, listener, thread))
        return server

    yield start
    for server, listener, thread in started:
        server.stop.set()
        thread.join(5)
        listener.close()


def _answer(server: RawServer, conn: socket.socket) -> None:
    with conn:
        conn.settimeout(1)
        try:
            conn.recv(65536)  # the request; its content does not matter here
            server.answer(conn, server.stop)
        except OSError:
            pass  # the client cut the connection: what the deadline is for


def drip_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Status line and headers one byte at a time, for at most 60 s: they never end."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
    filler = b"X-Slow: " + b"a" * 10_000
    for byte in (head + filler):
        if stop.wait(0.02):
            return
        conn.sendall(bytes([byte]))


# ---------------------------------------------------------------- the deadline


def test_a_server_dripping_its_headers_is_cut_at_the_deadline(raw_server) -> None:
    server = raw_server(drip_headers)
    with_deadline = fetch_one(Feed(url=server.url), client=_client(), now=NOW,
                              timeout=5, deadline=1.0)
    assert with_deadline.status is FetchStatus.FAILED
    assert with_deadline.error == "no complete answer within 1 s"


def test_feeds_fetch_ends_on_a_dripping_server_with_one_sentence(raw_server, tmp_path,
                                                                 capsys) -> None:
    from nurture.cli import main

    server = raw_server(drip_headers)
    db = str(tmp_path / "book.json")
    assert main(["--db", db, "feeds", "add", server.url]) == 0
    capsys.readouterr()
    # --timeout 0.25: 0.25 s per read, 1 s for the whole fetch.
    code = main(["--db", db, "feeds", "fetch", "--timeout", "0.25"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == f"nurture: {server.url}: no complete answer within 1 s\n"
    assert "1 failed" in out


def test_cancel_stops_a_fetch_in_progress(raw_server) -> None:
    server = raw_server(drip_headers)
    cancel = threading.Event()
    report: list = []
    worker = threading.Thread(target=lambda: report.append(
        fetch_all([Feed(url=server.url)], now=NOW, timeout=30, cancelled=cancel.is_set)))
    worker.start()
    assert server.accepted.wait(10)
    cancel.set()
    worker.join(10)
    assert not worker.is_alive()
    assert report[0].results[0].error == "stopped"


# ---------------------------------------------------------------- addresses


def test_is_public() -> None:
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1::")
    for local in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.0.1", "169.254.169.254",
                  "::1", "fe80::1%eth0", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0", "nonsense"):
        assert not is_public(local), local


class FakeStream:
    def __init__(self, address: str) -> None:
        self.address = address
        self.shut = False

    def get_extra_info(self, info: str) -> object:
        if info == "server_addr":
            return (self.address, 80)
        return None


@pytest.mark.parametrize(("first", "then", "refused"), [
    ("93.184.216.34", "127.0.0.1", True),       # public feed, redirect to loopback
    ("93.184.216.34", "192.168.1.1", True),     # … or to the home router
    ("93.184.216.34", "169.254.169.254", True), # … or to a cloud metadata service
    ("93.184.216.34", "151.101.1.1", False),    # public to public: a CDN
    ("127.0.0.1", "127.0.0.1", False),          # a feed on this machine, another port
    ("192.168.1.5", "93.184.216.34", False),    # a home server pointing outwards
])
def test_the_address_rule(first: str, then: str, refused: bool) -> None:
    guard = _Guard(60, None)
    guard.trace("connection.connect_tcp.complete", {"return_value": FakeStream(first)})
    hop = FakeStream(then)
    if refused:
        with pytest.raises(_Refused, match=f"redirected from a public address to a local "
                                           f"one \\({then}\\)"):
            guard.trace("connection.connect_tcp.complete", {"return_value": hop})
    else:
        guard.trace("connection.connect_tcp.complete", {"return_value": hop})


def test_a_local_feed_may_redirect_to_another_local_port(raw_server) -> None:
    target = raw_server(lambda conn, _: conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: "
        + str(len(RSS)).encode() + b"\r\n\r\n" + RSS))
    hop = raw_server(lambda conn, _: conn.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: {target.url}\r\nContent-Length: 0\r\n\r\n".encode()))
    result = fetch_one(Feed(url=hop.url), client=_client(), now=NOW)
    assert result.status is FetchStatus.FETCHED and result.items


@pytest.mark.parametrize("location", ["file:///etc/passwd", "javascript:alert(1)"])
def test_a_redirect_leaves_the_web_only_to_fail(raw_server, location: str) -> None:
    hop = raw_server(lambda conn, _: conn.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()))
    result = fetch_one(Feed(url=hop.url), client=_client(), now=NOW)
    assert result.status is FetchStatus.FAILED
    assert result.error == (f"it redirected to {location!r}, which is not a web address; "
                            "not followed")


# ---------------------------------------------------------------- file:// feeds


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_an_endless_file_is_refused_not_read(path: str) -> None:
    result = fetch_one(Feed(url=f"file://{path}"), client=_client(), now=NOW)
    assert result.status is FetchStatus.FAILED
    assert result.error == f"{path} is not a regular file"


def test_a_file_feed_gets_the_same_size_cap(tmp_path: Path, monkeypatch) -> None:
    from nurture.news import feeds

    monkeypatch.setattr(feeds, "MAX_BYTES", 1024)
    big = tmp_path / "big.xml"
    big.write_bytes(RSS + b" " * 2048)
    result = fetch_one(Feed(url=big.as_uri()), client=_client(), now=NOW)
    assert result.status is FetchStatus.FAILED and result.error == "the file is over 0 MB"


# ---------------------------------------------------------------- links


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/a", True), ("http://example.org/a?b=c#d", True),
    ("HTTPS://EXAMPLE.ORG/", True),
    ("javascript:alert(1)", False), ("file:///etc/passwd", False),
    ("data:text/html,<script>", False), ("https://", False), ("//example.org/a", False),
    ("https://example.org/\x1b]8;;x", False), ("https://exa mple.org/", False),
    ("vbscript:msgbox", False), ("", False),
])
def test_web_link(url: str, kept: bool) -> None:
    assert web_link(url) == (url.strip() if kept else "")


def test_a_feed_entry_with_a_javascript_link_keeps_its_title_not_its_link(tmp_path) -> None:
    body = RSS.replace(b"<link>https://example.org/yankees/ace",
                       b"<link>javascript:alert(1)//example.org/yankees/ace")
    assert body != RSS
    feed_file = tmp_path / "f.rss"
    feed_file.write_bytes(body)
    result = fetch_one(Feed(url=feed_file.as_uri()), client=_client(), now=NOW)
    assert result.status is FetchStatus.FETCHED
    ace = next(item for item in result.items if "ace" in item.title.lower())
    assert ace.url == ""
    assert all(item.url.startswith("https://") for item in result.items if item is not ace)


def _client():  # type: ignore[no-untyped-def]
    from nurture.news.feeds import new_client

    return new_client()
