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
from nurture.touch import Promise, Recent, done_touches, heads_of, promises_of


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
        # Each person's newest touch on or before today (later entries are plans), and
        # their entries of the last few weeks: one walk down each timeline's head serves
        # every rule that looks back. A command's timelines answer it from the derived
        # index (``store.heads``), building only the entries the rules read.
        start = self.today_ord - max(config.thank_you_days, config.life_event_days)
        digest = getattr(timeline, "heads", None)
        heads = digest(self.by_id, self.today_ord, start) if digest is not None else None
        if heads is None:
            heads = heads_of(timeline, self.by_id, self.today_ord, start)
        self.last_entry: Mapping[str, Interaction] = heads.last_entry
        self.last_kind = heads.last_kind
        # Day ordinal of that entry (known without building it, as its kind is).
        self.last_entry_day: Mapping[str, int] = heads.last_touch
        # Day ordinal of the last touch: that entry, or a suggestion marked done since.
        self.last_touch = dict(heads.last_touch)
        # (position, date ordinal, entry) of entries in the last few weeks, newest first.
        self.recent_entries = heads.recent
        # "Done" without logging still means the user got in touch that day.
        self.done_touch = {cid: when for cid, when in done_touches(review.values(),
                                                                   self.today_ord).items()
                           if cid in self.by_id}
        for cid, when in self.done_touch.items():
            if when > self.last_touch.get(cid, 0):
                self.last_touch[cid] = when

    def entries_with_open_follow_ups(self, contact_id: str) -> Sequence[Interaction]:
        """A person's entries with a follow-up still open, newest first. The timelines
        `Store.review_timelines` gives a command pick them without building the rest."""
        pick = getattr(self.timeline, "with_open_follow_ups", None)
        if pick is not None:
            found: Sequence[Interaction] = pick(contact_id)
            return found
        timeline = self.timeline.get(contact_id, ())
        return [entry for entry in timeline if entry.follow_ups and entry.open_follow_ups()]

    def open_promises(self, contact_id: str) -> Sequence[Promise]:
        """A person's open follow-ups, their newest entries' first. The timelines
        `Store.review_timelines` gives a command read them from the index, building
        only the entries of the suggestions shown."""
        pick = getattr(self.timeline, "promises", None)
        if pick is not None:
            found: Sequence[Promise] = pick(contact_id)
            return found
        return [promise for entry in self.entries_with_open_follow_ups(contact_id)
                for promise in promises_of(entry)]

    def timeline_length(self, contact_id: str) -> int:
        """How many entries are on a person's timeline (a command's timelines count them
        without building them)."""
        count = getattr(self.timeline, "length_of", None)
        if count is not None:
            found: int = count(contact_id)
            return found
        return len(self.timeline.get(contact_id, ()))

    # ------------------------------------------------------------ dates

    @staticmethod
    def date(ordinal: int) -> pendulum.Date:
        return pendulum.Date.fromordinal(ordinal)

    def days_since_touch(self, contact_id: str) -> int | None:
        last = self.last_touch.get(contact_id)
        return None if last is None else self.today_ord - last

    def recent(self, days: int) -> Iterator[tuple[Contact, Recent]]:
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
