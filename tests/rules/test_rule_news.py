"""news: fresh items that meet a contact's interests or company."""

from __future__ import annotations

from nurture.model import ReviewState, ReviewStatus

from .book import NOW, config, entry, keys, news, only, person, run


def test_a_tagged_item_meets_an_interest_and_the_reason_names_it():
    dan = person("Dan Okafor", interests=["yankees", "bbq"], channels=["phone", "email"])
    call = entry(dan, "call", "2026-10-04")
    item = news("Yankees sign a new ace", tags=["yankees", "baseball"], id="n-ace",
                url="https://example.org/ace")
    [found] = only(run([dan], [call], items=[item]), "news")
    assert found.key == "news:c-dan:n-ace"
    # Tags are stored folded; the reason writes them as the title does (one helper).
    assert found.reason == ("Yankees sign a new ace — Dan follows Yankees. "
                            "You last spoke 7 weeks ago.")
    assert found.template == "clipping"
    assert found.channel == "email"  # a link travels by email before a phone call
    assert found.facts["news_url"] == "https://example.org/ace"
    assert found.facts["news_title"] == "Yankees sign a new ace"
    assert found.facts["interest"] == "yankees"


def test_a_company_item_names_the_company():
    priya = person("Priya Raman", company="Acme Corporation")
    item = news("Acme opens a lab in Lisbon", company="Acme Corp.")
    [found] = only(run([priya], items=[item]), "news")
    assert "Priya works at Acme Corporation" in found.reason


def test_unrelated_and_stale_items_are_not_suggested():
    dan = person("Dan Okafor", interests=["yankees"])
    other = news("Opera season opens", tags=["opera"])
    stale = news("Yankees win", tags=["yankees"], when="2026-11-10")
    assert only(run([dan], items=[other, stale]), "news") == []
    assert keys(run([dan], items=[stale], rules=config(news_fresh_days=14)), "news")


def test_synonyms_from_config():
    dan = person("Dan Okafor", interests=["yankees"])
    item = news("The Bronx Bombers are back", tags=["bronx bombers"])
    assert only(run([dan], items=[item]), "news") == []
    rules = config(synonyms={"yankees": ["bronx bombers"]})
    assert keys(run([dan], items=[item], rules=rules), "news")


def test_at_most_a_few_a_day_strongest_first_and_dismissing_makes_room():
    fans = [person(f"F{i} Fan", interests=["sailing"]) for i in range(4)]
    big = person("Big Fan", interests=["sailing", "regattas"])
    item = news("Regattas return to the bay", tags=["sailing", "regattas"], id="n-bay")
    found = keys(run([*fans, big], items=[item], rules=config(news_max_per_day=2)), "news")
    assert len(found) == 2
    assert found[0] == "news:c-big:n-bay"  # two shared interests beat one
    review = {found[0]: ReviewState(found[0], ReviewStatus.DISMISSED, NOW)}
    after = keys(run([*fans, big], items=[item], review=review,
                     rules=config(news_max_per_day=2)), "news")
    assert len(after) == 2 and found[0] not in after and found[1] in after


def test_an_interest_is_written_as_people_write_it_and_left_alone_when_unseen():
    maya = person("Maya Lindqvist", interests=["formula-1", "sailing"])
    maya.notes = "Huge Formula 1 fan"
    item = news("Season finale tonight", tags=["formula-1", "sailing"], id="n-f1")
    [found] = only(run([maya], items=[item]), "news")
    assert "Maya follows Formula 1 and sailing." in found.reason
