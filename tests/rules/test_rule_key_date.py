"""key-date: birthdays, anniversaries and other dates, with channel lead times."""

from __future__ import annotations

import pendulum

from nurture.model import KeyDate, ReviewState, ReviewStatus

from .book import NOW, config, keys, only, person, run


def birthday(text: str) -> KeyDate:
    return KeyDate.parse("birthday", text)


def test_birthday_on_the_day_by_phone_names_the_age():
    maya = person("Maya Lopez", dates=[birthday("1986-11-22")])
    [found] = only(run([maya]), "key-date")
    assert found.key == "key-date:c-maya:birthday:2026"
    assert found.due == pendulum.date(2026, 11, 22)
    assert found.reason.startswith("Birthday on Sun 22 Nov — Maya turns 40.")
    assert found.template == "birthday"
    assert found.channel == "phone"
    assert found.facts["years"] == 40
    assert found.title == "Maya Lopez's birthday"


def test_a_call_is_not_due_before_the_day_unless_looking_ahead():
    maya = person("Maya Lopez", dates=[birthday("1986-11-25")])
    assert only(run([maya]), "key-date") == []
    [ahead] = only(run([maya], days=3), "key-date")
    assert ahead.due == pendulum.date(2026, 11, 25)
    assert only(run([maya], days=2), "key-date") == []


def test_a_card_is_due_a_week_ahead_and_says_when_to_post_it():
    maya = person("Maya Lopez", channels=["card", "phone"], dates=[birthday("1986-11-29")])
    [found] = only(run([maya]), "key-date")
    assert found.channel == "card"
    assert found.due == pendulum.date(2026, 11, 22)
    assert "Post the card by Sun 22 Nov." in found.reason
    # The day before the card is due, nothing yet.
    assert only(run([maya], today=pendulum.date(2026, 11, 21)), "key-date") == []


def test_a_late_card_stays_until_the_date_and_says_it_is_late():
    maya = person("Maya Lopez", channels=["card"], dates=[birthday("1986-11-29")])
    [late] = only(run([maya], today=pendulum.date(2026, 11, 27)), "key-date")
    assert late.due == pendulum.date(2026, 11, 22)
    assert "Post the card now; it was due by Sun 22 Nov." in late.reason
    assert only(run([maya], today=pendulum.date(2026, 11, 30)), "key-date") == []


def test_lead_time_per_channel_comes_from_config():
    maya = person("Maya Lopez", channels=["email"], dates=[birthday("1986-11-25")])
    rules = config(lead_days={"card": 7, "email": 3})
    [found] = only(run([maya], rules=rules), "key-date")
    assert found.due == pendulum.date(2026, 11, 22)


def test_year_boundary_birthday_on_jan_2_reviewed_on_dec_28():
    ana = person("Ana Bauer", channels=["card"], dates=[birthday("1990-01-02")])
    [found] = only(run([ana], today=pendulum.date(2026, 12, 28)), "key-date")
    assert found.key == "key-date:c-ana:birthday:2027"
    assert found.due == pendulum.date(2026, 12, 26)
    assert "Birthday on Sat 2 Jan 2027 — Ana turns 37." in found.reason
    by_phone = person("Ben Roth", dates=[birthday("1990-01-02")])
    assert only(run([by_phone], today=pendulum.date(2026, 12, 28), days=5), "key-date")
    assert not only(run([by_phone], today=pendulum.date(2026, 12, 28), days=4), "key-date")


def test_feb_29_falls_on_feb_28_in_a_common_year():
    leap = person("Lea Vogel", dates=[birthday("2000-02-29")])
    [found] = only(run([leap], today=pendulum.date(2027, 2, 28)), "key-date")
    assert found.due == pendulum.date(2027, 2, 28)
    assert "Lea turns 27" in found.reason
    assert only(run([leap], today=pendulum.date(2027, 3, 1)), "key-date") == []


def test_feb_29_stays_on_feb_29_in_a_leap_year():
    leap = person("Lea Vogel", dates=[birthday("2000-02-29")])
    assert only(run([leap], today=pendulum.date(2028, 2, 28)), "key-date") == []
    [found] = only(run([leap], today=pendulum.date(2028, 2, 29)), "key-date")
    assert found.key == "key-date:c-lea:birthday:2028"
    assert "Lea turns 28" in found.reason


def test_unknown_year_gives_no_age():
    tom = person("Tom Becker", dates=[birthday("--11-22")])
    [found] = only(run([tom]), "key-date")
    assert found.reason.startswith("Birthday on Sun 22 Nov. ")
    assert "turns" not in found.reason
    assert found.facts["years"] is None


def test_unknown_year_feb_29_in_a_common_year():
    tom = person("Tom Becker", dates=[birthday("--02-29")])
    [found] = only(run([tom], today=pendulum.date(2027, 2, 28)), "key-date")
    assert found.reason.startswith("Birthday on Sun 28 Feb.")


def test_anniversary_counts_years_with_an_ordinal():
    kim = person("Kim Park", dates=[KeyDate.parse("anniversary", "2016-11-22")])
    [found] = only(run([kim]), "key-date")
    assert "their 10th anniversary" in found.reason
    assert found.template == "anniversary"
    assert found.key == "key-date:c-kim:anniversary:2026"


def test_a_one_off_date_fires_once_in_its_own_year():
    grad = KeyDate.parse("Maya's graduation", "2026-12-01", yearly=False)
    maya = person("Maya Lopez", dates=[grad])
    [found] = only(run([maya], today=pendulum.date(2026, 12, 1)), "key-date")
    assert found.key == "key-date:c-maya:maya-s-graduation:2026"
    assert found.template == "congratulations"
    assert "year" not in found.reason.split(".")[0]
    assert only(run([maya], today=pendulum.date(2027, 12, 1)), "key-date") == []


def test_a_custom_yearly_date_counts_years_since():
    sam = person("Sam Ortiz", dates=[KeyDate.parse("started at Acme", "2023-11-22")])
    [found] = only(run([sam]), "key-date")
    assert "Started at Acme on Sun 22 Nov — 3 years since." in found.reason
    assert found.template == "thinking-of-you"


def test_a_dismissed_birthday_comes_back_next_year():
    maya = person("Maya Lopez", dates=[birthday("1986-11-22")])
    key = "key-date:c-maya:birthday:2026"
    review = {key: ReviewState(key, ReviewStatus.DISMISSED, NOW)}
    assert keys(run([maya], review=review), "key-date") == []
    next_year = run([maya], review=review, today=pendulum.date(2027, 11, 22))
    assert keys(next_year, "key-date") == ["key-date:c-maya:birthday:2027"]


def test_reason_mentions_the_last_conversation():
    from .book import entry

    maya = person("Maya Lopez", dates=[birthday("1986-11-22")])
    talk = entry(maya, "call", "2026-06-20", "Talked about #sailing and her boat")
    [found] = only(run([maya], [talk]), "key-date")
    assert found.reason.endswith("You last spoke 5 months ago about sailing.")
    assert found.facts["last_topic"] == "sailing"
