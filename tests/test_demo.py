"""The sample address book is realistic, deterministic and never the user's file."""

from __future__ import annotations

from collections import Counter

import pendulum

from nurture import locations
from nurture.demo import fresh_demo
from nurture.store import open_store


def test_demo_is_realistic(tmp_path, today):
    path = fresh_demo(tmp_path / "demo.json", today)
    with open_store(path) as store:
        contacts = store.contacts()
        timeline = store.interactions()
    assert 35 <= len(contacts) <= 50
    assert 200 <= len(timeline) <= 800
    kinds = Counter(c.kind for c in contacts)
    assert len(kinds) >= 7
    dates = [d for c in contacts for d in c.key_dates]
    assert any(d.year is None for d in dates) and any(d.year is not None for d in dates)
    assert any((d.month, d.day) == (2, 29) for d in dates)
    assert any(not d.yearly for d in dates)
    assert any(c.family for c in contacts)
    assert any(c.cadence_days for c in contacts) and any(not c.cadence_days for c in contacts)
    assert any(len(i.contact_ids) > 1 for i in timeline)
    assert sum(len(i.open_follow_ups()) for i in timeline) >= 5
    oldest = min(i.at for i in timeline)
    assert oldest >= pendulum.datetime(today.year - 2, today.month, today.day, tz="UTC")
    assert max(i.at for i in timeline).date() <= today


def test_demo_is_deterministic_and_rebuilt_fresh(tmp_path, today):
    first = fresh_demo(tmp_path / "a.json", today)
    second = fresh_demo(tmp_path / "b.json", today)
    with open_store(first) as a, open_store(second) as b:
        assert a.export_data() == b.export_data()
        a.save_contact(a.contacts()[0].__class__.new("Someone New"))
    fresh_demo(first, today)
    with open_store(first) as a:
        assert not a.find_contacts("Someone New")


def test_demo_path_is_not_the_user_data_file():
    assert locations.demo_db_path() != locations.default_db_path()


def test_demo_channels_fit_the_kind_of_entry(tmp_path, today):
    path = fresh_demo(tmp_path / "demo.json", today)
    with open_store(path) as store:
        timeline = store.interactions()
    by_kind = {}
    for entry in timeline:
        by_kind.setdefault(entry.kind.value, set()).add(entry.channel)
    assert by_kind["call"] == {"phone"}
    assert by_kind["meeting"] <= {"in-person", ""}
    assert by_kind["email"] == {"email"}
    assert by_kind["message"] <= {"text", "messaging", "social"}
