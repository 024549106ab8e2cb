"""The command-line contract for contacts and the timeline (exit codes, messages, output)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nurture.cli import main
from nurture.store import open_store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_prints_the_new_id_and_stores_everything(capsys, db_path):
    code, out, _ = run(capsys, "add", "Zoë Ångström", "--email", "zoe@fjord.example",
                       "--phone", "+47 22 00 00 00", "--company", "Fjord", "--title", "CTO",
                       "--kind", "partner", "--tag", "Sailing", "--tag", "#jazz",
                       "--birthday", "02-29", "--anniversary", "2015-06-01", "--cadence", "3w",
                       "--channel", "messaging:Signal")
    assert code == 0
    contact_id = out.strip()
    with open_store(db_path) as store:
        contact = store.contact(contact_id)
    assert contact.display_name == "Zoë Ångström"
    assert contact.interests == ["sailing", "jazz"]
    assert contact.cadence_days == 21
    assert (contact.birthday.month, contact.birthday.day, contact.birthday.year) == (2, 29, None)
    assert contact.key_date("anniversary").year == 2015
    assert contact.channels[0].detail == "Signal"


@pytest.mark.parametrize(("argv", "message"), [
    (["add", "X", "--birthday", "2023-02-29"], "birthday: day 29 does not exist in February 2023"),
    (["add", "X", "--email", "nope"], "email: 'nope' is not an email address"),
    (["add", "X", "--cadence", "3q"], "cadence: '3q' is not a cadence"),
    (["add", "X", "--channel", "pigeon"], "channel: 'pigeon' is not one of"),
    (["log", "Nobody", "hello"], "no contact matches 'Nobody'"),
    (["follow-up", "Nobody", "x", "--due", "2026-12-01"], "no contact matches"),
    (["complete", "f-missing"], "no follow-up with id f-missing"),
])
def test_user_errors_exit_1_with_one_line(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert err.startswith("nurture: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["add"])
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_log_resolves_names_accent_and_case_insensitively(capsys, db_path):
    run(capsys, "add", "Zoë Ångström")
    run(capsys, "add", "Zoe Smith")
    run(capsys, "add", "Dan Okafor")
    code, _, err = run(capsys, "log", "zoe", "coffee")
    assert code == 1 and "matches 2 contacts" in err and "Zoe Smith" in err
    code, out, _ = run(capsys, "log", "ANGSTR", "called about the regatta", "--kind", "call",
                       "--at", "2026-11-20 14:30", "--with", "okafor")
    assert code == 0, out
    with open_store(db_path) as store:
        (entry,) = store.interactions()
        names = sorted(store.contact(c).display_name for c in entry.contact_ids)
    assert names == ["Dan Okafor", "Zoë Ångström"]
    assert entry.kind.value == "call"
    assert (entry.at.hour, entry.at.minute) == (14, 30)


def test_an_exact_name_wins_over_partial_matches(capsys, db_path):
    run(capsys, "add", "Ann")
    run(capsys, "add", "Annabel Lee")
    code, _, _ = run(capsys, "log", "ann", "hi")
    assert code == 0


def test_follow_up_listed_and_completed(capsys, monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    run(capsys, "add", "Maya Lindqvist")
    code, out, _ = run(capsys, "follow-up", "maya", "send her the book", "--due", "2026-11-20")
    assert code == 0
    follow_up_id = out.split()[0]
    _, out, _ = run(capsys, "follow-ups")
    assert "send her the book" in out and "(overdue)" in out
    assert run(capsys, "complete", follow_up_id)[0] == 0
    _, out, _ = run(capsys, "follow-ups")
    assert "No open follow-ups." in out


def test_list_filters_by_tag_and_prints_json(capsys):
    run(capsys, "add", "Dan", "--tag", "yankees", "--tag", "bbq")
    run(capsys, "add", "Maya", "--tag", "sailing")
    _, out, _ = run(capsys, "list", "--tag", "Yankees")
    assert "Dan" in out and "Maya" not in out
    _, out, _ = run(capsys, "list", "--json")
    assert sorted(d["display_name"] for d in json.loads(out)) == ["Dan", "Maya"]


def test_show_prints_the_card_and_json(capsys, monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    run(capsys, "add", "Dan Okafor", "--birthday", "1980-12-04", "--company", "Harbor")
    run(capsys, "log", "dan", "lunch at Oleana", "--kind", "meeting")
    _, out, _ = run(capsys, "show", "dan")
    assert "birthday: 4 December 1980 — in 12 days" in out
    assert "lunch at Oleana" in out
    _, out, _ = run(capsys, "show", "dan", "--json")
    data = json.loads(out)
    assert data["contact"]["company"] == "Harbor"
    assert data["interactions"][0]["text"] == "lunch at Oleana"


def test_delete_needs_yes_without_a_terminal(capsys, db_path, monkeypatch):
    run(capsys, "add", "Dan")
    with open(os.devnull) as devnull:
        monkeypatch.setattr(sys, "stdin", devnull)
        code, _, err = run(capsys, "delete", "dan")
    assert code == 1 and "--yes" in err
    assert run(capsys, "delete", "dan", "--yes")[0] == 0
    with open_store(db_path) as store:
        assert store.contacts() == []


def test_db_flag_wins_over_environment(capsys, tmp_path):
    other = tmp_path / "elsewhere" / "book.json"
    run(capsys, "--db", str(other), "add", "Dan")
    assert other.exists()
    assert oct(other.stat().st_mode & 0o777) == "0o600"
    assert oct(other.parent.stat().st_mode & 0o777) == "0o700"


def test_corrupt_data_file_is_refused_untouched(capsys, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b'{"contacts": {"c-1": ')
    before = db_path.read_bytes()
    code, _, err = run(capsys, "add", "Dan")
    assert code == 1
    assert str(db_path) in err and "not valid JSON" in err
    assert db_path.read_bytes() == before


def test_console_script_runs_as_a_process(tmp_path: Path):
    env = {**os.environ, "NURTURE_DB": str(tmp_path / "db.json")}
    result = subprocess.run([sys.executable, "-m", "nurture.cli", "add", "Dan"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0 and result.stdout.startswith("c-")
    result = subprocess.run([sys.executable, "-m", "nurture.cli", "show", "Nobody"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr == "nurture: no contact matches 'Nobody'\n"


def test_an_invalid_pinned_today_is_a_message(capsys, monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", "22/11/2026")
    run(capsys, "add", "Dan")
    code, _, err = run(capsys, "follow-up", "dan", "call", "--due", "tomorrow")
    assert code == 1
    assert err == "nurture: NURTURE_TODAY: '22/11/2026' is not a date (YYYY-MM-DD)\n"


def test_relative_due_dates_count_from_the_pinned_today(capsys, monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", "2026-02-28")
    run(capsys, "add", "Dan")
    _, out, _ = run(capsys, "follow-up", "dan", "call back", "--due", "tomorrow")
    assert "(due 2026-03-01)" in out


@pytest.mark.parametrize(("field", "value", "message"), [
    ("cadence_days", "2w", "cadence_days: must be a whole number or empty (null)"),
    ("interests", "sailing", "interests: must be a list of texts"),
    ("display_name", 7, "display_name: must be text"),
    ("cadence_days", True, "cadence_days: must be a whole number or empty (null)"),
    ("urls", ["https://example.org", 3], "urls: must be a list of texts"),
    ("notes", None, "notes: must be text"),
])
def test_a_hand_edited_wrong_type_is_refused_naming_the_record(capsys, db_path, field, value,
                                                                 message):
    import orjson

    _, out, _ = run(capsys, "add", "Dan")
    contact_id = out.strip()
    with open_store(db_path) as store:
        store.checkpoint()
    data = orjson.loads(db_path.read_bytes())
    data["contacts"][contact_id][field] = value
    db_path.write_bytes(orjson.dumps(data))
    before = db_path.read_bytes()
    code, _, err = run(capsys, "list")
    assert code == 1
    assert str(db_path) in err and f"contacts['{contact_id}']" in err and message in err
    assert db_path.read_bytes() == before


def test_show_says_the_last_touch_and_due_date_the_review_uses(capsys, monkeypatch):
    # Last spoken to 65 days ago on a 60-day cadence; a life event and a note since.
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    run(capsys, "add", "Dan Okafor", "--cadence", "60")
    run(capsys, "log", "dan", "about the #yankees", "--kind", "call", "--at", "2026-09-18 10:00")
    run(capsys, "log", "dan", "promoted", "--kind", "life-event", "--at", "2026-11-18 10:00")
    run(capsys, "log", "dan", "likes jazz", "--at", "2026-11-20 10:00")
    _, out, _ = run(capsys, "show", "dan")
    assert "last contact: 2 months ago (call) · overdue since 2026-11-17" in out
    _, out, _ = run(capsys, "today", "--json")
    assert [r["due"] for r in json.loads(out) if r["rule"] == "cadence"] == ["2026-11-17"]


def test_log_and_follow_up_without_a_time_count_on_the_pinned_day(capsys, monkeypatch, db_path):
    # With NURTURE_TODAY pinned (a demo, a test) an entry made "now" is made on that day,
    # as the app's "now" is; it was stamped with the wall clock's date.
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    run(capsys, "add", "Maya Lindqvist")
    assert run(capsys, "log", "maya", "Talked about the regatta", "--kind", "call")[0] == 0
    assert run(capsys, "follow-up", "maya", "send her the book", "--due", "2w")[0] == 0
    assert run(capsys, "log", "maya", "Lunch", "--at", "2026-11-20 13:00")[0] == 0
    with open_store(db_path) as store:
        days = sorted((e.text, e.at.date().isoformat()) for e in store.interactions())
    assert days == [("Follow up: send her the book", "2026-11-22"), ("Lunch", "2026-11-20"),
                    ("Talked about the regatta", "2026-11-22")]


def test_follow_ups_are_listed_by_due_day_then_by_the_instant_they_were_noted(capsys, db_path):
    import pendulum

    from nurture.model import Contact, FollowUp, Interaction, InteractionKind

    due = pendulum.date(2026, 12, 1)
    # Noted in three zones: the wall clocks run in the opposite order to the instants.
    noted = [("late", pendulum.datetime(2026, 11, 20, 9, tz="America/Los_Angeles")),  # 17:00Z
             ("early", pendulum.datetime(2026, 11, 20, 20, tz="Asia/Tokyo")),  # 11:00Z
             ("middle", pendulum.datetime(2026, 11, 20, 14, tz="UTC")),
             ("no date", pendulum.datetime(2026, 11, 1, tz="UTC")),
             ("sooner", pendulum.datetime(2026, 11, 25, tz="UTC"))]
    with open_store(db_path) as store:
        store.save_contact(Contact(id="c-m", display_name="Maya"))
        for n, (text, at) in enumerate(noted):
            when = None if text == "no date" else \
                due.subtract(days=1) if text == "sooner" else due
            store.save_interaction(Interaction(
                id=f"i-{n}", contact_ids=["c-m"], kind=InteractionKind.NOTE, at=at,
                follow_ups=[FollowUp(text, due=when)]))
    _, out, _ = run(capsys, "follow-ups")
    order = [line.split(": ", 1)[1] for line in out.splitlines()]
    assert order == ["sooner", "early", "middle", "late", "no date"]
