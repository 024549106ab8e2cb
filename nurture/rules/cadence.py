"""``cadence``: keep in touch every N days, counted from the last touch of any kind.

The last touch is the newest timeline entry on or before today that was
contact with the person (a call, a lunch, a card, a favour; not a jotted note
or a life event, see ``nurture.touch``), or a suggestion the user marked done
without logging. Logging a call therefore resets the cadence. The cadence is the
contact's own, else the default for their relationship kind, else none.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, RelationshipKind
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts, iso
from nurture.touch import due_ordinal

# "... is your default for clients"
_GROUP = {RelationshipKind.FAMILY: "family", RelationshipKind.BOSS: "bosses",
          RelationshipKind.OTHER: "other contacts"}

# A keep-in-touch works best as a real conversation.
SUITED = ("phone", "in-person", "messaging", "text", "email", "social")


class CadenceRule:
    id = "cadence"
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        until = facts.until_ord
        for contact in facts.contacts:
            cadence = facts.cadence_of(contact)
            if not cadence:
                continue
            last = facts.last_touch.get(contact.id)
            created = contact.created.toordinal() if contact.created is not None else None
            due, unanchored = due_ordinal(cadence, last, created, facts.today_ord)
            # No anchor at all: due now, under a key that stays the same every day.
            occurrence = "first" if unanchored else ""
            if due > until:
                continue
            yield facts.make(
                self.id, [contact], [occurrence or iso(due)],
                words=partial(self._words, facts, contact, cadence, last, due),
                due_ord=due, template="check-in", suited=SUITED,
            )

    @staticmethod
    def _words(facts: Facts, contact: Contact, cadence: int, last: int | None,
               due: int) -> Wording:
        if contact.cadence_days is not None:
            wish = f"You like to be in touch with {contact.first_name} {text.every(cadence)}"
        else:
            wish = (f"{text.every(cadence).capitalize()} is your default for "
                    f"{_GROUP.get(contact.kind, contact.kind.value + 's')}")
        if last is None:
            state = "nothing is logged yet."
        elif due <= facts.today_ord:
            state = f"it has been {_since(facts.today_ord - last, cadence)}."
        else:
            state = f"that comes round on {text.day(facts.date(due))}."
        return (f"Keep in touch with {contact.display_name}",
                text.sentence(f"{wish}; {state}", facts.last_spoke(contact.id)),
                {"cadence_days": cadence})


def _since(days: int, cadence: int) -> str:
    """How long it has been, never in the very words of the cadence when it is overdue:
    84 days on a 2-month cadence is "12 weeks", not "2 months"."""
    said = text.approx(days)
    if days > cadence and said in text.every(cadence) and days < 365:
        return f"{days // 7} weeks"
    return said
