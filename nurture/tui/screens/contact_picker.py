"""Choose a person by typing a few letters of their name, nickname, company or email.

The ranking is the one matcher's (``store.matching``): the same people in the
same order as the contacts filter and ``nurture show NAME``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from nurture.tui.text import plain, shown
from nurture.tui.waiting import PREPARING, FilterWait

if TYPE_CHECKING:
    from nurture.tui.app import NurtureApp

SHOWN = 30  # more would not fit; typing narrows faster than scrolling


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
        self._index = FilterWait(self, lambda: self._show(self.query_one(Input).value))

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Label(plain(self.title_text), id="picker-title")  # may name someone
            yield Input(placeholder="a name, company, interest or email…", id="picker-query")
            yield OptionList(id="picker-results")

    def on_mount(self) -> None:
        self._show("")
        self.query_one(Input).focus()

    def _show(self, query: str) -> None:
        results = self.query_one(OptionList)
        matcher = self.app.data.matcher
        if not self._index.ready(matcher):  # shown again once it is built
            results.set_options([Option(PREPARING, disabled=True)])
            return
        found = matcher.rank(query, SHOWN)
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
