"""The help screen (``?`` / F1), generated from the declared bindings and the user's keymap."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nurture.tui import bindings

if TYPE_CHECKING:
    from nurture.tui.app import NurtureApp

INTRO = (
    "Nurture keeps you in touch with the people who matter. Keys depend on where "
    "the focus is; the footer shows the ones that work right now. Rebind any key "
    "by its id in config.toml, e.g. [keymap] quick-note = \"ctrl+k\". "
    "ctrl+p opens the command palette: every action, and any contact by name."
)


def help_table(app: NurtureApp) -> Table:
    """Every section's bindings: key (as remapped), what it does, and its id."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    for title, group in bindings.sections():
        table.add_row(Text(title, style="bold underline"), "", "")
        for binding in group:
            if not binding.description:
                continue
            keys = ", ".join(_key(app, binding, key) for key in _keys(app, binding))
            what = binding.description
            if binding.tooltip:
                what += f" — {binding.tooltip}"
            table.add_row(keys, what, binding.id or "")
        table.add_row("", "", "")
    return table


def _keys(app: NurtureApp, binding: Binding) -> list[str]:
    remapped = app._keymap.get(binding.id or "") if binding.id else None
    return [k.strip() for k in (remapped or binding.key).split(",") if k.strip()]


def _key(app: NurtureApp, binding: Binding, key: str) -> str:
    return app.get_key_display(Binding(key, binding.action, key_display=None))


class HelpScreen(ModalScreen[None]):
    """Read-only; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="help-close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll {
        width: 100; max-width: 100%; height: 90%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #intro { margin-bottom: 1; color: $text-muted; }
    """
    app: NurtureApp

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Help · Esc closes"
            yield Static(Text(INTRO), id="intro")  # Text: "[keymap]" is not markup
            yield Static(help_table(self.app), id="keys")

    def action_close(self) -> None:
        self.dismiss(None)
