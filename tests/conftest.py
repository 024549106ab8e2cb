"""Shared fixtures: every test gets its own data file, config dir and pinned clock-free env."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

TODAY = pendulum.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's files: data and config go under tmp_path."""
    monkeypatch.setenv("NURTURE_DB", str(tmp_path / "data" / "nurture.json"))
    monkeypatch.setenv("NURTURE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("NURTURE_TODAY", raising=False)


@pytest.fixture
def today() -> pendulum.Date:
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "nurture.json"
