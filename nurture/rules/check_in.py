"""``check-in``: a week or two after a favour or a suggestion, ask whether it worked.

It fires only while that entry is still the last word with the person: any
later entry (a call, a thank-you from them, a note) or a suggestion marked
done since means the conversation already moved on. A favour *received* is
usually answered by a thank-you, which therefore also silences its check-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, Interaction, InteractionKind
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts

TRIGGERS = {InteractionKind.SUGGESTION, InteractionKind.FAVOUR}
# Asking how it went wants an answer: a call or a message.
SUITED = ("phone", "messaging", "text", "email", "in-person", "social")


class CheckInRule:
    id = "check-in"
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        after = facts.config.check_in_days
        stale = after + facts.config.check_in_window_days
        for contact_id, kind in facts.last_kind.items():
            if kind not in TRIGGERS:
                continue
            # Its day first: a command builds the entry only when it is to be asked about
            # (at 50,000 people, 130 of the 1,133 whose last word was a favour or a tip).
            when = facts.last_entry_day[contact_id]
            due = when + after
            if due > facts.until_ord or facts.today_ord > when + stale:
                continue
            if facts.done_touch.get(contact_id, 0) > when:
                continue
            contact = facts.by_id[contact_id]
            entry = facts.last_entry[contact_id]
            yield facts.make(
                self.id, [contact], [entry.id],
                words=partial(self._words, facts, contact, entry, when),
                due_ord=due, template="check-in", suited=SUITED,
            )

    @staticmethod
    def _words(facts: Facts, contact: Contact, entry: Interaction, when: int) -> Wording:
        day = text.day_in_year(facts.date(when), facts.today)
        about = text.topic(entry)
        quoted = f": “{about}”" if about else ""
        if entry.kind is InteractionKind.SUGGESTION:
            what = f"On {day} you suggested something to {contact.first_name}{quoted}."
            ask = "Ask whether it worked and whether anything else would help."
        else:
            what = f"On {day} you logged a favour with {contact.first_name}{quoted}."
            ask = "Ask how it went and whether anything else is needed."
        return (f"Check in with {contact.display_name}",
                text.sentence(what, ask, f"Nothing is logged with {contact.first_name} since."),
                {"interaction_id": entry.id, "last_topic": about})
