"""Logging a capture plan into the book. Moves to ``nurture/actions/`` once that layer lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nurture.capture.run import Plan

if TYPE_CHECKING:
    from nurture.store import Store


def log_plan(store: Store, plan: Plan) -> int:
    """Log the plan's entries and remember what was read, in one durable write; the entries."""
    with store.batch():
        store.save_interactions(plan.entries)
        store.save_capture_marks(plan.marks, plan.drop)
    return len(plan.entries)
