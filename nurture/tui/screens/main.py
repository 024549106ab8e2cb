"""The main screen: contacts (left), card and timeline (centre), compose (right)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from nurture.tui import bindings

if TYPE_CHECKING:
    from nurture.model import NewsItem, Suggestion
    from nurture.tui.app import NurtureApp, StoreChanged


class MainScreen(Screen[None]):
    """Where the user lives."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.MAIN
    app: NurtureApp  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__(id="main")
        self.selected_contact_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield Vertical(Static("Loading…"), id="contacts-pane")
            yield Vertical(id="centre-pane")
            yield Vertical(id="compose-pane")
        yield Footer()

    def on_store_changed(self, message: StoreChanged) -> None:
        pass

    def show_contact(self, contact_id: str) -> None:
        self.selected_contact_id = contact_id

    def show_compose(self, contact_id: str, *, suggestion: Suggestion | None = None,
                     template: str | None = None, news_item: NewsItem | None = None) -> None:
        self.selected_contact_id = contact_id
