"""Asking the filter's index without the UI thread waiting for it to be built.

The writer thread builds the index that finds people by what was typed
(``store.matching.LazyMatcher``) once a book is loaded: at 50,000 people that
takes over a second. A question asked before then would build it on the UI
thread, or wait for the writer's build: the keystroke, and every frame, would
wait with it. So the list, the picker and the palette ask `FilterWait.ready`
first; until the index answers at once they say so, and ask again shortly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import Widget

    from nurture.store.matching import LazyMatcher

POLL = 0.05  # seconds between looks while the index is built (a flag, read on the UI thread)
PREPARING = "Preparing the filter…"


class FilterWait:
    """Runs ``again`` (on the UI thread) once a filter index answers at once."""

    def __init__(self, owner: Widget, again: Callable[[], Any]) -> None:
        self._owner = owner
        self._again = again
        self._timer: Timer | None = None

    def ready(self, matcher: LazyMatcher) -> bool:
        """Whether ``matcher`` answers now; if not, ``again`` runs shortly, to ask the
        book's matcher then (one look pending at a time, however many keystrokes ask)."""
        if matcher.answers_now:
            return True
        if self._timer is None:
            self._timer = self._owner.set_timer(POLL, self._look)
        return False

    def _look(self) -> None:
        self._timer = None
        self._again()
