"""The smaller tables of the address book: review state, news and feeds, drafts, quick notes,
and what capture has read.

A mixin of ``Store`` (see ``repository.py``), kept apart to keep each module
readable; it relies on the Store's ``_lock``, ``_items`` and ``_commit``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from nurture import documents as D
from nurture.errors import NotFound
from nurture.model import CaptureMark, Draft, Feed, NewsItem, QuickNote, ReviewState, now

REVIEW = "review"
NEWS = "news"
FEEDS = "feeds"
DRAFTS = "drafts"
QUICK_NOTES = "quick_notes"
CAPTURE = "capture"


Op = tuple[str, str, dict[str, Any] | None]


class SmallTables:
    """Methods for the smaller tables; ``Store`` provides these three."""

    _lock: threading.RLock
    _items: Callable[[str], dict[str, Any]]
    _commit: Callable[[list[Op]], None]

    # ------------------------------------------------------------ review state

    def review_states(self) -> dict[str, ReviewState]:
        with self._lock:
            return dict(self._items(REVIEW))

    def set_review_state(self, state: ReviewState) -> None:
        self._commit([(REVIEW, state.key, D.review_state_to_doc(state))])

    def clear_review_state(self, key: str) -> None:
        self._commit([(REVIEW, key, None)])

    # ------------------------------------------------------------ news and feeds

    def news_items(self) -> list[NewsItem]:
        """News items, newest first (by published, else added)."""
        with self._lock:
            items = list(self._items(NEWS).values())
        latest = now().timestamp()
        return sorted(items, key=lambda n: n.published.timestamp() if n.published else
                      n.added.timestamp() if n.added else latest, reverse=True)

    def save_news_item(self, item: NewsItem) -> NewsItem:
        self._commit([(NEWS, item.id, D.news_item_to_doc(item))])
        return item

    def save_news_items(self, items: Iterable[NewsItem]) -> int:
        ops: list[Op] = [(NEWS, item.id, D.news_item_to_doc(item)) for item in items]
        self._commit(ops)
        return len(ops)

    def delete_news_item(self, item_id: str) -> None:
        self._commit([(NEWS, item_id, None)])

    def feeds(self) -> list[Feed]:
        with self._lock:
            return sorted(self._items(FEEDS).values(), key=lambda f: f.url)

    def save_feed(self, feed: Feed) -> Feed:
        self._commit([(FEEDS, feed.url, D.feed_to_doc(feed))])
        return feed

    def delete_feed(self, url: str) -> None:
        with self._lock:
            if url not in self._items(FEEDS):
                raise NotFound(f"no feed {url}")
            self._commit([(FEEDS, url, None)])

    # ------------------------------------------------------------ drafts and quick notes

    def drafts(self) -> list[Draft]:
        with self._lock:
            return list(self._items(DRAFTS).values())

    def save_draft(self, draft: Draft, *, touch: bool = True) -> Draft:
        """Save a draft; ``touch=False`` keeps its ``updated`` stamp (a lossless import)."""
        if touch or draft.updated is None:
            draft.updated = now()
        self._commit([(DRAFTS, draft.id, D.draft_to_doc(draft))])
        return draft

    def delete_draft(self, draft_id: str) -> None:
        self._commit([(DRAFTS, draft_id, None)])

    def quick_notes(self) -> list[QuickNote]:
        """Notes begun and not yet finished (left over if the app died mid-call)."""
        with self._lock:
            return sorted(self._items(QUICK_NOTES).values(), key=lambda q: q.started)

    def save_quick_note(self, note: QuickNote, *, touch: bool = True) -> QuickNote:
        """Save a note in progress; ``touch=False`` keeps its ``updated`` stamp."""
        if touch or note.updated is None:
            note.updated = now()
        self._commit([(QUICK_NOTES, note.id, D.quick_note_to_doc(note))])
        return note

    def delete_quick_note(self, note_id: str) -> None:
        self._commit([(QUICK_NOTES, note_id, None)])

    # ------------------------------------------------------------ capture's read state

    def capture_marks(self) -> dict[str, CaptureMark]:
        """What capture has read, by mark key (shared objects: read-only)."""
        with self._lock:
            return dict(self._items(CAPTURE))

    def save_capture_marks(self, marks: Iterable[CaptureMark], drop: Iterable[str] = ()) -> None:
        """Save what capture read (and forget the marks in ``drop``) in one durable write."""
        ops: list[Op] = [(CAPTURE, m.key, D.capture_mark_to_doc(m)) for m in marks]
        ops += [(CAPTURE, key, None) for key in drop]
        self._commit(ops)
