"""Fixtures for every Pilot and snapshot test of the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea
from tui_support import demo_book


@pytest.fixture(autouse=True)
def _no_cursor_blink() -> Iterator[None]:
    """No blinking cursors anywhere: a picture, or a test reading the screen, must not
    depend on the moment it is taken. The widgets' own default is switched, so every
    Input and TextArea any screen creates starts still (a per-widget switch misses the
    ones created after it ran)."""
    defaults = [(cls.cursor_blink, cls.cursor_blink._default) for cls in (Input, TextArea)]
    for descriptor, _ in defaults:
        descriptor._default = False
    yield
    for descriptor, default in defaults:
        descriptor._default = default


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The sample address book (the demo, fixed seed, fixed today) in a fresh file."""
    return demo_book(tmp_path)
