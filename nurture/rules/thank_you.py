"""``thank-you``: a meeting, favour, introduction or gift received in the last few days,
with no thank-you or card logged since (nor a suggestion for them marked done).

A first meeting gets a "nice to meet you" note instead of a thank-you.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, Interaction, InteractionKind
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts
from nurture.touch import Seen

IK = InteractionKind
TRIGGERS = {IK.MEETING, IK.FAVOUR, IK.INTRODUCTION, IK.GIFT_RECEIVED}
# A NOTE is a jotting about someone ("send him the book"), not a note sent to them:
# sent notes are logged as thank-you or card-sent.
ANSWERS = {IK.THANK_YOU, IK.CARD_SENT}
# Thanks are written: a card or a note, not a call.
SUITED = ("card", "email", "messaging", "text", "social")

_WHAT = {
    IK.MEETING: "You met {first} on {day}",
    IK.FAVOUR: "{first} did you a favour on {day}",
    IK.INTRODUCTION: "{first} made an introduction on {day}",
    IK.GIFT_RECEIVED: "{first} gave you a gift on {day}",
}


def happened(entry: Interaction, first: str, day: str) -> str:
    """``You met Maya on Tue 3 Mar: “lunch at Gino's”.``"""
    head = _WHAT[entry.kind].format(first=first, day=day)
    about = text.topic(entry)
    return f"{head}: “{about}”." if about else f"{head}."


class ThankYouRule:
    id = "thank-you"
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        window = facts.config.thank_you_days
        for contact, entries in facts.recent(window):
            answered = False
            size = facts.timeline_length(contact.id)
            for position, when, seen in entries:
                if seen.kind in ANSWERS:
                    answered = True  # everything older has been answered
                    continue
                if answered or seen.kind not in TRIGGERS:
                    continue
                if facts.done_touch.get(contact.id, 0) > when:
                    continue  # a suggestion for them was marked done since: they heard from us
                first = seen.kind is IK.MEETING and position == size - 1
                yield facts.make(
                    self.id, [contact], [seen.id],
                    words=partial(self._words, facts, contact, seen, when, first),
                    due_ord=when, template="nice-to-meet-you" if first else "thank-you",
                    suited=SUITED,
                )

    @staticmethod
    def _words(facts: Facts, contact: Contact, seen: Seen, when: int,
               first_meeting: bool) -> Wording:
        entry = seen.entry  # built only for a suggestion that is shown
        day = text.day_in_year(facts.date(when), facts.today)
        if first_meeting:
            title = f"Nice to meet you: {contact.display_name}"
            after = "It was your first meeting; a short note makes it stick."
        else:
            title = f"Thank {contact.display_name}"
            after = "No thank-you or card is logged since."
        return (title, text.sentence(happened(entry, contact.first_name, day), after),
                {"interaction_id": entry.id, "what": entry.kind.value,
                 "last_topic": text.note_topic(entry)})
