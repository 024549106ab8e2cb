"""The shared words: ordinals and how far a date is from today."""

from __future__ import annotations

from datetime import datetime

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.wording import ago, ago_days, ordinal, relative_days, stamp

TODAY = pendulum.date(2026, 12, 30)


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                         (11, "11th"), (12, "12th"), (13, "13th"),
                                         (21, "21st"), (22, "22nd"), (101, "101st"),
                                         (111, "111th"), (112, "112th")])
def test_ordinal(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize(("when", "text"), [
    (TODAY, "today"),
    (pendulum.date(2026, 12, 31), "tomorrow"),
    (pendulum.date(2026, 12, 29), "yesterday"),
    (pendulum.date(2027, 1, 11), "in 12 days"),  # across the year boundary
    (pendulum.date(2026, 12, 27), "3 days ago"),
])
def test_relative_days(when, text):
    assert relative_days(when, TODAY) == text


@pytest.mark.parametrize(("days", "text"), [
    (0, "today"), (1, "yesterday"), (-1, "tomorrow"), (5, "5 days ago"), (-4, "in 4 days"),
    (13, "13 days ago"), (14, "2 weeks ago"), (61, "8 weeks ago"), (62, "8 weeks ago"),
    (63, "2 months ago"), (150, "5 months ago"), (400, "1 year ago"), (800, "2 years ago"),
])
def test_ago_is_one_wording(days, text):
    assert ago_days(days) == text
    assert ago(TODAY.subtract(days=days), TODAY) == text


def test_the_card_the_review_and_the_rules_say_61_days_the_same_way():
    from nurture.rules import text as rules_text
    from nurture.tui.screens import review
    from nurture.tui.widgets import card

    then = TODAY.subtract(days=61)
    assert card.ago(then, TODAY) == review.ago(then, TODAY) == rules_text.ago(61) \
        == "8 weeks ago"


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
       st.sampled_from([pendulum.UTC, pendulum.timezone("Europe/Berlin"),
                        pendulum.timezone("America/St_Johns"), pendulum.FixedTimezone(20700)]))
def test_a_stamp_reads_as_pendulums_own_format(moment, zone):
    # ``stamp`` prints what pendulum's format printed before it, in the instant's own zone.
    at = pendulum.instance(moment, tz=zone)
    assert stamp(at) == at.format("YYYY-MM-DD HH:mm")
    assert stamp(pendulum.datetime(2026, 12, 2, 7, 3, tz="Asia/Kolkata")) == "2026-12-02 07:03"
