"""The compose pane's edges: a news item as a clipping's context, the $EDITOR round
trip, and the "sent by" picker."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from nurture.errors import NurtureError
from nurture.model import Contact, InteractionKind, NewsItem, Suggestion


def news_suggestion(item: NewsItem, contact: Contact, interests: tuple[str, ...],
                    today: pendulum.Date) -> Suggestion:
    """What a clipping needs to know about a news item, in the shape templates read."""
    return Suggestion(key="", rule="news", contact_ids=[contact.id], title=item.title,
                      reason="", due=today, priority=0.0, template="clipping",
                      facts={"news_title": item.title, "news_url": item.url,
                             **({"interest": interests[0]} if interests else {})})


def edit_text(text: str, command: str) -> str:
    """Round-trip ``text`` through an editor command; the temp file is private (0600)."""
    fd, name = tempfile.mkstemp(prefix="nurture-note-", suffix=".txt")  # mkstemp: 0600
    path = Path(name)
    try:
        # Editors expect a file to end with a line break; it is taken off again after.
        added = not text.endswith("\n")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n" if added else text)
        result = subprocess.run([*shlex.split(command), str(path)], check=False)
        if result.returncode != 0:
            raise NurtureError(f"the editor ({command}) exited with status {result.returncode}; "
                               "the note is unchanged")
        edited = path.read_text(encoding="utf-8")
        return edited[:-1] if added and edited.endswith("\n") else edited
    finally:
        path.unlink(missing_ok=True)


def editor_command() -> str:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


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
