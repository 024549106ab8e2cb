"""Model validation and date arithmetic (pure; `today` passed in)."""

from __future__ import annotations

import calendar

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nurture.errors import ValidationError
from nurture.model import (
    MAX_YEAR,
    MIN_YEAR,
    Address,
    Contact,
    Email,
    KeyDate,
    check_date_parts,
    fold,
    format_cadence,
    normalize_phone,
    normalize_tag,
    parse_cadence,
    parse_date_parts,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("1985-03-14", (1985, 3, 14)),
    ("03-14", (None, 3, 14)),
    ("--03-14", (None, 3, 14)),
    ("--0314", (None, 3, 14)),
    ("02-29", (None, 2, 29)),
    ("2024-02-29", (2024, 2, 29)),
])
def test_parse_date_parts_accepts_dates_with_and_without_year(text, expected):
    assert parse_date_parts(text) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("2023-02-29", "day 29 does not exist in February 2023"),
    ("13-01", "month 13"),
    ("04-31", "day 31 does not exist in April"),
    ("next tuesday", "is not a date"),
])
def test_parse_date_parts_names_the_problem(text, problem):
    with pytest.raises(ValidationError, match=problem) as info:
        parse_date_parts(text, "birthday")
    assert info.value.field == "birthday"


@pytest.mark.parametrize(("text", "days"), [
    ("14", 14), ("2w", 14), ("3m", 90), ("1y", 365), ("10 d", 10), ("", None), (None, None),
])
def test_parse_cadence(text, days):
    assert parse_cadence(text) == days


@pytest.mark.parametrize("text", ["0", "3q", "-2w", "4000"])
def test_parse_cadence_rejects(text):
    with pytest.raises(ValidationError, match="cadence"):
        parse_cadence(text)


@given(st.integers(min_value=1, max_value=3650))
def test_cadence_format_round_trips(days):
    assert parse_cadence(format_cadence(days)) == days


def test_feb_29_falls_on_feb_28_in_a_common_year():
    leapling = KeyDate("birthday", 2, 29, 1980)
    assert leapling.on_year(2027) == pendulum.date(2027, 2, 28)
    assert leapling.on_year(2028) == pendulum.date(2028, 2, 29)
    assert leapling.next_occurrence(pendulum.date(2026, 11, 22)) == pendulum.date(2027, 2, 28)
    assert leapling.years_at(pendulum.date(2027, 2, 28)) == 47


def test_next_occurrence_crosses_the_year_boundary():
    jan2 = KeyDate("birthday", 1, 2)
    assert jan2.next_occurrence(pendulum.date(2026, 12, 28)) == pendulum.date(2027, 1, 2)
    assert jan2.next_occurrence(pendulum.date(2027, 1, 2)) == pendulum.date(2027, 1, 2)
    assert jan2.years_at(pendulum.date(2027, 1, 2)) is None  # year unknown: no age


def test_one_off_dates_fire_once_and_need_a_year():
    grad = KeyDate("Maya's graduation", 6, 12, 2027, yearly=False)
    assert grad.next_occurrence(pendulum.date(2027, 6, 1)) == pendulum.date(2027, 6, 12)
    assert grad.next_occurrence(pendulum.date(2027, 6, 13)) is None
    with pytest.raises(ValidationError, match="one-off date needs a year"):
        KeyDate("party", 6, 12, None, yearly=False)


@given(st.integers(1, 12), st.integers(1, 31), st.dates(pendulum.date(1900, 1, 1),
                                                         pendulum.date(2100, 1, 1)))
def test_next_occurrence_is_never_before_today_and_within_a_year(month, day, today):
    today = pendulum.date(today.year, today.month, today.day)
    try:
        key_date = KeyDate("x", month, day)
    except ValidationError:
        return
    upcoming = key_date.next_occurrence(today)
    assert upcoming is not None
    assert today <= upcoming <= today.add(years=1)
    assert upcoming.month == month


def test_contact_validation_normalises_interests_and_checks_fields():
    contact = Contact.new("Dan Okafor", interests=["#Yankees", "yankees", " BBQ "])
    assert contact.interests == ["yankees", "bbq"]
    assert contact.first_name == "Dan"
    with pytest.raises(ValidationError, match="email"):
        Contact.new("X", emails=[Email("not-an-email")])
    with pytest.raises(ValidationError, match="name"):
        Contact.new("   ")


def test_home_address_is_where_cards_go():
    contact = Contact.new("Ann", addresses=[Address("work", "1 Office Rd"),
                                            Address("home", "2 Home St", "Oslo")])
    assert contact.home_address().street == "2 Home St"
    assert contact.home_address().one_line() == "2 Home St, Oslo"


def test_fold_and_normalisers():
    assert fold("Zoë ÅNGSTRÖM") == "zoe angstrom"
    assert normalize_tag("  #Rock  Climbing ") == "rock climbing"
    assert normalize_phone("+1 (617) 555-0100") == "+16175550100"


def test_now_on_another_day_is_noon_of_that_day():
    from nurture.model import now_on

    stamp = now_on(pendulum.date(2000, 2, 29))
    assert (stamp.date(), stamp.hour, stamp.minute) == (pendulum.date(2000, 2, 29), 12, 0)
    assert stamp.utcoffset() is not None  # stored with its offset, like every instant


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_of_ascii_text_takes_a_shortcut_to_the_same_answer(text):
    import unicodedata

    slow = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).casefold()
    assert fold(text) == slow


@given(st.lists(st.text(max_size=12), max_size=6), st.lists(st.text(max_size=8), max_size=3))
def test_search_text_folded_field_by_field_is_the_joined_text_folded(names, tags):
    from nurture.model import Contact

    fields = dict(zip(("display_name", "given_name", "family_name", "nickname", "company",
                       "title"), [*names, *[""] * 6], strict=False))
    contact = Contact(id="c-1", **fields, interests=tags)
    parts = [*(fields[k] for k in ("display_name", "given_name", "family_name", "nickname",
                                   "company", "title")), *tags]
    assert contact.search_text() == fold(" ".join(p for p in parts if p))


def test_key_date_names_its_day_as_pendulum_would() -> None:
    """``human`` spells months from a table of its own, not pendulum's formatter."""
    for month in range(1, 13):
        for day in (1, 9, 28):
            expected = pendulum.date(2000, month, day).format("D MMMM")
            assert KeyDate(label="x", month=month, day=day).human() == expected
            assert KeyDate(label="x", month=month, day=day, year=1990).human() \
                == f"{expected} 1990"


@pytest.mark.parametrize("year", [None, MIN_YEAR, 1900, 2000, 2023, 2024, 2100, MAX_YEAR])
def test_a_date_is_accepted_exactly_when_the_calendar_has_it(year) -> None:
    # The month's days come from a table (cheaper than calendar.monthrange): the two agree
    # on every day of every month, a year-less Feb 29 included (checked as a leap year).
    for month in range(1, 13):
        last = calendar.monthrange(2000 if year is None else year, month)[1]
        for day in range(-1, 33):
            try:
                check_date_parts(year, month, day)
            except ValidationError:
                assert not 1 <= day <= last, (year, month, day)
            else:
                assert 1 <= day <= last, (year, month, day)


@pytest.mark.parametrize(("year", "month", "day"), [
    (1990.0, 5, 3), (None, 2.0, 3), (None, 5, 3.0), (None, "5", 3), (True, 5, 3),
    (None, True, 1),
])
def test_a_date_of_anything_but_whole_numbers_is_refused(year, month, day) -> None:
    # A hand-edited book or an import: "1990.0" is not shown as a year, "True" not a month.
    with pytest.raises(ValidationError, match="whole numbers"):
        check_date_parts(year, month, day)
    with pytest.raises(ValidationError, match="whole numbers"):
        KeyDate("birthday", month, day, year)


@pytest.mark.parametrize(("typed", "expected"), [
    ("March 3rd 2025 4pm", (2025, 3, 3, 16, 0)),  # dateutil's guess, its parser deferred
    ("3 March 2025 09:15", (2025, 3, 3, 9, 15)),
    ("2025-03-03 16:00", (2025, 3, 3, 16, 0)),  # ISO 8601, pendulum's own
])
def test_an_instant_typed_in_words_is_read(typed, expected):
    from nurture.model import parse_instant

    when = parse_instant(typed)
    assert (when.year, when.month, when.day, when.hour, when.minute) == expected
