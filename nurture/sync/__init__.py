"""Two-way sync of the whole book with vdir folders (one file per item).

A vdir is what vdirsyncer keeps in step with a CardDAV or CalDAV collection,
so syncing with these folders syncs the book with any such server. Contacts
are vCards; the timeline, follow-ups, key dates and review decisions are
iCalendar items. ``reconcile`` is the engine; ``items`` says how each kind of
record looks on each side; ``state`` remembers what both sides last agreed on.
"""

from nurture.sync.engine import SyncReport, SyncSettings, reconcile

__all__ = ["SyncReport", "SyncSettings", "reconcile"]
