"""The weekly routine in the header, and the Stats screen from the palette."""

from __future__ import annotations

import io

from textual.widgets import Sparkline, Static
from tui_support import DAN, demo_book, ready, real_app, settle, type_text, until

from nurture.config import Config
from nurture.model import Interaction, InteractionKind
from nurture.tui.screens.stats import StatsScreen


def text(app, selector: str) -> str:
    """What a Static shows, as plain text (tables rendered as a terminal would)."""
    from rich.console import Console

    console = Console(width=120, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text().strip()


async def test_header_counts_this_weeks_touches_against_the_goal(tmp_path):
    # The demo's today (Sun 22 Nov 2026) has one touch in its week (Mon 16 Nov on).
    app = real_app(demo_book(tmp_path), config=Config(routine_per_week=2))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.sub_title.endswith("· 1/2 this week · 39-week streak")
        noon = app.today.isoformat() + "T12:00:00+00:00"
        import pendulum

        entry = Interaction.new([DAN], InteractionKind.CALL, "Called about the game",
                                at=pendulum.parse(noon))
        app.run_write(lambda store: store.save_interaction(entry))
        # Met this week: the week joins the streak.
        assert await until(pilot, lambda: "2/2 this week · 40-week streak" in app.sub_title)
        assert app.data.routine is not None and app.data.routine.met
        # A jotted note is no touch.
        note = Interaction.new([DAN], InteractionKind.NOTE, "Likes the Yankees",
                               at=pendulum.parse(noon))
        app.run_write(lambda store: store.save_interaction(note))
        await settle(pilot)
        assert app.sub_title.endswith("2/2 this week · 40-week streak")


async def test_stats_screen_from_the_palette(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "stats")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert await until(pilot, lambda: screen.stats is not None)
        stats = screen.stats
        assert text(app, "#stats-routine") == \
            "Week of Mon 16 Nov 2026: 1 of 5 touches this week · no streak yet"
        assert screen.query_one(Sparkline).data == [w.touches for w in stats.per_week]
        assert len(stats.per_week) == 12 and stats.per_week[-1].touches == 1
        weeks = text(app, "#stats-weeks")
        assert "16 Nov" in weeks and "31 Aug" in weeks
        figures = text(app, "#stats-figures")
        assert f"{stats.cards_sent} cards" in figures and "kept on time" in figures
        drift = text(app, "#stats-drift")
        assert stats.drifting and stats.drifting[0].name in drift
        await pilot.press("w")
        assert await until(pilot, lambda: screen.stats is not None
                           and len(screen.stats.per_week) == 26)
        await pilot.press("escape")
        assert app.screen is app.main
