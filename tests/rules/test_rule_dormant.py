"""dormant: relationships gone quiet without a cadence; a few a day."""

from __future__ import annotations

import pendulum

from nurture.model import RelationshipKind, ReviewState, ReviewStatus

from .book import NOW, config, entry, keys, only, person, run

K = RelationshipKind


def test_quiet_for_six_months_without_a_cadence():
    sid = person("Sid Patel", kind=K.SUPPLIER)
    old = entry(sid, "call", "2026-05-01", "Pricing for the spring order")
    [found] = only(run([sid], [old]), "dormant")
    assert found.key == "dormant:c-sid:2026-05-01"
    assert found.due == pendulum.date(2026, 10, 30)
    assert found.reason.startswith("No contact with Sid for 6 months (since Fri 1 May).")
    assert "A short note keeps the door open." in found.reason
    assert found.template == "thinking-of-you"


def test_not_dormant_when_recent_with_a_cadence_or_never_in_touch():
    recent = person("Ria Chen", kind=K.SUPPLIER)
    with_cadence = person("Cal Nunez", kind=K.SUPPLIER, cadence=365)
    never = person("Nev Hale", kind=K.SUPPLIER)
    entries = [entry(recent, "call", "2026-08-01"), entry(with_cadence, "call", "2026-03-01")]
    assert only(run([recent, with_cadence, never], entries), "dormant") == []


def test_threshold_is_configurable():
    sid = person("Sid Patel", kind=K.SUPPLIER)
    old = entry(sid, "call", "2026-08-01")
    assert only(run([sid], [old]), "dormant") == []
    assert keys(run([sid], [old], rules=config(dormant_days=90)), "dormant") == [
        "dormant:c-sid:2026-08-01"]


def test_a_favour_last_time_suggests_a_late_thank_you():
    sid = person("Sid Patel", kind=K.SUPPLIER)
    old = entry(sid, "favour", "2026-04-01", "Rushed our order")
    [found] = only(run([sid], [old]), "dormant")
    assert found.template == "thank-you"
    assert "late thank-you" in found.reason


def test_longer_silence_does_not_rank_higher():
    a = person("Ada Moss", kind=K.SUPPLIER)
    b = person("Bo Lind", kind=K.SUPPLIER)
    found = only(run([a, b], [entry(a, "call", "2026-05-01"), entry(b, "call", "2023-05-01")]),
                 "dormant")
    assert len(found) == 2
    assert found[0].priority == found[1].priority


def test_only_a_few_a_day_and_a_dismissed_one_makes_room():
    people = [person(f"P{i} Person", kind=K.SUPPLIER) for i in range(5)]
    entries = [entry(p, "call", f"2026-0{i + 1}-10") for i, p in enumerate(people)]
    shown = keys(run(people, entries, rules=config(dormant_max_per_day=3)), "dormant")
    assert len(shown) == 3
    review = {shown[0]: ReviewState(shown[0], ReviewStatus.DISMISSED, NOW)}
    after = keys(run(people, entries, review=review, rules=config(dormant_max_per_day=3)),
                 "dormant")
    assert len(after) == 3 and shown[0] not in after
    assert set(shown[1:]) < set(after)
