"""The facts a quick note can hold, and how confirmed facts change a contact.

Every fact keeps the ``span`` of note text it came from, so the UI can show it
next to the one-key confirmation.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

import pendulum

from nurture.model import Contact, FamilyMember, FollowUp, KeyDate, fold, normalize_tag

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class InterestFact:
    """``#jazz``: an interest to add to the contact."""

    tag: str
    span: Span
    kind: ClassVar[str] = "interest"

    def summary(self) -> str:
        return f"Interest: #{self.tag}"


@dataclass(frozen=True, slots=True)
class KeyDateFact:
    """"birthday March 14" (yearly) or "Maya graduates June 12" (once, ``yearly=False``)."""

    label: str
    month: int
    day: int
    year: int | None
    yearly: bool
    span: Span
    kind: ClassVar[str] = "key-date"

    def key_date(self) -> KeyDate:
        return KeyDate(label=self.label, month=self.month, day=self.day, year=self.year,
                       yearly=self.yearly)

    def summary(self) -> str:
        when = self.key_date().human()
        if not self.yearly:
            when = f"{when} (once)"
        return f"{self.label[:1].upper()}{self.label[1:]}: {when}"


@dataclass(frozen=True, slots=True)
class FollowUpFact:
    """"follow up in 2 weeks: send the book": a to-do for the logged interaction."""

    text: str
    due: pendulum.Date | None
    span: Span
    kind: ClassVar[str] = "follow-up"

    def follow_up(self) -> FollowUp:
        return FollowUp(text=self.text, due=self.due)

    def summary(self) -> str:
        if self.due is None:
            return f"Follow-up: {self.text}"
        return f"Follow-up {self.due.format('ddd D MMM YYYY')}: {self.text}"


@dataclass(frozen=True, slots=True)
class LifeEventFact:
    """"new job at Acme": worth a life-event entry on the timeline (and congratulations)."""

    event: str  # new-job, promotion, engagement, wedding, baby, move, new-home, retirement…
    text: str  # the suggested timeline text, e.g. "New job at Acme"
    span: Span
    kind: ClassVar[str] = "life-event"

    def summary(self) -> str:
        return f"Life event: {self.text}"


@dataclass(frozen=True, slots=True)
class FamilyFact:
    """"wife Anna": a family member to add."""

    name: str
    relation: str  # spouse, partner, child, parent, sibling
    span: Span
    kind: ClassVar[str] = "family"

    def summary(self) -> str:
        return f"Family: {self.name} ({self.relation})"


Fact = InterestFact | KeyDateFact | FollowUpFact | LifeEventFact | FamilyFact


@dataclass(frozen=True, slots=True)
class NoteFacts:
    """What ``parse_note`` found, in the order it appears in the note."""

    text: str
    facts: tuple[Fact, ...] = ()

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def source(self, fact: Fact) -> str:
        """The note text a fact came from."""
        return self.text[fact.span[0]:fact.span[1]]

    @property
    def interests(self) -> list[InterestFact]:
        return [f for f in self.facts if isinstance(f, InterestFact)]

    @property
    def key_dates(self) -> list[KeyDateFact]:
        return [f for f in self.facts if isinstance(f, KeyDateFact)]

    @property
    def follow_ups(self) -> list[FollowUpFact]:
        return [f for f in self.facts if isinstance(f, FollowUpFact)]

    @property
    def life_events(self) -> list[LifeEventFact]:
        return [f for f in self.facts if isinstance(f, LifeEventFact)]

    @property
    def family(self) -> list[FamilyFact]:
        return [f for f in self.facts if isinstance(f, FamilyFact)]


@dataclass(slots=True)
class AppliedNote:
    """The result of confirming facts: a changed copy of the contact and what to log."""

    contact: Contact
    follow_ups: list[FollowUp] = field(default_factory=list)  # attach to the logged interaction
    life_events: list[str] = field(default_factory=list)  # log each as a life-event interaction
    changed: bool = False  # whether the contact itself differs from the one given


def apply_facts(contact: Contact, accepted: Iterable[Fact]) -> AppliedNote:
    """Apply the facts the user confirmed to a copy of ``contact``; the original is untouched.

    A date for a label the contact already has replaces it (the note is newer),
    except that a year already known is kept when the note gives none.
    """
    updated = copy.deepcopy(contact)
    result = AppliedNote(contact=updated)
    for fact in accepted:
        if isinstance(fact, InterestFact):
            tag = normalize_tag(fact.tag)
            if tag and tag not in updated.interests:
                updated.interests.append(tag)
                result.changed = True
        elif isinstance(fact, KeyDateFact):
            result.changed |= _apply_date(updated, fact)
        elif isinstance(fact, FamilyFact):
            if all(fold(m.name) != fold(fact.name) for m in updated.family):
                updated.family.append(FamilyMember(name=fact.name, relation=fact.relation))
                result.changed = True
        elif isinstance(fact, FollowUpFact):
            result.follow_ups.append(fact.follow_up())
        elif isinstance(fact, LifeEventFact):
            result.life_events.append(fact.text)
    return result


def _apply_date(contact: Contact, fact: KeyDateFact) -> bool:
    new = fact.key_date()
    for index, old in enumerate(contact.key_dates):
        if fold(old.label) != fold(new.label):
            continue
        if new.year is None and (old.month, old.day) == (new.month, new.day):
            return False  # nothing new; and the known year stays
        if (old.month, old.day, old.year, old.yearly) == (new.month, new.day, new.year,
                                                           new.yearly):
            return False
        contact.key_dates[index] = new
        return True
    contact.key_dates.append(new)
    return True



def deduplicate(facts: list[Fact]) -> list[Fact]:
    """One fact per thing; two different dates for the same label cancel each other out."""
    out: list[Fact] = []
    seen: set[object] = set()
    date_values: dict[str, set[tuple[int, int, int | None]]] = {}
    for fact in facts:
        if isinstance(fact, KeyDateFact):
            date_values.setdefault(fold(fact.label), set()).add((fact.month, fact.day, fact.year))
    for fact in facts:
        if isinstance(fact, InterestFact):
            key: object = ("interest", fact.tag)
        elif isinstance(fact, KeyDateFact):
            if len(date_values[fold(fact.label)]) > 1:
                continue
            key = ("date", fold(fact.label))
        elif isinstance(fact, FamilyFact):
            key = ("family", fold(fact.name))
        elif isinstance(fact, LifeEventFact):
            key = ("event", fold(fact.text))
        else:
            key = ("follow-up", fold(fact.text), fact.due)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
