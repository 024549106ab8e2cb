"""Every fault a person can type is one sentence naming the field, exit 1, nothing changed:
huge numbers, out-of-range dates and offsets, and a user rule asking for a gigabyte of
padding. They all meet the same parsers (``model.parse_*``, ``cli.args``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.cli import main
from nurture.errors import ValidationError
from nurture.model import (
    MAX_YEAR,
    MIN_YEAR,
    parse_cadence,
    parse_date,
    parse_date_parts,
    parse_instant,
    parse_whole,
)

HUGE = "9" * 5000


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def book(capsys, monkeypatch, db_path: Path) -> Path:
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    assert run(capsys, "add", "Dan Okafor", "--cadence", "14", "--birthday", "1980-11-22")[0] == 0
    return db_path


def _state(db: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(db.parent.glob(db.name + "*"))]


FAULTS = [
    (("add", "Ann", "--cadence", HUGE),
     "cadence: '999999999999999999999999'… (5000 characters) is too long to be a cadence"),
    (("add", "Ann", "--cadence", "99999"), "cadence: 99999 days is out of range (1 to 3650)"),
    (("log", "Dan", "hi", "--at", HUGE),
     "at: '999999999999999999999999'… (5000 characters) is too long to be a date or time"),
    (("log", "Dan", "hi", "--at", "2026-01-01T10:00+99:00"),
     "at: the UTC offset in '2026-01-01T10:00+99:00' is out of range (-18:00 to +18:00)"),
    (("log", "Dan", "hi", "--at", "9999-12-31 23:59"),
     "at: year 9999 is out of range (1000 to 2999)"),
    (("add", "Ann", "--birthday", "9999-12-31"),
     "birthday: year 9999 is out of range (1000 to 2999)"),
    (("follow-up", "Dan", "x", "--due", "9999-12-31"),
     "due: year 9999 is out of range (1000 to 2999)"),
    (("today", "--date", "9999-12-31"), "date: year 9999 is out of range (1000 to 2999)"),
    (("today", "--days", HUGE),
     "days: '999999999999999999999999'… (5000 characters) is too long to be a number"),
    (("today", "--days", "99999999999"), "days: 99999999999 is out of range (0 to 3650 days)"),
    (("today", "--limit", HUGE),
     "limit: '999999999999999999999999'… (5000 characters) is too long to be a number"),
    (("snooze", "k", "--until", HUGE),
     "until: '999999999999999999999999'… (5000 characters) is too long to be a date"),
    (("snooze", "k", "--until", "99999999d"),
     "until: '99999999d' is out of range (1 to 3650 days)"),
    (("news", "list", "--days", "99999999999"),
     "days: 99999999999 is out of range (0 to 3650 days)"),
    (("export", "ics", "-", "--days", HUGE),
     "days: '999999999999999999999999'… (5000 characters) is too long to be a number"),
]


@pytest.mark.parametrize(("argv", "message"), FAULTS, ids=[" ".join(a)[:40] for a, _ in FAULTS])
def test_a_fault_is_one_sentence_exit_1_and_changes_nothing(capsys, book: Path, argv,
                                                           message: str) -> None:
    before = _state(book)
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (1, "", f"nurture: {message}\n")
    assert _state(book) == before


def test_a_pinned_today_out_of_range_is_one_sentence(capsys, book: Path, monkeypatch) -> None:
    monkeypatch.setenv("NURTURE_TODAY", "9999-12-31")
    code, _, err = run(capsys, "today")
    assert (code, err) == (1, "nurture: NURTURE_TODAY: year 9999 is out of range "
                              "(1000 to 2999)\n")


def test_the_widest_accepted_dates_still_export_and_review(capsys, book: Path,
                                                          monkeypatch) -> None:
    """The edges of the range are usable everywhere (a year ahead, ten years of cadence)."""
    assert run(capsys, "add", "Eve", "--birthday", "2999-12-31", "--cadence", "10y")[0] == 0
    assert run(capsys, "log", "Eve", "hi", "--at", "2999-12-31 23:59")[0] == 0
    code, out, err = run(capsys, "export", "ics", "-", "--days", "3650")
    assert code == 0 and "DTSTART;VALUE=DATE:29991231" in out
    monkeypatch.setenv("NURTURE_TODAY", "2999-12-31")
    code, out, err = run(capsys, "today", "--days", "3650")
    assert code == 0, err


def test_a_rule_asking_for_a_huge_width_is_refused_when_read(capsys, book: Path,
                                                             tmp_path: Path) -> None:
    rules = tmp_path / "config" / "rules.toml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text('[[rule]]\nname = "wide"\ndays_since = 3\n'
                     'title = "{name:>1000000000}"\nreason = "r"\n')
    code, _, err = run(capsys, "today")
    assert code == 0  # the built-in rules still run
    assert err == (f"nurture: warning: {rules}:1 [rule \"wide\".title]: {{name}} asks for a "
                   "width or precision over 200; write just {name}; this rule is skipped\n")


# ---------------------------------------------------------------- the parsers, for any text

typed = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"\s*[+-]?\d{1,6000}\s*[dwmy]?\s*", fullmatch=True),
    st.from_regex(r"\d{1,6}-\d{1,3}-\d{1,3}([ T]\d{1,3}:\d{1,3}(:\d{1,3})?)?"
                  r"([+-]\d{1,3}:\d{2}|Z)?", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(text=typed)
def test_every_number_and_date_parser_returns_a_bounded_value_or_one_sentence(text: str) -> None:
    for parse in (lambda t: parse_whole(t, "n", 0, 3650), parse_cadence,
                  parse_date_parts, lambda t: parse_date(t, today=None), parse_instant):
        try:
            value = parse(text)
        except ValidationError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 200  # one short sentence
            continue
        year = getattr(value, "year", None)
        if isinstance(value, tuple):
            year = value[0]
        assert year is None or MIN_YEAR <= year <= MAX_YEAR
        if isinstance(value, int):
            assert 0 <= value <= 3650
        if hasattr(value, "isoformat"):
            value.isoformat()  # the offset too is one Python can write out
