"""One contact matcher: `nurture show NAME`, the picker and the list filter find the same people.

Before, three matchers disagreed: the command line's tiers looked at names and
emails only; the picker ranked rapidfuzz WRatio over name, nickname and company;
the list filter summed partial ratios over names, company, interests and emails,
a short word only as typed. "mya lindq" found Maya in the picker and nobody in
the list or the command line; "sailing" or "cto" found people in the list only.
"""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from pathlib import Path

import pytest
from hostile import HOSTILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.command import CommandPalette
from textual.widgets import OptionList, Static
from tui_support import DAN, MAYA, ready, real_app, settle, type_text, until

from nurture.errors import Ambiguous, NotFound
from nurture.model import Contact, Email, fold
from nurture.store import Store, open_store
from nurture.store.matching import (
    EXACT,
    TYPO,
    ContactMatcher,
    LazyMatcher,
    fold_query,
    search_book,
)
from nurture.tui.screens.contact_picker import SHOWN, ContactPicker
from nurture.tui.waiting import PREPARING
from nurture.tui.widgets.contacts import ContactList, ContactsPane, FilterInput

# Queries where the old matchers disagreed (and a few where they did not).
QUERIES = ["mya lindq", "northwind", "sailing", "cto", "an", "zoe", "lucia", "muller",
           "o'connor", "acme", "henrk larsen", "dan", "Dan Okafor", "maya@northwind.example",
           "xyzzy", "kumo eng"]
HENRIK, SOFIA, ANNA, BEN = "c-demo0024", "c-demo0009", "c-demo0029", "c-demo0030"
LUCIA, ZOE, JAMES, PRIYA, ETHAN = "c-demo0025", "c-demo0002", "c-demo0010", "c-demo0004", \
    "c-demo0018"
NOAH = "c-demo0014"


def _resolved(store: Store, query: str) -> str:
    """What `nurture show QUERY` would act on: an id, "ambiguous: ids" or "not found"."""
    try:
        return store.resolve(query).id
    except Ambiguous as exc:
        return "ambiguous: " + " ".join(c.rsplit("(", 1)[1].rstrip(")") for c in exc.candidates)
    except NotFound:
        return "not found"


async def _picker_ids(pilot, query: str) -> list[str]:
    app = pilot.app
    app.push_screen(ContactPicker())
    await settle(pilot)
    await type_text(pilot, query)
    await pilot.pause()
    options = app.screen.query_one(OptionList)
    found = [options.get_option_at_index(i).id for i in range(options.option_count)]
    await pilot.press("escape")
    await settle(pilot)
    return found


async def _filter_ids(pilot, query: str) -> list[str]:
    await pilot.press("slash")
    await type_text(pilot, query)
    await pilot.pause()
    rows = list(pilot.app.screen.query_one(ContactList).rows)
    await pilot.press("escape")
    await pilot.pause()
    return rows


async def test_the_command_line_the_picker_and_the_list_filter_agree(book: Path) -> None:
    store = open_store(book, create=False)
    try:
        wanted = {q: [c.id for c in store.find_contacts(q)] for q in QUERIES}
        resolved = {q: _resolved(store, q) for q in QUERIES}
    finally:
        store.close()
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for query in QUERIES:
            assert await _filter_ids(pilot, query) == wanted[query], query
            assert await _picker_ids(pilot, query) == wanted[query][:SHOWN], query

    # What they agree on is what a person means.
    assert wanted["mya lindq"] == [MAYA]  # a typo and a partial word
    assert resolved["mya lindq"] == "not found"  # a typo never decides who a command edits
    assert set(wanted["northwind"]) == {MAYA, SOFIA}  # the company (and email domain)
    assert set(wanted["sailing"]) == {HENRIK, MAYA}  # an interest
    assert wanted["lucia"] == [LUCIA] == [resolved["lucia"]]  # Lucía, accent folded
    assert wanted["zoe"][0] == ZOE
    assert set(wanted["muller"][:2]) == {ANNA, BEN}  # Müller
    assert wanted["o'connor"][0] == JAMES
    assert set(wanted["acme"]) == {PRIYA, ETHAN}
    assert wanted["henrk larsen"] == [HENRIK]
    assert wanted["kumo eng"] == [NOAH]  # company and title words together
    assert wanted["dan"][0] == DAN
    assert resolved["Dan Okafor"] == DAN
    assert resolved["maya@northwind.example"] == MAYA
    assert wanted["xyzzy"] == [] and resolved["xyzzy"] == "not found"
    # "an": Anna and Amara... start a name with it; the ambiguity lists the best tier only.
    assert resolved["an"].startswith("ambiguous: ")
    assert resolved["an"].split()[1:] == wanted["an"][:len(resolved["an"].split()) - 1]


def test_a_company_or_an_interest_never_decides_who_a_command_acts_on(book: Path) -> None:
    store = open_store(book, create=False)
    try:
        only_one = [q for q in ("sailing", "kumo eng", "acme", "northwind")
                    if len(store.find_contacts(q)) == 1]
        assert "kumo eng" in only_one  # Noah alone works there as an engineer
        for query in ("sailing", "kumo eng", "northwind"):
            with pytest.raises(NotFound, match=r"no contact's name or email matches .*: "
                                               r"name the person"):
                store.resolve(query)
        # A part of the person's own name still finds the one person it belongs to.
        assert store.resolve("okaf").id == DAN
    finally:
        store.close()


def test_resolve_names_near_misses_when_only_a_typo_matches(book: Path) -> None:
    store = open_store(book, create=False)
    try:
        with pytest.raises(NotFound, match=r"did you mean Henrik Larsen \(c-demo0024\)\?"):
            store.resolve("henrk")
        assert store.resolve("henrik").id == HENRIK
    finally:
        store.close()


# ---------------------------------------------------------------- hostile strings


def _hostile_store(path: Path) -> Store:
    store = open_store(path, backups_keep=0)
    people = [Contact.new(f"Person {n}", nickname=text[:200], company=text[:300])
              for n, (_, text) in enumerate(HOSTILE)]
    people += [Contact.new(text if text.strip() else f"Blank {n}")
               for n, (_, text) in enumerate(HOSTILE)]
    people.append(Contact.new("Maya Lindqvist", emails=[Email("maya@northwind.example")]))
    store.save_contacts(people)
    return store


def test_hostile_strings_neither_crash_nor_hide_anyone(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "book.json")
    try:
        contacts = store.contacts()
        both = [ContactMatcher(contacts), ContactMatcher(contacts, indexed=True)]
        for name, text in HOSTILE:
            ranked = [m.rank_ids(text) for m in both]
            assert ranked[0] == ranked[1] == [c.id for c in store.find_contacts(text)], name
            with contextlib.suppress(NotFound, Ambiguous):  # a person's sentence, not a crash
                assert store.resolve(text).id == ranked[1][0], name
        # Everyone is still found by their own display name, exactly.
        for contact in contacts:
            if fold_query(contact.display_name):
                tiers = both[1].search(contact.display_name)
                assert tiers[0].tier == EXACT and contact in tiers[0].contacts, \
                    contact.display_name[:40]
        assert store.resolve("maya lindqvist").display_name == "Maya Lindqvist"
    finally:
        store.close()


async def test_hostile_text_typed_in_the_filter_and_the_picker(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "book.json")
    store.close()
    app = real_app(tmp_path / "book.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(ContactsPane)
        await pilot.press("slash")
        for _, text in HOSTILE:
            pane.query_one(FilterInput).value = text
            await pilot.pause()
            assert pane.contact_list.rows == app.data.matcher.rank_ids(text)
        app.push_screen(ContactPicker())
        await settle(pilot)
        for _, text in HOSTILE:
            app.screen.query_one("#picker-query").value = text  # type: ignore[attr-defined]
            await pilot.pause()
            options = app.screen.query_one(OptionList)
            assert [options.get_option_at_index(i).id for i in range(options.option_count)] \
                == [c.id for c in app.data.matcher.rank(text, SHOWN)]


# ---------------------------------------------------------------- properties

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèçñøåäöüßÅÉÖØŁłœæ" \
          "αβγδΣσςжЖ田中"
WORD = st.text(LETTERS, min_size=1, max_size=9)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
PERSON = st.builds(
    lambda name, nick, company, local, interests: Contact.new(
        name, nickname=nick, company=company, interests=interests,
        emails=[Email(f"{local}@example.org")] if local else []),
    NAME, st.one_of(st.just(""), WORD), st.one_of(st.just(""), NAME),
    st.one_of(st.just(""), st.text("abcdefghij.0123456789", min_size=1, max_size=8)
              .filter(lambda s: s[0] != "." and s[-1] != "." and ".." not in s)),
    st.lists(WORD, max_size=2))
BOOK = st.lists(PERSON, min_size=1, max_size=12)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


SPELLINGS = [str.upper, str.lower, str.title, str.swapcase, _strip_accents,
             lambda t: unicodedata.normalize("NFD", t), lambda t: f"  {t}  "]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BOOK, st.data())
def test_a_contact_is_found_by_its_own_name_and_email_in_any_case(people, data) -> None:
    person = data.draw(st.sampled_from(people))
    spell = data.draw(st.sampled_from(SPELLINGS))
    names = [person.display_name, *(e.address for e in person.emails)]
    if person.nickname:
        names.append(person.nickname)
    for name in names:
        typed = spell(name)
        if fold(typed) != fold(name):
            continue  # a spelling some scripts do not round-trip (e.g. "ß".upper())
        for matcher in (ContactMatcher(people), ContactMatcher(people, indexed=True)):
            best = matcher.search(typed)[0]
            assert best.tier == EXACT and person in best.contacts, (typed, name)
            # The command line's shortcut (keys only for who could match) agrees.
            assert search_book(people, typed) == matcher.search(typed)


QUERY = st.one_of(WORD, NAME, st.text(LETTERS + " .@'-0123456789", max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BOOK, st.lists(QUERY, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_the_ranking_is_deterministic_and_the_index_agrees_with_the_scan(
        people, queries, random) -> None:
    shuffled = list(people)
    random.shuffle(shuffled)
    indexed = ContactMatcher(people, indexed=True)
    others = [ContactMatcher(people), ContactMatcher(shuffled), ContactMatcher(shuffled,
                                                                              indexed=True)]
    for query in queries:
        expected = indexed.rank_ids(query)
        assert expected == indexed.rank_ids(query)  # asked again (answers are memoised)
        for other in others:
            assert other.rank_ids(query) == expected, query
        assert [c.id for m in search_book(shuffled, query) for c in m.contacts] == expected
        # Every word is in everyone found as typed (a typo tier is the only leeway).
        for match in indexed.search(query):
            if match.tier != TYPO:
                for contact in match.contacts:
                    keys = fold_query(" ".join([
                        contact.display_name, contact.nickname, contact.company, contact.title,
                        *contact.interests, *(e.address for e in contact.emails)]))
                    assert all(word in keys for word in fold_query(query).split()
                               if word.isalnum()), (query, contact.display_name)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BOOK)
def test_every_first_letter_the_index_keeps_ready_agrees_with_the_scan(people) -> None:
    # The index answers a one-letter query from its initials (kept ready for the first
    # keystroke); the scan reads every key. Every initial of the book, and one it lacks.
    indexed, scanned = ContactMatcher(people, indexed=True), ContactMatcher(people)
    assert indexed._index is not None
    initials = set(indexed._index.initials)
    assert initials == {word[0] for word in indexed._index.vocabulary}
    for letter in [*sorted(initials), "0"]:
        for query in (letter, f"{letter} {letter}", letter.upper()):
            assert indexed.rank_ids(query) == scanned.rank_ids(query), query


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_fold_drops_every_combining_mark_and_folds_case(text) -> None:
    # The one fold (model.fold, a translate table in C) against the definition, one
    # character at a time.
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    expected = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    assert fold(text) == expected


def test_the_scanned_and_the_indexed_matcher_agree_when_a_word_has_digits() -> None:
    # Found in review: "ann" starts Zed's email "ann84@…" and is inside "Joanne"; the
    # command line's scan lost Joanne (its tiers were not nested), the app's index did not.
    from nurture.model import Email
    from nurture.store.matching import ContactMatcher, LazyMatcher, search_book

    zed = Contact.new("Zed Roe", emails=[Email("ann84@x.com")])
    joanne = Contact.new("Joanne Roe")
    people = [zed, joanne]
    scanned = [(m.tier, [c.id for c in m.contacts]) for m in search_book(people, "ann")]
    indexed = [(m.tier, [c.id for c in m.contacts])
               for m in LazyMatcher(people, indexed=True).search("ann")]
    assert scanned == indexed
    assert {c for _, ids in scanned for c in ids} == {zed.id, joanne.id}
    assert [(m.tier, [c.id for c in m.contacts])
            for m in ContactMatcher(people).search("ann")] == indexed


@pytest.mark.parametrize(("name", "query"), [
    ("Aß", "ß.A"),  # found by hypothesis: "ss" is inside "ass", then "a" starts it
    ("Joanne ann84", "oan ann"),  # inside, then the start of a word with digits
    ("Joanne ann84", "oann a"),
    ("Joanne ann84", "nne ann8"),
])
def test_the_scan_finds_what_the_index_finds_after_a_word_found_inside(name: str,
                                                                       query: str) -> None:
    person = Contact(id="c-1", display_name=name)
    indexed = ContactMatcher([person], indexed=True).search(query)
    assert indexed and indexed[0].contacts == [person]
    assert ContactMatcher([person]).search(query) == indexed
    assert search_book([person], query) == indexed


# ---------------------------------------------------------------- before the index is built


@pytest.fixture
def held_index(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The writer thread's build of the filter's index, held until the test lets it go;
    the threads that asked for a build, as they asked."""

    release = threading.Event()
    asked: list[threading.Thread] = []
    build = LazyMatcher.prepare

    def prepare(self: LazyMatcher, *, typos: bool = False):  # type: ignore[no-untyped-def]
        asked.append(threading.current_thread())
        if threading.current_thread() is not threading.main_thread():
            assert release.wait(30)
        return build(self, typos=typos)

    monkeypatch.setattr(LazyMatcher, "prepare", prepare)
    yield release, asked
    release.set()


@contextlib.asynccontextmanager
async def _unindexed(book: Path):  # type: ignore[no-untyped-def]
    """The app on ``book``, its people and review on screen, its filter's index held."""
    app = real_app(book)
    async with app.run_test(size=(120, 40)) as pilot:
        # Not `ready`: that waits for the writer, which is held building the index.
        assert await until(pilot, lambda: bool(app.loaded and app.data.suggestions_ready))
        await pilot.pause()
        assert not app.data.matcher.ready
        yield app, pilot


async def test_typing_before_the_filters_index_is_built_waits_for_nothing(book: Path,
                                                                          held_index) -> None:
    release, asked = held_index
    async with _unindexed(book) as (app, pilot):
        everyone = list(app.screen.query_one(ContactList).rows)
        await pilot.press("slash")
        await type_text(pilot, "maya")
        await pilot.pause()
        status = app.screen.query_one("#contacts-status", Static)
        assert str(status.render()) == PREPARING
        assert list(app.screen.query_one(ContactList).rows) == everyone  # as it was
        assert threading.main_thread() not in asked  # the UI thread built nothing
        release.set()  # the writer builds it: the list answers what was typed
        assert await until(pilot, lambda: "match" in str(status.render()))
        rows = list(app.screen.query_one(ContactList).rows)
        assert rows[0] == MAYA and len(rows) < len(everyone)
        assert threading.main_thread() in asked  # asked it, once built


async def test_the_picker_before_the_filters_index_is_built_waits_for_nothing(
        book: Path, held_index) -> None:
    release, asked = held_index
    async with _unindexed(book) as (app, pilot):
        app.push_screen(ContactPicker())
        await pilot.pause()
        await type_text(pilot, "dan")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        assert str(options.get_option_at_index(0).prompt) == PREPARING
        assert threading.main_thread() not in asked
        release.set()
        assert await until(pilot, lambda: options.get_option_at_index(0).id is not None)
        assert options.get_option_at_index(0).id == DAN


async def test_the_palette_offers_people_once_the_filters_index_is_built(book: Path,
                                                                         held_index) -> None:
    release, asked = held_index
    async with _unindexed(book) as (app, pilot):
        await pilot.press("ctrl+p")
        await type_text(pilot, "maya lindq")
        await pilot.pause(0.3)
        palette = app.screen
        assert isinstance(palette, CommandPalette)

        def offered() -> list[str]:
            options = palette.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt)
                    for i in range(options.option_count)]

        assert not any("Open Maya" in p for p in offered())
        assert threading.main_thread() not in asked
        release.set()
        assert await until(pilot, lambda: any("Open Maya Lindqvist" in p for p in offered()))


def test_a_matcher_answers_now_only_when_built_and_no_thread_is_building_it() -> None:
    matcher = LazyMatcher([Contact.new("Ann Lee"), Contact.new("Bo Li")], indexed=True)
    assert not matcher.answers_now and not matcher.ready
    matcher.prepare()
    assert matcher.answers_now and matcher.ready
    with matcher._lock:  # as while the writer thread readies it for typos
        assert matcher.ready and not matcher.answers_now
    assert [c.display_name for c in matcher.rank("bo")] == ["Bo Li"]
