"""Until when to put a suggestion away: tomorrow, next week, a month, or a typed date."""

from __future__ import annotations

from typing import ClassVar

import pendulum
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from nurture.errors import NurtureError
from nurture.shortdates import parse_day
from nurture.tui.text import plain


def snooze_choices(today: pendulum.Date) -> list[tuple[str, str, pendulum.Date]]:
    """The one-key snoozes: (key, label, date)."""
    return [
        ("t", "Tomorrow", today.add(days=1)),
        ("w", "Next week", today.add(weeks=1)),
        ("m", "In a month", today.add(months=1)),
    ]


def parse_snooze(text: str, today: pendulum.Date) -> pendulum.Date:
    """A snooze date: any day after today in the one short-date grammar."""
    return parse_day(text, today, after_today=True)


class SnoozePicker(ModalScreen[pendulum.Date | None]):
    """Until when to put a suggestion away: one key, or a typed date."""

    CSS_PATH = "snooze.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the suggestion in the queue",
                id="snooze-cancel"),
        Binding("t", "pick('t')", "Tomorrow", show=False, id="snooze-tomorrow"),
        Binding("w", "pick('w')", "Next week", show=False, id="snooze-next-week"),
        Binding("m", "pick('m')", "A month", show=False, id="snooze-month"),
    ]

    def __init__(self, today: pendulum.Date) -> None:
        super().__init__(id="snooze")
        self.today = today
        self.choices = snooze_choices(today)

    def compose(self) -> ComposeResult:
        with Vertical(id="snooze-box"):
            yield Label("Snooze until…", id="snooze-title")
            yield OptionList(*(Option(Text.assemble((f"{key} ", "bold"), label, "  ",
                                                    (when.format("ddd D MMM"), "dim")),
                                      id=key)
                               for key, label, when in self.choices), id="snooze-choices")
            yield Input(placeholder="or a date: 2026-12-24, 12-24, friday, 10d, 3w",
                        id="snooze-date", select_on_focus=False)
            yield Static("", id="snooze-error")

    def on_key(self, event: events.Key) -> None:
        # A date typed straight after `s` (12-24, friday) goes to the date box, not into
        # the list of choices; the one-key choices (t, w, m) keep their letters.
        date_box = self.query_one("#snooze-date", Input)
        if date_box.has_focus or not event.is_printable or event.character is None \
                or event.character in {k for k, _, _ in self.choices} or event.character == " ":
            return
        event.prevent_default()
        event.stop()
        date_box.focus()
        date_box.insert_text_at_cursor(event.character)

    def action_pick(self, key: str) -> None:
        self.dismiss(next(when for k, _, when in self.choices if k == key))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#snooze-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_pick(event.option.id)

    @on(Input.Submitted, "#snooze-date")
    def _typed(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_snooze(event.value, self.today))
        except NurtureError as exc:
            self.query_one("#snooze-error", Static).update(plain(str(exc)))  # quotes input
