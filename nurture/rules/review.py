"""``DailyReview``: today's queue and what the user does with each suggestion.

Pure: the actions return what to save (a ``ReviewState``, maybe an entry to
log, maybe an entry whose follow-up is now closed); ``nurture.actions.review``
saves them, for the command line and the app alike.

A key identifies one occurrence, so a dismissed birthday comes back next
year, and a cadence done with a logged call disappears because the call
moves the next due date (and so the key).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pendulum

from nurture.errors import NotFound, ValidationError
from nurture.model import (
    Contact,
    Interaction,
    InteractionKind,
    NewsItem,
    ReviewState,
    ReviewStatus,
    Suggestion,
)
from nurture.rules.base import key_contact
from nurture.rules.config import RulesConfig
from nurture.rules.engine import candidates, queue
from nurture.rules.facts import Facts
from nurture.touch import kind_for_channel

# How far ahead an action may reach: `nurture done` on a birthday shown with --days.
LOOKUP_DAYS = 366

@dataclass(slots=True)
class DoneResult:
    """What marking a suggestion done changes."""

    suggestion: Suggestion
    state: ReviewState
    log: Interaction | None = None  # the entry to add to the timeline
    closed: Interaction | None = None  # an existing entry whose follow-up is now done


class DailyReview:
    """The ranked queue for one day, and the actions on it."""

    def __init__(self, contacts: Iterable[Contact], timeline: Mapping[str, Sequence[Interaction]],
                 news: Iterable[NewsItem], review: Mapping[str, ReviewState],
                 config: RulesConfig, today: pendulum.Date, *, now: pendulum.DateTime,
                 days: int = 0) -> None:
        self.contacts = list(contacts)
        self.timeline = timeline
        self.news = list(news)
        self.review = dict(review)
        self.config = config
        self.today = today
        self.now = now
        self._facts = Facts(self.contacts, timeline, self.news, self.review, config, today, days)
        self.queue, self._ranked = queue(self._facts, config.daily_limit)

    @property
    def pending(self) -> int:
        """How many suggestions are due in all, the queue being the first ``daily_limit``."""
        return len(self._ranked)

    def find(self, key: str) -> Suggestion:
        """The suggestion with ``key``: in the queue, past the limit, snoozed, or due within
        a year."""
        for suggestion in self.queue:
            if suggestion.key == key:
                return suggestion
        for candidate in self._ranked:
            if candidate.key == key:
                return self._facts.render(candidate)
        contact = self._facts.by_id.get(key_contact(key) or "")
        if contact is not None:
            # Only this person's rules need to run to find it.
            facts = Facts([contact], self.timeline, self.news, self.review, self.config,
                          self.today, LOOKUP_DAYS)
            for candidate in candidates(facts):
                if candidate.key == key:
                    return facts.render(candidate)
        raise NotFound(f"no suggestion {key!r} for {self.today.isoformat()} "
                       "(see `nurture today` for the keys)")

    def done(self, key: str, log_text: str | None = None) -> DoneResult:
        """Mark done; with ``log_text``, also log the touch (which resets the cadence)."""
        suggestion = self.find(key)
        state = self._record(key, ReviewStatus.DONE)
        log = None
        if log_text is not None and log_text.strip():
            kind = (InteractionKind.THANK_YOU if suggestion.rule == "thank-you"
                    else kind_for_channel(suggestion.channel))
            log = Interaction.new(list(suggestion.contact_ids), kind, log_text.strip(),
                                  at=self.now, channel=suggestion.channel, suggestion_key=key)
        return DoneResult(suggestion, state, log, self._close_follow_up(suggestion))

    def snooze(self, key: str, until: pendulum.Date) -> ReviewState:
        """Hide until ``until`` (it shows again that day)."""
        if until <= self.today:
            raise ValidationError("until", f"{until.isoformat()} is not after "
                                           f"{self.today.isoformat()}; snooze to a later day")
        self.find(key)
        return self._record(key, ReviewStatus.SNOOZED, until)

    def dismiss(self, key: str) -> ReviewState:
        """Hide this occurrence for good (next year's birthday is another occurrence)."""
        self.find(key)
        return self._record(key, ReviewStatus.DISMISSED)

    def _record(self, key: str, status: ReviewStatus,
                until: pendulum.Date | None = None) -> ReviewState:
        state = ReviewState(key=key, status=status, at=self.now, until=until)
        self.review[key] = state
        self.queue = [s for s in self.queue if s.key != key]
        self._ranked = [c for c in self._ranked if c.key != key]
        return state

    def _close_follow_up(self, suggestion: Suggestion) -> Interaction | None:
        """A copy of the entry with this follow-up checked off (the original is left as is)."""
        follow_up_id = suggestion.facts.get("follow_up_id")
        entry_id = suggestion.facts.get("interaction_id")
        if suggestion.rule != "follow-up" or not follow_up_id:
            return None
        for entry in self.timeline.get(suggestion.contact_ids[0], ()):
            if entry.id == entry_id:
                follow_ups = [dataclasses.replace(f, done=self.now) if f.id == follow_up_id
                              else f for f in entry.follow_ups]
                return dataclasses.replace(entry, follow_ups=follow_ups)
        return None
