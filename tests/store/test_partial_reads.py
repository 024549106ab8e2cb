"""`show` and `follow-ups` build only the entries they print: the same entries, in the same
order, as the whole timeline would give, and a malformed one is still named."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.errors import DataFileError
from nurture.model import FollowUp
from nurture.store import open_store
from nurture.store.tables import GAP, RUN, FileBytes, _runs

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


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.tuples(st.integers(0, 40_000), st.integers(1, 300)),
                      min_size=1, max_size=40),
       from_file=st.booleans(), gap=st.sampled_from([0, 100, GAP]),
       run=st.sampled_from([1, 500, 5_000, RUN]))
def test_nearby_documents_are_read_together_and_each_is_its_own_bytes(
        tmp_path_factory: pytest.TempPathFactory, sizes: list[tuple[int, int]],
        from_file: bool, gap: int, run: int) -> None:
    """Grouping the ranges into reads changes no document's bytes, keeps their order,
    and no read is longer than a run."""
    data = bytearray()
    spans = []
    for n, (gap, size) in enumerate(sizes):
        data += b"." * gap
        spans.append((len(data), len(data) + size, f"d{n}"))
        data += bytes((n * 7 + k) % 251 for k in range(size))
    raw: FileBytes | bytes = bytes(data)
    if from_file:
        path = tmp_path_factory.mktemp("runs") / "book.json"
        path.write_bytes(data)
        fd = os.open(path, os.O_RDONLY)
        st_ = os.fstat(fd)
        raw = FileBytes(path, fd, (st_.st_ino, st_.st_size, st_.st_mtime_ns))
    got = []
    for base, chunk, together in _runs(raw, spans, gap=gap, run=run):
        first = together[0]
        assert not from_file or len(chunk) <= max(run, first[1] - first[0])
        assert all(b[0] - a[1] <= gap for a, b in pairwise(together))
        for start, end, doc_id in together:
            got.append((doc_id, bytes(chunk[start - base:end - base])))
    if isinstance(raw, FileBytes):
        raw.close()
    assert got == [(doc_id, bytes(data[start:end])) for start, end, doc_id in spans]
