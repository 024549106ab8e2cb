"""``life-event``: a new job, a promotion, a graduation, a child, a move — logged as a
life event — with no congratulations since.

"Congratulations" is any outgoing touch logged after the event (a call, a
message, a card, a gift, a meeting) or a suggestion for them marked done.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, InteractionKind
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts
from nurture.touch import Seen

IK = InteractionKind
OUTGOING = {IK.CALL, IK.MEETING, IK.EMAIL, IK.MESSAGE, IK.CARD_SENT, IK.GIFT_GIVEN,
            IK.THANK_YOU}
# Any channel suits congratulations: the contact's own preference decides.
SUITED = ()


class LifeEventRule:
    id = "life-event"
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        window = facts.config.life_event_days
        for contact, entries in facts.recent(window):
            congratulated = False
            for _, when, seen in entries:
                if seen.kind in OUTGOING:
                    congratulated = True
                    continue
                if congratulated or seen.kind is not IK.LIFE_EVENT:
                    continue
                if facts.done_touch.get(contact.id, 0) > when:
                    continue
                yield facts.make(
                    self.id, [contact], [seen.id],
                    words=partial(self._words, facts, contact, seen, when),
                    due_ord=when, template="congratulations",
                    suited=SUITED,
                )

    @staticmethod
    def _words(facts: Facts, contact: Contact, seen: Seen, when: int) -> Wording:
        entry = seen.entry  # built only for a suggestion that is shown
        day = text.day_in_year(facts.date(when), facts.today)
        about = text.topic(entry) or "a life event"
        # With nothing logged but the event, "no congratulations since" says it all.
        last = facts.last_spoke(contact.id) if contact.id in facts.last_entry else ""
        return (f"Congratulate {contact.display_name}",
                text.sentence(f"Logged on {day} for {contact.first_name}: “{about}”.",
                              "No congratulations are logged since.", last),
                {"interaction_id": entry.id, "event": about})
