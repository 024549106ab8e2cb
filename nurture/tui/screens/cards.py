"""The Cards view: cards to send in the next two weeks, with the address, the state
(to write → written → posted), gift ideas and the gifts already given.

The cards are read on the writer thread (the review over the next days needs
the store); marking one goes through `nurture.actions.cards`, as the CLI does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pendulum
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from nurture.tui.text import shown
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.cards import Card
    from nurture.store import Store
    from nurture.tui.app import NurtureApp, StoreChanged

DAYS = 14
_STATE_STYLE = {"to write": "yellow", "written": "cyan", "posted": "green"}


class CardsScreen(Screen[None]):
    """Cards to write and post."""

    CSS_PATH = "cards.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "written", "Written", tooltip="Mark the card written", id="cards-written"),
        Binding("p", "posted", "Posted",
                tooltip="Mark the card posted (logs it on the timeline)", id="cards-posted"),
        Binding("o", "open", "Open contact", tooltip="Show the person (to add an address)",
                id="cards-open"),
        Binding("escape,q", "close", "Close", tooltip="Back to the main screen", id="cards-close"),
    ]
    app: NurtureApp

    def __init__(self) -> None:
        super().__init__(id="cards")
        self.cards: list[Card] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading…", id="cards-status")
        yield OptionList(id="cards-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cards-list", OptionList).focus()
        self._reload()

    def on_store_changed(self, message: StoreChanged) -> None:
        if not message.suggestions_only:
            self._reload()

    def _now(self) -> pendulum.DateTime:
        from nurture.model import now_on

        return now_on(self.app.today)

    def _reload(self) -> None:
        from nurture.actions.cards import card_review
        from nurture.cards import cards

        today, rules, now = self.app.today, self.app._rules, self._now()

        def read(store: Store) -> list[Card]:
            review = card_review(store, rules, today, now, DAYS)
            return cards(review.queue, {c.id: c for c in store.contacts()},
                         store.interactions_by_contact(), store.review_states())

        self.app.run_write(read, done=self._show, description="read the cards")

    def _show(self, found: list[Card]) -> None:
        from nurture.rules.text import day

        self.cards, self.loaded = found, True
        missing = sum(1 for c in found if c.missing_address)
        status = f"{len(found)} card{'s' * (len(found) != 1)} to send in the next {DAYS} days"
        if missing:
            status += f"; {missing} without a home address (o opens the person)"
        self.query_one("#cards-status", Static).update(
            status if found else f"No cards to send in the next {DAYS} days.")
        options = []
        for card in found:
            text = Text.assemble((day(card.due), "bold"), "  ",
                                 (f"[{card.state.value}]", _STATE_STYLE[card.state.value]),
                                 "  ", shown(card.title))
            if card.missing_address:
                text.append("\n    ⚠ no home address", style="red")
            else:
                text.append("\n    " + shown(" · ".join(card.address)), style="dim")
            if card.gift_ideas:
                text.append("\n    gift ideas: " + shown("; ".join(card.gift_ideas)),
                            style="italic")
            if card.gifts:
                text.append("\n    gifts: " + shown("; ".join(card.gifts[:3])), style="dim")
            options.append(Option(text, id=card.key))
        cards_list = self.query_one("#cards-list", OptionList)
        highlighted = cards_list.highlighted
        cards_list.set_options(options)
        if options:
            cards_list.highlighted = min(highlighted or 0, len(options) - 1)

    @property
    def current(self) -> Card | None:
        option = self.query_one("#cards-list", OptionList).highlighted_option
        return next((c for c in self.cards if option is not None and c.key == option.id), None)

    def _mark(self, posted: bool) -> None:
        from nurture.actions.cards import card_review, mark_posted, mark_written

        card = self.current
        if card is None:
            self.app.bell()
            return
        today, rules, now, key = self.app.today, self.app._rules, self._now(), card.key

        def write(store: Store) -> object:
            review = card_review(store, rules, today, now, DAYS)
            if posted:
                return mark_posted(store, review, key)
            return mark_written(store, review, key, now)

        said = "Posted and logged" if posted else "Written"
        self.app.run_write(write, done=lambda _: self.notify(f"{said}: {card.title}",
                                                             markup=False),
                           description="mark the card")

    def action_written(self) -> None:
        self._mark(posted=False)

    def action_posted(self) -> None:
        self._mark(posted=True)

    def action_open(self) -> None:
        card = self.current
        if card is not None:
            self.app.open_contact(card.contact_ids[0])

    def action_close(self) -> None:
        self.app.pop_screen()
