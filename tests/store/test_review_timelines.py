"""A command's timelines for the rules (`Store.review_timelines`): read from the derived
index (``store.heads``, tested in test_heads.py), or without one ordered from the
documents' dates and people, each entry built when first read, they must give what the
built timelines give: the same order, the same entries, the same review."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture import documents as D
from nurture.actions.review import build_review
from nurture.demo import build_demo
from nurture.errors import DataFileError
from nurture.model import FollowUp, Interaction, InteractionKind
from nurture.rules import DailyReview, RulesConfig
from nurture.store import open_store
from nurture.store.heads import IndexedTimelines
from nurture.store.views import LazyTimeline, LazyTimelines

from .conftest import make_contact, make_entry

TODAY = pendulum.date(2026, 11, 25)
NOW = pendulum.datetime(2026, 11, 25, 8, tz="UTC")


def _demo(db: Path, today: pendulum.Date = TODAY) -> None:
    with open_store(db, backups_keep=0) as store:
        build_demo(store, today)
        store.checkpoint()


def _without_index(db: Path) -> None:
    """The timelines ordered from the table read whole (``LazyTimeline``)."""
    db.with_name(db.name + ".index").unlink()


def _ids(timelines: dict) -> dict[str, list[str]]:
    return {cid: [e.id for e in entries] for cid, entries in timelines.items()}


def _review_keys(review: DailyReview) -> list[tuple[str, str, str]]:
    return [(s.key, s.title, s.reason) for s in review.queue]


@pytest.mark.parametrize("today", [TODAY, pendulum.date(2026, 12, 24), pendulum.date(2027, 3, 1)])
@pytest.mark.parametrize("source", ["index", "index and journal", "table"])
def test_the_review_from_timelines_built_as_read_is_the_review_from_built_ones(
        db: Path, today: pendulum.Date, source: str) -> None:
    _demo(db)
    if source == "table":
        _without_index(db)
    elif source == "index and journal":  # another process's writes, not in the index
        with open_store(db) as store:
            entries = store.interactions()
            moved = entries[3]
            moved.at = moved.at.subtract(days=400)
            store.save_interaction(moved)
            store.delete_interaction(entries[0].id)
            store.save_interaction(make_entry("i-new", entries[7].contact_ids[0]))
            store.close(fold=False)
    rules = RulesConfig(daily_limit=1000)  # every suggestion, not a morning's share
    with open_store(db) as store:
        timelines = store.review_timelines()
        assert isinstance(timelines, LazyTimelines if source == "table" else IndexedTimelines)
        lazy = build_review(store, rules, today, now=NOW)
        assert not store._caches["interactions"].items  # nothing built whole
    with open_store(db) as store:
        built = DailyReview(store.contacts(), store.interactions_by_contact(),
                            store.news_items(), store.review_states(), rules, today, now=NOW)
    assert _review_keys(lazy) == _review_keys(built) and lazy.pending == built.pending
    assert len(built.queue) > 10  # a real review: cadences, follow-ups, thanks, news…
    assert {"follow-up", "cadence"} <= {s.rule for s in built.queue}
    assert len({s.rule for s in built.queue}) >= 3


def test_the_order_and_the_entries_are_the_built_timelines(db: Path) -> None:
    _demo(db)
    with open_store(db) as store:  # another process's writes, in the journal
        moved = store.interactions()[5]
        moved.at = moved.at.subtract(days=400)  # now far down its people's timelines
        store.save_interaction(moved)
        store.delete_interaction(store.interactions()[0].id)
        store.save_interaction(make_entry("i-tie-b", "c-demo0000", "c-demo0001"))
        store.save_interaction(make_entry("i-tie-a", "c-demo0001"))  # the same instant
        store.close(fold=False)
    _without_index(db)
    with open_store(db) as store:
        lazy = store.review_timelines()
        assert all(isinstance(t, LazyTimeline) for t in lazy.values())
        lazy_ids = _ids(lazy)
        lazy_entries = {cid: list(t) for cid, t in lazy.items()}
    with open_store(db) as store:
        built = store.interactions_by_contact()
        assert lazy_ids == _ids(built)
        assert lazy_entries == built
        assert lazy_ids["c-demo0001"].index("i-tie-a") + 1 == lazy_ids["c-demo0001"].index(
            "i-tie-b")
        # Once the timeline is built (the app), it is what the rules get.
        assert store.review_timelines() == built


def test_entries_are_built_only_when_read_and_a_shared_one_is_one_object(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts([make_contact("c-a", "Ann"), make_contact("c-b", "Bob")])
        store.save_interactions([make_entry(f"i-{n}", "c-a", days_ago=n) for n in range(30)]
                                + [make_entry("i-both", "c-a", "c-b", days_ago=100)])
        store.checkpoint()
    _without_index(db)
    with open_store(db) as store:
        timelines = store.review_timelines()
        ann, bob = timelines["c-a"], timelines["c-b"]
        assert isinstance(ann, LazyTimeline) and len(ann) == 31 and len(bob) == 1
        assert ann[0].id == "i-0" and len(ann._built) == 1  # one read, one built
        assert [e.id for e in ann[1:3]] == ["i-1", "i-2"] and len(ann._built) == 3
        assert ann[-1] is bob[0]


def test_open_follow_ups_are_picked_without_building_the_rest(db: Path) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-a", "Ann"))
        entries = [make_entry(f"i-{n}", "c-a", days_ago=n) for n in range(20)]
        entries[3].follow_ups = [FollowUp("send the deck")]
        entries[7].follow_ups = [FollowUp("call back", done=NOW)]
        entries[9].follow_ups = [FollowUp("done", done=NOW), FollowUp("still open")]
        store.save_interactions(entries)
        store.checkpoint()
    _without_index(db)
    with open_store(db) as store:
        ann = store.review_timelines()["c-a"]
        assert isinstance(ann, LazyTimeline)
        assert [e.id for e in ann.with_open_follow_ups()] == ["i-3", "i-9"]
        assert sorted(ann._built) == ["i-3", "i-9"]


@pytest.mark.parametrize(("field", "value", "says"), [
    ("at", "not a date", "i-bad"), ("at", "", "i-bad"), ("at", 5, "i-bad"),
    ("contact_ids", "c-a", "i-bad"), ("contact_ids", [1], "i-bad")])
def test_a_record_that_cannot_be_ordered_is_named(db: Path, field: str, value: object,
                                                  says: str) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-a", "Ann"))
        store.save_interaction(make_entry("i-ok", "c-a"))
        store.save_interaction(make_entry("i-bad", "c-a"))
        doc = D.interaction_to_doc(make_entry("i-bad", "c-a"))
        doc[field] = value
        store._commit([("interactions", "i-bad", doc)])
        store.checkpoint()
    before = db.read_bytes()
    with open_store(db) as store, pytest.raises(DataFileError, match=says):
        store.review_timelines()
    assert db.read_bytes() == before


_zones = st.sampled_from([0, 60, -300, 330, 545, 840, -660, 3600 * 14 // 60])


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
       _zones, st.booleans())
def test_an_instant_read_from_its_text_is_the_built_ones(naive: datetime, minutes: int,
                                                          aware: bool) -> None:
    text = naive.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat() if aware \
        else naive.isoformat()
    built = D.dt_in(text)
    assert built is not None
    assert D.instant(text) == built.timestamp()


def test_kinds_stay_what_the_built_entries_say(db: Path) -> None:
    with open_store(db) as store:
        store.save_contact(make_contact("c-a", "Ann"))
        store.save_interaction(Interaction(id="i-1", contact_ids=["c-a"],
                                           kind=InteractionKind.THANK_YOU, at=NOW))
        store.checkpoint()
    with open_store(db) as store:
        [entry] = store.review_timelines()["c-a"]
        assert entry.kind is InteractionKind.THANK_YOU and entry.at == NOW
