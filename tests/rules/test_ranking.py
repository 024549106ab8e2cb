"""Ranking: urgency and relationship weight, then variety; a total, repeatable order."""

from __future__ import annotations

import random

from nurture.model import FollowUp, KeyDate, RelationshipKind

from .book import config, entry, keys, person, review_of, run

K = RelationshipKind


def test_a_birthday_today_outranks_an_overdue_keep_in_touch():
    maya = person("Maya Lopez", dates=[KeyDate.parse("birthday", "1990-11-22")])
    dan = person("Dan Okafor", cadence=30)
    found = run([maya, dan], [entry(dan, "call", "2026-09-01")])
    assert [s.rule for s in found] == ["key-date", "cadence"]


def test_closer_relationships_rank_higher_for_the_same_rule():
    family = person("Fam Ily", kind=K.FAMILY, cadence=30)
    supplier = person("Sup Plier", kind=K.SUPPLIER, cadence=30)
    both = [entry(family, "call", "2026-10-01"), entry(supplier, "call", "2026-10-01")]
    found = run([supplier, family], both)
    assert [s.contact_ids[0] for s in found] == ["c-fam", "c-sup"]
    assert found[0].priority > found[1].priority


def test_no_one_fills_the_morning_past_the_cap():
    dan = person("Dan Okafor", cadence=14, dates=[KeyDate.parse("birthday", "1980-11-22")])
    eve = person("Eve Stone", kind=K.SUPPLIER, cadence=30)
    promises = [FollowUp(f"thing {i}", None, id=f"f-{i}") for i in range(3)]
    entries = [entry(dan, "note", "2026-11-01", follow_ups=promises),
               entry(eve, "call", "2026-10-01")]
    found = run([dan, eve], entries, rules=config(max_per_contact=2))
    order = [s.contact_ids[0] for s in found]
    # Dan's two strongest first, Eve next, then the rest of Dan's.
    assert order[:3] == ["c-dan", "c-dan", "c-eve"]
    assert order[3:] == ["c-dan"] * 3


def test_channels_vary_once_one_has_been_suggested_enough():
    people = [person(f"P{i} Person", cadence=30, channels=["phone", "email"]) for i in range(5)]
    entries = [entry(p, "call", f"2026-10-0{i + 1}") for i, p in enumerate(people)]
    found = run(people, entries, rules=config(max_same_channel=3))
    assert [s.channel for s in found] == ["phone", "phone", "phone", "email", "email"]
    single = [person(f"S{i} Solo", cadence=30, channels=["phone"]) for i in range(5)]
    alone = run(single, [entry(p, "call", "2026-10-01") for p in single],
                rules=config(max_same_channel=3))
    assert {s.channel for s in alone} == {"phone"}  # nothing else to offer them


def test_a_key_date_keeps_its_channel():
    people = [person(f"P{i} Person", channels=["card", "email"],
                     dates=[KeyDate.parse("birthday", "1990-11-29")]) for i in range(4)]
    found = run(people, rules=config(max_same_channel=1))
    assert {s.channel for s in found} == {"card"}


def test_the_daily_limit_shows_the_strongest_and_counts_the_rest():
    people = [person(f"P{i} Person", cadence=30) for i in range(6)]
    entries = [entry(p, "call", f"2026-10-0{i + 1}") for i, p in enumerate(people)]
    everything = run(people, entries)
    review = review_of(people, entries, rules=config(daily_limit=2))
    assert [s.key for s in review.queue] == [s.key for s in everything[:2]]
    assert review.pending == 6
    # Past the limit, a key can still be acted on.
    assert review.find(everything[5].key).key == everything[5].key


def test_the_same_inputs_in_any_order_give_the_same_list():
    people = [person(f"P{i} Person", kind=list(K)[i % 10], cadence=[None, 14, 30][i % 3],
                     dates=[KeyDate.parse("birthday", f"1990-11-{20 + i % 5:02d}")])
              for i in range(12)]
    entries = [entry(p, kind, f"2026-{9 + i % 3:02d}-1{i % 9}")
               for i, p in enumerate(people) for kind in ("call", "meeting")]
    first = keys(run(people, entries, days=5))
    assert len(first) > 10
    shuffled = people[:]
    random.Random(3).shuffle(shuffled)
    assert keys(run(shuffled, list(reversed(entries)), days=5)) == first


def test_what_the_daily_limit_hides_is_still_open():
    # The live review marks a row done only when its key is no longer open: a suggestion
    # ranked past the limit (or a rule's cap) is still open, not done.
    from nurture.rules.engine import queue_and_open
    from nurture.rules.facts import Facts

    from .book import TODAY, timeline

    people = [person(f"Person{n} Example", cadence=14) for n in range(6)]
    calls = [entry(p, "call", "2026-10-01") for p in people]
    rules = config()
    rules.daily_limit = 2
    facts = Facts(people, timeline(calls), [], {}, rules, TODAY)
    shown, _, open_keys = queue_and_open(facts, rules.daily_limit)
    assert len(shown) == 2
    every = run(people, calls, rules=config())
    assert len(every) == 6
    assert {s.key for s in every} == open_keys
