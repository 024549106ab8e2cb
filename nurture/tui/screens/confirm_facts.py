"""What a quick note says, shown for one-key confirmation before it changes the contact."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from nurture.tui.text import plain, shown

if TYPE_CHECKING:
    from nurture.model import Contact
    from nurture.notes import Fact, NoteFacts


class ConfirmFacts(ModalScreen[list["Fact"] | None]):
    """What the note says, each fact on by default: space or its number toggles, Enter applies."""

    CSS_PATH = "confirm_facts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "apply", "Apply", priority=True,
                tooltip="Apply the ticked facts and log the note", id="facts-apply"),
        Binding("escape", "back", "Back to the note", tooltip="Keep editing the note",
                id="facts-back"),
        *(Binding(str(n), f"flip({n - 1})", f"Toggle {n}", show=False) for n in range(1, 10)),
    ]

    def __init__(self, found: NoteFacts, description: str,
                 contact: Contact | None = None) -> None:
        super().__init__(id="confirm-facts")
        self.found = found
        self.description = description
        self.contact = contact  # to say what a date would replace

    def compose(self) -> ComposeResult:
        with Vertical(id="facts-box"):
            yield Label("Found in your note — space or 1-9 toggles, Enter applies",
                        id="facts-title")
            yield SelectionList[int](
                *(Selection(self._prompt(n, fact), n, True)
                  for n, fact in enumerate(self.found.facts)), id="facts-list")
            yield Static(plain(self.description), id="facts-log")  # names the contact

    def _prompt(self, index: int, fact: Fact) -> Text:
        from nurture.notes import KeyDateFact

        prompt = Text()
        prompt.append(f"{index + 1} " if index < 9 else "  ", style="bold")
        prompt.append(shown(fact.summary()))
        old = self.contact.key_date(fact.label) \
            if self.contact is not None and isinstance(fact, KeyDateFact) else None
        if old is not None and isinstance(fact, KeyDateFact) \
                and (old.month, old.day) != (fact.month, fact.day):
            prompt.append(f" (replaces {old.human()})", style="bold yellow")
        source = " ".join(self.found.source(fact).split())
        if source:
            prompt.append(f"  “{shown(source)}”", style="dim italic")
        return prompt

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @property
    def accepted(self) -> list[Fact]:
        chosen = set(self.query_one(SelectionList).selected)
        return [fact for n, fact in enumerate(self.found.facts) if n in chosen]

    def action_flip(self, index: int) -> None:
        selection = self.query_one(SelectionList)
        if index < selection.option_count:
            selection.toggle(index)

    def action_apply(self) -> None:
        self.dismiss(self.accepted)

    def action_back(self) -> None:
        self.dismiss(None)
