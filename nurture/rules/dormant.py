"""``dormant``: a relationship gone quiet (default six months) that has no cadence.

People with a cadence are the ``cadence`` rule's; people never in touch at all
(a fresh import) are not "dormant", there is nothing to revive yet. Only a few
are offered each day (``max_per_day``), the closest relationships first, so an
old address book does not flood the morning.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, InteractionKind
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts, iso

# A short written note revives; a call out of the blue can feel like a sales pitch.
SUITED = ("email", "messaging", "text", "card", "social")

# What they last did for us that a thank-you could still acknowledge.
_GENEROUS = {InteractionKind.FAVOUR, InteractionKind.INTRODUCTION, InteractionKind.GIFT_RECEIVED}


class DormantRule:
    id = "dormant"

    def __init__(self, max_per_day: int | None) -> None:
        self.max_per_day = max_per_day

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        after = facts.config.dormant_days
        latest = facts.until_ord - after
        for contact in facts.contacts:
            last = facts.last_touch.get(contact.id)
            if last is None or last > latest or facts.cadence_of(contact):
                continue
            owed = facts.last_kind.get(contact.id) in _GENEROUS
            yield facts.make(
                self.id, [contact], [iso(last)],
                words=partial(self._words, facts, contact, last, owed),
                # Scored as due today: being quiet longer does not make it more urgent.
                due_ord=last + after, score_as_of=max(last + after, facts.today_ord),
                template="thank-you" if owed else "thinking-of-you",
                suited=SUITED,
            )

    @staticmethod
    def _words(facts: Facts, contact: Contact, last: int, owed: bool) -> Wording:
        gap = text.approx(facts.today_ord - last)
        since = text.day_in_year(facts.date(last), facts.today)
        nudge = ("A late thank-you for what they did last time reopens the door."
                 if owed else "A short note keeps the door open.")
        return (f"Revive: {contact.display_name}",
                text.sentence(f"No contact with {contact.first_name} for {gap} (since {since}).",
                              nudge, facts.last_spoke(contact.id)),
                {"dormant_days": facts.today_ord - last})
