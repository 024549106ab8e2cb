"""The Search screen: one key from the main screen, hits as you type, Enter opens the entry."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static
from tui_support import DAN, demo_book, ready, real_app, settle, type_text, until

from nurture.tui.screens.search import SearchScreen
from nurture.tui.widgets.timeline import Timeline


def status(app) -> str:
    return str(app.screen.query_one("#search-status", Static).render())


async def test_search_from_the_main_screen_and_open_the_entry(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, "DAN yankées")
        assert await until(pilot, lambda: screen.searched == "DAN yankées")
        assert status(app) == "4 hits, newest first"  # three entries and his card
        first = screen.hits[0]
        assert (first.contact_ids, first.entry_id) == ((DAN,), "i-demo000000")
        hits = screen.query_one("#search-hits", OptionList)
        # The person and the snippet, the word marked (reverse) in the snippet.
        prompt = hits.get_option_at_index(0).prompt
        assert "Dan Okafor" in prompt.plain and "Yankees' bullpen" in prompt.plain
        marked = [prompt.plain[s.start:s.end] for s in prompt.spans if "reverse" in str(s.style)]
        assert marked == ["Yankees"]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.selected_contact_id == DAN
        timeline = app.main.query_one(Timeline)
        assert timeline.highlighted_option.id == f"i:{screen.hits[1].entry_id}"
        assert app.focused is timeline


async def test_search_from_the_palette_says_when_nothing_matches(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "search")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, "zeppelin")
        assert await until(pilot, lambda: screen.searched == "zeppelin")
        assert status(app) == "Nothing matches zeppelin."
        assert screen.query_one("#search-hits", OptionList).option_count == 0
        await pilot.press("enter")  # nothing to open: stays
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is app.main


async def test_the_index_follows_a_new_entry(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.open_search("zeppelin")
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#search-input", Input).value == "zeppelin"
        assert await until(pilot, lambda: screen.searched == "zeppelin")
        assert screen.hits == []
        from nurture.model import Interaction

        entry = Interaction.new([DAN], "note", "Dan crews in the [bold]Zéppelin[/bold]")
        app.run_write(lambda store: store.save_interaction(entry))
        assert await until(pilot, lambda: len(screen.hits) == 1)
        prompt = screen.query_one("#search-hits", OptionList).get_option_at_index(0).prompt
        assert "[bold]Zéppelin[/bold]" in prompt.plain  # data is text, never markup


async def test_f_typed_in_the_filter_is_a_letter(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "fo")
        await settle(pilot)
        assert app.screen is app.main
        assert app.focused is not None and getattr(app.focused, "value", None) == "fo"
