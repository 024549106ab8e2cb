"""`nurture news …` and `nurture feeds …` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nurture.cli import main

from .conftest import FEEDS, FeedServer


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = str(tmp_path / "nurture.json")
    config = tmp_path / "config.toml"
    config.write_text('[news]\nkeep_days = 3650\n[news.synonyms]\n'
                      'yankees = ["new york yankees", "bronx bombers"]\n')

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main(["--db", db, "--config", str(config), *argv])
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    assert run("add", "Dan Ruiz", "--tag", "yankees", "--tag", "sailing")[0] == 0
    assert run("add", "Ann Lee", "--company", "Acme Corporation")[0] == 0
    return run


def test_news_add_says_who_it_concerns(run) -> None:
    code, out, _ = run("news", "add", "Yankees sign a new ace", "--tag", "yankees",
                       "--tag", "baseball", "--url", "https://example.org/ace")
    assert code == 0
    assert out.startswith("Added n-") and "Yankees sign a new ace" in out
    assert "concerns Dan Ruiz (#yankees)" in out

    code, out, _ = run("news", "add", "ACME Inc. opens a lab")
    assert "concerns Ann Lee (works at Acme Corporation)" in out

    code, out, _ = run("news", "add", "Bronx Bombers win", "--company", "Initech")
    assert "concerns Dan Ruiz (#yankees)" in out

    code, out, _ = run("news", "add", "Acmegrid party")
    assert "concerns nobody yet" in out


def test_news_add_rejects_bad_input(run) -> None:
    code, _, err = run("news", "add", "   ")
    assert code == 1 and err == "nurture: title: a news item needs a title\n"
    code, _, err = run("news", "add", "x", "--url", "example.org")
    assert code == 1 and "url: 'example.org' is not an http(s) or file URL" in err
    code, _, err = run("news", "add", "x", "--url", "http://[::1/x")
    assert code == 1 and "url: 'http://[::1/x' is not a valid URL" in err


@pytest.mark.parametrize("seconds", ["0", "-1", "nan", "soon"])
def test_feeds_fetch_refuses_a_timeout_that_is_not_positive(run, seconds: str) -> None:
    code, _, err = run("feeds", "fetch", "--timeout", seconds)
    assert code == 2 and "--timeout" in err


def test_news_list_json_and_text(run) -> None:
    run("news", "add", "Yankees sign a new ace", "--tag", "Yankees", "--url", "https://e.org/a")
    run("news", "add", "Weather", "--tag", "rain")
    code, out, _ = run("news", "list", "--json")
    assert code == 0
    items = json.loads(out)
    assert [i["title"] for i in items] == ["Weather", "Yankees sign a new ace"]
    ace = items[1]
    assert ace["tags"] == ["yankees"] and ace["source"] == "manual"
    assert ace["matches"] == [{"contact_id": ace["matches"][0]["contact_id"],
                               "contact": "Dan Ruiz", "score": 1.0,
                               "interests": ["yankees"], "company": False}]
    assert items[0]["matches"] == []

    code, out, _ = run("news", "list")
    lines = out.splitlines()
    assert lines[0].endswith("Weather  #rain")
    assert "Yankees sign a new ace  #yankees" in lines[1]
    assert lines[2] == "    https://e.org/a"
    assert lines[3] == "    → Dan Ruiz (#yankees)"


def test_news_list_days(run, monkeypatch: pytest.MonkeyPatch) -> None:
    run("news", "add", "Today's news")
    monkeypatch.setenv("NURTURE_TODAY", "2999-01-10")
    assert json.loads(run("news", "list", "--days", "3", "--json")[1]) == []
    monkeypatch.delenv("NURTURE_TODAY")
    assert len(json.loads(run("news", "list", "--days", "0", "--json")[1])) == 1
    code, _, err = run("news", "list", "--days", "soon")
    # Numbers typed as options are one sentence naming the option (cli.args), exit 1.
    assert code == 1 and err == "nurture: days: 'soon' is not a whole number\n"


def test_news_remove(run) -> None:
    item_id = run("news", "add", "Something")[1].split()[1].rstrip(":")
    code, out, _ = run("news", "remove", item_id)
    assert code == 0 and out == f"Removed {item_id}: Something\n"
    assert json.loads(run("news", "list", "--json")[1]) == []
    code, _, err = run("news", "remove", item_id)
    assert code == 1 and f"no news item with id {item_id}" in err


def test_feeds_add_list_remove(run) -> None:
    url = (FEEDS / "yankees.rss").as_uri()
    code, out, _ = run("feeds", "add", url, "--tag", "Yankees")
    assert code == 0 and out.startswith(f"Subscribed to {url} #yankees")
    code, out, _ = run("feeds", "add", url, "--tag", "baseball", "--company", "Yankees LLC")
    assert out.startswith(f"Updated {url} #baseball (company: Yankees LLC)")
    feeds = json.loads(run("feeds", "list", "--json")[1])
    assert [(f["url"], f["tags"], f["company"]) for f in feeds] == [
        (url, ["baseball"], "Yankees LLC")]
    assert "last fetched: never" in run("feeds", "list")[1]

    assert run("feeds", "fetch")[0] == 0
    code, out, _ = run("feeds", "remove", url)
    assert code == 0 and out == f"Removed {url} and its 3 items.\n"
    assert json.loads(run("news", "list", "--json")[1]) == []
    code, _, err = run("feeds", "remove", url)
    assert code == 1 and f"no feed {url}" in err
    code, _, err = run("feeds", "add", "not a url")
    assert code == 1 and "is not an http(s) or file URL" in err


def test_feeds_fetch_reports_failures_by_name_and_lands_the_rest(
        run, feed_server: FeedServer) -> None:
    good = feed_server.serve("/yankees", "yankees.rss", etag='"v1"')
    run("feeds", "add", good, "--tag", "baseball")
    run("feeds", "add", feed_server.url("/gone"))
    run("feeds", "add", (FEEDS / "acme.atom").as_uri())
    code, out, err = run("feeds", "fetch", "--timeout", "2")
    assert code == 0
    assert out == "3 feeds: 2 fetched, 1 failed; 5 new items, 0 updated, 0 expired.\n"
    assert err == f"nurture: {feed_server.url('/gone')}: the server answered 404 Not Found\n"
    items = json.loads(run("news", "list", "--json")[1])
    ace = next(i for i in items if i["title"] == "Yankees sign a new ace")
    assert ace["tags"] == ["baseball", "signings"]
    assert [m["contact"] for m in ace["matches"]] == ["Dan Ruiz"]  # via "Yankees" in text
    lab = next(i for i in items if i["title"] == "Acme opens a lab in Lyon")
    assert [m["contact"] for m in lab["matches"]] == ["Ann Lee"]

    # Too soon to ask again, unless forced; then the server answers 304.
    code, out, _ = run("feeds", "fetch")
    assert out.startswith("3 feeds: 3 skipped (fetched less than 30 minutes ago); 0 new")
    code, out, _ = run("feeds", "fetch", "--force", "--timeout", "2")
    assert out.startswith("3 feeds: 2 unchanged, 1 failed; 0 new items")
    last_yankees = [h for path, h in feed_server.requests if path == "/yankees"][-1]
    assert last_yankees["if-none-match"] == '"v1"'
    feeds = {f["url"]: f for f in json.loads(run("feeds", "list", "--json")[1])}
    assert feeds[feed_server.url("/gone")]["last_error"].endswith("404 Not Found")
    assert feeds[good]["title"] == "Yankees News"


def test_feeds_fetch_all_failing_is_an_error(run, feed_server: FeedServer) -> None:
    run("feeds", "add", feed_server.url("/gone"))
    code, out, err = run("feeds", "fetch", "--timeout", "2")
    assert code == 1 and out.startswith("1 feed: 1 failed; 0 new items") and "404" in err


def test_feeds_fetch_without_feeds(run) -> None:
    code, out, _ = run("feeds", "fetch")
    assert code == 0 and "No feeds yet" in out


def test_feeds_fetch_shows_progress_in_a_terminal(run, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    run("feeds", "add", (FEEDS / "acme.atom").as_uri())
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run("feeds", "fetch")
    assert code == 0 and out.startswith("1 feed: 1 fetched; 2 new items")
    assert "[1/1] Acme Corp. Press Room" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")
