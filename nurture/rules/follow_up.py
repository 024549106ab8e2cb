"""``follow-up``: open follow-ups due today or overdue; the longer overdue, the higher.

A follow-up logged without a due date is due a few days after the entry it
came from (``undated_after_days``), so it is not forgotten. A follow-up on an
entry shared by several people is one suggestion naming all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts
from nurture.touch import Promise

# A promise kept is rarely a card.
SUITED = ("email", "phone", "messaging", "text", "in-person", "social")


class FollowUpRule:
    id = "follow-up"
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        seen: set[str] = set()
        undated = facts.config.undated_follow_up_days
        for contact in facts.contacts:
            for promise in facts.open_promises(contact.id):
                if promise.id in seen:
                    continue
                seen.add(promise.id)
                due = promise.due if promise.due is not None else promise.logged + undated
                if due > facts.until_ord:
                    continue
                # The entry's first known person leads, whatever order contacts
                # come in, so that the key is stable.
                people = [facts.by_id[c] for c in promise.people if c in facts.by_id] \
                    or [contact]
                yield facts.make(
                    self.id, people, [promise.id],
                    words=partial(self._words, facts, people, promise, due),
                    due_ord=due, overdue_rate=0.1, template="check-in",
                    suited=SUITED,
                )

    @staticmethod
    def _words(facts: Facts, people: list[Contact], promise: Promise, due: int) -> Wording:
        entry, follow_up = promise.entry, promise.follow_up
        names = ", ".join(c.display_name for c in people)
        logged = promise.logged
        promised = (f"Noted on {text.day_in_year(facts.date(logged), facts.today)}: "
                    f"“{follow_up.text}”.")
        late = facts.today_ord - due
        if follow_up.due is None:
            when = f"No date was set; it has waited {text.approx(facts.today_ord - logged)}."
        elif late > 0:
            when = (f"It was due {text.day_in_year(follow_up.due, facts.today)} "
                    f"({text.approx(late)} late).")
        elif late == 0:
            when = "It is due today."
        else:
            when = f"It is due {text.day_in_year(follow_up.due, facts.today)}."
        return (f"Follow up with {names}: {follow_up.text}",
                text.sentence(promised, when, facts.last_spoke(people[0].id)),
                {"follow_up_id": follow_up.id, "follow_up": follow_up.text,
                 "interaction_id": entry.id})
