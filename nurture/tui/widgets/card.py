"""The selected contact's card: who they are, what matters to them, when you last spoke."""

from __future__ import annotations

import pendulum
from rich.text import Text
from textual.widgets import Static

from nurture.model import Contact, Interaction, format_cadence
from nurture.tui.text import shown
from nurture.tui.widgets.sparkline import month_initials, monthly_counts, sparkline
from nurture.tui.writer import ContactFacts
from nurture.wording import ago, relative_days


def until(when: pendulum.Date, today: pendulum.Date) -> str:
    """How far ahead ``when`` is (``today``, ``tomorrow``, ``in 12 days``)."""
    return relative_days(when, today)


def card_text(contact: Contact, facts: ContactFacts, timeline: list[Interaction],
              today: pendulum.Date) -> Text:
    """The card as styled text (kept apart from the widget so tests can read it)."""
    text = Text(no_wrap=False, overflow="fold")
    text.append(shown(contact.display_name), style="bold")
    if contact.nickname:
        text.append(f"  “{shown(contact.nickname)}”", style="italic")
    text.append(f"  · {contact.kind.value}", style="dim")
    role = " at ".join(p for p in (contact.title, contact.company) if p)
    if role:
        text.append(f"\n{shown(role)}")

    reach = [e.address for e in contact.emails] + [p.number for p in contact.phones]
    if reach:
        text.append("\n" + shown(" · ".join(reach)), style="dim")
    if contact.channels:
        _line(text, "Prefers", ", ".join(c.label() for c in contact.channels))
    if contact.interests:
        _line(text, "Interests", ", ".join(f"#{t}" for t in contact.interests))
    dates = []
    for key_date in sorted(contact.key_dates,
                           key=lambda d: d.next_occurrence(today) or pendulum.date(9999, 1, 1)):
        when = key_date.next_occurrence(today)
        label = f"{key_date.label} {key_date.human()}"
        if when is not None:
            years = key_date.years_at(when)
            age = ""
            if years:
                age = f", turns {years}" if key_date.label.casefold() == "birthday" \
                    else f", {years} year{'s' if years != 1 else ''}"
            label += f" ({until(when, today)}{age})"
        dates.append(label)
    for n, label in enumerate(dates):
        _line(text, "Dates" if n == 0 else "", label)
    if contact.family:
        _line(text, "Family", ", ".join(f"{m.name} ({m.relation})" for m in contact.family))
    if contact.how_we_met:
        _line(text, "Met", contact.how_we_met)

    if facts.last_at is not None:
        last = f"{ago(facts.last_at.date(), today)}, {facts.last_kind}"
    else:
        last = "never"
    if contact.cadence_days:
        last += f" · every {format_cadence(contact.cadence_days)}"
    if facts.due is not None:
        last += (f" · next due {until(facts.due, today)}" if facts.due >= today
                 else f" · {(today - facts.due).in_days()} days overdue")
    _line(text, "Last contact", last)
    counts = monthly_counts(timeline, today)
    text.append("\n12 months    ", style="bold dim")
    text.append(sparkline(counts), style="green")
    text.append(f" {sum(counts)}", style="dim")
    text.append("\n             " + month_initials(today), style="dim")
    return text


def _line(text: Text, label: str, value: str) -> None:
    text.append(f"\n{label:<12} ", style="bold dim")
    text.append(shown(value))  # every value holds data


class ContactCard(Static):
    """Shows one contact; empty (with a hint) when nobody is selected."""

    DEFAULT_CSS = """
    ContactCard { height: auto; max-height: 50%; padding: 0 1; border-bottom: solid $panel; }
    """

    def show(self, contact: Contact | None, facts: ContactFacts | None,
             timeline: list[Interaction], today: pendulum.Date) -> None:
        if contact is None or facts is None:
            self.update(Text("Nobody selected. Press a to add a contact.", style="dim"))
            return
        self.update(card_text(contact, facts, timeline, today))
