"""Matching news items to contacts: interests, synonyms, companies, false friends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nurture.model import Contact, NewsItem
from nurture.news.match import NewsMatch, NewsMatcher, company_core, match_all, match_news

SYNONYMS = {"yankees": ["new york yankees", "bronx bombers"]}


def person(cid: str, *interests: str, company: str = "") -> Contact:
    return Contact(id=cid, display_name=cid, interests=list(interests), company=company)


def item(title: str, *tags: str, summary: str = "", company: str = "") -> NewsItem:
    return NewsItem(id="n-1", title=title, tags=list(tags), summary=summary, company=company)


def ids(matches: list[NewsMatch]) -> list[str]:
    return [m.contact_id for m in matches]


# ---------------------------------------------------------------- interests


def test_tag_meets_interest() -> None:
    dan = person("dan", "yankees", "sailing")
    matches = match_news(item("Big signing", "Yankees"), [dan, person("eve", "golf")])
    assert matches == [NewsMatch("dan", 1.0, ("yankees",), False)]


def test_tags_are_normalised_like_interests() -> None:
    contacts = [person("dan", "new york yankees")]
    assert ids(match_news(item("x", "#New  York Yankees"), contacts)) == ["dan"]


def test_title_mentions_interest_as_whole_word() -> None:
    matches = match_news(item("Yankees sign a new ace"), [person("dan", "yankees")])
    assert matches == [NewsMatch("dan", 0.75, ("yankees",), False)]


def test_summary_counts_less_than_title() -> None:
    contacts = [person("t", "sailing"), person("s", "golf")]
    matches = match_news(item("Sailing season opens", summary="Golf too."), contacts)
    assert [(m.contact_id, m.score) for m in matches] == [("t", 0.75), ("s", 0.5)]


def test_multi_word_and_hyphenated_interests_in_text() -> None:
    contacts = [person("r", "rock-climbing"), person("j", "jazz piano")]
    news = item("Rock climbing gym opens", summary="with a Jazz  Piano bar")
    assert sorted(ids(match_news(news, contacts))) == ["j", "r"]


def test_spellings_of_one_phrase_all_match() -> None:
    contacts = [person("h", "rock-climbing"), person("s", "rock climbing")]
    assert ids(match_news(item("Rock climbing gym opens"), contacts)) == ["h", "s"]
    assert ids(match_news(item("x", "rock-climbing"), contacts)) == ["h", "s"]
    assert ids(match_news(item("x", "Rock Climbing"), contacts)) == ["h", "s"]


def test_accents_are_set_aside() -> None:
    assert ids(match_news(item("Best CAFÉS in town"), [person("c", "cafés")])) == ["c"]
    assert ids(match_news(item("Cafe culture"), [person("c", "café")])) == ["c"]


def test_synonym_in_text_signals_the_interest() -> None:
    matches = match_news(item("The Bronx Bombers win again"), [person("dan", "yankees")],
                         SYNONYMS)
    assert matches == [NewsMatch("dan", 0.75, ("yankees",), False)]


def test_synonym_tag_signals_the_interest_and_groups_are_symmetric() -> None:
    contacts = [person("dan", "yankees"), person("amy", "new york yankees")]
    assert sorted(ids(match_news(item("x", "bronx bombers"), contacts, SYNONYMS))) == [
        "amy", "dan"]
    assert sorted(ids(match_news(item("Yankees win"), contacts, SYNONYMS))) == ["amy", "dan"]


def test_without_synonyms_the_nickname_does_not_match() -> None:
    assert match_news(item("The Bronx Bombers win again"), [person("dan", "yankees")]) == []


def test_synonym_config_keys_are_normalised() -> None:
    synonyms = {"#Yankees": ["Bronx Bombers"]}
    assert ids(match_news(item("bronx bombers!"), [person("dan", "yankees")], synonyms)) == [
        "dan"]


@pytest.mark.parametrize("title", [
    "Party at the start of the article",   # "art" inside words
    "Artificial turf for the arts centre",  # prefix and plural
    "Heart of the matter",
])
def test_false_friends_for_art(title: str) -> None:
    assert match_news(item(title), [person("a", "art")]) == []


def test_art_alone_matches() -> None:
    assert ids(match_news(item("Modern art, old masters"), [person("a", "art")])) == ["a"]


def test_singular_is_not_the_team() -> None:
    assert match_news(item("Yankee Candle opens a store"), [person("dan", "yankees")]) == []


def test_short_interests_need_capitals_in_text() -> None:
    contacts = [person("a", "ai"), person("g", "go")]
    assert match_news(item("Let's go, said Ai", summary="we go again"), contacts) == [
        NewsMatch("a", 0.75, ("ai",), False)]
    assert ids(match_news(item("AI start-up raises money"), contacts)) == ["a"]
    # Tags carry no such doubt.
    assert ids(match_news(item("x", "go"), contacts)) == ["g"]


def test_symbol_interests_match_by_tag_only() -> None:
    contacts = [person("c", "c++")]
    assert match_news(item("Plan C for the C++ committee"), contacts) == []
    assert ids(match_news(item("x", "C++"), contacts)) == ["c"]


# ---------------------------------------------------------------- companies


@pytest.mark.parametrize("text", ["Acme Corp. posts record results", "ACME Inc wins a contract",
                                  "Shares in Acme fall", "Acme's new chief", "Acme, Ltd.: news"])
def test_company_named_with_suffixes(text: str) -> None:
    matches = match_news(item(text), [person("ann", company="Acme")])
    assert matches == [NewsMatch("ann", 1.5, (), True)]


def test_contact_company_with_suffix_matches_bare_name() -> None:
    for company in ("Acme Corporation", "Acme Corp.", "ACME, Inc.", "The Acme Company",
                    "Acme S.A.", "Acme Pty Ltd"):
        assert ids(match_news(item("Acme opens a lab"), [person("ann", company=company)])) == [
            "ann"], company


@pytest.mark.parametrize("text", ["Acmegrid raises funds", "The acme of fashion",
                                  "SuperAcme launches", "Acme Grid Ltd expands"])
def test_company_false_friends(text: str) -> None:
    contacts = [person("ann", company="Acme Corp")]
    if text == "Acme Grid Ltd expands":
        # Another company whose name starts with ours: ours is still named.
        assert ids(match_news(item(text), contacts)) == ["ann"]
    else:
        assert match_news(item(text), contacts) == []


def test_longer_company_is_not_matched_by_its_first_word() -> None:
    assert match_news(item("Acme opens a lab"), [person("b", company="Acme Grid Ltd")]) == []


def test_common_word_company_needs_a_capital() -> None:
    contacts = [person("t", company="Target Corporation"), person("p", company="Apple Inc.")]
    assert match_news(item("We hit our target", summary="an apple pie recipe"), contacts) == []
    assert ids(match_news(item("Target and Apple report"), contacts)) == ["p", "t"]


def test_item_company_field_is_the_strongest_evidence() -> None:
    contacts = [person("ann", company="Acme Inc"), person("dan", "yankees")]
    matches = match_news(item("Press release", "yankees", company="ACME Corporation"), contacts)
    assert matches == [NewsMatch("ann", 2.0, (), True), NewsMatch("dan", 1.0, ("yankees",), False)]


def test_company_core() -> None:
    assert company_core("The Acme Corp., Inc.") == ("acme",)
    assert company_core("Smith & Co.") == ("smith",)
    assert company_core("Bank of America Corporation") == ("bank", "of", "america")
    assert company_core("Ltd") == ("ltd",)  # never stripped to nothing
    assert company_core("") == ()


# ---------------------------------------------------------------- ranking and API


def test_strongest_first_and_interests_ordered() -> None:
    contacts = [person("a", "sailing"), person("b", "golf", "sailing", company="Acme"),
                person("c", "golf")]
    news = item("Acme sponsors a regatta", "sailing", summary="golf day")
    matches = match_news(news, contacts)
    assert ids(matches) == ["b", "a", "c"]
    assert matches[0] == NewsMatch("b", 3.0, ("sailing", "golf"), True)


def test_ties_are_ordered_by_contact_id() -> None:
    contacts = [person(cid, "golf") for cid in ("z", "m", "a")]
    assert ids(match_news(item("x", "golf"), contacts)) == ["a", "m", "z"]


def test_best_evidence_per_interest_counts_once() -> None:
    matches = match_news(item("Golf golf golf", "golf", summary="golf"), [person("g", "golf")])
    assert matches == [NewsMatch("g", 1.0, ("golf",), False)]


def test_nothing_to_match() -> None:
    assert match_news(item("Anything"), []) == []
    assert match_news(item("Quiet day"), [person("a", "golf", company="Acme")]) == []


def test_match_all_equals_match_news_per_item() -> None:
    contacts = [person("a", "golf"), person("b", "yankees", company="Acme")]
    items = [NewsItem(id="1", title="Golf open"), NewsItem(id="2", title="Acme news"),
             NewsItem(id="3", title="Bronx Bombers")]
    assert match_all(items, contacts, SYNONYMS) == {
        i.id: match_news(i, contacts, SYNONYMS) for i in items}


words = st.sampled_from(["Acme", "acme", "golf", "Golf", "art", "party", "AI", "ai", "Inc",
                         "bronx", "bombers", "café", "c++", "-", ",", "Yankees"])


@given(title=st.lists(words, max_size=12).map(" ".join), summary=st.text(max_size=80),
       tags=st.lists(st.text(max_size=12), max_size=4))
def test_property_matches_are_real_contacts_sorted(title: str, summary: str,
                                                   tags: list[str]) -> None:
    contacts = [person("a", "golf", "art", company="Acme Inc"), person("b", "ai", "café"),
                person("c", "yankees", "c++")]
    matches = match_news(item(title or "t", *tags, summary=summary), contacts, SYNONYMS)
    assert {m.contact_id for m in matches} <= {"a", "b", "c"}
    assert all(m.score > 0 and (m.interests or m.company) for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert len(set(ids(matches))) == len(matches)


def test_limit_keeps_the_strongest() -> None:
    contacts = [person("a", "golf"), person("b", "golf", company="Acme"), person("c", "golf"),
                person("d", "golf")]
    news = item("Acme golf day", "golf")
    full = match_news(news, contacts)
    assert ids(full) == ["b", "a", "c", "d"]
    matcher = NewsMatcher(contacts)
    assert matcher.match(news, limit=2) == full[:2]
    assert matcher.match(news, limit=0) == []
    assert match_all([news], contacts, limit=3) == {"n-1": full[:3]}
