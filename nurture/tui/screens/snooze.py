"""Until when to put a suggestion away: tomorrow, next week, a month, or a typed date."""

from __future__ import annotations

from typing import ClassVar

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from nurture.errors import NurtureError, ValidationError
from nurture.model import parse_cadence, parse_date_parts
from nurture.tui.text import plain

_WEEKDAYS = {name: number for number, names in enumerate(
    (("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
     ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
     ("sun", "sunday"))) for name in names}


def snooze_choices(today: pendulum.Date) -> list[tuple[str, str, pendulum.Date]]:
    """The one-key snoozes: (key, label, date)."""
    return [
        ("t", "Tomorrow", today.add(days=1)),
        ("w", "Next week", today.add(weeks=1)),
        ("m", "In a month", today.add(months=1)),
    ]


def parse_snooze(text: str, today: pendulum.Date) -> pendulum.Date:
    """A snooze date from ``2026-12-24``, ``12-24``, ``friday``, ``tomorrow``, ``10d``, ``3w``…"""
    wanted = text.strip().lower()
    if not wanted:
        raise ValidationError("date", "type a date, a weekday or a span such as 3d or 2w")
    if wanted == "tomorrow":
        return today.add(days=1)
    if wanted == "next week":
        return today.add(weeks=1)
    if wanted in _WEEKDAYS:
        # pendulum numbers weekdays from Monday = 0, as we do.
        return today.next(pendulum.WeekDay(_WEEKDAYS[wanted]))
    try:
        year, month, day = parse_date_parts(wanted, "date")
    except ValidationError:
        try:
            days = parse_cadence(wanted)
        except ValidationError:
            raise ValidationError(
                "date", f"{text.strip()!r} is not a date (try 2026-12-24, 12-24, friday, "
                "10d, 3w or 2m)") from None
        assert days is not None
        return today.add(days=days)
    when = pendulum.date(year if year is not None else today.year, month, day)
    if year is None and when <= today:
        when = when.add(years=1)
    if when <= today:
        raise ValidationError("date", f"{when.format('D MMMM YYYY')} is not after today")
    return when


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
                        id="snooze-date")
            yield Static("", id="snooze-error")

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
