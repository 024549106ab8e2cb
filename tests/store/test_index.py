"""The derived index beside the data file (``<file>.index``, SQLite): written at each
checkpoint, used only for exactly the file it describes, with the journal's later changes laid
over it, and never needed: a stale, missing, foreign or damaged index costs time, never an
answer."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.model import Email, FollowUp, RelationshipKind
from nurture.store import Store, index, open_store
from nurture.store.loading import encode_with_index
from nurture.store.matching import doc_could_match, query_words

from .conftest import make_contact, make_entry


def _index_of(db: Path) -> Path:
    return db.with_name(db.name + ".index")


def _book(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts([make_contact(f"c-{n}", f"Person {n}") for n in range(3)])
        entries = [make_entry(f"i-{n}", f"c-{n % 3}", *(["c-2"] if n % 4 == 0 else []),
                              days_ago=n) for n in range(12)]
        entries[5].follow_ups = [FollowUp("call back")]
        entries[6].follow_ups = [FollowUp("done", done=entries[6].at)]
        store.save_interactions(entries)
        store.checkpoint()
        store.close(fold=False)


def _answers(store: Store) -> tuple[dict[str, list[str]], list[str]]:
    people = {cid: [e.id for e in store.interactions(cid)] for cid in ("c-0", "c-1", "c-2")}
    return people, [e.id for e in store.entries_with_open_follow_ups()]


def _expected(db: Path) -> tuple[dict[str, list[str]], list[str]]:
    """The same questions answered from the whole, parsed timeline."""
    with open_store(db) as store:
        store.interactions()  # builds everything: no index involved
        return _answers(store)


def _used_index(store: Store) -> bool:
    return "interactions" in store._db.storage._mem.lazy  # answered without parsing it


def test_the_encoder_notes_each_documents_range_in_exactly_orjsons_bytes() -> None:
    data = {"_meta": {"schema": {"version": 1}},
            "interactions": {"i-1": {"id": "i-1", "text": "Zoë\n\"x\"", "follow_ups": []},
                             "i-2": {}, "i-3": {"nested": {"a": [1, {"b": None}]}}},
            "contacts": {"c-1": {"display_name": "Ann"}}}
    blob, spans, docs = encode_with_index(data, ("interactions", "contacts"))
    assert blob == orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    for table in ("interactions", "contacts"):
        assert {k: orjson.loads(blob[a:b]) for k, (a, b) in docs[table].items()} == data[table]
    assert {k: orjson.loads(blob[a:b]) for k, (a, b) in spans.items()} == data


def test_a_checkpoint_writes_it_and_show_reads_a_few_documents(db: Path) -> None:
    _book(db)
    assert _index_of(db).exists()
    expected = _expected(db)
    with open_store(db) as store:
        assert _answers(store) == expected and _used_index(store)
    assert expected[1] == ["i-5"] and len(expected[0]["c-2"]) == 6


def test_the_journals_later_writes_are_laid_over_it(db: Path) -> None:
    _book(db)
    with open_store(db) as store:  # another process's writes, in the journal
        store.save_interaction(make_entry("i-new", "c-1", text="new"))
        store._db.storage.commit([("interactions", "i-4", None)])  # c-1 and c-2 lose it
        moved = make_entry("i-1", "c-0", days_ago=1)  # was c-1's: now c-0's
        moved.follow_ups = [FollowUp("now open")]
        store.save_interaction(moved)
        closed = store.interaction("i-5")
        closed.follow_ups[0].done = closed.at
        store.save_interaction(closed)
        store.close(fold=False)
    expected = _expected(db)
    with open_store(db) as store:
        assert "interactions" in store._db.storage._mem.lazy
        assert _answers(store) == expected and _used_index(store)
        store.save_interaction(make_entry("i-mine", "c-2"))  # this process's own write
        assert "i-mine" in [e.id for e in store.interactions("c-2")]
    assert expected[1] == ["i-1"] and "i-new" in expected[0]["c-1"]


@pytest.mark.parametrize("damage", ["missing", "garbage", "stale", "foreign", "bad span",
                                    "edited file"])
def test_a_damaged_or_stale_index_is_ignored(db: Path, damage: str) -> None:
    _book(db)
    expected = _expected(db)
    path = _index_of(db)

    def change(sql: str, *args: object) -> None:
        with sqlite3.connect(path) as conn:
            conn.execute(sql, args)
        conn.close()

    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00" * 100)
    elif damage == "stale":
        change("UPDATE meta SET value = value - 1 WHERE key = 'gen'")
    elif damage == "foreign":
        change("UPDATE meta SET value = 'another file' WHERE key = 'uid'")
    elif damage == "bad span":
        change("UPDATE entry SET start = start + 3 WHERE contact = 'c-1'")  # mid-document
        change("UPDATE entry SET start = 1, end = 2 WHERE open")
    else:  # the data file edited in place by hand: same inode, another size
        with open(db, "ab") as handle:
            handle.write(b"\n")
    with open_store(db) as store:
        assert _answers(store) == expected


def test_a_checkpoint_that_fails_leaves_no_stale_index(db: Path, monkeypatch) -> None:
    _book(db)
    from nurture import fsutil

    real = fsutil.atomic_write

    def fail_on_data_file(path: Path, *args: object, **kwargs: object) -> None:
        if path == db:
            raise OSError(28, "No space left on device")
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    with open_store(db) as store:
        store.save_interaction(make_entry("i-new", "c-1"))
        monkeypatch.setattr(fsutil, "atomic_write", fail_on_data_file)
        with pytest.raises(Exception, match="No space left"):
            store.checkpoint()
        monkeypatch.undo()
        store.close(fold=False)
    assert not _index_of(db).exists()
    with open_store(db) as store:
        assert "i-new" in [e.id for e in store.interactions("c-1")]


def test_the_index_is_private(db: Path) -> None:
    _book(db)
    assert os.stat(_index_of(db)).st_mode & 0o777 == 0o600
    assert index.path_for(db) == _index_of(db)


def test_ranges_read_from_a_file_changed_in_place_are_refused(db: Path) -> None:
    from nurture.errors import DataFileError

    _book(db)
    with open_store(db) as store:
        with open(db, "ab") as handle:  # a hand edit in place (its size tells)
            handle.write(b" ")
        with pytest.raises(DataFileError, match="changed in place"):
            store._db.storage.indexed("interactions", lambda ix: ix.spans("c-1"))


@pytest.mark.parametrize("ids", [[["c-1"]], [{"a": 1}], "c-1", [1]])
def test_a_record_too_malformed_to_index_costs_the_index_not_the_fold(db: Path, ids) -> None:
    # Found in review: a hand-edited ``contact_ids`` made every fold raise TypeError after
    # the data file was replaced, so every command ended in a traceback.
    _book(db)
    raw = json.loads(db.read_bytes())
    raw["interactions"]["i-3"]["contact_ids"] = ids
    db.write_bytes(json.dumps(raw).encode())
    os.chmod(db, 0o600)
    with open_store(db) as store:
        store.save_contact(make_contact("c-9", "Someone New"))  # a journal to fold
        store.checkpoint()  # no exception: the file is folded, the index left out
        store.close(fold=False)
    assert "c-9" in json.loads(db.read_bytes())["contacts"]
    with open_store(db) as store:  # the index says the file cannot be indexed: not retried
        assert store._db.storage._file_index() is None
        assert not store.reindex_due(look=True) and not store.reindex()
    # The record is named when someone's timeline is read.
    with open_store(db) as store, pytest.raises(Exception, match="i-3"):
        store.interactions()


# ------------------------------------------------------------ contacts


def _people(db: Path) -> None:
    with open_store(db) as store:
        store.save_contacts([
            make_contact("c-ann", "Ann Lee", interests=["sailing", "chess"],
                         kind=RelationshipKind.CLIENT),
            make_contact("c-joanne", "Joanne Ek", interests=["sailing"], company="Annex"),
            make_contact("c-zoe", "Zoë Ångström", nickname="Zo", interests=["chess"]),
            make_contact("c-bob", "Bob Stone", emails=[Email("ann84@example.com")]),
            *[make_contact(f"c-{n}", f"Person {n:03}", interests=["golf"]) for n in range(40)],
        ])
        store.checkpoint()
        store.close(fold=False)


QUERIES = ["ann", "ann lee", "c-zoe", "zoe", "angstrom", "zo", "person 01", "annex", "ek",
           "ann84", "nobody", "lee ann", "Person 039"]
TAGS: list[tuple[list[str], str | None]] = [
    (["sailing"], None), (["Sailing", "chess"], None), (["golf"], None), (["chess"], "client"),
    ([], "client"), (["none"], None)]


def _contact_answers(store: Store) -> tuple[list[object], list[list[str]], list[object]]:
    resolved: list[object] = []
    for query in QUERIES:
        try:
            resolved.append(store.resolve(query).id)
        except Exception as exc:  # the sentence is part of the answer
            resolved.append(str(exc))
    listed = [[c.id for c in store.contacts(tags=tags, kind=kind)] for tags, kind in TAGS]
    by_id = [None if (c := store.contact(i)) is None else (c.display_name, c.interests)
             for i in ("c-ann", "c-zoe", "c-new", "c-gone", "c-x")]
    named = store.display_names(["c-zoe", "c-x", "c-ann", "c-zoe", "c-new", "c-joanne"])
    by_id.append(list(named.items()))  # in the order asked
    return resolved, listed, by_id


def _expected_contacts(db: Path) -> tuple[list[object], list[list[str]], list[object]]:
    with open_store(db) as store:
        store.contacts()  # builds everyone: no index involved
        return _contact_answers(store)


def _contacts_unparsed(store: Store) -> bool:
    return "contacts" in store._db.storage._mem.lazy


def test_contacts_are_looked_up_in_it_and_answer_as_the_whole_table(db: Path) -> None:
    _people(db)
    expected = _expected_contacts(db)
    with open_store(db) as store:
        assert _contact_answers(store) == expected
    with open_store(db) as store:  # what is found is found without parsing the table
        assert store.resolve("ann lee").id == "c-ann" and store.resolve("c-zoe").id == "c-zoe"
        assert store.resolve("angstrom").id == "c-zoe"
        assert [c.id for c in store.contacts(tags=["chess"], kind="client")] == ["c-ann"]
        assert store.contact("c-bob") is not None and store.contact("c-x") is None
        assert store.display_names(["c-bob", "c-x", "c-ann"]) == {"c-bob": "Bob Stone",
                                                                   "c-ann": "Ann Lee"}
        assert _contacts_unparsed(store)
    resolved, listed, _ = expected
    assert "c-ann" in str(resolved[0]) and "c-bob" in str(resolved[0])  # ann84@
    assert resolved[1] == "c-ann" and resolved[2] == "c-zoe" and resolved[4] == "c-zoe"
    assert listed[0] == ["c-ann", "c-joanne"] and listed[1] == ["c-ann"] == listed[3]
    assert len(listed[2]) == 40 and listed[5] == []


def test_the_journals_later_contacts_are_laid_over_it(db: Path) -> None:
    _people(db)
    with open_store(db) as store:  # another process's writes, in the journal
        store.save_contact(make_contact("c-new", "Annika New", interests=["sailing"]))
        store.delete_contact("c-joanne")
        renamed = store.contact("c-zoe")
        assert renamed is not None
        renamed.display_name, renamed.interests = "Zoe Renamed", ["sailing"]
        store.save_contact(renamed)
        store.save_contact(make_contact("c-gone", "Gone Soon"))
        store.delete_contact("c-gone")
        store.close(fold=False)
    with open_store(db) as store:  # the names the index keeps, the journal's laid over them
        assert store.display_names(["c-zoe", "c-joanne", "c-new", "c-gone", "c-ann"]) == {
            "c-zoe": "Zoe Renamed", "c-new": "Annika New", "c-ann": "Ann Lee"}
        assert _contacts_unparsed(store)
        store.close(fold=False)
    expected = _expected_contacts(db)
    with open_store(db) as store:
        assert _contact_answers(store) == expected
    with open_store(db) as store:
        assert store.resolve("zoe renamed").id == "c-zoe"
        assert store.resolve("annika").id == "c-new"
        assert store.contact("c-joanne") is None
        assert _contacts_unparsed(store)
    resolved, listed, by_id = expected
    assert listed[0] == ["c-ann", "c-new", "c-zoe"]  # by name: Ann, Annika, Zoe
    assert by_id[1] == ("Zoe Renamed", ["sailing"]) and by_id[3] is None
    assert by_id[-1] == [("c-zoe", "Zoe Renamed"), ("c-ann", "Ann Lee"), ("c-new", "Annika New")]
    assert "Ek" not in str(resolved)


@pytest.mark.parametrize("damage", ["garbage", "bad span", "wrong table", "swapped"])
def test_a_damaged_contact_index_costs_time_not_an_answer(db: Path, damage: str) -> None:
    _people(db)
    expected = _expected_contacts(db)
    with sqlite3.connect(_index_of(db)) as conn:
        if damage == "garbage":
            conn.execute("UPDATE person SET start = 'x'")
        elif damage == "bad span":
            conn.execute("UPDATE person SET start = start + 2")
        elif damage == "wrong table":  # a range of the timeline's table given for a contact
            conn.execute("UPDATE person SET start = 2, end = 3")
        else:  # two people's ranges exchanged: each id would find the other one
            (a_start, a_end), = conn.execute("SELECT start, end FROM person WHERE id = 'c-ann'")
            (z_start, z_end), = conn.execute("SELECT start, end FROM person WHERE id = 'c-zoe'")
            conn.execute("UPDATE person SET start = ?, end = ? WHERE id = 'c-ann'",
                         (z_start, z_end))
            conn.execute("UPDATE person SET start = ?, end = ? WHERE id = 'c-zoe'",
                         (a_start, a_end))
    conn.close()
    with open_store(db) as store:
        assert _contact_answers(store) == expected


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


def _holding(texts: list[str], query: str) -> tuple[list[str], list[str], bool]:
    """What the index and doc_could_match keep for ``query``, and whether the
    index was written with its trigram table."""
    docs = {f"c-{n}": {"display_name": t, "company": t[::-1]} for n, t in enumerate(texts)}
    data = {"_meta": {"schema": {"version": 1}}, "contacts": docs, "interactions": {}}
    blob, _, spans = encode_with_index(data, index.TABLES)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.json"
        path.write_bytes(blob)
        sig = (1, len(blob), 1)
        index.write(index.path_for(path), data, spans, sig, 1, None)
        with sqlite3.connect(index.path_for(path)) as conn:
            has_words = conn.execute("SELECT value FROM meta WHERE key = 'words'").fetchone()
        conn.close()
        found = index.load(index.path_for(path), sig, 1, None, len(blob))
        assert found is not None
        words = query_words(query)
        answer = found.contacts_holding(words)
        found.close()
    assert answer is not None
    return (sorted(i for _, _, i in answer),
            sorted(k for k, doc in docs.items() if doc_could_match(doc, words)),
            has_words == (1,))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_text, min_size=1, max_size=5), query=_text)
def test_sqlite_finds_the_words_python_finds(texts: list[str], query: str) -> None:
    # contacts_holding must keep exactly what doc_could_match keeps, whatever the text.
    index_keeps, python_keeps, _ = _holding(texts, query)
    assert index_keeps == python_keeps


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_text, min_size=1, max_size=5), data=st.data())
def test_a_word_cut_from_someones_text_finds_them_through_the_trigrams(
        texts: list[str], data: st.DataObject) -> None:
    # A query taken from the texts themselves, so that most are found (an arbitrary
    # query above rarely shares three letters with anyone).
    source = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(source)))
    query = source[start:data.draw(st.integers(start, len(source)))]
    index_keeps, python_keeps, has_words = _holding(texts, query)
    assert has_words
    assert index_keeps == python_keeps


def test_names_are_found_through_the_trigrams_and_short_words_by_reading() -> None:
    texts = ["Ann Lee", "Joanne Ek", "Zoë Ångström", "Bob O'Hara \"Bobby\"", "Ek Ann"]
    for query in ("ann", "ann lee", "ek", "zoe", "angstrom", "o'hara", '"bobby"', "ek ann",
                  "nne", "n", "nobody", "ÅNGSTRÖM", "bob*", "ann OR lee", "lee NOT ann"):
        index_keeps, python_keeps, has_words = _holding(texts, query)
        assert has_words
        assert index_keeps == python_keeps, query
    assert _holding(texts, "ann")[0] == ["c-0", "c-1", "c-4"]  # jo-ANN-e too
    assert _holding(texts, "ann OR lee")[0] == []  # typed words, not a query language


def test_without_the_trigram_tokenizer_the_rows_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite before 3.34 has no trigram tokenizer: the index is written without the
    # table, and every row is read, with the same answers.
    monkeypatch.setattr(index, "_WORDS", index._WORDS.replace("trigram", "no_such_tokenizer"))
    texts = ["Ann Lee", "Joanne Ek", "Zoë Ångström"]
    for query in ("ann", "ann lee", "ek", "angstrom", "nobody"):
        index_keeps, python_keeps, has_words = _holding(texts, query)
        assert not has_words
        assert index_keeps == python_keeps, query
    assert _holding(texts, "ann")[0] == ["c-0", "c-1"]


def test_a_malformed_name_read_through_the_index_names_the_record(db: Path) -> None:
    from nurture.errors import DataFileError

    _people(db)
    with open_store(db) as store:  # a hand edit the model would refuse, folded with the rest
        doc = json.loads(db.read_bytes())["contacts"]["c-bob"]
        doc["display_name"] = 5
        store._commit([("contacts", "c-bob", doc)])
        store.checkpoint()
        store.close(fold=False)
    with open_store(db) as store:
        assert store.display_names(["c-ann"]) == {"c-ann": "Ann Lee"}
        assert _contacts_unparsed(store)  # through the index
        with pytest.raises(DataFileError, match="c-bob"):
            store.display_names(["c-ann", "c-bob"])
