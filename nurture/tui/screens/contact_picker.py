"""Choose a person by typing a few letters of their name, nickname or company (fuzzy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rapidfuzz import fuzz, process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from nurture.model import Contact, fold
from nurture.tui.text import plain, shown

if TYPE_CHECKING:
    from nurture.tui.app import NurtureApp

SHOWN = 30  # more would not fit; typing narrows faster than scrolling
CUTOFF = 55  # below this WRatio score a result is noise


class ContactIndex:
    """The folded names of everyone, built once per picker, ranked per keystroke."""

    def __init__(self, contacts: list[Contact]) -> None:
        self.contacts = contacts
        self.by_id = {c.id: c for c in contacts}
        self.haystack = {c.id: fold(" ".join(p for p in (c.display_name, c.nickname, c.company)
                                             if p)) for c in contacts}

    def rank(self, query: str, limit: int = SHOWN) -> list[Contact]:
        """Contacts best matching ``query``, best first; all of them by name when it is empty."""
        wanted = fold(query.strip())
        if not wanted:
            return self.contacts[:limit]
        found = process.extract(wanted, self.haystack, scorer=fuzz.WRatio, limit=limit * 2,
                                score_cutoff=CUTOFF)
        # A name that starts with what was typed beats a fuzzy match somewhere in it.
        ranked = sorted(found, key=lambda hit: (not self.haystack[hit[2]].startswith(wanted),
                                                -hit[1], self.haystack[hit[2]]))
        return [self.by_id[key] for _, _, key in ranked[:limit]]


def rank_contacts(query: str, contacts: list[Contact], limit: int = SHOWN) -> list[Contact]:
    """Contacts best matching ``query``, best first (see `ContactIndex`)."""
    return ContactIndex(contacts).rank(query, limit)


class ContactPicker(ModalScreen[str | None]):
    """A fuzzy finder over the address book; dismisses with a contact id or None."""

    CSS_PATH = "contact_picker.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without choosing",
                id="picker-cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker-next"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker-previous"),
    ]
    app: NurtureApp

    def __init__(self, title: str = "Who?") -> None:
        super().__init__(id="contact-picker")
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(plain(self.title_text), id="picker-title")  # may name someone
            yield Input(placeholder="a name, nickname or company…", id="picker-query")
            yield OptionList(id="picker-results")

    def on_mount(self) -> None:
        self.index = ContactIndex(self.app.data.contacts)
        self._show("")
        self.query_one(Input).focus()

    def _show(self, query: str) -> None:
        results = self.query_one(OptionList)
        found = self.index.rank(query)
        results.set_options(
            Option(Text.assemble((shown(c.display_name), "bold"),
                                 (f"  {shown(c.company)}" if c.company else "", "dim")), id=c.id)
            for c in found)
        if found:
            results.highlighted = 0

    @on(Input.Changed, "#picker-query")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)
        else:
            self.app.bell()

    @on(OptionList.OptionSelected, "#picker-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        results = self.query_one(OptionList)
        if step > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
