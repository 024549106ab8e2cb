"""Fixture files, a fresh store per test, and helpers to compare contacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nurture.documents import contact_to_doc
from nurture.model import Contact
from nurture.store import Store, open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "interop"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "book" / "nurture.json", backups_keep=0) as s:
        yield s


def by_name(contacts: list[Contact]) -> dict[str, Contact]:
    return {c.display_name: c for c in contacts}


def essence(contact: Contact, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """A contact as a document without what an import is free to choose (id, stamps)."""
    doc = contact_to_doc(contact)
    for key in ("id", "created", "updated", *drop):
        doc.pop(key, None)
    return doc
