"""The "sent how?" picker: card, email, message or call, and what each logs."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from nurture.model import InteractionKind

# key: (label, what the timeline logs, the channel it names)
SENT_CHANNELS: dict[str, tuple[str, InteractionKind, str]] = {
    "m": ("Card by mail", InteractionKind.CARD_SENT, "card"),
    "e": ("Email", InteractionKind.EMAIL, "email"),
    "t": ("Message", InteractionKind.MESSAGE, "messaging"),
    "c": ("Call", InteractionKind.CALL, "phone"),
}
# A contact's preferred channel (ChannelKind) -> the picker's key.
_PREFERRED = {"card": "m", "email": "e", "text": "t", "messaging": "t", "social": "t",
              "phone": "c", "in-person": "c"}


class SentPicker(ModalScreen[str | None]):
    """Card, email, message or call: one key, or Enter on the highlighted one."""

    DEFAULT_CSS = """
    SentPicker { align: center middle; }
    SentPicker #sent-box { width: 40; height: auto; padding: 1 2; border: round $border;
                           background: $surface; }
    SentPicker #sent-title { text-style: bold; margin-bottom: 1; }
    SentPicker OptionList { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Not sent yet", id="sent-cancel"),
        *(Binding(key, f"pick('{key}')", label, show=False) for key, (label, _, _)
          in SENT_CHANNELS.items()),
    ]

    def __init__(self, preferred: str = "") -> None:
        super().__init__(id="sent-picker")
        self.preferred = _PREFERRED.get(preferred, "")

    def compose(self) -> ComposeResult:
        with Vertical(id="sent-box"):
            yield Label("Sent how?", id="sent-title")
            yield OptionList(*(Option(Text.assemble((f"{key} ", "bold"), label), id=key)
                               for key, (label, _, _) in SENT_CHANNELS.items()))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.preferred:
            options.highlighted = list(SENT_CHANNELS).index(self.preferred)
        options.focus()

    def action_pick(self, key: str) -> None:
        self.dismiss(key)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
