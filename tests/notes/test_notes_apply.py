"""Confirmed facts change a copy of the contact; follow-ups and life events come back to log."""

import pendulum

from nurture.model import Contact, FamilyMember, KeyDate
from nurture.notes import (
    FamilyFact,
    FollowUpFact,
    InterestFact,
    KeyDateFact,
    LifeEventFact,
    apply_facts,
    life_event_phrase,
    parse_note,
)

TODAY = pendulum.date(2025, 3, 12)


def dana(**fields) -> Contact:
    return Contact(id="c-dana", display_name="Dana Reyes", given_name="Dana", **fields)


def test_a_whole_note_applied():
    note = ("Great call. Loves #jazz now. Her birthday is 14 March 1985. Husband Tom. "
            "She got a new job at Acme. Follow up in 2 weeks: send the book.")
    facts = parse_note(note, TODAY)
    contact = dana(interests=["sailing"])
    applied = apply_facts(contact, facts)
    assert applied.changed
    assert applied.contact.interests == ["sailing", "jazz"]
    assert applied.contact.birthday == KeyDate("birthday", 3, 14, 1985)
    assert applied.contact.family == [FamilyMember("Tom", "spouse")]
    assert [(f.text, f.due) for f in applied.follow_ups] == [
        ("Send the book", pendulum.date(2025, 3, 26))]
    assert applied.life_events == ["New job at Acme"]
    # The contact given is not touched.
    assert contact.interests == ["sailing"] and contact.key_dates == [] and contact.family == []


def test_only_accepted_facts_apply():
    facts = parse_note("#jazz #chess birthday March 14", TODAY)
    chosen = [f for f in facts if not (isinstance(f, InterestFact) and f.tag == "chess")]
    applied = apply_facts(dana(), chosen)
    assert applied.contact.interests == ["jazz"]
    assert applied.contact.birthday == KeyDate("birthday", 3, 14, None)


def test_nothing_accepted_changes_nothing():
    applied = apply_facts(dana(interests=["jazz"]), [])
    assert not applied.changed
    assert applied.contact == dana(interests=["jazz"])
    assert applied.follow_ups == [] and applied.life_events == []


def test_known_interest_and_family_are_not_duplicated():
    contact = dana(interests=["jazz"], family=[FamilyMember("Tom", "spouse")])
    applied = apply_facts(contact, [InterestFact("jazz", (0, 5)),
                                    FamilyFact("tom", "spouse", (0, 3))])
    assert not applied.changed
    assert applied.contact.interests == ["jazz"]
    assert len(applied.contact.family) == 1


def test_a_new_date_replaces_the_old_one_for_the_same_label():
    contact = dana(key_dates=[KeyDate("Birthday", 3, 15)])
    applied = apply_facts(contact, [KeyDateFact("birthday", 3, 14, None, True, (0, 1))])
    assert applied.changed
    assert applied.contact.key_dates == [KeyDate("birthday", 3, 14)]


def test_a_known_year_is_kept_when_the_note_has_none():
    contact = dana(key_dates=[KeyDate("birthday", 3, 14, 1985)])
    applied = apply_facts(contact, [KeyDateFact("birthday", 3, 14, None, True, (0, 1))])
    assert not applied.changed
    assert applied.contact.birthday == KeyDate("birthday", 3, 14, 1985)


def test_a_year_is_added_when_the_note_knows_it():
    contact = dana(key_dates=[KeyDate("birthday", 3, 14)])
    applied = apply_facts(contact, [KeyDateFact("birthday", 3, 14, 1985, True, (0, 1))])
    assert applied.changed
    assert applied.contact.birthday == KeyDate("birthday", 3, 14, 1985)


def test_one_off_date_is_added_alongside():
    facts = parse_note("Maya graduates June 12", TODAY)
    applied = apply_facts(dana(key_dates=[KeyDate("birthday", 3, 14)]), facts)
    assert applied.contact.key_dates[1] == KeyDate("Maya's graduation", 6, 12, 2025,
                                                   yearly=False)


def test_follow_up_without_date():
    applied = apply_facts(dana(), [FollowUpFact("Intro to Sam", None, (0, 4))])
    (follow_up,) = applied.follow_ups
    assert (follow_up.text, follow_up.due, follow_up.is_open) == ("Intro to Sam", None, True)
    assert not applied.changed


def test_summaries_read_well():
    assert KeyDateFact("birthday", 3, 14, None, True, (0, 1)).summary() == "Birthday: 14 March"
    assert KeyDateFact("Maya's graduation", 6, 12, 2025, False, (0, 1)).summary() == \
        "Maya's graduation: 12 June 2025 (once)"
    assert FollowUpFact("Call back", pendulum.date(2025, 3, 21), (0, 1)).summary() == \
        "Follow-up Fri 21 Mar 2025: Call back"
    assert LifeEventFact("move", "Moved to Lisbon", (0, 1)).summary() == \
        "Life event: Moved to Lisbon"


def test_source_shows_the_text_behind_a_fact():
    facts = parse_note("ok. wife Anna says hi", TODAY)
    (fact,) = facts.family
    assert facts.source(fact) == "wife Anna"


def test_life_event_phrases_for_congratulations():
    assert life_event_phrase("New job at Acme") == "the new job at Acme"
    assert life_event_phrase("Promoted to VP") == "the promotion to VP"
    assert life_event_phrase("Got engaged") == "your engagement"
    assert life_event_phrase("Moved to Lisbon") == "the move to Lisbon"
    assert life_event_phrase("New baby") == "the new baby"
    assert life_event_phrase("Graduated from MIT") == "graduating from MIT"
    assert life_event_phrase("Retiring") == "your retirement"
    assert life_event_phrase("Ran a marathon") is None  # unknown: the template copes
    # Every text the parser writes has a phrase.
    note = ("new job at Acme. got promoted. got engaged. got married. new baby. "
            "became a dad. moved to Lisbon. bought a house. retiring. graduated.")
    events = parse_note(note, TODAY).life_events
    assert len(events) == 10
    assert all(life_event_phrase(e.text) for e in events)
