"""Capture: emails and meetings with your contacts, logged from local mail and calendars.

The command line (``nurture capture``) and the app (on start, and "Capture now")
call ``capture``; what it read and logged is the returned plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, tzinfo

import pendulum

from nurture.capture.apply import log_plan, plan_from_store
from nurture.capture.run import Plan
from nurture.config import CaptureConfig
from nurture.errors import NurtureError
from nurture.model import Interaction
from nurture.store import Store

CAPTURED = ("mail", "calendar")  # the sources capture writes on the entries it logs


def capture(store: Store, config: CaptureConfig, *, now: datetime, zone: tzinfo,
            since: datetime | None = None, rescan: bool = False,
            dry_run: bool = False) -> Plan:
    """Read the configured mail and calendars and (unless ``dry_run``) log what is new."""
    if not config.configured:
        raise NurtureError("nothing to capture from: add a [capture] table with maildirs, "
                           "mboxes or calendars to config.toml (see the README)")
    plan = plan_from_store(store, config, now=now, zone=zone, since=since, rescan=rescan)
    if not dry_run:
        log_plan(store, plan)
    return plan


def captured_since(entries: Iterable[Interaction], day: pendulum.Date) -> Counter[str]:
    """How many entries of each kind capture logged dated ``day`` or later."""
    return Counter(e.kind.value for e in entries
                   if e.source in CAPTURED and e.at.date() >= day)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary(plan: Plan, *, dry_run: bool) -> str:
    emails = sum(1 for e in plan.new if e.kind.value == "email")
    meetings = len(plan.new) - emails
    counts = plan.counts
    verb = "Would log" if dry_run else "Logged"
    text = (f"{verb} {_plural(emails, 'email')} and {_plural(meetings, 'meeting')} "
            f"from {_plural(counts.messages, 'message')} and "
            f"{_plural(counts.meetings, 'meeting')} read")
    if plan.extended:
        text += f"; {_plural(len(plan.extended), 'entry')} logged before gained messages"
    left = [f"{counts.bulk} list or bulk" if counts.bulk else "",
            f"{counts.strangers} with nobody you track" if counts.strangers else "",
            f"{counts.already} already logged" if counts.already else "",
            f"{counts.undated} without a date" if counts.undated else "",
            f"{counts.before_since} before --since" if counts.before_since else ""]
    left = [p for p in left if p]
    return text + (f" (left out: {', '.join(left)})." if left else ".")
