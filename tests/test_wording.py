"""The shared words: ordinals and how far a date is from today."""

from __future__ import annotations

import pendulum
import pytest

from nurture.wording import ordinal, relative_days

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
