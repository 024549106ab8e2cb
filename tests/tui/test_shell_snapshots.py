"""Snapshots of the main screen on the sample book with a fixed today and the real rules engine.

Regenerate after an intended change with ``pytest tests/tui/test_shell_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_support import ready, real_app, type_text, until

MAYA = "c-demo0001"


def card_shows_selection(pilot: Pilot) -> bool:
    from nurture.tui.widgets.card import ContactCard

    main = pilot.app.main  # type: ignore[attr-defined]
    contact = pilot.app.data.by_id.get(main.selected_contact_id or "")  # type: ignore[attr-defined]
    card = main.query_one(ContactCard)
    return contact is not None and str(card.render()).startswith(contact.display_name)


def _app(book: Path):
    return real_app(book)  # the real rules engine: the header counts its suggestions


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
def test_main_screen(book: Path, snap_compare, size) -> None:
    async def opened(pilot: Pilot) -> None:
        await ready(pilot)
        pilot.app.open_contact(MAYA)  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("1")  # back to the list, as a person browsing would be

    assert snap_compare(_app(book), terminal_size=size, run_before=opened)


def test_filtering(book: Path, snap_compare) -> None:
    async def filtered(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "north")
        # The card follows the filter after a pause in typing.
        assert await until(pilot, lambda: card_shows_selection(pilot))

    assert snap_compare(_app(book), terminal_size=(120, 40), run_before=filtered)
