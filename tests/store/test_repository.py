"""The Store API: finding people, deleting and restoring, timelines, caches, copies."""

from __future__ import annotations

import random
from pathlib import Path

import pendulum
import pytest

from nurture.errors import Ambiguous, NotFound
from nurture.model import Email, Feed, RelationshipKind, ReviewState, ReviewStatus
from nurture.store import Store, open_store

from .conftest import AT, make_contact, make_entry


@pytest.fixture
def store(db: Path) -> Store:
    store = open_store(db)
    store.save_contacts([
        make_contact("c-ann", "Ann"),
        make_contact("c-annabel", "Annabel Lee", given_name="Annabel", family_name="Lee"),
        make_contact("c-zoe", "Zoë Ångström", nickname="Zo"),
        make_contact("c-zsmith", "Zoe Smith", emails=[Email("zoe@example.org")]),
        make_contact("c-dan", "Dan Okafor", given_name="Daniel", family_name="Okafor"),
        make_contact("c-hana", "Hana Bauer"),
        make_contact("c-elodie", "Élodie Martin"),
    ])
    return store


# ---------------------------------------------------------------- resolve


@pytest.mark.parametrize("typed,expected", [
    ("c-dan", "Dan Okafor"),  # an id
    ("ann", "Ann"),  # exact beats the partial "Annabel" and "Hana"
    ("ANGSTR", "Zoë Ångström"),  # accent- and case-insensitive partial
    ("zoë ångström", "Zoë Ångström"),
    ("zo", "Zoë Ångström"),  # the nickname, exactly
    ("zoe@example.org", "Zoe Smith"),  # an email
    ("lee ann", "Annabel Lee"),  # words, in any order, each a word's start
    ("daniel", "Dan Okafor"),  # the given name
    ("elodie", "Élodie Martin"),
    ("kafo", "Dan Okafor"),  # a unique substring
])
def test_resolve_finds_the_one_person_meant(store: Store, typed: str, expected: str) -> None:
    assert store.resolve(typed).display_name == expected


def test_resolve_lists_the_candidates_when_ambiguous(store: Store) -> None:
    with pytest.raises(Ambiguous) as info:
        store.resolve("zoe")  # two people's names start with it: neither is exact
    assert info.value.candidates == ["Zoë Ångström (c-zoe)", "Zoe Smith (c-zsmith)"]
    assert "'zoe' matches 2 contacts" in str(info.value)


def test_resolve_prefers_word_starts_over_substrings(store: Store) -> None:
    # "an" starts Ann, Annabel and Ångström (ambiguous); Dan and Hana only contain it.
    with pytest.raises(Ambiguous) as info:
        store.resolve("an")
    assert [c.split(" (")[0] for c in info.value.candidates] == \
        ["Ann", "Annabel Lee", "Zoë Ångström"]
    assert store.resolve("ana").display_name == "Hana Bauer"  # the only one containing it


@pytest.mark.parametrize("typed", ["nobody", "   "])
def test_resolve_says_when_nobody_matches(store: Store, typed: str) -> None:
    with pytest.raises(NotFound):
        store.resolve(typed)


def test_find_contacts_returns_every_match_best_first(store: Store) -> None:
    # Ranked as the app's picker and list filter rank (it was name order): names that
    # start with it, then a word starting with it, then the names that only contain it.
    found = [c.display_name for c in store.find_contacts("an")]
    assert found == ["Ann", "Annabel Lee", "Zoë Ångström", "Dan Okafor", "Hana Bauer"]


def test_contacts_are_sorted_by_folded_name(store: Store) -> None:
    names = [c.display_name for c in store.contacts()]
    assert names == ["Ann", "Annabel Lee", "Dan Okafor", "Élodie Martin", "Hana Bauer",
                     "Zoë Ångström", "Zoe Smith"]


# ---------------------------------------------------------------- copies and caches


def test_single_getters_return_copies_that_are_safe_to_edit(store: Store) -> None:
    ann = store.contact("c-ann")
    ann.display_name = "Edited but not saved"
    assert store.contact("c-ann").display_name == "Ann"
    assert "Edited but not saved" not in [c.display_name for c in store.contacts()]
    resolved = store.resolve("ann")
    resolved.company = "Not saved either"
    assert store.contact("c-ann").company == ""
    ann.company = "Acme"
    store.save_contact(ann)
    assert store.contact("c-ann").display_name == "Edited but not saved"


def test_export_is_a_deep_copy(store: Store) -> None:
    exported = store.export_data()
    exported["contacts"]["c-ann"]["display_name"] = "Changed"
    assert store.contact("c-ann").display_name == "Ann"
    assert store.export_data()["contacts"]["c-ann"]["display_name"] == "Ann"


def test_nested_extra_values_are_not_shared_with_the_stored_document(store: Store) -> None:
    ann = store.contact("c-ann")
    ann.extra = {"vcard": {"X-SIGNAL": ["+1 555"]}}
    store.save_contact(ann)
    store.contacts()[0].extra["vcard"]["X-SIGNAL"].append("tampered")  # a careless reader
    assert store.export_data()["contacts"]["c-ann"]["extra"] == {"vcard": {"X-SIGNAL": ["+1 555"]}}


# ---------------------------------------------------------------- delete and restore


def test_delete_contact_removes_their_own_entries_and_detaches_shared_ones(store: Store) -> None:
    store.save_interactions([
        make_entry("i-own", "c-ann", text="call with Ann"),
        make_entry("i-shared", "c-ann", "c-dan", days_ago=1, text="lunch with both"),
        make_entry("i-other", "c-dan", days_ago=2),
    ])
    before = store.export_data()
    deleted = store.delete_contact("c-ann")
    assert store.contact("c-ann") is None and store.interaction("i-own") is None
    assert store.interaction("i-shared").contact_ids == ["c-dan"]
    assert [e.id for e in store.interactions("c-dan")] == ["i-shared", "i-other"]
    assert store.interactions("c-ann") == []
    store.restore(deleted)
    assert store.export_data() == before
    assert [e.id for e in store.interactions("c-ann")] == ["i-own", "i-shared"]


def test_deleting_someone_unknown_says_so(store: Store) -> None:
    with pytest.raises(NotFound):
        store.delete_contact("c-nobody")


# ---------------------------------------------------------------- timelines


def test_timelines_are_newest_first_overall_and_per_person(store: Store) -> None:
    store.save_interactions([
        make_entry("i-old", "c-ann", days_ago=30),
        make_entry("i-new", "c-ann", "c-dan", days_ago=1),
        make_entry("i-mid", "c-dan", days_ago=10),
    ])
    assert [e.id for e in store.interactions()] == ["i-new", "i-mid", "i-old"]
    assert [e.id for e in store.interactions("c-ann")] == ["i-new", "i-old"]
    assert store.last_interaction("c-dan").id == "i-new"
    assert store.last_interaction("c-hana") is None
    by_contact = store.interactions_by_contact()
    assert {k: [e.id for e in v] for k, v in by_contact.items()} == {
        "c-ann": ["i-new", "i-old"], "c-dan": ["i-new", "i-mid"]}


def _naive(store_db: Path) -> dict[str, list[str]]:
    """Each contact's timeline computed from scratch by a freshly opened store."""
    with open_store(store_db) as fresh:
        entries = sorted(fresh.interactions(), key=lambda e: (-e.at.timestamp(), e.id))
    result: dict[str, list[str]] = {}
    for entry in entries:
        for contact_id in dict.fromkeys(entry.contact_ids):
            result.setdefault(contact_id, []).append(entry.id)
    return result


def test_the_incremental_timeline_index_matches_a_rebuild_after_many_changes(db: Path) -> None:
    rng = random.Random(7)
    store, other = open_store(db), open_store(db)
    people = [f"c-{n}" for n in range(6)]
    store.interactions_by_contact()  # build the index, then keep it up to date
    for step in range(300):
        writer = other if step % 5 == 0 else store  # some changes come from "elsewhere"
        entry_id = f"i-{rng.randrange(60)}"
        if rng.random() < 0.2:
            if writer.interaction(entry_id):
                writer.delete_interaction(entry_id)
            continue
        entry = make_entry(entry_id, *rng.sample(people, rng.choice([1, 1, 2, 3])),
                           days_ago=rng.randrange(20))  # ties in time happen too
        writer.save_interaction(entry)
    got = {k: [e.id for e in v] for k, v in store.interactions_by_contact().items()}
    assert got == _naive(db)
    assert [e.id for e in store.interactions()] == \
        [e.id for e in sorted(open_store(db).interactions(), key=lambda e: (-e.at.timestamp(),
                                                                              e.id))]


def test_an_entry_changed_in_place_by_a_reader_is_reindexed_when_saved(store: Store) -> None:
    store.save_interactions([make_entry("i-1", "c-ann", days_ago=5),
                             make_entry("i-2", "c-ann", days_ago=3)])
    shared = store.interactions("c-ann")[1]  # i-1, the cached object itself
    shared.at = AT.add(days=1)
    shared.contact_ids = ["c-dan"]
    store.save_interaction(shared)
    assert [e.id for e in store.interactions("c-ann")] == ["i-2"]
    assert [e.id for e in store.interactions()] == ["i-1", "i-2"]
    assert [e.id for e in store.interactions("c-dan")] == ["i-1"]


# ---------------------------------------------------------------- the smaller tables


def test_review_states_feeds_and_news_round_trip(store: Store, db: Path) -> None:
    store.set_review_state(ReviewState("birthday:c-ann:2026", ReviewStatus.SNOOZED,
                                       at=AT, until=pendulum.date(2026, 12, 1)))
    store.save_feed(Feed("https://example.org/feed.xml", tags=["sailing"]))
    reopened = open_store(db)
    state = reopened.review_states()["birthday:c-ann:2026"]
    assert state.status is ReviewStatus.SNOOZED and state.until == pendulum.date(2026, 12, 1)
    assert [f.url for f in reopened.feeds()] == ["https://example.org/feed.xml"]
    reopened.clear_review_state("birthday:c-ann:2026")
    reopened.delete_feed("https://example.org/feed.xml")
    assert store.review_states() == {} and store.feeds() == []
    with pytest.raises(NotFound):
        store.delete_feed("https://example.org/feed.xml")


@pytest.mark.parametrize("built_first", [False, True], ids=["from documents", "from models"])
def test_contacts_filtered_by_tags_and_kind(db: Path, built_first: bool) -> None:
    with open_store(db) as store:
        store.save_contacts([
            make_contact("c-1", "Ann", interests=["sailing", "jazz"], kind=RelationshipKind.FRIEND),
            make_contact("c-2", "Ben", interests=["sailing"], kind=RelationshipKind.CLIENT),
            make_contact("c-3", "Cleo", interests=["jazz"], kind=RelationshipKind.FRIEND),
        ])
    store = open_store(db)
    if built_first:
        store.contacts()
    assert [c.id for c in store.contacts(tags=["#Sailing"])] == ["c-1", "c-2"]
    assert [c.id for c in store.contacts(tags=["sailing", "jazz"])] == ["c-1"]
    assert [c.id for c in store.contacts(kind=RelationshipKind.FRIEND)] == ["c-1", "c-3"]
    assert [c.id for c in store.contacts(tags=["jazz"], kind=RelationshipKind.CLIENT)] == []
    assert len(store.contacts()) == 3
