"""Property tests: the parser survives any text, and what it promises always holds."""

import dataclasses
import datetime
import unicodedata

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nurture.model import Contact, normalize_tag
from nurture.notes import FollowUpFact, InterestFact, KeyDateFact, apply_facts, parse_note

todays = st.dates(datetime.date(1950, 1, 1), datetime.date(2150, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day))

# Text that looks like notes: words the grammar cares about, mixed with anything.
VOCABULARY = ["birthday", "bday", "anniversary", "born", "graduates", "wedding", "follow up",
              "remind me", "todo:", "call back", "next", "Friday", "in", "2", "weeks", "March",
              "May", "14", "3/14", "2019-06-01", "new job at", "Acme", "promoted", "got engaged",
              "moved to", "Lisbon", "wife", "Anna", "son", "Leo", "#jazz", "#", "C#", "'s",
              ":", ",", ".", "?", "\n", "my", "not", "https://x.com/a#b", "tomorrow", "the"]
note_like = st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=8)),
                     max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=300), note_like)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, today=todays)
def test_never_crashes_and_spans_are_sane(text, today):
    found = parse_note(text, today)
    starts = [f.span[0] for f in found]
    assert starts == sorted(starts)
    for fact in found:
        start, end = fact.span
        assert 0 <= start < end <= len(text)
        assert fact.summary()
        if isinstance(fact, KeyDateFact):
            fact.key_date()  # always a valid KeyDate
        if isinstance(fact, FollowUpFact):
            assert fact.text.strip()
            assert fact.due is None or fact.due >= today
        if isinstance(fact, InterestFact):
            assert text[start] == "#"
            assert fact.tag == unicodedata.normalize("NFC", fact.tag)


tag_text = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(before=st.text(max_size=80), after=st.text(max_size=80),
       tag=st.tuples(tag_text, st.lists(tag_text, max_size=2)).map(
           lambda parts: "-".join([parts[0], *parts[1]])),
       today=todays)
def test_an_inserted_tag_is_always_found(before, after, tag, today):
    text = f"{before} #{tag} {after}"
    wanted = unicodedata.normalize("NFC", normalize_tag(unicodedata.normalize("NFC", tag)))
    assert wanted in [f.tag for f in parse_note(text, today).interests]


@settings(max_examples=200, deadline=None)
@given(month=st.integers(1, 12), day=st.integers(1, 28),
       style=st.sampled_from(["{M} {d}", "{d} {M}", "the {d}th of {M}"]),
       before=st.sampled_from(["", "Good call. ", "Her ", "- "]),
       today=todays)
def test_a_stated_birthday_is_always_found(month, day, style, before, today):
    name = pendulum.date(2000, month, 1).format("MMMM")
    text = before + "birthday " + style.format(M=name, d=day)
    (fact,) = parse_note(text, today).key_dates
    assert (fact.label, fact.month, fact.day, fact.year) == ("birthday", month, day, None)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 52), unit=st.sampled_from(["days", "weeks"]), today=todays,
       task=st.sampled_from(["send the book", "ask about the move", "intro to Sam"]))
def test_follow_up_in_n_units_is_due_then(n, unit, today, task):
    (fact,) = parse_note(f"follow up in {n} {unit}: {task}", today).follow_ups
    assert fact.due == today.add(**{unit: n})
    assert fact.text == task[0].upper() + task[1:]


@settings(max_examples=150, deadline=None)
@given(text=any_text, today=todays)
def test_applying_everything_never_loses_what_the_contact_had(text, today):
    contact = Contact(id="c-1", display_name="Dana Reyes", interests=["sailing"])
    before = [*contact.interests]
    applied = apply_facts(contact, parse_note(text, today))
    assert contact.interests == before  # the original is untouched
    assert set(before) <= set(applied.contact.interests)
    applied.contact.validate()  # and the copy is still a valid contact


@settings(max_examples=100, deadline=None)
@given(text=note_like, today=st.sampled_from([pendulum.date(1, 1, 1), pendulum.date(9999, 12, 31),
                                              pendulum.date(9999, 12, 25)]))
def test_calendar_edges_do_not_crash(text, today):
    for fact in parse_note(text, today):
        assert fact.summary()


# One fact each, in the forms people type; a tag may end its sentence ("#sailing.").
SENTENCES = ["Loves #sailing", "Big fan of #jazz!", "Her birthday is March 14",
             "Anniversary on 2019-06-01", "Follow up in 2 weeks: send the regatta book",
             "Remind me to call back next Friday", "todo: send the deck",
             "His wife Anna is a doctor", "Son Leo started school", "Got promoted to VP",
             "Moved to Lisbon", "New job at Acme", "Sam graduates on June 12"]
sentence = st.one_of(
    st.sampled_from(SENTENCES),
    tag_text.map(lambda t: f"Into #{t}"),
    st.tuples(st.integers(1, 12), st.sampled_from(["send the book", "ask about the move"])
              ).map(lambda p: f"Follow up in {p[0]} weeks: {p[1]}"),
)
ends = st.sampled_from([". ", "! ", "; ", "\n", ".\n", ". \n- "])


def _unplaced(fact):
    """A fact without where it stood (its span moves when sentences are joined)."""
    return dataclasses.replace(fact, span=(0, 0))


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.tuples(sentence, ends), min_size=2, max_size=5), today=todays)
def test_joining_sentences_never_loses_a_fact(parts, today):
    # "Loves #sailing. Follow up in 2 weeks: send the regatta book" lost the follow-up.
    text = "".join(s + end for s, end in parts).rstrip()
    joined = {_unplaced(f) for f in parse_note(text, today)}
    for alone, _ in parts:
        for fact in parse_note(alone, today):
            assert _unplaced(fact) in joined, (alone, text)


def test_a_follow_up_after_a_tag_that_ends_a_sentence():
    today = pendulum.date(2026, 11, 22)
    found = parse_note("Loves #sailing. Follow up in 2 weeks: send the regatta book", today)
    assert [f.tag for f in found.interests] == ["sailing"]
    assert [(f.text, f.due) for f in found.follow_ups] == [
        ("Send the regatta book", pendulum.date(2026, 12, 6))]


@pytest.mark.parametrize("today", [pendulum.date(1, 1, 1), pendulum.date(999, 12, 20)])
def test_a_relative_day_outside_the_years_a_book_keeps_is_no_fact(today):
    # Found by test_calendar_edges_do_not_crash: "graduates Friday" on the year 1 made a
    # one-off date the model refuses, and the summary raised.
    facts = parse_note("Maya graduates Friday", today)
    assert [f for f in facts if f.kind == "key-date"] == []
    assert [f.kind for f in parse_note("Maya graduates Friday", pendulum.date(2026, 11, 30))] \
        == ["key-date"]
