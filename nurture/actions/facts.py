"""What the contact list, the card, the review and `nurture show` say about one person.

Computed here once, from the same rules of touch and cadence the review uses
(``nurture.touch``), so that the list's ``!``, the card's "next due" and the
review's "due 15 Oct" never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum

from nurture.model import Contact, Interaction
from nurture.touch import due_ordinal, last_touch

UPCOMING_DAYS = 14  # a key date this close earns a marker in the contacts list


@dataclass(slots=True)
class ContactFacts:
    """What the contacts list shows and sorts by, computed once per change."""

    last_at: pendulum.DateTime | None = None
    last_kind: str = ""
    due: pendulum.Date | None = None  # when the keep-in-touch cadence asks for contact
    next_date: pendulum.Date | None = None  # the next key date
    next_date_label: str = ""
    open_follow_ups: int = 0
    # False while the timeline is still loading (the app's first view): no last touch,
    # due date or follow-ups are known yet, so none is shown (not "never", not overdue).
    known: bool = True

    def overdue(self, today: pendulum.Date) -> bool:
        return self.due is not None and self.due < today

    def upcoming(self, today: pendulum.Date) -> bool:
        return self.next_date is not None and (self.next_date - today).in_days() <= UPCOMING_DAYS


def contact_facts(contact: Contact, timeline: list[Interaction] | None, today: pendulum.Date,
                  cadence: int | None = None, done_on: int | None = None) -> ContactFacts:
    """Last contact, check-in due date, next key date and open follow-ups of one person.

    ``cadence`` is the keep-in-touch interval in days when the contact has none of
    their own (the rules' default for their kind of relationship); ``done_on`` the
    last day (an ordinal) a suggestion about them was marked done. The last touch
    and the due date are the cadence rule's own (``nurture.touch``). ``timeline``
    None: not loaded yet, so only the key dates are known.
    """
    facts = ContactFacts()  # finding people is `store.matching`'s, from keys of its own
    _next_key_date(facts, contact, today)
    if timeline is None:
        facts.known = False
        return facts
    today_ord = today.toordinal()
    last = last_touch(timeline, today_ord)
    if last is not None:
        facts.last_at = last.at
        facts.last_kind = last.kind.value
    cadence = contact.cadence_days or cadence
    if cadence:
        touched = last.at.toordinal() if last is not None else None
        if done_on is not None and (touched is None or done_on > touched):
            touched = done_on
        created = contact.created.toordinal() if contact.created is not None else None
        facts.due = pendulum.Date.fromordinal(due_ordinal(cadence, touched, created,
                                                          today_ord)[0])
    # Most entries have no follow-up at all: ask only those that have one (this ran
    # 50,000 times per load of a 5,000-person book, half of the facts' time).
    facts.open_follow_ups = sum(len(entry.open_follow_ups()) for entry in timeline
                                if entry.follow_ups)
    return facts


def _next_key_date(facts: ContactFacts, contact: Contact, today: pendulum.Date) -> None:
    for key_date in contact.key_dates:
        when = key_date.next_occurrence(today)
        if when is not None and (facts.next_date is None or when < facts.next_date):
            facts.next_date, facts.next_date_label = when, key_date.label
