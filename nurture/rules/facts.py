"""``Facts``: what every rule reads for one review day, computed once.

Dates are compared as ordinals (``date.toordinal()``): pendulum arithmetic
costs microseconds per call, and the review of 20,000 people must take
milliseconds. Only the suggestions that are made get pendulum dates.

An interaction counts on the calendar date of the offset it was logged with: a
call at 23:30-05:00 on 3 March is a call on 3 March, wherever the user reviews
from. That is the date the user saw in their own diary when it happened, and
it does not change when the machine's zone does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import pendulum

from nurture.model import (
    Contact,
    Interaction,
    NewsItem,
    ReviewState,
    Suggestion,
)
from nurture.rules import text
from nurture.rules.base import Candidate, Wording, urgency
from nurture.rules.config import RulesConfig
from nurture.touch import done_touches, is_touch


class Facts:
    """The inputs of one review, indexed for the rules."""

    def __init__(self, contacts: Iterable[Contact], timeline: Mapping[str, Sequence[Interaction]],
                 news: Iterable[NewsItem], review: Mapping[str, ReviewState],
                 config: RulesConfig, today: pendulum.Date, days: int = 0) -> None:
        self.config = config
        self.today = today
        self.today_ord = today.toordinal()
        # Suggestions due up to this day are wanted (``nurture today --days N``).
        self.until_ord = self.today_ord + max(0, days)
        self.contacts = list(contacts)
        self.by_id = {c.id: c for c in self.contacts}
        self.timeline = timeline
        self.news = list(news)
        self.review = review
        self._last_spoke: dict[str, str] = {}
        # The newest touch on or before today for each contact (later ones are plans).
        self.last_entry: dict[str, Interaction] = {}
        # Ordinal of the last touch: that entry, or a suggestion marked done since.
        self.last_touch: dict[str, int] = {}
        # (position, date ordinal, entry) of entries in the last few weeks, newest first:
        # one walk down each timeline's head serves every rule that looks back.
        self.recent_entries: dict[str, list[tuple[int, int, Interaction]]] = {}
        today_ord = self.today_ord
        start = today_ord - max(config.thank_you_days, config.life_event_days)
        for contact in self.contacts:
            recent = None
            for position, entry in enumerate(timeline.get(contact.id, ())):
                when = entry.at.toordinal()
                if when > today_ord:
                    continue  # a plan, not a touch
                # A jotted note or a life event is about the person, not with them.
                if contact.id not in self.last_entry and is_touch(entry):
                    self.last_entry[contact.id] = entry
                    self.last_touch[contact.id] = when
                # Entries come newest instant first, but local dates can be up to
                # two days out of that order (offsets run from -12:00 to +14:00).
                if when < start - 2:
                    if contact.id in self.last_entry:
                        break
                    continue
                if when >= start:
                    if recent is None:
                        recent = self.recent_entries[contact.id] = []
                    recent.append((position, when, entry))
        # "Done" without logging still means the user got in touch that day.
        self.done_touch = {cid: when for cid, when in done_touches(review.values(),
                                                                   today_ord).items()
                           if cid in self.by_id}
        for cid, when in self.done_touch.items():
            if when > self.last_touch.get(cid, 0):
                self.last_touch[cid] = when

    def entries_with_open_follow_ups(self, contact_id: str) -> Sequence[Interaction]:
        """A person's entries with a follow-up still open, newest first. A timeline that
        builds its entries as they are read (``store.views.LazyTimeline``, what
        `Store.review_timelines` gives a command) picks them without building the rest."""
        timeline = self.timeline.get(contact_id, ())
        pick = getattr(timeline, "with_open_follow_ups", None)
        if pick is not None:
            found: Sequence[Interaction] = pick()
            return found
        return [entry for entry in timeline if entry.follow_ups and entry.open_follow_ups()]

    # ------------------------------------------------------------ dates

    @staticmethod
    def date(ordinal: int) -> pendulum.Date:
        return pendulum.Date.fromordinal(ordinal)

    def days_since_touch(self, contact_id: str) -> int | None:
        last = self.last_touch.get(contact_id)
        return None if last is None else self.today_ord - last

    def recent(self, days: int) -> Iterator[tuple[Contact, list[tuple[int, int, Interaction]]]]:
        """Each contact with entries from ``days`` ago to today: (position, date ordinal,
        entry), newest first. Position 0 is the newest entry on the timeline."""
        start = self.today_ord - days
        for contact_id, entries in self.recent_entries.items():
            found = [e for e in entries if e[1] >= start]
            if found:
                yield self.by_id[contact_id], found

    # ------------------------------------------------------------ people

    def cadence_of(self, contact: Contact) -> int | None:
        """The contact's own cadence, else the default for their kind, else none."""
        return contact.cadence_days or self.config.cadence_for(contact.kind)

    def weight(self, contact: Contact) -> float:
        """How much this relationship counts: its kind, and how often the user wants to talk."""
        weight = self.config.kind_weights.get(contact.kind, 1.0)
        cadence = contact.cadence_days
        if cadence is not None:
            weight += 2.0 if cadence <= 14 else 1.0 if cadence <= 60 else 0.5
        return weight

    def last_spoke(self, contact_id: str) -> str:
        """``You last spoke 5 months ago about sailing.`` (computed once per person)."""
        said = self._last_spoke.get(contact_id)
        if said is None:
            said = text.last_spoke(self.last_entry.get(contact_id), self.today)
            self._last_spoke[contact_id] = said
        return said

    def common(self, contact: Contact) -> dict[str, Any]:
        """Facts every template may use (a fresh dict: callers add to it)."""
        entry = self.last_entry.get(contact.id)
        return {
            "name": contact.display_name,
            "first_name": contact.first_name,
            "company": contact.company,
            "interest": contact.interests[0] if contact.interests else "",
            "last_topic": text.note_topic(entry),
            "days_since": self.days_since_touch(contact.id),
            "last_spoke": self.last_spoke(contact.id),
        }

    # ------------------------------------------------------------ building

    def make(self, rule_id: str, contacts: Sequence[Contact], occurrence: Sequence[object],
             *, words: Callable[[], Wording], due_ord: int, template: str,
             suited: tuple[str, ...] = (), fixed: list[str] | None = None, bonus: float = 0.0,
             base: float | None = None, score_as_of: int | None = None,
             overdue_rate: float = 0.05) -> Candidate:
        """A candidate with its key and score; ``words`` writes its title and reason on demand.

        ``suited`` orders the contact's channels for this rule; ``fixed`` gives
        the channels outright. ``score_as_of`` scores urgency as if due that
        day (a dormant friend is not more urgent for being dormant longer);
        ``overdue_rate`` is how fast lateness raises the score.
        """
        if base is None:
            base = self.config.priorities.get(rule_id, 3.0)
        weight = max(self.weight(c) for c in contacts) if len(contacts) > 1 \
            else self.weight(contacts[0])
        scored = due_ord if score_as_of is None else score_as_of
        priority = round(base + urgency(scored - self.today_ord, overdue_rate) + weight + bonus, 2)
        lead = contacts[0]
        key = f"{rule_id}:{lead.id}:" + ":".join(map(str, occurrence))
        return Candidate(key, rule_id, [c.id for c in contacts], due_ord, priority, template,
                         words, lead, suited, fixed)

    def render(self, candidate: Candidate) -> Suggestion:
        """The suggestion a person reads."""
        title, reason, extra = candidate.words()
        options = candidate.options()
        channel = candidate.channel if candidate.channel is not None else \
            (options[0] if options else "")
        merged = self.common(candidate.lead)
        merged["channels"] = list(options)
        merged.update(extra)
        return Suggestion(key=candidate.key, rule=candidate.rule,
                          contact_ids=list(candidate.contact_ids), title=title, reason=reason,
                          due=self.date(candidate.due_ord), priority=candidate.priority,
                          channel=channel, template=candidate.template, facts=merged)


def iso(ordinal: int) -> str:
    """``2027-03-14`` for a day ordinal (for keys; cheaper than a pendulum date)."""
    return date.fromordinal(ordinal).isoformat()
