"""Helpers shared by the store tests."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from nurture.model import Contact, Interaction, InteractionKind

AT = pendulum.datetime(2026, 11, 20, 9, 30, tz="Europe/Berlin")


def make_contact(contact_id: str, name: str, **fields: object) -> Contact:
    return Contact(id=contact_id, display_name=name, **fields)  # type: ignore[arg-type]


def make_entry(entry_id: str, *contact_ids: str, days_ago: int = 0, text: str = "") -> Interaction:
    return Interaction(id=entry_id, contact_ids=list(contact_ids), kind=InteractionKind.CALL,
                       at=AT.subtract(days=days_ago), text=text)


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def fingerprint(*paths: Path) -> list[tuple[bytes, int] | None]:
    """Bytes and modification time of each file (None when absent)."""
    return [(p.read_bytes(), p.stat().st_mtime_ns) if p.exists() else None for p in paths]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "book" / "nurture.json"
