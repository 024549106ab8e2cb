"""A derived index beside the data file: where each timeline entry lies in it.

``<file>.index`` is written at each checkpoint, after the data file, and
names the file it describes (inode, size and modification time, generation
and uid). It lists, for each contact, the byte ranges of their entries in the
data file, and the ranges of the entries with an open follow-up, so that
``nurture show`` and ``nurture follow-ups`` parse a few documents instead of
the whole timeline. The journal's later changes are laid over it by the
reader (``Tables.docs_at``).

It is never needed: a missing, stale, foreign or damaged index is ignored
(the timeline is parsed whole, as without it), and it is rebuilt at the next
checkpoint. Nothing is ever read from it that the data file does not say.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from nurture import fsutil

VERSION = 1
TABLE = "interactions"  # the table it indexes

Span = tuple[int, int, str]  # start, end, document id


@dataclass(slots=True)
class Index:
    by_contact: dict[str, list[Any]]
    open_follow_ups: list[Any]
    size: int  # of the data file: every range lies inside it

    def spans(self, contact_id: str | None) -> list[Span] | None:
        """The ranges of one contact's entries (None: of those with an open follow-up),
        checked only now (an index is loaded to look up one thing); None if malformed."""
        found = self.open_follow_ups if contact_id is None else \
            self.by_contact.get(contact_id, [])
        try:
            return [_span(s, self.size) for s in found]
        except (TypeError, ValueError):
            return None


def path_for(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".index")


def has_open_follow_up(doc: Any) -> bool:
    """Whether an interaction document has a follow-up not done (a malformed one: yes,
    so that building it names the record)."""
    follow_ups = doc.get("follow_ups") if isinstance(doc, dict) else None
    if not follow_ups:
        return False
    if not isinstance(follow_ups, list):
        return True  # malformed: listed, so that building it names the record
    return any(not isinstance(f, dict) or not f.get("done") for f in follow_ups)


def build(docs: dict[str, Any], spans: dict[str, tuple[int, int]]) -> Index:
    """The index of the ``interactions`` documents, whose byte ranges are ``spans``;
    ``ValueError`` when a document is too malformed to index."""
    by_contact: dict[str, list[Span]] = {}
    open_follow_ups: list[Span] = []
    for doc_id, doc in docs.items():
        start, end = spans[doc_id]
        span = (start, end, doc_id)
        ids = doc.get("contact_ids") if isinstance(doc, dict) else None
        if not isinstance(ids, list) or not all(isinstance(c, str) for c in ids):
            # A hand-edited record: no index, so that reading it names the record
            # (an index would silently leave it out of someone's timeline).
            raise ValueError(f"interactions[{doc_id!r}]: contact_ids is not a list of ids")
        for contact_id in dict.fromkeys(ids):
            by_contact.setdefault(contact_id, []).append(span)
        if has_open_follow_up(doc):
            open_follow_ups.append(span)
    return Index(by_contact, open_follow_ups, 0)


def write(path: Path, index: Index, sig: tuple[int, int, int], gen: int,
          uid: str | None) -> None:
    """Write the index for the data file ``sig`` (best effort: losing it costs only time)."""
    blob = orjson.dumps({"nurture_index": VERSION, "sig": list(sig), "gen": gen, "uid": uid,
                         "by_contact": index.by_contact, "open": index.open_follow_ups})
    with contextlib.suppress(OSError):
        # Not fsynced: a torn or stale index is recognised and ignored.
        fsutil.atomic_write(path, blob, sync=False, sync_dir=False)


def remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def load(path: Path, sig: tuple[int, int, int], gen: int, uid: str | None,
         size: int) -> Index | None:
    """The index of exactly this data file (``sig``, ``gen``, ``uid``), else None."""
    try:
        value = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(value, dict) or value.get("nurture_index") != VERSION \
            or value.get("sig") != list(sig) or value.get("gen") != gen \
            or value.get("uid") != uid:
        return None
    by_contact, open_follow_ups = value.get("by_contact"), value.get("open")
    if not isinstance(by_contact, dict) or not isinstance(open_follow_ups, list) \
            or not all(isinstance(v, list) for v in by_contact.values()):
        return None
    return Index(by_contact, open_follow_ups, size)


def _span(value: Any, size: int) -> Span:
    start, end, doc_id = value
    if not (type(start) is int and type(end) is int and 0 < start < end <= size
            and isinstance(doc_id, str)):
        raise ValueError("not a span")
    return start, end, doc_id
