"""``nurture capture``: what it prints, what it logs, and its errors, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from nurture.cli import main
from nurture.store import open_store

from .mailboxes import MAILDIR_MESSAGES, ME, contacts, make_maildir, message
from .test_calendar import OTHERS, WEEKLY


@pytest.fixture(autouse=True)
def _lisbon(monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    pendulum.set_local_timezone(pendulum.timezone("Europe/Lisbon"))
    yield
    pendulum.set_local_timezone(None)


@pytest.fixture
def setup(tmp_path: Path, db_path: Path) -> Path:
    """A book with Ana, Ben and Chloé, a Maildir, a vdir, and a config naming them."""
    with open_store(db_path) as store:
        store.save_contacts(contacts())
    (tmp_path / "Mail").mkdir()
    make_maildir(tmp_path / "Mail" / "INBOX", MAILDIR_MESSAGES)
    vdir = tmp_path / "calendars" / "work"
    vdir.mkdir(parents=True)
    (vdir / "weekly.ics").write_text(WEEKLY)
    (vdir / "others.ics").write_text(OTHERS)
    config = tmp_path / "config.toml"
    config.write_text('[capture]\nmaildirs = ["Mail/INBOX"]\ncalendars = ["calendars/work"]\n'
                      f'me = ["{ME}"]\n')
    return config


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


DRY_RUN = """\
  2026-10-26 10:00  meeting  Ana Lima: 1:1 with Ana  (30 min)
  2026-11-02 10:00  meeting  Ana Lima: 1:1 with Ana  (30 min)
  2026-11-12 12:00  meeting  Ben Okafor: Team offsite
  2026-11-16 08:00  email    Ben Okafor: (no subject)
  2026-11-16 10:00  meeting  Ana Lima: 1:1 with Ana  (30 min)
  2026-11-17 18:00  email    Chloé Martin: Café demain ?
  2026-11-18 15:00  meeting  Chloé Martin: Review with Chloé  (45 min)
  2026-11-18 16:30  email    Ben Okafor, Chloé Martin: Project kickoff
  2026-11-19 09:00  email    Ana Lima: Lunch on Friday?  (3 messages)
  2026-11-20 08:00  email    Ana Lima: Re: Lunch on Friday?
Would log 5 emails and 5 meetings from 11 messages and 6 meetings read (left out: \
3 list or bulk, 2 with nobody you track).
"""


def test_dry_run_prints_what_would_be_logged_and_saves_nothing(capsys, setup, db_path):
    code, out, err = run(capsys, "--config", str(setup), "capture", "--dry-run")
    assert (code, err) == (0, "")
    assert out == DRY_RUN
    with open_store(db_path) as store:
        assert store.interactions() == [] and store.capture_marks() == {}


def test_capture_logs_once_and_show_says_where_entries_came_from(capsys, setup):
    code, out, _ = run(capsys, "--config", str(setup), "capture")
    assert code == 0
    assert out == ("Logged 5 emails and 5 meetings from 11 messages and 6 meetings read "
                   "(left out: 3 list or bulk, 2 with nobody you track).\n")
    code, out, _ = run(capsys, "--config", str(setup), "capture")
    assert out == "Logged 0 emails and 0 meetings from 0 messages and 0 meetings read.\n"
    _, out, _ = run(capsys, "show", "Ana")
    assert out.endswith(
        "Recent:\n"
        "  2026-11-20  email        Re: Lunch on Friday?  (from mail)\n"
        "  2026-11-19  email        Lunch on Friday?  (from mail)\n"
        "  2026-11-16  meeting      1:1 with Ana  (from calendar)\n"
        "  2026-11-02  meeting      1:1 with Ana  (from calendar)\n"
        "  2026-10-26  meeting      1:1 with Ana  (from calendar)\n")


def test_suggest_lists_people_mailed_three_times_who_are_not_contacts(capsys, setup, tmp_path):
    make_maildir(tmp_path / "Mail" / "INBOX", [
        message("Dana Stranger <dana@stranger.example>", ME, f"Re: hello {n}",
                f"Fri, {20 + n} Nov 2026 09:00:00 +0000", f"<dana{n}@x>") for n in range(2)])
    code, out, _ = run(capsys, "--config", str(setup), "capture", "--dry-run", "--suggest")
    assert code == 0
    assert out.endswith("People you mailed at least 3 times in 90 days who are not contacts:\n"
                        "     3  Dana Stranger <dana@stranger.example>  (last 2026-11-21)\n")


def test_a_source_that_is_gone_is_named_and_the_rest_is_captured(capsys, setup, tmp_path):
    setup.write_text(setup.read_text().replace('["Mail/INBOX"]', '["Mail/INBOX", "Mail/Old"]'))
    code, out, err = run(capsys, "--config", str(setup), "capture")
    assert code == 1
    assert err == (f"nurture: {tmp_path / 'Mail' / 'Old'}: is gone; it was skipped\n"
                   "nurture: 1 source could not be read (listed above); everything else was "
                   "captured\n")
    assert out.startswith("Logged 5 emails and 5 meetings")


def test_without_a_capture_table_it_says_what_to_add(capsys, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[ui]\ntheme = \"nord\"\n")
    code, out, err = run(capsys, "--config", str(config), "capture")
    assert (code, out) == (1, "")
    assert err == (f"nurture: nothing to capture from: add a [capture] table with maildirs, "
                   f"mboxes or calendars to {config} (see the README)\n")


@pytest.mark.parametrize(("table", "message_"), [
    ('maildirs = 3', "[capture.maildirs]: must be a list of strings"),
    ('calendars = ["a", 2]', "[capture.calendars]: must be a list of strings"),
    ('me = ["not an address"]', "[capture.me]: 'not an address' is not an email address"),
])
def test_a_bad_config_value_names_the_field(capsys, tmp_path, table, message_):
    config = tmp_path / "config.toml"
    config.write_text(f"[capture]\n{table}\n")
    code, _, err = run(capsys, "--config", str(config), "capture")
    assert code == 1 and err == f"nurture: {config} {message_}\n"


def test_a_bad_since_date_is_one_sentence(capsys, setup):
    code, _, err = run(capsys, "--config", str(setup), "capture", "--since", "someday")
    assert code == 1
    assert err == "nurture: since: 'someday' is not a date (use YYYY-MM-DD or MM-DD)\n"


def test_since_limits_what_is_logged(capsys, setup):
    code, out, _ = run(capsys, "--config", str(setup), "capture", "--dry-run", "--since",
                       "2026-11-18")
    assert code == 0
    assert out.splitlines()[:4] == [
        "  2026-11-18 15:00  meeting  Chloé Martin: Review with Chloé  (45 min)",
        "  2026-11-18 16:30  email    Ben Okafor, Chloé Martin: Project kickoff",
        "  2026-11-19 09:00  email    Ana Lima: Lunch on Friday?  (3 messages)",
        "  2026-11-20 08:00  email    Ana Lima: Re: Lunch on Friday?",
    ]
