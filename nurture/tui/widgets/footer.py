"""The key footer, rebuilt only when what it would show has changed."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's footer, minus the rebuilds that would draw the same keys again.

    Textual rebuilds the footer (every key a widget, each styled on mount) after
    each binding change it hears of, one rebuild per change. Opening the main
    screen changes focus and the screen stack five times within its first frame,
    and the five rebuilds cost about 100 ms of the UI thread while the book
    loads (measured with ``benchmarks/bench_tui.py``). A rebuild that would show
    the very keys already shown is skipped; any real change still rebuilds.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed_for: tuple[object, ...] | None = None

    def _shown_keys(self) -> tuple[object, ...]:
        """What the footer is drawn from: every active binding (the command palette's
        is not shown, but the footer draws it too), enabled or not."""
        return (self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE,
                *((key, binding, enabled, tooltip)
                  for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()))

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown_keys()
        if shown == self._composed_for:
            return
        self._composed_for = shown
        await super().recompose()
