"""The Cards view: cards due soon with address and gift ideas; w marks written, p posted."""

from __future__ import annotations

import pendulum
from textual.widgets import OptionList, Static
from tui_support import TODAY, ready, real_app, settle, type_text, until

from nurture.model import (
    Address,
    Channel,
    ChannelKind,
    Contact,
    Interaction,
    InteractionKind,
    KeyDate,
)
from nurture.store import open_store
from nurture.tui.screens.cards import CardsScreen


def card_book(tmp_path):
    path = tmp_path / "cards.json"
    created = pendulum.datetime(2025, 1, 1, tz="UTC")
    ana = Contact(id="c-ana", display_name="Ana [b]Lima[/b]", created=created,
                  channels=[Channel(ChannelKind.CARD)], key_dates=[KeyDate("birthday", 12, 1)],
                  addresses=[Address("home", "12 Rua Augusta", "Lisboa", country="PT")])
    ben = Contact(id="c-ben", display_name="Ben Okafor", created=created,
                  channels=[Channel(ChannelKind.CARD)],
                  key_dates=[KeyDate("anniversary", 11, 28, 2010)])
    with open_store(path, backups_keep=0) as store:
        store.save_contacts([ana, ben])
        store.save_interaction(Interaction.new(
            ["c-ana"], InteractionKind.NOTE, "#gift-idea: a sailing knot book",
            at=pendulum.datetime(2026, 10, 1, 12, tz="UTC")))
    return path


def status(app) -> str:
    return str(app.screen.query_one("#cards-status", Static).render())


async def test_cards_view_marks_written_then_posted(tmp_path):
    path = card_book(tmp_path)
    app = real_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "cards")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CardsScreen)
        assert await until(pilot, lambda: screen.loaded)
        assert [c.names for c in screen.cards] == ["Ben Okafor", "Ana [b]Lima[/b]"]
        assert status(app) == ("2 cards to send in the next 14 days; 1 without a home "
                               "address (o opens the person)")
        cards = screen.query_one("#cards-list", OptionList)
        ben_text = cards.get_option_at_index(0).prompt.plain
        ana_text = cards.get_option_at_index(1).prompt.plain
        assert "[to write]" in ben_text and "⚠ no home address" in ben_text
        assert "Ana [b]Lima[/b]" in ana_text  # a name is text, never markup
        assert "12 Rua Augusta · Lisboa · PT" in ana_text
        assert "gift ideas: a sailing knot book" in ana_text
        await pilot.press("down", "w")
        assert await until(pilot, lambda: [c.state.value for c in screen.cards]
                           == ["to write", "written"])
        await pilot.press("p")
        assert await until(pilot, lambda: [c.names for c in screen.cards] == ["Ben Okafor"])
        entry = app.data.timeline("c-ana")[0]
        assert entry.kind is InteractionKind.CARD_SENT
        assert entry.suggestion_key == f"key-date:c-ana:birthday:{TODAY.year}"
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is app.main and app.main.selected_contact_id == "c-ben"
