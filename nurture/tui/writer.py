"""The one writer thread, and the read-only snapshot of the book it hands to the UI.

TinyDB is not thread-safe and the UI thread must never wait on disk, so every
store call the app makes runs on a single background thread, in the order it
was asked for. After each change that thread also precomputes what the panes
show (a `Snapshot`): the UI only ever reads that, never the file.
"""

from __future__ import annotations

import logging
import operator
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pendulum

from nurture.actions.facts import ContactFacts, contact_facts
from nurture.errors import NurtureError
from nurture.model import Contact, Interaction, NewsItem, ReviewState, Suggestion
from nurture.routine import Routine, routine_of
from nurture.store.matching import KeyCache, LazyMatcher
from nurture.touch import done_touches

T = TypeVar("T")
log = logging.getLogger(__name__)

JOURNAL_DAYS = 14  # the global timeline shows this many days


@dataclass(slots=True)
class Snapshot:
    """An immutable view of the book at one store revision; what every pane reads."""

    revision: int = -1
    today: pendulum.Date = field(default_factory=lambda: pendulum.date(2000, 1, 1))
    contacts: list[Contact] = field(default_factory=list)  # by folded display name
    by_id: dict[str, Contact] = field(default_factory=dict)
    timelines: dict[str, list[Interaction]] = field(default_factory=dict)  # newest first
    journal: list[Interaction] = field(default_factory=list)  # last JOURNAL_DAYS, newest first
    facts: dict[str, ContactFacts] = field(default_factory=dict)
    review: dict[str, ReviewState] = field(default_factory=dict)
    news: list[NewsItem] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    complete: bool = True  # False for the first, contacts-only view of a large book
    suggestions_ready: bool = False  # False until the rules ran on this revision
    routine: Routine | None = None  # touches this week against the goal, and the streak
    # Every suggestion still open today (shown or ranked past the daily limit): the
    # review marks a row done only when its key is gone from here (asked only once the
    # rules ran; until then the last answer's, carried with its suggestions).
    open_keys: frozenset[str] = frozenset()
    # Finding people by what was typed (the list filter, the picker, the palette).
    matcher: LazyMatcher = field(default_factory=lambda: LazyMatcher(()))

    def timeline(self, contact_id: str) -> list[Interaction]:
        return self.timelines.get(contact_id, [])


def journal(timelines: dict[str, list[Interaction]], today: pendulum.Date,
            days: int = JOURNAL_DAYS) -> list[Interaction]:
    """Every entry of the last ``days`` days (shared entries once), newest first."""
    cutoff = pendulum.datetime(today.year, today.month, today.day).subtract(days=days)
    seen: dict[str, Interaction] = {}
    for entries in timelines.values():
        for entry in entries:  # newest first, so stop at the first old one
            if entry.at < cutoff:
                break
            seen[entry.id] = entry
    return sorted(seen.values(), key=lambda e: e.at.timestamp(), reverse=True)


class SnapshotBuilder:
    """Builds snapshots on the writer thread, recomputing only the facts that changed.

    A contact's facts are reused while the store hands back the very same
    contact and timeline objects (it rebuilds an object only when its document
    changes), so a write costs the work of what it touched, not of the book.
    """

    def __init__(self, cadence_for: Callable[[Any], int | None] | None = None, *,
                 per_week: int = 0) -> None:
        self.cadence_for = cadence_for
        self.per_week = per_week  # the weekly routine's goal
        self._cache: dict[str, tuple[Contact, list[Interaction], ContactFacts, int | None]] = {}
        self._today: pendulum.Date | None = None
        self._keys = KeyCache()
        self._matched: list[Contact] = []
        self._matcher = LazyMatcher(())

    def matcher(self, contacts: list[Contact]) -> LazyMatcher:
        """The indexed matcher for ``contacts`` (built when first asked, or by `prepare`):
        the last one while they are the same objects."""
        last = self._matched
        # Most writes (an entry, a review mark) leave every contact object as it was.
        if len(last) != len(contacts) or not all(map(operator.is_, last, contacts)):
            self._keys.keep_only(c.id for c in contacts)
            self._matcher = LazyMatcher(contacts, self._keys, indexed=True)
            self._matched = list(contacts)
        return self._matcher

    def contacts_only(self, store: Any, today: pendulum.Date) -> Snapshot:
        """A first, partial view (no timelines yet) so a large book shows its people early."""
        if today != self._today:
            self._cache.clear()
            self._today = today
        contacts = store.contacts()
        return Snapshot(revision=store.revision, today=today, contacts=contacts,
                        by_id={c.id: c for c in contacts},
                        # No timelines yet: the key dates only (not "never", not overdue).
                        facts={c.id: contact_facts(c, None, today) for c in contacts},
                        complete=False, matcher=self.matcher(contacts))

    def build(self, store: Any, today: pendulum.Date,
              suggestions: list[Suggestion] | None = None,
              open_keys: frozenset[str] = frozenset()) -> Snapshot:
        """Everything the panes need; ``suggestions`` and their ``open_keys`` (the rules'
        last answer) carried over until recomputed."""
        if today != self._today:
            self._cache.clear()
            self._today = today
        contacts = store.contacts()
        timelines = store.interactions_by_contact()
        review = store.review_states()
        done = done_touches(review.values(), today.toordinal())
        facts = {c.id: self._facts(c, timelines.get(c.id, []), today, done.get(c.id))
                 for c in contacts}
        for gone in self._cache.keys() - facts.keys():
            del self._cache[gone]
        # Not prepared here: the app prepares it on the writer thread once the review
        # is ready (`NurtureApp._idle_job`), so the morning's review comes first.
        matcher = self.matcher(contacts)
        return Snapshot(
            revision=store.revision, today=today, contacts=contacts,
            by_id={c.id: c for c in contacts}, timelines=timelines,
            journal=journal(timelines, today), review=review,
            news=store.news_items(), facts=facts, suggestions=list(suggestions or []),
            open_keys=open_keys, routine=routine_of(timelines, today, self.per_week),
            matcher=matcher)

    def _facts(self, contact: Contact, timeline: list[Interaction],
               today: pendulum.Date, done_on: int | None = None) -> ContactFacts:
        cached = self._cache.get(contact.id)
        if cached is not None and cached[0] is contact and cached[3] == done_on \
                and len(cached[1]) == len(timeline) \
                and all(a is b for a, b in zip(cached[1], timeline, strict=True)):
            return cached[2]
        cadence = self.cadence_for(contact.kind) if self.cadence_for else None
        facts = contact_facts(contact, timeline, today, cadence, done_on)
        self._cache[contact.id] = (contact, list(timeline), facts, done_on)
        return facts


class Writer:
    """The one writer: store jobs run one at a time on one thread, in the order asked.

    The app runs `serve` in a single thread worker for its whole life. The UI
    thread only enqueues (`put`) and never waits; a background task that needs
    the store (sync, capture) enqueues with `call` and waits for its own answer.
    When the queue runs dry, ``when_idle`` runs (the rules, on the newest book),
    so a burst of writes costs one rules run, not one each. Once `stop` is asked
    (or the loop ended on an error), nothing more is taken: `put` and `call`
    raise ``NurtureError`` rather than queue a job nobody will run.
    """

    def __init__(self, when_idle: Callable[[], None] | None = None) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pending = 0  # jobs asked for and not yet finished (their idle work included)
        self._closing = False  # stop asked, or the loop ended: no more jobs
        self._serving = False
        self._stopped = threading.Event()
        self._waiting: set[Future[Any]] = set()  # answers `call` waits for
        self.when_idle = when_idle

    @property
    def busy(self) -> bool:
        """Whether a job is queued or running (or the idle work after it)."""
        with self._lock:
            return self._pending > 0

    def put(self, job: Callable[[], None]) -> None:
        """Run ``job`` on the writer thread after every job asked before it."""
        with self._lock:
            if self._closing:
                raise NurtureError("Nurture is closing: this was not saved.")
            self._pending += 1
            self._jobs.put(job)

    def call(self, fn: Callable[[], T]) -> T:
        """From another worker thread: ``fn()`` on the writer thread; its result, or its
        error raised here."""
        answer: Future[T] = Future()

        def job() -> None:
            try:
                answer.set_result(fn())
            except BaseException as exc:  # handed to the caller, who re-raises it
                answer.set_exception(exc)

        with self._lock:
            self._waiting.add(answer)
        try:
            self.put(job)
            return answer.result()
        finally:
            with self._lock:
                self._waiting.discard(answer)

    def serve(self) -> None:
        """The writer thread's loop, until `stop`. A job's unexpected error ends it loudly."""
        with self._lock:
            if self._closing:  # stopped before it ever started: nothing to run
                self._stopped.set()
                return
            self._serving = True
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    job()
                    if self._jobs.empty() and self.when_idle is not None:
                        self.when_idle()
                finally:
                    with self._lock:
                        self._pending -= 1
        finally:
            with self._lock:
                self._closing = True
                stranded = [f for f in self._waiting if not f.done()]
            for answer in stranded:  # a caller waiting on a loop that ended
                answer.set_exception(NurtureError("Nurture is closing: this was not saved."))
            self._stopped.set()

    def stop(self) -> None:
        """Finish what was asked (nothing typed is dropped), then end the loop."""
        with self._lock:
            if self._closing:
                serving = self._serving
            else:
                self._closing = True
                self._jobs.put(None)
                serving = self._serving
        if serving:
            self._stopped.wait()
