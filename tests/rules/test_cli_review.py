"""`nurture today`, `done`, `snooze`, `dismiss` through a real data file; state survives restarts.

Each ``main()`` call opens the data file afresh, as a new process would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nurture.cli import main
from nurture.model import InteractionKind, ReviewStatus
from nurture.store import open_store


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def queue(capsys, *extra: str) -> list[dict]:
    code, out, err = cli(capsys, "today", "--json", *extra)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def book(capsys, monkeypatch) -> dict[str, str]:
    """Dan (call every 2 weeks, last call 1 Nov, birthday today) and Maya (birthday 2 Jan)."""
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    ids = {}
    for argv in (["add", "Dan Okafor", "--cadence", "14", "--channel", "phone",
                  "--birthday", "1980-11-22", "--kind", "client"],
                 ["add", "Maya Lopez", "--channel", "card", "--birthday", "1990-01-02"]):
        code, out, _ = cli(capsys, *argv)
        assert code == 0
        ids[argv[1].split()[0].lower()] = out.strip()
    code, _, err = cli(capsys, "log", "Dan", "Talked about the #yankees", "--kind", "call",
                       "--at", "2026-11-01 10:00")
    assert code == 0, err
    return ids


def test_today_json_has_the_documented_fields(capsys, book):
    rows = queue(capsys)
    dan = book["dan"]
    assert [r["key"] for r in rows] == [f"key-date:{dan}:birthday:2026",
                                        f"cadence:{dan}:2026-11-15"]
    birthday = rows[0]
    assert birthday["rule"] == "key-date"
    assert birthday["contact"] == "Dan Okafor" and birthday["contact_id"] == dan
    assert birthday["due"] == "2026-11-22"
    assert birthday["title"] == "Dan Okafor's birthday"
    assert birthday["reason"].startswith("Birthday on Sun 22 Nov — Dan turns 46.")
    assert birthday["channel"] == "phone" and birthday["template"] == "birthday"
    assert isinstance(birthday["priority"], float)
    assert birthday["facts"]["years"] == 46


def test_today_text_is_grouped_with_reasons_and_keys(capsys, book):
    code, out, _ = cli(capsys, "today")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Sunday 22 November 2026: 2 to do"
    assert lines.index("Overdue") < lines.index("Today")
    assert f"     key: cadence:{book['dan']}:2026-11-15" in lines
    assert any("You last spoke 3 weeks ago about yankees." in line for line in lines)


def test_another_day_and_the_days_ahead(capsys, book):
    rows = queue(capsys, "--date", "2026-12-28", "--days", "5")
    maya = [r for r in rows if r["contact_id"] == book["maya"]]
    assert [r["key"] for r in maya] == [f"key-date:{book['maya']}:birthday:2027"]
    assert maya[0]["due"] == "2026-12-26" and maya[0]["channel"] == "card"
    assert "Post the card now; it was due by Sat 26 Dec." in maya[0]["reason"]
    dan = queue(capsys, "--date", "2027-11-19", "--days", "3")
    assert [r["due"] for r in dan if r["rule"] == "key-date"] == ["2027-11-22"]
    code, out, _ = cli(capsys, "today", "--date", "2027-11-19", "--days", "3")
    assert code == 0 and "Next 3 days" in out.splitlines()


def test_done_with_a_log_survives_a_restart(capsys, book, db_path: Path):
    key = f"cadence:{book['dan']}:2026-11-15"
    code, out, _ = cli(capsys, "done", key, "--log", "Called about the playoffs")
    assert code == 0
    assert out.splitlines()[0] == "Done: Keep in touch with Dan Okafor"
    assert out.splitlines()[1].startswith("Logged call with Dan Okafor")
    assert key not in [r["key"] for r in queue(capsys)]
    with open_store(db_path) as store:
        assert store.review_states()[key].status is ReviewStatus.DONE
        [log] = [i for i in store.interactions(book["dan"]) if i.suggestion_key == key]
        assert log.kind is InteractionKind.CALL and log.text == "Called about the playoffs"


def test_snooze_survives_a_restart_and_ends_on_its_day(capsys, book, monkeypatch):
    key = f"cadence:{book['dan']}:2026-11-15"
    code, out, _ = cli(capsys, "snooze", key, "--until", "3d")
    assert code == 0 and out.startswith("Snoozed until Wed 25 Nov 2026")
    assert key not in [r["key"] for r in queue(capsys)]
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-24")
    assert key not in [r["key"] for r in queue(capsys)]
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-25")
    assert key in [r["key"] for r in queue(capsys)]


def test_a_dismissed_birthday_is_gone_this_year_and_back_next_year(capsys, book, monkeypatch):
    key = f"key-date:{book['dan']}:birthday:2026"
    code, out, _ = cli(capsys, "dismiss", key)
    assert code == 0
    assert out.strip() == "Dismissed: Dan Okafor's birthday. It comes back next year."
    assert key not in [r["key"] for r in queue(capsys)]
    monkeypatch.setenv("NURTURE_TODAY", "2027-11-22")
    assert f"key-date:{book['dan']}:birthday:2027" in [r["key"] for r in queue(capsys)]


def test_undo_puts_a_dismissed_suggestion_back_and_says_when_there_is_nothing(capsys, book):
    key = f"key-date:{book['dan']}:birthday:2026"
    assert cli(capsys, "dismiss", key)[0] == 0
    assert key not in [r["key"] for r in queue(capsys)]
    code, out, _ = cli(capsys, "undo", key)
    assert code == 0 and out.strip() == f"Back in the queue: {key}"
    assert key in [r["key"] for r in queue(capsys)]
    code, _, err = cli(capsys, "undo", key)  # nothing left to take back
    assert code == 1
    assert err.strip() == f"nurture: nothing was done with suggestion {key!r} to undo"


def test_unknown_key_exits_1_with_a_message(capsys, book):
    for argv in (["done", "cadence:c-nobody:2026-01-01"], ["dismiss", "nonsense"],
                 ["snooze", "nonsense", "--until", "tomorrow"]):
        code, _, err = cli(capsys, *argv)
        assert code == 1
        assert err.startswith("nurture: no suggestion"), err


def test_bad_arguments(capsys, book):
    key = f"cadence:{book['dan']}:2026-11-15"
    code, _, err = cli(capsys, "snooze", key, "--until", "someday")
    assert code == 1 and "until" in err
    code, _, err = cli(capsys, "snooze", key, "--until", "2026-11-01")
    assert code == 1 and "not after today; pick a later day" in err
    code, _, err = cli(capsys, "today", "--days", "-1")
    assert code == 1 and "days" in err
    with pytest.raises(SystemExit) as exit_:
        main(["snooze", key])
    assert exit_.value.code == 2


def test_a_broken_rules_file_warns_and_the_review_still_runs(capsys, book, tmp_path):
    rules = tmp_path / "config" / "rules.toml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text('[[rule]]\nname = "x"\ndays_since = 3\ntitle = "{oops}"\nreason = "r"\n')
    code, out, err = cli(capsys, "today", "--json")
    assert code == 0
    assert err.startswith(f"nurture: warning: {rules}:1 [rule \"x\".title]: unknown placeholder")
    assert len(json.loads(out)) == 2


def test_an_explicit_rules_file_is_used_and_a_missing_one_refused(capsys, book, tmp_path):
    rules = tmp_path / "mine.toml"
    rules.write_text('disabled = ["key-date"]\n')
    rows = queue(capsys, "--rules", str(rules))
    assert [r["rule"] for r in rows] == ["cadence"]
    code, _, err = cli(capsys, "today", "--rules", str(tmp_path / "nope.toml"))
    assert code == 1 and "no such rules file" in err


def test_the_limit_says_how_many_more_there_are(capsys, book):
    code, out, _ = cli(capsys, "today", "--limit", "1")
    assert code == 0
    assert "1 to do" in out.splitlines()[0]
    assert "…and 1 more; `nurture today --limit 0` shows them all." in out


def test_nothing_due(capsys, monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    code, out, _ = cli(capsys, "today")
    assert code == 0
    assert out.strip() == "Sunday 22 November 2026: nothing due today. Enjoy the day."
