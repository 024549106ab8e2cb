"""``key-date``: birthdays, anniversaries and other dates ahead.

The note is due ``lead`` days before the date, where the lead depends on the
channel: a card by post leaves about a week ahead, a call is made on the day.
The suggestion stays until the date itself has passed. A Feb 29 birthday falls
on Feb 28 in a common year; a date without a year gives no age; a one-off date
(a graduation) fires once, in its own year.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date
from functools import partial

import pendulum

from nurture.model import Contact, KeyDate, fold
from nurture.rules import text
from nurture.rules.base import Candidate, Wording, slug
from nurture.rules.base import channels as base_channels
from nurture.rules.facts import Facts
from nurture.wording import ordinal

# Any channel suits a date: the contact's own preference decides.
SUITED = ()


def days_ahead(first_ord: int, last_ord: int) -> set[tuple[int, int]]:
    """(month, day) pairs falling between two ordinals; Feb 29 counts on a common year's Feb 28."""
    found: set[tuple[int, int]] = set()
    for day_ord in range(first_ord, min(last_ord, first_ord + 366) + 1):
        day = date.fromordinal(day_ord)
        found.add((day.month, day.day))
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            found.add((2, 29))
    return found


class KeyDateRule:
    id = "key-date"
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        lookahead = max(facts.config.lead_days.values(), default=0)
        window = days_ahead(facts.today_ord, facts.until_ord + lookahead)
        for contact in facts.contacts:
            for key_date in contact.key_dates:
                # A set lookup first: most dates are months away, and building
                # their pendulum dates would cost more than the whole review.
                if (key_date.month, key_date.day) in window:
                    found = self._one(facts, contact, key_date)
                    if found is not None:
                        yield found

    def _one(self, facts: Facts, contact: Contact, key_date: KeyDate) -> Candidate | None:
        occurrence = key_date.next_occurrence(facts.today)
        if occurrence is None:
            return None
        channels = base_channels(contact, SUITED)
        # The date decides the channel: varying it would move the due date.
        channel = channels[0] if channels else ""
        lead = facts.config.lead_for(channel)
        due = occurrence.toordinal() - lead
        if due > facts.until_ord:
            return None
        label = key_date.label.strip() or "Date"
        kind = fold(label)
        if "birthday" in kind:
            template = "birthday"
        elif "anniversary" in kind:
            template = "anniversary"
        else:
            template = "thinking-of-you" if key_date.yearly else "congratulations"
        return facts.make(
            self.id, [contact], [slug(label), occurrence.year],
            words=partial(self._words, facts, contact, key_date, occurrence, channel, lead),
            due_ord=due, template=template, fixed=[channel] if channel else [],
        )

    @staticmethod
    def _words(facts: Facts, contact: Contact, key_date: KeyDate, occurrence: pendulum.Date,
               channel: str, lead: int) -> Wording:
        label = key_date.label.strip() or "Date"
        kind = fold(label)
        years = key_date.years_at(occurrence) if key_date.yearly else None
        head = f"{label[0].upper()}{label[1:]} on {text.day_in_year(occurrence, facts.today)}"
        if years is not None and years > 0:
            if "birthday" in kind:
                head += f" — {contact.first_name} turns {years}."
            elif "anniversary" in kind:
                head += f" — their {ordinal(years)} anniversary."
            else:
                head += f" — {years} year{'s' if years != 1 else ''} since."
        else:
            head += "."
        send = ""
        if channel == "card" and lead:
            by = text.day_in_year(occurrence.subtract(days=lead), facts.today)
            late = occurrence.toordinal() - lead < facts.today_ord
            send = f"Post the card now; it was due by {by}." if late \
                else f"Post the card by {by}."
        if "birthday" in kind:
            title = f"{contact.display_name}'s birthday"
        elif "anniversary" in kind:
            title = f"{contact.display_name}'s {label.lower()}"
        else:
            title = f"{label} — {contact.display_name}"
        return (title, text.sentence(head, send, facts.last_spoke(contact.id)),
                {"date_label": label, "date": occurrence.isoformat(), "years": years,
                 "lead_days": lead, "yearly": key_date.yearly})
