"""Date expressions in quick notes, resolved against an explicit today."""

import itertools

import pendulum
import pytest

from nurture.notes.dates import find_dates

WED = pendulum.date(2025, 3, 12)  # a Wednesday


def one(text: str, today: pendulum.Date = WED, **kwargs) -> pendulum.Date | tuple:
    found = find_dates(text, today, **kwargs)
    assert len(found) == 1, found
    d = found[0]
    return d.next_on_or_after(today) if d.relative else (d.year, d.month, d.day)


@pytest.mark.parametrize(("text", "expected"), [
    ("March 14", (None, 3, 14)),
    ("Mar. 14th", (None, 3, 14)),
    ("14 March 1985", (1985, 3, 14)),
    ("the 14th of March", (None, 3, 14)),
    ("March 14, 1985", (1985, 3, 14)),
    ("2019-06-01", (2019, 6, 1)),
    ("Sept 3", (None, 9, 3)),
    ("May 3", (None, 5, 3)),
])
def test_absolute_dates(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("today", pendulum.date(2025, 3, 12)),
    ("tomorrow", pendulum.date(2025, 3, 13)),
    ("the day after tomorrow", pendulum.date(2025, 3, 14)),
    ("in 2 weeks", pendulum.date(2025, 3, 26)),
    ("in two weeks' time", pendulum.date(2025, 3, 26)),
    ("in a couple of weeks", pendulum.date(2025, 3, 26)),
    ("in 3 days", pendulum.date(2025, 3, 15)),
    ("in a month", pendulum.date(2025, 4, 12)),
    ("10 days from now", pendulum.date(2025, 3, 22)),
    ("Friday", pendulum.date(2025, 3, 14)),
    ("on Friday", pendulum.date(2025, 3, 14)),
    ("next Friday", pendulum.date(2025, 3, 21)),  # the Friday of next week
    ("next Monday", pendulum.date(2025, 3, 17)),
    ("Wednesday", pendulum.date(2025, 3, 19)),  # said on a Wednesday: a week ahead
    ("this Wednesday", pendulum.date(2025, 3, 12)),
    ("next week", pendulum.date(2025, 3, 17)),
    ("next month", pendulum.date(2025, 4, 1)),
    ("next year", pendulum.date(2026, 1, 1)),
    ("end of the month", pendulum.date(2025, 3, 31)),
    ("by the end of the week", pendulum.date(2025, 3, 14)),
    ("this weekend", pendulum.date(2025, 3, 15)),
])
def test_relative_dates(text, expected):
    assert one(text) == expected


def test_year_boundary():
    dec30 = pendulum.date(2025, 12, 30)
    assert one("in 2 weeks", dec30) == pendulum.date(2026, 1, 13)
    assert one("next month", dec30) == pendulum.date(2026, 1, 1)
    assert one("next Friday", dec30) == pendulum.date(2026, 1, 9)
    jan2 = find_dates("January 2", dec30)[0]
    assert jan2.next_on_or_after(dec30) == pendulum.date(2026, 1, 2)


def test_feb_29_without_year_falls_on_feb_28_in_a_common_year():
    d = find_dates("Feb 29", pendulum.date(2025, 1, 10))[0]
    assert d.next_on_or_after(pendulum.date(2025, 1, 10)) == pendulum.date(2025, 2, 28)
    assert d.next_on_or_after(pendulum.date(2024, 1, 10)) == pendulum.date(2024, 2, 29)


@pytest.mark.parametrize("text", [
    "may 3 people come",  # "may" in lower case is a verb
    "March 3:30",  # a time, not a day
    "Feb 30",  # no such day
    "2025-02-29",  # not a leap year
    "in 999 years",  # not a plan
    "in 0 days",
    "sat on the sun",  # weekday abbreviations are words
    "page 14 of the report",
])
def test_not_dates(text):
    assert find_dates(text, WED) == []


def test_numeric_dates_only_when_asked_and_unambiguous():
    assert find_dates("3/14", WED) == []
    assert one("3/14", numeric=True) == (None, 3, 14)
    assert one("14/3", numeric=True) == (None, 3, 14)
    assert one("3/14/1985", numeric=True) == (1985, 3, 14)
    assert one("14.03.1985", numeric=True) == (1985, 3, 14)
    assert find_dates("3/4", WED, numeric=True) == []  # March 4 or April 3?
    assert find_dates("1/2 cup", WED, numeric=True) == []


def test_preposition_belongs_to_the_date():
    d = find_dates("call back on March 3", WED)[0]
    assert "call back on March 3"[d.outer_start:d.start] == "on "
    assert "call back on March 3"[d.start:d.end] == "March 3"


def test_matches_do_not_overlap_and_come_in_order():
    found = find_dates("tomorrow, then March 14 and next Friday", WED)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert len(found) == 3
    assert all(a.end <= b.outer_start for a, b in itertools.pairwise(found))


def test_vague_dates_are_marked_imprecise():
    assert not find_dates("next month", WED)[0].precise
    assert not find_dates("in 2 years", WED)[0].precise
    assert find_dates("in 2 weeks", WED)[0].precise
    assert find_dates("next Friday", WED)[0].precise
