"""What every rule shares: the interface, the ids, the key format and the score.

A rule is any object with an ``id``, a ``max_per_day`` (None for no cap) and a
``suggest(facts)`` method yielding candidates. Built-in and user rules are
alike to the engine.

A ``Candidate`` is a suggestion whose words are not written yet: the engine
hides, caps and ranks thousands of them by key and score, and only the ones
shown are worded (a reason costs more to write than to rank).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from nurture.model import Contact, fold

if TYPE_CHECKING:
    from nurture.rules.facts import Facts

BUILTIN_IDS = ("key-date", "cadence", "follow-up", "dormant", "thank-you", "check-in",
               "life-event", "news")

# Note templates the compose layer knows (``Suggestion.template``).
TEMPLATES = ("thank-you", "thinking-of-you", "clipping", "congratulations", "nice-to-meet-you",
             "birthday", "anniversary", "check-in")


# What a candidate's words are: (title, reason, facts for the templates).
Wording = tuple[str, str, dict[str, Any]]


# Channels we can infer when a contact states no preference, best first.
_INFERRED = (("phones", "phone"), ("emails", "email"), ("addresses", "card"))


def channels(contact: Contact, suited: Sequence[str] = ()) -> list[str]:
    """The contact's channels, those that suit the rule first (in the contact's own order of
    preference), then the others; inferred from their details when they set none."""
    own = list(dict.fromkeys(ch.kind.value for ch in contact.channels))
    if not own:
        own = [kind for attr, kind in _INFERRED if getattr(contact, attr)]
    if suited:
        own = [c for c in own if c in suited] + [c for c in own if c not in suited]
    return own


@dataclass(slots=True)
class Candidate:
    """A suggestion ranked but not yet worded; its channel is chosen when it is ranked."""

    key: str
    rule: str
    contact_ids: list[str]
    due_ord: int
    priority: float
    template: str
    words: Callable[[], Wording]
    lead: Contact
    suited: tuple[str, ...] = ()  # channels that fit the rule, best first
    fixed: list[str] | None = None  # channels the rule decided (a key date's lead depends on it)
    channel: str | None = None

    def options(self) -> list[str]:
        """The channels this suggestion may go by, best first."""
        return self.fixed if self.fixed is not None else channels(self.lead, self.suited)


class Rule(Protocol):
    id: str
    max_per_day: int | None

    def suggest(self, facts: Facts) -> Iterable[Candidate]:
        """Every candidate this rule makes for the day in ``facts`` (hidden ones included)."""
        ...


def slug(text: str) -> str:
    """A key-safe form of a label: ``Maya's graduation`` -> ``maya-s-graduation``."""
    return re.sub(r"\W+", "-", fold(text)).strip("-") or "date"


def key_contact(key: str) -> str | None:
    """The contact id a key names: keys are ``rule:contact:occurrence…``, e.g.
    ``key-date:c-abc123:birthday:2027``."""
    parts = key.split(":")
    return parts[1] if len(parts) >= 3 else None


def urgency(days_until_due: int, overdue_rate: float = 0.05) -> float:
    """10 on the due day, fading to 0 over the week before; overdue adds ``overdue_rate``
    a day for up to 30 days (a late promise matters more than a late keep-in-touch)."""
    if days_until_due < 0:
        return 10.0 + min(-days_until_due, 30) * overdue_rate
    return max(0.0, 10.0 - 1.5 * days_until_due)
