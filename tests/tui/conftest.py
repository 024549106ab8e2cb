"""Fixtures for the app's Pilot tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_shell_support import sample_book


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The sample address book (the demo, fixed seed, fixed today) in a fresh file."""
    return sample_book(tmp_path)
