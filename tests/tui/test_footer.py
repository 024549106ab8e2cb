"""The footer rebuilds when the keys it shows change, and only then."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from nurture.tui.widgets.footer import Footer


class Pad(Widget, can_focus=True):
    BINDINGS = [Binding("x", "extra", "Extra")]

    def action_extra(self) -> None:
        self.app.extra_pressed = True  # type: ignore[attr-defined]


class Host(App[None]):
    BINDINGS = [Binding("ctrl+b", "quit", "Quit", id="quit")]

    def compose(self) -> ComposeResult:
        yield Pad(id="pad")
        yield Input(id="field")
        yield Footer()


def shown(app: App[None]) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


async def test_footer_follows_focus_to_other_keys() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.query_one("#pad").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Extra" in shown(app)
        app.query_one("#field").focus()
        await pilot.pause()
        await pilot.pause()
        assert "Extra" not in shown(app)
        assert "Quit" in shown(app)


async def test_binding_signals_that_change_nothing_keep_the_same_keys() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.query_one("#pad").focus()
        await pilot.pause()
        await pilot.pause()
        before = list(app.screen.query(FooterKey))
        assert before
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        after = list(app.screen.query(FooterKey))
        assert [a is b for a, b in zip(before, after, strict=True)] == [True] * len(before)


async def test_a_keymap_change_rebuilds_the_footer() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "ctrl+b" in [key.key for key in app.screen.query(FooterKey)]
        app.set_keymap({"quit": "ctrl+o"})
        await pilot.pause()
        await pilot.pause()
        keys = [key.key for key in app.screen.query(FooterKey)]
        assert "ctrl+o" in keys and "ctrl+b" not in keys
