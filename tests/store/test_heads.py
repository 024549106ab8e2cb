"""A command's review read from the derived index (``store.heads``): each person's newest
touch, their last few weeks and their open follow-ups, answered from the index's places,
days and kinds, must be what walking the built timelines gives (``touch.heads_of``),
whatever the offsets, ties, plans, kinds, and the journal's later writes."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nurture import documents as D
from nurture.actions.review import build_review
from nurture.errors import DataFileError
from nurture.model import FollowUp, Interaction, InteractionKind
from nurture.rules import RulesConfig
from nurture.store import Store, open_store
from nurture.store.heads import IndexedTimelines
from nurture.touch import Heads, Promise, heads_of, promises_of

from .conftest import AT, make_contact, make_entry

PEOPLE = ["c-0", "c-1", "c-2", "c-3"]
TODAY = pendulum.date(2026, 11, 25)
NOW = pendulum.datetime(2026, 11, 25, 8, tz="UTC")

# The follow-ups of an entry: none, open without a date or with one (past or coming),
# one done beside an open one, all done, and an open one without an id (a hand edit:
# building it gives it a new id each time).
_PROMISES = ["none", "open", "due past", "due coming", "done and open", "all done", "no id"]

# people, kind, days before today (negative: a plan), minute of the day (few: ties), offset
# in minutes (None: no offset, as a hand edit leaves it), its follow-ups
_entries = st.lists(st.tuples(
    st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3),
    st.sampled_from(list(InteractionKind)),
    st.integers(-5, 45),
    st.sampled_from([0, 30, 23 * 60 + 59, 12 * 60]),
    st.sampled_from([0, 60, -300, 330, 840, -720, 23 * 60 + 59, -(23 * 60 + 59), None]),
    st.sampled_from(_PROMISES)), min_size=1, max_size=30)


def _doc(n: int, spec: tuple) -> dict:
    people, kind, days_ago, minute, offset, promises = spec
    local = pendulum.datetime(2026, 11, 25).subtract(days=days_ago).add(minutes=minute)
    follow_ups = {
        "none": [], "open": [FollowUp("call back")], "no id": [FollowUp("no id")],
        "due past": [FollowUp("send it", due=TODAY.subtract(days=n % 9))],
        "due coming": [FollowUp("book it", due=TODAY.add(days=n % 9))],
        "done and open": [FollowUp("done", done=NOW), FollowUp("still open", due=TODAY)],
        "all done": [FollowUp("done", done=NOW)],
    }[promises]
    entry = Interaction(id=f"i-{n:03d}", contact_ids=people, kind=kind, at=NOW, text=f"#{n}",
                        follow_ups=follow_ups)
    doc = D.interaction_to_doc(entry)
    for follow_up in doc["follow_ups"]:
        if follow_up["text"] == "no id":
            del follow_up["id"]
    stamp = local.naive().isoformat()
    if offset is not None:
        sign = "-" if offset < 0 else "+"
        stamp += f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    doc["at"] = stamp
    return doc


def _book(db: Path, entries: list[tuple], later: bool) -> None:
    with open_store(db, backups_keep=0) as store:
        store.save_contacts([make_contact(cid, f"Person {cid}") for cid in PEOPLE])
        store._commit([("interactions", f"i-{n:03d}", _doc(n, spec))
                       for n, spec in enumerate(entries)])
        store.checkpoint()
        if later:  # another process's writes, in the journal
            store.save_interaction(make_entry("i-new", "c-0", days_ago=1))
            if entries:
                store.delete_interaction("i-000")
            if len(entries) > 1:
                moved = store.interaction("i-001")
                assert moved is not None
                moved.contact_ids = ["c-3"]
                store.save_interaction(moved)
        store.close(fold=False)


def _digest(heads: Heads) -> tuple:
    return ({cid: entry.id for cid, entry in heads.last_entry.items()}, heads.last_touch,
            heads.last_kind,
            {cid: [(place, day, e.id, e.kind, e.entry.id, e.entry.kind) for place, day, e in r]
             for cid, r in heads.recent.items()})


def _indexed(store: Store) -> IndexedTimelines:
    timelines = store.review_timelines()
    assert isinstance(timelines, IndexedTimelines)
    return timelines


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=_entries, later=st.booleans(), window=st.integers(0, 40),
       today=st.integers(-3, 3))
def test_the_index_answers_what_walking_the_built_timelines_answers(
        entries: list[tuple], later: bool, window: int, today: int) -> None:
    day = TODAY.toordinal() + today
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "nurture.json"
        _book(db, entries, later)
        with open_store(db, backups_keep=0) as store:
            timelines = _indexed(store)
            got = timelines.heads(set(PEOPLE[:3]), day, day - window)
            opened = {cid: [e.id for e in timelines.with_open_follow_ups(cid)] for cid in PEOPLE}
            promised = {cid: _promised(timelines.promises(cid)) for cid in PEOPLE}
            lengths = {cid: timelines.length_of(cid) for cid in PEOPLE}
            assert not store._caches["interactions"].items  # nothing built whole
            assert got is not None
            digest = _digest(got)  # (the window's entries are built here, from the file)
        with open_store(db, backups_keep=0) as store:
            built = store.interactions_by_contact()
    assert digest == _digest(heads_of(built, PEOPLE[:3], day, day - window))
    assert opened == {cid: [e.id for e in built.get(cid, []) if e.open_follow_ups()]
                      for cid in PEOPLE}
    assert lengths == {cid: len(built.get(cid, [])) for cid in PEOPLE}
    assert promised == {cid: _promised([p for e in built.get(cid, []) for p in promises_of(e)])
                        for cid in PEOPLE}


def _promised(promises: Sequence[Promise]) -> list[tuple]:
    """What the follow-up rule reads of each promise (an id made up at each build, as for
    a follow-up without one, is left out)."""
    return [("?" if p.follow_up.text == "no id" else p.id, p.due, p.logged, p.people,
             p.entry.id, p.follow_up.text, p.follow_up.due) for p in promises]


def _long_book(db: Path) -> None:
    with open_store(db, backups_keep=0) as store:
        store.save_contacts([make_contact("c-a", "Ann"), make_contact("c-b", "Bob")])
        entries = [make_entry(f"i-{n:03d}", "c-a", days_ago=3 + 20 * n) for n in range(60)]
        entries[40].follow_ups = [FollowUp("send the deck")]
        store.save_interactions([*entries, make_entry("i-bob", "c-b", days_ago=400)])
        store.checkpoint()


def test_only_the_entries_the_rules_read_are_built(db: Path) -> None:
    _long_book(db)
    with open_store(db, backups_keep=0) as store:
        timelines = _indexed(store)
        heads = timelines.heads({"c-a", "c-b"}, TODAY.toordinal(), TODAY.toordinal() - 20)
        assert heads is not None
        assert heads.last_touch == {"c-a": AT.toordinal() - 3, "c-b": AT.toordinal() - 400}
        assert [(e.id, e.kind) for _, _, e in heads.recent["c-a"]] == [("i-000", "call")]
        assert [e.id for e in timelines.with_open_follow_ups("c-a")] == ["i-040"]
        # Everyone's last touch, and the kind of each entry of the window, are known
        # without building them.
        assert sorted(timelines._built) == ["i-040"]
        assert heads.recent["c-a"][0][2].entry.id == "i-000"
        assert heads.last_entry["c-b"].id == "i-bob"
        assert sorted(timelines._built) == ["i-000", "i-040", "i-bob"]


@pytest.mark.parametrize("damage", ["bad span", "bad kind", "dropped table"])
def test_a_damaged_index_gives_the_review_of_the_whole_table(db: Path, damage: str) -> None:
    _long_book(db)
    rules = RulesConfig(daily_limit=1000)
    with open_store(db, backups_keep=0) as store:
        expected = [(s.key, s.reason) for s in build_review(store, rules, TODAY, now=NOW).queue]
    with sqlite3.connect(db.with_name(db.name + ".index")) as conn:
        conn.execute({"bad span": "UPDATE entry SET start = start + 3",
                      "bad kind": "UPDATE entry SET kind = 'a plan' WHERE pos = 0",
                      "dropped table": "DROP TABLE entry"}[damage])
    conn.close()
    with open_store(db, backups_keep=0) as store:
        got = [(s.key, s.reason) for s in build_review(store, rules, TODAY, now=NOW).queue]
    assert got == expected and any(key.startswith("follow-up") for key, _ in got)


def test_a_malformed_entry_in_the_journal_is_named(db: Path) -> None:
    _long_book(db)
    with open_store(db, backups_keep=0) as store:
        doc = D.interaction_to_doc(make_entry("i-bad", "c-a"))
        doc["kind"] = "a plan"
        store._commit([("interactions", "i-bad", doc)])
        store.close(fold=False)
    with open_store(db, backups_keep=0) as store, pytest.raises(DataFileError, match="i-bad"):
        build_review(store, RulesConfig(), TODAY, now=NOW)


def test_an_entry_deleted_while_the_rules_read_it_is_one_sentence(db: Path) -> None:
    from nurture.errors import NurtureError

    _long_book(db)
    with open_store(db, backups_keep=0) as store:
        heads = _indexed(store).heads({"c-a", "c-b"}, TODAY.toordinal(),
                                      TODAY.toordinal() - 20)
        assert heads is not None
        with open_store(db, backups_keep=0) as other:  # another program, meanwhile
            other.delete_interaction("i-000")
            other.close(fold=False)
        store.refresh()  # (as a rule reading a timeline picks up other programs' writes)
        seen = heads.recent["c-a"][0][2]
        assert seen.id == "i-000"
        with pytest.raises(NurtureError, match="changed while today's review was being read"):
            _ = seen.entry


def test_open_follow_ups_are_weighed_without_building_their_entries(db: Path) -> None:
    _long_book(db)
    with open_store(db, backups_keep=0) as store:
        timelines = _indexed(store)
        [promise] = timelines.promises("c-a")
        assert timelines.promises("c-b") == []
        assert promise.due is None and promise.people == ["c-a"]
        assert promise.logged == AT.toordinal() - 3 - 20 * 40
        assert timelines._built == {}  # told by the index alone
        assert promise.follow_up.text == "send the deck" and promise.entry.id == "i-040"
        assert sorted(timelines._built) == ["i-040"]


def test_a_person_the_journal_changed_does_not_cost_everyones_open_follow_ups(
        db: Path) -> None:
    """Found on the last read: a changed person's promises read (and built) every entry
    with an open follow-up first, as a day's writes in the journal usually make someone."""
    _long_book(db)
    with open_store(db, backups_keep=0) as store:
        store.save_interaction(make_entry("i-new", "c-b", days_ago=1))
        entry = store.interaction("i-new")
        assert entry is not None
        entry.follow_ups = [FollowUp("call back")]
        store.save_interaction(entry)
        timelines = _indexed(store)
        assert [p.follow_up.text for p in timelines.promises("c-b")] == ["call back"]
        assert "i-040" not in timelines._built
        assert [p.entry.id for p in timelines.promises("c-a")] == ["i-040"]
