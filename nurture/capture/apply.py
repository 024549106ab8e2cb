"""Capturing into the book: plan, then log in one durable write. Moves to ``nurture/actions/``."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from nurture.capture.run import Plan, Sources, plan_capture

if TYPE_CHECKING:
    from nurture.config import CaptureConfig
    from nurture.store import Store


def sources_of(config: CaptureConfig) -> Sources:
    return Sources(maildirs=[str(p) for p in config.maildirs],
                   mboxes=[str(p) for p in config.mboxes],
                   calendars=[str(p) for p in config.calendars], me=list(config.me))


def plan_from_store(store: Store, config: CaptureConfig, *, now: datetime, zone: tzinfo,
                    since: datetime | None = None, rescan: bool = False) -> Plan:
    """What a capture would log into ``store`` (``rescan``: as if nothing had been read)."""
    marks = store.capture_marks()
    plan = plan_capture(sources_of(config), store.contacts(), store.interactions(),
                        {} if rescan else marks, now=now, zone=zone, since=since)
    if rescan:  # what the full read found replaces every mark
        plan.drop = sorted(set(marks) - {m.key for m in plan.marks})
    return plan


def log_plan(store: Store, plan: Plan) -> int:
    """Log the plan's entries and remember what was read, in one durable write; the entries."""
    with store.batch():
        store.save_interactions(plan.entries)
        store.save_capture_marks(plan.marks, plan.drop)
    return len(plan.entries)
