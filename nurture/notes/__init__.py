"""Quick notes typed during a call: the facts in them, and applying the ones confirmed.

``parse_note(text, today)`` finds ``#interests``, key dates, follow-ups, life
events and family members, each with the span of text it came from;
``apply_facts(contact, accepted)`` returns a changed copy of the contact plus
the follow-ups and life events to log. Pure: no I/O, no clock, no Textual.
"""

from nurture.notes.events import life_event_phrase
from nurture.notes.facts import (
    AppliedNote,
    Fact,
    FamilyFact,
    FollowUpFact,
    InterestFact,
    KeyDateFact,
    LifeEventFact,
    NoteFacts,
    apply_facts,
)
from nurture.notes.parser import parse_note

__all__ = [
    "AppliedNote",
    "Fact",
    "FamilyFact",
    "FollowUpFact",
    "InterestFact",
    "KeyDateFact",
    "LifeEventFact",
    "NoteFacts",
    "apply_facts",
    "life_event_phrase",
    "parse_note",
]
