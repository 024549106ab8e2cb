"""Ranking: urgency and relationship weight, then variety; a total, repeatable order."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

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


@given(st.lists(st.tuples(st.sampled_from(["cadence", "follow-up", "key-date", "dormant"]),
                          st.sampled_from(["c-1", "c-2", "c-3"]),
                          st.integers(0, 5), st.sampled_from([0.0, 1.5, 3.25, 12.0, 13.0]),
                          st.integers(0, 3)), max_size=40),
       st.dictionaries(st.sampled_from(["cadence", "dormant"]), st.none() | st.integers(0, 3)),
       st.integers(1, 3))
def test_the_ranking_is_highest_priority_then_soonest_then_key_with_caps_and_variety(
        rows, caps, per_contact):
    # `rank` sorts on attributes in three passes; this is what it must equal: one sort
    # by `order_key`, the rule caps, then a person's suggestions past the cap last.
    from nurture.rules.base import Candidate
    from nurture.rules.rank import order_key, rank

    lead = person("Ana")
    found = [Candidate(f"{rule}:{who}:{n}", rule, [who], due, priority, "check-in",
                       lambda: ("", "", {}), lead)
             for rule, who, due, priority, n in rows]
    found = list({c.key: c for c in found}.values())  # keys are unique, as `candidates` keeps
    settings = config(max_per_contact=per_contact)
    kept, per_rule = [], {}
    for c in sorted(found, key=order_key):
        if caps.get(c.rule) is not None and per_rule.get(c.rule, 0) >= caps[c.rule]:
            continue
        per_rule[c.rule] = per_rule.get(c.rule, 0) + 1
        kept.append(c)
    first, later, seen = [], [], {}
    for c in kept:
        (later if seen.get(c.contact_ids[0], 0) >= per_contact else first).append(c)
        seen[c.contact_ids[0]] = seen.get(c.contact_ids[0], 0) + 1
    expected = [c.key for c in [*first, *later]]
    assert [c.key for c in rank(reversed(found), settings, caps)] == expected
    assert [c.key for c in rank(found, settings, caps)] == expected
