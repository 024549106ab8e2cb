"""Capturing into the book: plan, then log in one durable write. Moves to ``nurture/actions/``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from nurture.capture.run import Plan, Sources, plan_capture
from nurture.model import Interaction

if TYPE_CHECKING:
    from nurture.config import CaptureConfig
    from nurture.store import Store


class Logged(Mapping[str, Interaction]):
    """The store's captured entries by source id, each built only when asked for.

    A re-run looks up the few ids its new messages carry; building every entry
    of a large timeline would cost more than the whole re-run.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._ids: dict[str, str] | None = None  # read when first needed: a run with
        self._built: dict[str, Interaction | None] = {}  # nothing new never reads it

    @property
    def _index(self) -> dict[str, str]:
        if self._ids is None:
            self._ids = self._store.source_index()
        return self._ids

    def __getitem__(self, source_id: str) -> Interaction:
        entry_id = self._index[source_id]
        if entry_id not in self._built:
            self._built[entry_id] = self._store.interaction(entry_id)
        entry = self._built[entry_id]
        if entry is None:
            raise KeyError(source_id)
        return entry

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def sources_of(config: CaptureConfig) -> Sources:
    return Sources(maildirs=[str(p) for p in config.maildirs],
                   mboxes=[str(p) for p in config.mboxes],
                   calendars=[str(p) for p in config.calendars], me=list(config.me))


def plan_from_store(store: Store, config: CaptureConfig, *, now: datetime, zone: tzinfo,
                    since: datetime | None = None, rescan: bool = False) -> Plan:
    """What a capture would log into ``store`` (``rescan``: as if nothing had been read)."""
    marks = store.capture_marks()
    plan = plan_capture(sources_of(config), store.contacts(), Logged(store),
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
