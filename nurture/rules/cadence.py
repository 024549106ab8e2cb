"""``cadence``: keep in touch every N days, counted from the last touch of any kind.

The last touch is the newest timeline entry on or before today (a call, a
lunch, a note, anything), or a suggestion the user marked done without
logging. Logging a call therefore resets the cadence. The cadence is the
contact's own, else the default for their relationship kind, else none.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, RelationshipKind
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts, iso

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
            if last is not None:
                due, occurrence = last + cadence, ""
            elif contact.created is not None:
                # Never in touch: the cadence runs from when they were added.
                due, occurrence = min(contact.created.toordinal(), facts.today_ord) + cadence, ""
            else:
                # No anchor at all: due now, under a key that stays the same every day.
                due, occurrence = facts.today_ord, "first"
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
            state = f"it has been {text.approx(facts.today_ord - last)}."
        else:
            state = f"that comes round on {text.day(facts.date(due))}."
        return (f"Keep in touch with {contact.display_name}",
                text.sentence(f"{wish}; {state}", facts.last_spoke(contact.id)),
                {"cadence_days": cadence})
