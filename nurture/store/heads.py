"""A command's review of everyone's timeline, read from the derived index.

`nurture today` needs, for each person, only the head of their timeline: their
newest touch on or before today, their entries of the last few weeks
(``touch.head_of``), and their entries with an open follow-up. The derived
index (``store.index``) knows each entry's place on its people's timelines,
its day and its kind, so three queries answer this for everyone, and only the
entries the rules read are parsed and built: at 5,000 people, a few thousand of
50,000.

The index does not know the journal's changes since it was written: everyone
an entry changed since names (in the file or in the journal), and everyone with
an entry whose day depends on the machine's zone, has their whole timeline
built and walked, as without an index. When the index cannot answer (damaged,
or a range that does not hold its entry), the table is read whole, as without
an index: a failure costs time, never a different answer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping, Sequence
from functools import partial
from typing import Any

import orjson

from nurture.documents import check_interaction
from nurture.errors import NurtureError
from nurture.model import FollowUp, Interaction, InteractionKind
from nurture.store.index import Index, Span
from nurture.store.tables import Doc
from nurture.touch import NOT_A_TOUCH, Heads, Promise, Seen, head_of, promises_of

Timelines = Mapping[str, Sequence[Interaction]]
_KINDS = {kind.value: kind for kind in InteractionKind}
_NOT_TOUCHES = tuple(sorted(kind.value for kind in NOT_A_TOUCH))


_CHANGED = ("the address book changed while today's review was being read (another program "
            "wrote to it); nothing was changed, try again")


def _told(day: Any, people: Any, opened: Any
          ) -> tuple[list[str], list[tuple[str, int | None]]] | None:
    """An index row's people and open follow-ups (``index.promised``), checked; None when
    the entry must be built to tell them (or the row is not as the index writes it)."""
    if type(day) is not int or type(people) is not str or type(opened) is not str:
        return None
    try:
        ids, pairs = orjson.loads(people), orjson.loads(opened)
    except orjson.JSONDecodeError:
        return None
    if type(ids) is not list or not all(type(i) is str for i in ids) or type(pairs) is not list:
        return None
    for pair in pairs:
        if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str \
                or not (pair[1] is None or type(pair[1]) is int):
            return None
    return ids, [(follow_up_id, due) for follow_up_id, due in pairs]


class IndexUnusable(Exception):
    """The index cannot answer: read the table whole."""


class LazyEntries(MutableMapping[str, Interaction]):
    """Contact id -> an entry, built from its range when first read: everyone's last
    touch is known (its day and kind are in the index), few are read."""

    def __init__(self, load: Callable[[str, Span], Interaction]) -> None:
        self.spans: dict[str, Span] = {}  # not built yet
        self._entries: dict[str, Interaction] = {}
        self._load = load

    def __getitem__(self, contact_id: str) -> Interaction:
        entry = self._entries.get(contact_id)
        if entry is None:
            span = self.spans[contact_id]
            entry = self._entries[contact_id] = self._load(contact_id, span)
            del self.spans[contact_id]
        return entry

    def __setitem__(self, contact_id: str, entry: Interaction) -> None:
        self.spans.pop(contact_id, None)
        self._entries[contact_id] = entry

    def __delitem__(self, contact_id: str) -> None:
        if self.spans.pop(contact_id, None) is None:
            del self._entries[contact_id]
        else:
            self._entries.pop(contact_id, None)

    def __contains__(self, contact_id: object) -> bool:
        return contact_id in self.spans or contact_id in self._entries

    def __iter__(self) -> Iterator[str]:
        yield from list(self.spans)
        yield from list(self._entries)

    def __len__(self) -> int:
        return len(self.spans) + len(self._entries)


class IndexedTimelines(Mapping[str, Sequence[Interaction]]):
    """Everyone's timeline, newest first, for a command's review. ``heads`` and
    ``with_open_follow_ups`` are answered from the index; a whole timeline is built
    when asked for (the rules ask for a few); iterating reads the table whole."""

    def __init__(self, ix: Index, changed: Mapping[str, Doc | None],
                 read: Callable[[list[Span]], dict[str, Doc] | None],
                 build: Callable[[str, Doc], Interaction],
                 timeline_of: Callable[[str], list[Interaction]],
                 whole: Callable[[], Timelines]) -> None:
        """``changed``: the entries the journal changed since the index (None: deleted);
        ``read``: the documents at these ranges of the file; ``timeline_of``: one
        person's whole timeline; ``whole``: everyone's, from the table read whole."""
        self._ix = ix
        self._read = read
        self._build = build
        self._timeline_of = timeline_of
        self._whole_of = whole
        self._whole: Timelines | None = None
        self._timelines: dict[str, list[Interaction]] = {}
        self._built: dict[str, Interaction] = {}  # by entry id: an entry shared is one object
        self._promises: dict[str, list[Promise]] | None = None
        people = ix.people_of(list(changed))
        if people is None:
            raise IndexUnusable
        for doc in changed.values():
            if doc is not None:
                try:
                    people.update(check_interaction(doc)[1])
                except Exception:  # reading the table whole names the record
                    raise IndexUnusable from None
        self._changed = people  # whose timelines the index does not know

    # ------------------------------------------------------------ the rules' questions

    def heads(self, people: Collection[str], today: int, start: int) -> Heads | None:
        """``touch.heads_of(self, people, today, start)``, from the index; None when it
        cannot answer (then the caller walks the timelines, read whole)."""
        if self._whole is not None:
            return None
        tops = self._ix.heads(today, _NOT_TOUCHES)
        dated = self._ix.dated(start, today)
        if tops is None or dated is None:
            self._give_up()
            return None
        changed = self._changed
        lazy = LazyEntries(self._entry_of)
        heads = Heads(last_entry=lazy)
        for contact_id, _, day, kind, begin, end, doc_id in tops:
            if contact_id in people and contact_id not in changed:
                known = _KINDS.get(kind)
                if known is None or day is None:
                    self._give_up()
                    return None
                lazy.spans[contact_id] = (begin, end, doc_id)
                heads.last_touch[contact_id] = day
                heads.last_kind[contact_id] = known
        wanted = sorted((row for row in dated if row[0] in people and row[0] not in changed),
                        key=lambda row: (row[0], row[1]))
        for contact_id, place, day, kind, begin, end, doc_id in wanted:
            known = _KINDS.get(kind)
            if known is None or day is None:
                self._give_up()
                return None
            seen = Seen(doc_id, known, partial(self._entry_of, contact_id, (begin, end, doc_id)))
            heads.recent.setdefault(contact_id, []).append((place, day, seen))
        for contact_id in changed:
            if contact_id in people:
                heads.add(contact_id, *head_of(self.get(contact_id, ()), today, start))
        return heads

    def with_open_follow_ups(self, contact_id: str) -> Sequence[Interaction]:
        """A person's entries with a follow-up still open, newest first: those of their
        promises (built)."""
        if self._whole is not None:
            pick = getattr(self._whole, "with_open_follow_ups", None)
            if pick is not None:
                found: Sequence[Interaction] = pick(contact_id)
                return found
        elif contact_id not in self._changed:
            entries: dict[str, Interaction] = {}
            for promise in self.promises(contact_id):
                entries.setdefault(promise.entry.id, promise.entry)
            return list(entries.values())
        return [entry for entry in self.get(contact_id, ())
                if entry.follow_ups and entry.open_follow_ups()]

    def promises(self, contact_id: str) -> Sequence[Promise]:
        """A person's open follow-ups, their newest entries' first (``touch.promises_of``
        of the entries ``with_open_follow_ups`` gives), from the index: an entry is built
        when a promise's words are read, or when the index cannot tell its follow-ups."""
        if self._promises is None and self._whole is None:
            self._promises = self._read_promises()
        if self._whole is None and contact_id not in self._changed:
            assert self._promises is not None
            return self._promises.get(contact_id, [])
        # A person the journal changed: their own timeline, built (never everyone's
        # entries with an open follow-up, which ``with_open_follow_ups`` would read).
        entries = self.with_open_follow_ups(contact_id) if self._whole is not None \
            else self.get(contact_id, ())
        return [promise for entry in entries for promise in promises_of(entry)]

    def length_of(self, contact_id: str) -> int:
        """How many entries are on a person's timeline (none is built)."""
        if self._whole is None and contact_id not in self._changed:
            found = self._ix.count(contact_id)
            if found is not None:
                return found
        return len(self.get(contact_id, ()))

    # ------------------------------------------------------------ Mapping

    def __getitem__(self, contact_id: str) -> Sequence[Interaction]:
        if self._whole is not None:
            return self._whole[contact_id]
        timeline = self._timelines.get(contact_id)
        if timeline is None:
            timeline = self._timelines[contact_id] = self._timeline_of(contact_id)
        if not timeline:
            raise KeyError(contact_id)
        return timeline

    def __iter__(self) -> Iterator[str]:
        return iter(self._give_up())

    def __len__(self) -> int:
        return len(self._give_up())

    # ------------------------------------------------------------ reading

    def _read_promises(self) -> dict[str, list[Promise]] | None:
        rows = self._ix.promises()
        if rows is None:
            self._give_up()
            return None
        found: dict[str, list[Promise]] = {}
        for contact_id, _, day, _, begin, end, doc_id, people, opened in rows:
            if contact_id in self._changed:
                continue
            span = (begin, end, doc_id)
            mine = found.setdefault(contact_id, [])
            told = _told(day, people, opened)
            if told is None:  # only the entry can tell
                entries = self._entries([span])
                if entries is None:
                    self._give_up()
                    return None
                mine += promises_of(entries[doc_id])
                continue
            ids, pairs = told
            for follow_up_id, due in pairs:
                mine.append(Promise(follow_up_id, due, day, ids,
                                    partial(self._promise_of, contact_id, span, follow_up_id)))
        return found

    def _promise_of(self, contact_id: str, span: Span, follow_up_id: str
                    ) -> tuple[Interaction, FollowUp]:
        entry = self._entry_of(contact_id, span)
        for follow_up in entry.follow_ups:
            if follow_up.id == follow_up_id:
                return entry, follow_up
        raise NurtureError(_CHANGED)

    def _entry_of(self, contact_id: str, span: Span) -> Interaction:
        entries = self._entries([span])
        if entries is not None:
            return entries[span[2]]
        for entry in self._give_up().get(contact_id, ()):
            if entry.id == span[2]:
                return entry
        # Deleted by another program after the rules weighed it (the table was read whole
        # since, with the journal's later writes).
        raise NurtureError(_CHANGED)

    def _entries(self, spans: list[Span]) -> dict[str, Interaction] | None:
        """The entries at these ranges, built (once each); None when one cannot be read."""
        wanted = [span for span in spans if span[2] not in self._built]
        if wanted:
            docs = self._read(wanted)
            if docs is None or any(span[2] not in docs for span in wanted):
                return None
            for _, _, doc_id in wanted:
                self._built[doc_id] = self._build(doc_id, docs[doc_id])
        built = self._built
        return {doc_id: built[doc_id] for _, _, doc_id in spans}

    def _give_up(self) -> Timelines:
        if self._whole is None:
            self._whole = self._whole_of()
            self._promises = None
        return self._whole
