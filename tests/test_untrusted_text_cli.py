"""Hostile strings through every CLI sink: no control character a terminal acts on gets out.

The book holds every string of ``hostile.HOSTILE`` in every field that is
printed (names, companies, notes, timeline, follow-ups, key dates, news, feeds);
each command runs through the real entry point and the bytes it writes are read
back. Export to a terminal and ``feeds fetch`` progress run under a real pty.
"""

from __future__ import annotations

import json
import os
import pty
import select
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import HOSTILE, STRINGS, fill_book, forbidden_in
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.cli import main
from nurture.safetext import SafeStream, is_safe, json_safe, visible

DAY = "2026-11-22"


@pytest.fixture
def book(tmp_path: Path, today, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict]:
    monkeypatch.setenv("NURTURE_TODAY", DAY)
    path = tmp_path / "hostile.json"
    return path, fill_book(path, today)


def run(capsysbinary, path: Path, *argv: str) -> tuple[int, bytes, bytes]:
    capsysbinary.readouterr()
    code = main(["--db", str(path), *argv])
    out, err = capsysbinary.readouterr()
    return code, out, err


def assert_clean(*outputs: bytes) -> None:
    for output in outputs:
        text = output.decode("utf-8")
        assert forbidden_in(text) == []


# ---------------------------------------------------------------- the sanitiser


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=[n for n, _ in HOSTILE])
def test_visible_leaves_nothing_to_act_on_and_keeps_the_words(name: str, value: str) -> None:
    shown = visible(value)
    assert forbidden_in(shown) == [] and "\n" not in shown
    assert is_safe(shown)
    # Everything but the controls is still there, in order.
    assert shown.replace("\\", "") .count("A") >= value.count("A")
    for word in ("Clear", "Bold", "Invoice", "Nul", "Bell", "Huge"):
        if word in value:
            assert word in shown


def test_visible_shows_each_control_as_its_escape() -> None:
    assert visible("a\x1b[2Jb\x07\x9b\u202e\x00\x7f") == "a\\x1b[2Jb\\x07\\x9b\\u202e\\x00\\x7f"
    assert visible("two\nlines\tand tab") == "two\\x0alines\\x09and tab"
    assert visible("two\nlines\tand tab", multiline=True) == "two\nlines\tand tab"
    assert visible("Zoë Ångström 日本 עברית [b]") == "Zoë Ångström 日本 עברית [b]"


@settings(max_examples=500, deadline=None)
@given(st.text(), st.booleans())
def test_the_printable_shortcut_answers_as_the_escape_table_does(text: str,
                                                                  multiline: bool) -> None:
    # visible() skips the table when isprintable() says there is nothing to escape;
    # the table itself must agree, for any text (controls, formats, separators).
    from nurture.safetext import _MULTI_LINE, _ONE_LINE

    table = _MULTI_LINE if multiline else _ONE_LINE
    assert visible(text, multiline=multiline) == text.translate(table)
    assert visible("\u2028\u00ad\u200b" + text) == ("\u2028\u00ad\u200b" + text).translate(
        _ONE_LINE)  # separators and soft formats: not printable, but not escaped either


def test_json_safe_is_the_same_json() -> None:
    raw = json.dumps({"n": "C1\x9b31m \u202egnp.exe \u2066x\u2069"}, ensure_ascii=False)
    safe = json_safe(raw)
    assert forbidden_in(safe) == [] and json.loads(safe) == json.loads(raw)


def test_safe_stream_passes_layout_and_shows_the_rest() -> None:
    import io

    raw = io.StringIO()
    SafeStream(raw).write("line one\n\tline two \x1b]0;t\x07\n")
    assert raw.getvalue() == "line one\n\tline two \\x1b]0;t\\x07\n"


# ---------------------------------------------------------------- every command


COMMANDS = [
    ("list",), ("list", "--json"), ("today", "--days", "30"), ("today", "--json"),
    ("follow-ups",), ("follow-ups", "--json"), ("news", "list"), ("news", "list", "--json"),
    ("feeds", "list"), ("feeds", "list", "--json"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_no_command_prints_a_control_from_data(capsysbinary, book, argv) -> None:
    path, _ = book
    code, out, err = run(capsysbinary, path, *argv)
    assert code == 0, err
    assert_clean(out, err)
    if "--json" in argv:  # still the data: the JSON decodes to the very strings
        text = json.dumps(json.loads(out), ensure_ascii=False)
        for value in STRINGS:
            if argv[0] in ("list", "news", "feeds"):
                assert json.dumps(value, ensure_ascii=False)[1:-1] in text


def test_list_keeps_one_line_per_contact(capsysbinary, book) -> None:
    path, ids = book
    _, out, _ = run(capsysbinary, path, "list")
    assert len(out.decode().splitlines()) == len(ids["contacts"])
    assert b"[@click=app.quit]Read more[/]" in out and b"Aaron [/] Smith" in out
    assert b"Clear\\x1b[2J\\x1b[Hscreen" in out
    assert b"Invoice \\u202egnp.exe" in out


def test_show_every_contact(capsysbinary, book) -> None:
    path, ids = book
    for contact_id in ids["contacts"]:
        code, out, err = run(capsysbinary, path, "show", contact_id)
        assert code == 0, err
        assert_clean(out, err)


def test_news_remove_and_complete_echo_safely(capsysbinary, book) -> None:
    path, ids = book
    for item_id in ids["news"]:
        code, out, err = run(capsysbinary, path, "news", "remove", item_id)
        assert code == 0 and out.startswith(b"Removed ")
        assert_clean(out, err)
    _, listing, _ = run(capsysbinary, path, "follow-ups", "--json")
    for follow_up in json.loads(listing):
        code, out, err = run(capsysbinary, path, "complete", follow_up["id"])
        assert code == 0 and out.startswith(b"Done: ")
        assert_clean(out, err)


def test_an_error_quoting_data_is_safe(capsysbinary, book) -> None:
    path, _ = book
    code, out, err = run(capsysbinary, path, "show", "C1")  # two contacts start so
    assert code == 1 and b"C1\\x9b31m" in err and b"C1\\x9d0;title" in err
    assert_clean(out, err)


# ---------------------------------------------------------------- a real terminal


def in_pty(*argv: str, env: dict[str, str]) -> bytes:
    """Run ``nurture ARGV`` with stdout and stderr on a pty; everything it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nurture.cli", *argv], stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("no output for 60 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(30) in (0, 1)
    return b"".join(chunks)


def test_export_markdown_to_a_terminal_is_sanitised(book) -> None:
    path, ids = book
    env = {**os.environ, "NURTURE_TODAY": DAY}
    seen = ""
    for contact_id in ids["contacts"]:
        shown = in_pty("--db", str(path), "export", "markdown", contact_id, env=env).decode()
        # The pty turns \n into \r\n: that \r is the terminal's, not ours.
        assert forbidden_in(shown.replace("\r\n", "\n")) == []
        seen += shown
    # Markdown escapes the brackets; the controls are shown, not sent.
    assert "Aaron \\[/\\] Smith" in seen and "\\x1b\\]52;c;" in seen and "\\u202egnp" in seen


@pytest.fixture
def hostile_feed_server() -> Iterator[str]:
    """127.0.0.1: /title serves a feed whose channel and item titles are hostile;
    /reason answers 500 with a hostile reason phrase."""
    esc_title = "Chan &#x1b;]0;pwned&#x7; [/x] [@click=app.quit]q[/] \u202egnp.exe"
    rss = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
           f"<title>{esc_title}</title><link>https://e.example/</link>"
           f"<item><title>Item \x1b]8;;https://evil.example\x1b\\x [/r/python]</title>"
           f"<link>https://e.example/1</link><guid>1</guid></item></channel></rss>").encode()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                request = conn.recv(65536)
                if b"/reason" in request.split(b"\r\n", 1)[0]:
                    conn.sendall(b"HTTP/1.1 500 \x1b]0;pwned\x07 [/x] \x9b2J bad\r\n"
                                 b"Content-Length: 0\r\n\r\n")
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                                 b"Content-Length: " + str(len(rss)).encode() + b"\r\n\r\n"
                                 + rss)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    host, port = listener.getsockname()[:2]
    yield f"http://{host}:{port}"
    stop.set()
    thread.join(5)
    listener.close()


def test_feeds_fetch_channel_titles_and_reasons(tmp_path, hostile_feed_server,
                                                monkeypatch) -> None:
    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    db = str(tmp_path / "feeds.json")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for path in ("/title", "/reason"):
        assert main(["--db", db, "feeds", "add", hostile_feed_server + path]) == 0
    first = in_pty("--db", db, "feeds", "fetch", env=env).decode()
    # Again, forced: the progress line now shows the hostile channel title.
    second = in_pty("--db", db, "feeds", "fetch", "--force", env=env).decode()
    listing = in_pty("--db", db, "feeds", "list", env=env).decode()
    news = in_pty("--db", db, "news", "list", env=env).decode()
    for shown in (first, second, listing, news):
        # Our own progress line uses \r and ESC[K; everything else is data.
        ours = shown.replace("\r\x1b[K", "").replace("\r\n", "\n")
        assert forbidden_in(ours) == [], shown
    assert "the server answered 500 \\x1b]0;pwned\\x07 [/x]" in first
    assert "Chan \\x1b]0;pwned\\x07 [/x] [@click=app.quit]q[/] \\u202egnp.exe" in listing
    assert "Item \\x1b]8;;https://evil.example\\x1b\\x [/r/python]" in news
