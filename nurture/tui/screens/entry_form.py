"""Log or edit a timeline entry: pick the kind with one letter, then a small form."""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar

import pendulum
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from nurture.errors import NurtureError, ValidationError
from nurture.model import (
    FollowUp,
    Interaction,
    InteractionKind,
    parse_cadence,
    parse_date_parts,
)
from nurture.touch import CHANNEL_BY_KIND
from nurture.tui.text import plain
from nurture.wording import stamp

# One letter per kind, shown in the picker (mnemonic where the first letter is taken).
KIND_KEYS: dict[str, InteractionKind] = {
    "c": InteractionKind.CALL, "m": InteractionKind.MEETING, "e": InteractionKind.EMAIL,
    "t": InteractionKind.MESSAGE, "n": InteractionKind.NOTE, "k": InteractionKind.CARD_SENT,
    "g": InteractionKind.GIFT_GIVEN, "r": InteractionKind.GIFT_RECEIVED,
    "y": InteractionKind.THANK_YOU, "f": InteractionKind.FAVOUR,
    "s": InteractionKind.SUGGESTION, "i": InteractionKind.INTRODUCTION,
    "v": InteractionKind.LIFE_EVENT, "o": InteractionKind.OTHER,
}
DEFAULT_CHANNEL = CHANNEL_BY_KIND

_TIME_RE = re.compile(r"^(?:(?P<day>.+?)\s+)?(?P<h>\d{1,2}):(?P<m>\d{2})$")


def parse_when(text: str, today: pendulum.Date, tz: str = "local") -> pendulum.DateTime:
    """``now``, ``yesterday 18:00``, ``2025-06-01 14:30``, ``14:30`` or a date (at noon)."""
    clock = pendulum.now(tz)
    base = pendulum.datetime(today.year, today.month, today.day, clock.hour, clock.minute,
                             clock.second, tz=tz)
    text = text.strip().lower()
    if text in ("", "now"):
        return base
    hour: int | None = None
    minute = 0
    m = _TIME_RE.match(text)
    if m:
        hour, minute = int(m["h"]), int(m["m"])
        if hour > 23 or minute > 59:
            raise ValidationError("when", f"{m['h']}:{m['m']} is not a time of day")
        text = (m["day"] or "today").strip()
    if text in ("today", "yesterday"):
        day = today if text == "today" else today.subtract(days=1)
    else:
        year, month, dom = parse_date_parts(text, "when")
        day = pendulum.date(year if year is not None else today.year, month, dom)
    if hour is None:
        return base.replace(year=day.year, month=day.month, day=day.day) if day == today \
            else pendulum.datetime(day.year, day.month, day.day, 12, tz=tz)
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=tz)


def parse_due(text: str, today: pendulum.Date) -> pendulum.Date | None:
    """Empty, ``2w`` / ``10`` (from today), ``2025-07-01`` or ``07-01`` (the next one)."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+\s*[dwmy]?", text, re.IGNORECASE) and "-" not in text:
        days = parse_cadence(text)
        assert days is not None
        return today.add(days=days)
    year, month, day = parse_date_parts(text, "due")
    if year is not None:
        return pendulum.date(year, month, day)
    when = pendulum.date(today.year, month, day)
    return when if when >= today else pendulum.date(today.year + 1, month, day)


class KindPicker(ModalScreen[InteractionKind | None]):
    """Press the kind's letter (or pick it with the arrows and Enter)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="kind-cancel"),
    ]
    DEFAULT_CSS = """
    KindPicker { align: center middle; }
    KindPicker OptionList { width: 34; height: auto; max-height: 90%;
                            border: thick $primary; }
    """

    def compose(self) -> ComposeResult:
        picker = OptionList(*(Option(f"[b]{key}[/b]  {kind.value}", id=kind.value)
                              for key, kind in KIND_KEYS.items()))
        picker.border_title = "Log what?"
        yield picker

    def on_key(self, event: events.Key) -> None:
        kind = KIND_KEYS.get(event.character or "")
        if kind is not None:
            event.stop()
            self.dismiss(kind)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option has its kind as id
            self.dismiss(InteractionKind(event.option.id))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class EntryForm(ModalScreen[Interaction | None]):
    """A new entry for ``contact_ids``, or ``entry`` edited; dismisses with it unsaved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="entry-save"),
        Binding("escape", "cancel", "Cancel", id="entry-cancel"),
    ]
    DEFAULT_CSS = """
    EntryForm { align: center middle; }
    EntryForm > Vertical { width: 80; max-width: 100%; height: auto; max-height: 100%;
                           border: thick $primary; background: $surface; padding: 0 1; }
    EntryForm .row { height: auto; }
    EntryForm .row Label { width: 12; padding-right: 1; text-align: right; }
    EntryForm .row Input, EntryForm .row Select { width: 1fr; }
    EntryForm TextArea { height: 6; }
    EntryForm #error { color: $error; }
    EntryForm #buttons { height: auto; align: right middle; }
    EntryForm #buttons Button { margin-left: 2; }
    """

    def __init__(self, today: pendulum.Date, *, contact_ids: list[str] | None = None,
                 kind: InteractionKind = InteractionKind.NOTE,
                 entry: Interaction | None = None, title: str = "") -> None:
        super().__init__()
        self.today = today
        self.contact_ids = contact_ids or (entry.contact_ids if entry else [])
        self.kind = entry.kind if entry else kind
        self.entry = entry
        self.title_text = title

    def compose(self) -> ComposeResult:
        entry = self.entry
        with Vertical() as box:
            # The title names the contact: plain text, never markup.
            box.border_title = plain(self.title_text or ("Edit entry" if entry else "Log"))
            with Horizontal(classes="row"):
                yield Label("Kind")
                yield Select([(k.value, k) for k in InteractionKind], value=self.kind,
                             allow_blank=False, id="kind", compact=True)
            with Horizontal(classes="row"):
                yield Label("When")
                yield Input(stamp(entry.at) if entry else "now",
                            placeholder="now, yesterday 18:00, 2025-06-01 14:30", id="when",
                            compact=True)
            with Horizontal(classes="row"):
                yield Label("Channel")
                yield Input(entry.channel if entry else DEFAULT_CHANNEL.get(self.kind, ""),
                            placeholder="phone, email, in-person…", id="channel", compact=True)
            yield TextArea(entry.text if entry else "", id="text")
            with Horizontal(classes="row"):
                yield Label("Follow up")
                yield Input("", placeholder="what to do next (optional)", id="follow-up",
                            compact=True)
            with Horizontal(classes="row"):
                yield Label("Due")
                yield Input("", placeholder="2w, 10, 2025-07-01", id="due", compact=True)
            yield Label("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()

    @on(Select.Changed, "#kind")
    def _channel_follows_kind(self, event: Select.Changed) -> None:
        channel = self.query_one("#channel", Input)
        if isinstance(event.value, InteractionKind) and \
                (not channel.value or channel.value in DEFAULT_CHANNEL.values()):
            channel.value = DEFAULT_CHANNEL.get(event.value, "")

    def build(self) -> Interaction:
        """The entry from the fields; raises `ValidationError` naming the bad field."""
        at = parse_when(self.query_one("#when", Input).value, self.today)
        if self.entry is not None and self.query_one("#when", Input).value \
                == stamp(self.entry.at):
            at = self.entry.at  # untouched: keep the seconds and the zone it was logged in
        kind = self.query_one("#kind", Select).selection
        if not isinstance(kind, InteractionKind):  # (the select cannot be blank)
            raise ValidationError("kind", "choose a kind")
        text = self.query_one("#text", TextArea).text.strip()
        channel = self.query_one("#channel", Input).value.strip()
        follow_text = self.query_one("#follow-up", Input).value.strip()
        due = parse_due(self.query_one("#due", Input).value, self.today)
        if due is not None and not follow_text:
            raise ValidationError("follow up", "say what to follow up on, or clear the due date")
        if self.entry is None:
            entry = Interaction.new(self.contact_ids, kind, text, at=at, channel=channel)
        else:
            entry = dataclasses.replace(self.entry, kind=kind, text=text, at=at,
                                        channel=channel,
                                        follow_ups=list(self.entry.follow_ups))
        if follow_text:
            entry.follow_ups.append(FollowUp(follow_text, due=due))
        return entry

    def action_save(self) -> None:
        try:
            entry = self.build()
        except NurtureError as exc:
            self.query_one("#error", Label).update(plain(f"⚠ {exc}"))
            return
        self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
