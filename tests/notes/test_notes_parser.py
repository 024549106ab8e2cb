"""The quick-note parser: what it finds, what it must not find, and the spans it reports."""

import unicodedata

import pendulum
import pytest

from nurture.model import Contact
from nurture.notes import (
    FollowUpFact,
    InterestFact,
    KeyDateFact,
    LifeEventFact,
    parse_note,
)

TODAY = pendulum.date(2025, 3, 12)  # a Wednesday


def facts_of(text, kind=None, today=TODAY, **kwargs):
    found = parse_note(text, today, **kwargs)
    for fact in found:  # every span points at text that is really there
        assert 0 <= fact.span[0] < fact.span[1] <= len(text)
    return [f for f in found if kind is None or isinstance(f, kind)]


# ---------------------------------------------------------------- interests


def test_interest_tags():
    tags = [f.tag for f in facts_of("Loves #jazz, #Rock-Climbing and #café.", InterestFact)]
    assert tags == ["jazz", "rock-climbing", "café"]


def test_interest_span_is_the_tag():
    text = "big fan of #sailing these days"
    (fact,) = facts_of(text, InterestFact)
    assert text[fact.span[0]:fact.span[1]] == "#sailing"


def test_unicode_tags_and_decomposed_accents():
    greek = unicodedata.normalize("NFC", "ἀθῆναι")
    assert [f.tag for f in facts_of("#日本語 #Ἀθῆναι", InterestFact)] == ["日本語", greek]
    decomposed = "#cafe\u0301 club"
    assert [f.tag for f in facts_of(decomposed, InterestFact)] == ["café"]


@pytest.mark.parametrize("text", [
    "issue #1 and #2024",  # numbers
    "she codes in C# and F#",  # languages
    "see https://example.com/page#section",  # URL fragment
    "see https://example.com/a-#frag",
    "colour #ff0000 or #0af",  # colours
    "## Heading",
    "# Notes",
    "mail me at a#b@example.com",
    "Lunch. #gift-idea: a sailing knot book",  # a gift idea (nurture.cards)
    "#Gift-Idea: socks",
])
def test_not_interests(text):
    assert facts_of(text, InterestFact) == []


def test_same_tag_once():
    assert len(facts_of("#jazz and more #Jazz", InterestFact)) == 1


# ---------------------------------------------------------------- key dates


@pytest.mark.parametrize(("text", "label", "date"), [
    ("birthday March 14", "birthday", (None, 3, 14)),
    ("Birthday 14 March 1985", "birthday", (1985, 3, 14)),
    ("her birthday is on the 14th of March", "birthday", (None, 3, 14)),
    ("birthday's March 14th", "birthday", (None, 3, 14)),
    ("bday 3/14", "birthday", (None, 3, 14)),
    ("b-day: 14/3/1985", "birthday", (1985, 3, 14)),
    ("born 4 May 1982", "birthday", (1982, 5, 4)),
    ("She was born on 1982-05-04", "birthday", (1982, 5, 4)),
    ("anniversary: 2019-06-01", "anniversary", (2019, 6, 1)),
    ("wedding anniversary June 1", "anniversary", (None, 6, 1)),
    ("work anniversary is April 2", "work anniversary", (None, 4, 2)),
    ("Maya's birthday is May 3", "Maya's birthday", (None, 5, 3)),
    ("her husband's birthday: Dec 2", "husband's birthday", (None, 12, 2)),
    ("birthday tomorrow", "birthday", (None, 3, 13)),
])
def test_key_dates(text, label, date):
    (fact,) = facts_of(text, KeyDateFact)
    assert (fact.label, (fact.year, fact.month, fact.day), fact.yearly) == (label, date, True)


def test_key_date_span_covers_trigger_and_date():
    text = "Nice chat. Her birthday is March 14, bring cake."
    (fact,) = facts_of(text, KeyDateFact)
    assert text[fact.span[0]:fact.span[1]] == "birthday is March 14"


def test_possessive_of_the_contact_is_their_own_date():
    sam = Contact(id="c-1", display_name="Sam Lee", given_name="Sam")
    (fact,) = facts_of("Sam's birthday is 4 July", KeyDateFact, contact=sam)
    assert fact.label == "birthday"
    (other,) = facts_of("Sam's birthday is 4 July", KeyDateFact)
    assert other.label == "Sam's birthday"


@pytest.mark.parametrize("text", [
    "my birthday is March 14",  # the user's, not the contact's
    "our anniversary June 1",
    "her birthday is March 14 or 15",  # unsure
    "birthday March 14?",  # a question
    "maybe her birthday is March 14",
    "I was born 1980-01-01",
    "her baby was born March 3",  # the baby's birthday, not hers
    "birthday 2030-01-01",  # a birth in the future is a typo
    "birthday Feb 30",
    "birthday next month",  # not a day
    "birthday card for March 14",  # a card is not a date
    "bday 3/4",  # March 4 or April 3?
    "cousin's birthday is May 3",
])
def test_not_key_dates(text):
    assert facts_of(text, KeyDateFact) == []


def test_conflicting_dates_for_one_label_cancel_out():
    assert facts_of("birthday March 14. Later: birthday March 15", KeyDateFact) == []
    assert len(facts_of("birthday March 14. yes, birthday March 14", KeyDateFact)) == 1


@pytest.mark.parametrize(("text", "label", "date"), [
    ("Maya graduates June 12", "Maya's graduation", pendulum.date(2025, 6, 12)),
    ("Leo's graduation is on June 20", "Leo's graduation", pendulum.date(2025, 6, 20)),
    ("her son graduates June 12", "son's graduation", pendulum.date(2025, 6, 12)),
    ("She graduates on March 1", "graduation", pendulum.date(2026, 3, 1)),  # the next one
    ("surgery next Friday", "surgery", pendulum.date(2025, 3, 21)),
    ("Anna's wedding is 2025-09-06", "Anna's wedding", pendulum.date(2025, 9, 6)),
    ("baby due May 2", "baby due", pendulum.date(2025, 5, 2)),
    ("retirement party April 4", "retirement", pendulum.date(2025, 4, 4)),
    ("Big wedding June 3", "wedding", pendulum.date(2025, 6, 3)),  # "Big" is no one
])
def test_one_off_dates(text, label, date):
    (fact,) = facts_of(text, KeyDateFact)
    assert fact.label == label
    assert not fact.yearly
    assert pendulum.date(fact.year, fact.month, fact.day) == date


@pytest.mark.parametrize("text", [
    "graduated 2019-06-01",  # past
    "my wedding is June 3",
    "is retiring next year",  # not a day
    "the report is due March 3",
    "Maya graduates in June",
])
def test_not_one_off_dates(text):
    assert facts_of(text, KeyDateFact) == []


# ---------------------------------------------------------------- follow-ups


@pytest.mark.parametrize(("text", "task", "due"), [
    ("follow up in 2 weeks: send the book", "Send the book", pendulum.date(2025, 3, 26)),
    ("next Friday call back", "Call back", pendulum.date(2025, 3, 21)),
    ("Call her back Friday about the lease", "Call her back about the lease",
     pendulum.date(2025, 3, 14)),
    ("todo: intro to Sam", "Intro to Sam", None),
    ("TODO send the deck by Friday", "Send the deck", pendulum.date(2025, 3, 14)),
    ("remind me tomorrow to send the deck", "Send the deck", pendulum.date(2025, 3, 13)),
    ("Remind me on March 20 to ask about the move", "Ask about the move",
     pendulum.date(2025, 3, 20)),
    ("I'll follow up with her about the job search next month",
     "Follow up with her about the job search", pendulum.date(2025, 4, 1)),
    ("follow-up next week", "Follow up", pendulum.date(2025, 3, 17)),
    ("- [ ] ping Sam re: the intro", "Ping Sam re: the intro", None),
    ("need to send her the photos", "Send her the photos", None),
    ("Next step: share the slides https://x.example/s", "Share the slides https://x.example/s",
     None),
])
def test_follow_ups(text, task, due):
    (fact,) = facts_of(text, FollowUpFact)
    assert (fact.text, fact.due) == (task, due)


def test_follow_up_span_is_its_clause():
    text = "Talked about sailing. Follow up in 2 weeks: send the book. She's well."
    (fact,) = facts_of(text, FollowUpFact)
    assert text[fact.span[0]:fact.span[1]] == "Follow up in 2 weeks: send the book"


@pytest.mark.parametrize("text", [
    "No need to follow up",
    "don't remind me about it",
    "Text was unclear",
    "She will send me the slides",
    "Book club was fun",
    "should I follow up next week?",
    "Following the news closely",
    "todo:",
])
def test_not_follow_ups(text):
    assert facts_of(text, FollowUpFact) == []


def test_dont_forget_is_not_a_negation():
    (fact,) = facts_of("don't forget to send the card", FollowUpFact)
    assert fact.text == "Send the card"


# ---------------------------------------------------------------- life events


@pytest.mark.parametrize(("text", "event", "said"), [
    ("She has a new job at Acme Corp next month", "new-job", "New job at Acme Corp"),
    ("new job, congrats!", "new-job", "New job"),
    ("started at Procter & Gamble in May", "new-job", "New job at Procter & Gamble"),
    ("Got promoted to VP of sales!", "promotion", "Promoted to VP of sales"),
    ("just got promoted", "promotion", "Promoted"),
    ("They got engaged in Rome", "engagement", "Got engaged"),
    ("got married last month", "wedding", "Got married"),
    ("They had a baby girl", "baby", "New baby"),
    ("she's pregnant!", "baby", "New baby"),
    ("became a grandmother", "baby", "Became a grandmother"),
    ("moved to Lisbon in May", "move", "Moved to Lisbon"),
    ("He is moving to New York City", "move", "Moving to New York City"),
    ("moving to the UK", "move", "Moving to the UK"),
    ("bought a house", "new-home", "New home"),
    ("retiring in June", "retirement", "Retiring"),
    ("graduated from MIT", "graduation", "Graduated from MIT"),
])
def test_life_events(text, event, said):
    (fact,) = facts_of(text, LifeEventFact)
    assert (fact.event, fact.text) == (event, said)
    assert text[fact.span[0]:fact.span[1]].lower().startswith(text[fact.span[0]].lower())


@pytest.mark.parametrize("text", [
    "hoping to get promoted",
    "not engaged in the project",
    "engaged with the community",
    "was moved to tears",
    "moved to a new team",
    "expecting a call next week",
    "her retired father",
    "my retirement plan",
    "retirement savings are fine",
    "promoted the event on social media",
    "did she get promoted?",
    "might be moving to Berlin",
    "baby steps",
    "congrats on my new job",
])
def test_not_life_events(text):
    assert facts_of(text, LifeEventFact) == []


def test_addresses_and_links_hold_no_facts():
    text = ("wrote to dana.birthday-march-14@example.com (tom@x.org) see "
            "www.x.com/follow-up-in-2-weeks")
    assert facts_of(text) == []


@pytest.mark.parametrize("text", [
    "Dad retired last year",  # someone else's
    "her sister had a baby",
    "She moved to Berlin 2 years ago",  # old news
    "Got engaged in 2019",
])
def test_life_events_of_others_or_long_ago_are_left_out(text):
    assert facts_of(text, LifeEventFact) == []


def test_a_named_life_event_counts_only_for_the_contact():
    dana = Contact(id="c-1", display_name="Dana Reyes", given_name="Dana")
    assert facts_of("Tom got engaged", LifeEventFact, contact=dana) == []
    assert [f.text for f in facts_of("Dana got engaged", LifeEventFact, contact=dana)] == \
        ["Got engaged"]
    # Without knowing whose note it is, the name cannot rule it out.
    assert len(facts_of("Tom got engaged", LifeEventFact)) == 1
