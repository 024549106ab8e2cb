"""One short-date grammar: `friday` means the same in the app's snooze and on the command line."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nurture.cli import main
from nurture.errors import ValidationError
from nurture.shortdates import WEEKDAYS, parse_day
from nurture.tui.screens.snooze import parse_snooze

TODAY = pendulum.date(2026, 11, 22)  # a Sunday


@pytest.mark.parametrize(("text", "expected"), [
    ("today", TODAY), ("tomorrow", pendulum.date(2026, 11, 23)),
    ("yesterday", pendulum.date(2026, 11, 21)), ("next week", pendulum.date(2026, 11, 29)),
    ("friday", pendulum.date(2026, 11, 27)), ("Fri", pendulum.date(2026, 11, 27)),
    ("sunday", pendulum.date(2026, 11, 29)), ("10d", pendulum.date(2026, 12, 2)),
    ("2027-01-05", pendulum.date(2027, 1, 5)), ("12-24", pendulum.date(2026, 12, 24)),
    ("11-22", TODAY), ("03-01", pendulum.date(2027, 3, 1)),
])
def test_parse_day(text, expected):
    assert parse_day(text, TODAY) == expected


@given(name=st.sampled_from(sorted(WEEKDAYS)),
       today=st.dates(pendulum.date(1990, 1, 1), pendulum.date(2100, 1, 1)))
def test_a_weekday_is_the_next_one_after_today_everywhere(name, today):
    today = pendulum.date(today.year, today.month, today.day)
    when = parse_day(name, today)
    assert 1 <= (when - today).days <= 7 and when.weekday() == WEEKDAYS[name]
    assert parse_snooze(name, today) == when


def test_the_command_line_snoozes_to_friday_as_the_app_does(capsys, monkeypatch):
    monkeypatch.setenv("NURTURE_TODAY", TODAY.isoformat())
    assert main(["add", "Dan Okafor", "--cadence", "14"]) == 0
    dan = capsys.readouterr().out.strip()
    assert main(["log", "Dan", "a call", "--kind", "call", "--at", "2026-11-01 10:00"]) == 0
    assert main(["snooze", f"cadence:{dan}:2026-11-15", "--until", "friday"]) == 0
    assert "Fri 27 Nov 2026" in capsys.readouterr().out
    assert main(["follow-up", "Dan", "send the book", "--due", "friday"]) == 0
    assert "(due 2026-11-27)" in capsys.readouterr().out


@pytest.mark.parametrize("text", ["", "someday", "13-01", "0d"])
def test_what_is_not_a_day(text):
    with pytest.raises(ValidationError):
        parse_day(text, TODAY, after_today=True)
