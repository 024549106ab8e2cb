"""What the contact list, the card, the review and `nurture show` say about one person.

Computed here once, from the same rules of touch and cadence the review uses
(``nurture.touch``), so that the list's ``!``, the card's "next due" and the
review's "due 15 Oct" never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pendulum

from nurture.model import Contact, Interaction, fold
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
    search: str = ""  # everything the filter matches, folded
    name: str = ""  # the display name, folded (ranking and sorting)

    def overdue(self, today: pendulum.Date) -> bool:
        return self.due is not None and self.due < today

    def upcoming(self, today: pendulum.Date) -> bool:
        return self.next_date is not None and (self.next_date - today).in_days() <= UPCOMING_DAYS


def contact_texts(contact: Contact) -> tuple[str, str]:
    """What the filter matches and the folded display name: they depend on the contact
    alone, so a caller recomputing facts for another day or timeline may keep them."""
    return contact.search_text(), fold(contact.display_name)


def contact_facts(contact: Contact, timeline: list[Interaction], today: pendulum.Date,
                  cadence: int | None = None, done_on: int | None = None, *,
                  texts: tuple[str, str] | None = None) -> ContactFacts:
    """Last contact, check-in due date, next key date and open follow-ups of one person.

    ``cadence`` is the keep-in-touch interval in days when the contact has none of
    their own (the rules' default for their kind of relationship); ``done_on`` the
    last day (an ordinal) a suggestion about them was marked done. The last touch
    and the due date are the cadence rule's own (``nurture.touch``). ``texts`` is
    ``contact_texts(contact)`` when the caller has it already.
    """
    search, name = texts if texts is not None else contact_texts(contact)
    facts = ContactFacts(search=search, name=name)
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
    for key_date in contact.key_dates:
        when = key_date.next_occurrence(today)
        if when is not None and (facts.next_date is None or when < facts.next_date):
            facts.next_date, facts.next_date_label = when, key_date.label
    facts.open_follow_ups = sum(len(entry.open_follow_ups()) for entry in timeline)
    return facts
