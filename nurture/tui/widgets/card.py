"""The selected contact's card: who they are, what matters to them, when you last spoke."""

from __future__ import annotations

import io
from typing import Any

import pendulum
from rich.console import Console
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

from nurture.model import Contact, Interaction, format_cadence
from nurture.tui.text import shown
from nurture.tui.widgets.sparkline import month_initials, monthly_counts, sparkline
from nurture.tui.writer import ContactFacts
from nurture.wording import ago, relative_days


def until(when: pendulum.Date, today: pendulum.Date) -> str:
    """How far ahead ``when`` is (``today``, ``tomorrow``, ``in 12 days``)."""
    return relative_days(when, today)


Row = tuple[str, Text]  # a label ("" continues the row above) and its value
LABEL_WIDTH = 12
MAX_WIDTH = 10_000  # the widest a card is ever laid out


def card_rows(contact: Contact, facts: ContactFacts, timeline: list[Interaction],
              today: pendulum.Date) -> tuple[Text, list[Row]]:
    """The card: a header (name, role, reach) and its labelled rows."""
    header = Text()
    header.append(shown(contact.display_name), style="bold")
    if contact.nickname:
        header.append(f"  “{shown(contact.nickname)}”", style="italic")
    header.append(f"  · {contact.kind.value}", style="dim")
    role = " at ".join(p for p in (contact.title, contact.company) if p)
    if role:
        header.append(f"\n{shown(role)}")
    reach = [e.address for e in contact.emails] + [p.number for p in contact.phones]
    if reach:
        header.append("\n" + shown(" · ".join(reach)), style="dim")

    rows: list[Row] = []

    def row(label: str, value: str) -> None:
        rows.append((label, Text(shown(value))))  # every value holds data

    if contact.channels:
        row("Prefers", ", ".join(c.label() for c in contact.channels))
    if contact.interests:
        row("Interests", ", ".join(f"#{t}" for t in contact.interests))
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
        row("Dates" if n == 0 else "", label)
    if contact.family:
        row("Family", ", ".join(f"{m.name} ({m.relation})" for m in contact.family))
    if contact.how_we_met:
        row("Met", contact.how_we_met)

    if not facts.known:  # the timelines are still loading: nothing said about touches
        row("Last contact", "loading…")
        return header, rows
    if facts.last_at is not None:
        last = f"{ago(facts.last_at.date(), today)}, {facts.last_kind}"
    else:
        last = "never"
    if contact.cadence_days:
        last += f" · every {format_cadence(contact.cadence_days)}"
    if facts.due is not None:
        last += (f" · next due {until(facts.due, today)}" if facts.due >= today
                 else f" · {(today - facts.due).in_days()} days overdue")
    row("Last contact", last)
    counts = monthly_counts(timeline, today)
    spark = Text(sparkline(counts), style="green")
    spark.append(f" {sum(counts)}", style="dim")
    spark.no_wrap = True
    rows.append(("12 months", spark))
    rows.append(("", Text(month_initials(today), style="dim", no_wrap=True)))
    return header, rows


def laid_out(header: Text, rows: list[Row], width: int | None = None) -> Text:
    """Header, then one line per row with its label; a long value wraps under itself
    (a hanging indent), not under the label. ``width=None``: no wrapping."""
    text = header.copy()
    room = None if width is None else max(8, width - LABEL_WIDTH - 1)
    if room is not None and width is not None and width < LABEL_WIDTH + 9:
        room = None  # too narrow for two columns: let the lines wrap as they will
    for label, value in rows:
        pieces = [value] if room is None or value.no_wrap else _wrapped(value, room)
        for n, piece in enumerate(pieces):
            text.append("\n" + f"{label if n == 0 else '':<{LABEL_WIDTH}} ", style="bold dim")
            text.append_text(piece)
    return text


def _wrapped(value: Text, room: int) -> list[Text]:
    """``value`` cut at spaces into pieces of at most ``room`` cells (styles kept);
    rich's own wrapping, linear in the text (a 100 KB note stays quick)."""
    pieces = []
    for line in value.wrap(_MEASURE, room):
        line.rstrip()
        pieces.append(line)
    return pieces or [value]


# Only measures: rich wraps text for a console, and this one never prints.
_MEASURE = Console(width=MAX_WIDTH, file=io.StringIO())


def card_text(contact: Contact, facts: ContactFacts, timeline: list[Interaction],
              today: pendulum.Date) -> Text:
    """The card as one styled text, unwrapped (what tests read)."""
    return laid_out(*card_rows(contact, facts, timeline, today))


class ContactCard(Static):
    """Shows one contact; empty (with a hint) when nobody is selected. Rows wrap under
    their value at whatever width the card has."""

    DEFAULT_CSS = """
    ContactCard { height: auto; max-height: 50%; padding: 0 1; border-bottom: solid $panel; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._card: tuple[Text, list[Row]] | None = None

    def show(self, contact: Contact | None, facts: ContactFacts | None,
             timeline: list[Interaction], today: pendulum.Date) -> None:
        if contact is None or facts is None:
            self.update(Text("Nobody selected. Press a to add a contact.", style="dim"))
            return
        self.show_rows(*card_rows(contact, facts, timeline, today))

    def show_rows(self, header: Text, rows: list[Row]) -> None:
        """Show a card made of ``header`` and ``rows``, laid out at the card's width."""
        super().update(laid_out(header, rows))
        self._card = (header, rows)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        self._card = None  # plain content (a hint, "Opening…") replaces the card
        super().update(content, layout=layout)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._card is None or not width:
            return super().get_content_height(container, viewport, width)
        return len(laid_out(*self._card, width).wrap(self.app.console, width))

    def render(self) -> Any:
        if self._card is None:
            return super().render()
        return laid_out(*self._card, self.content_size.width or None)
