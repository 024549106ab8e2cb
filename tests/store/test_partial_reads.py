"""`show` and `follow-ups` build only the entries they print: the same entries, in the same
order, as the whole timeline would give, and a malformed one is still named."""

from __future__ import annotations

from pathlib import Path

import pytest

from nurture.errors import DataFileError
from nurture.model import FollowUp
from nurture.store import open_store

from .conftest import journal_of, make_contact, make_entry


def _book(db: Path) -> None:
    with open_store(db) as store:
        for n in range(4):
            store.save_contact(make_contact(f"c-{n}", f"Person {n}"))
        entries = [make_entry(f"i-{n:02d}", f"c-{n % 4}", *([f"c-{(n + 1) % 4}"] * (n % 3 == 0)),
                              days_ago=n % 5, text=f"entry {n}") for n in range(30)]
        for n, entry in enumerate(entries):
            if n % 4 == 0:
                entry.follow_ups = [FollowUp(f"do {n}"), FollowUp("done", done=entry.at)]
            elif n % 4 == 1:
                entry.follow_ups = [FollowUp("done", done=entry.at)]
        store.save_interactions(entries)
        store.checkpoint()
        store.save_interaction(make_entry("i-late", "c-1", "c-2", days_ago=2))  # in the journal


def test_one_contacts_entries_are_the_timelines(db: Path) -> None:
    _book(db)
    with open_store(db) as store:
        partial = {cid: [e.id for e in store.interactions(cid)] for cid in ("c-0", "c-1", "c-9")}
        assert store._timeline is None  # nothing else was built
        store.interactions()  # now the whole timeline
        whole = {cid: [e.id for e in store.interactions(cid)] for cid in ("c-0", "c-1", "c-9")}
    assert partial == whole and len(partial["c-1"]) > 5 and partial["c-9"] == []
    assert "i-late" in partial["c-1"]


def test_open_follow_ups_are_the_timelines(db: Path) -> None:
    _book(db)
    with open_store(db) as store:
        partial = [e.id for e in store.entries_with_open_follow_ups()]
        whole = [e.id for e in store.interactions() if e.open_follow_ups()]
        again = [e.id for e in store.entries_with_open_follow_ups()]  # from the built ones
    assert partial == whole == again and len(partial) == 8


def test_a_malformed_entry_of_the_contact_is_still_named(db: Path) -> None:
    _book(db)
    with open_store(db) as store:
        store._db.upsert("interactions", "i-bad", {"id": "i-bad", "contact_ids": "c-1",
                                                   "kind": "call", "at": "not a time"})
        store.close(fold=False)
    assert journal_of(db).exists()
    with open_store(db) as store, pytest.raises(DataFileError, match=r"i-bad"):
        store.interactions("c-1")
