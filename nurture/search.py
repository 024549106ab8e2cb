"""Search everything written in the book: entries, follow-ups, notes and contact fields.

Pure: model objects in, hits out. A query is words; a hit is a document (one
timeline entry with its follow-ups and the names of its people, or one
contact with every field) that contains every word, accent- and
case-insensitively (``model.fold``). Hits come newest first.

Speed comes from folding once: the index keeps every document folded and
joined into one string in newest-first order, so a query is a few
``str.find`` calls in C that jump from one matching document to the next,
and stops once it has what it will show. With several words, each in turn jumps
to the next document holding it (a leapfrog), so a document missing any word is
never looked at in Python. Only the shown hits get snippets.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import pendulum

from nurture.model import Contact, Interaction, fold

SEPARATOR = "\x00"  # never in folded text a person typed; a word cannot match across it
SNIPPET_CHARS = 72

_EPOCH = pendulum.datetime(1970, 1, 1)


def _fold(text: str) -> str:
    # The same result as model.fold, without the Unicode decomposition for plain ASCII.
    return text.lower() if text.isascii() else fold(text)


def query_words(query: str) -> list[str]:
    """The folded words of a query, longest first (the longest is likely the rarest)."""
    words = list(dict.fromkeys(_fold(query).replace(SEPARATOR, " ").split()))
    return sorted(words, key=len, reverse=True)


@dataclass(slots=True, frozen=True)
class SearchHit:
    """One document that holds every word, with the words shown in context."""

    kind: str  # "entry" or "contact"
    contact_ids: tuple[str, ...]
    entry_id: str  # "" for a contact
    at: pendulum.DateTime | None  # the entry's time; a contact's last update
    field: str  # where the snippet comes from: "text", "follow-up", "notes", "company"…
    snippet: str
    spans: tuple[tuple[int, int], ...]  # where the words are in ``snippet``


@dataclass(slots=True, frozen=True)
class SearchResult:
    hits: list[SearchHit]
    more: bool  # more documents match than were asked for


def contact_fields(contact: Contact) -> list[tuple[str, str]]:
    """(field, text) of everything a person wrote about a contact."""
    fields = [("name", contact.display_name), ("nickname", contact.nickname),
              ("company", contact.company), ("title", contact.title),
              ("notes", contact.notes), ("how we met", contact.how_we_met)]
    fields += [("interest", f"#{tag}") for tag in contact.interests]
    fields += [("email", e.address) for e in contact.emails]
    fields += [("phone", p.number) for p in contact.phones]
    fields += [("address", a.one_line()) for a in contact.addresses]
    fields += [("family", f"{m.name} ({m.relation})") for m in contact.family]
    fields += [("date", f"{d.label} {d.human()}") for d in contact.key_dates]
    fields += [("link", url) for url in contact.urls]
    return [(name, text) for name, text in fields if text.strip()]


def entry_fields(entry: Interaction) -> list[tuple[str, str]]:
    fields = [("text", entry.text)]
    fields += [("follow-up", f.text) for f in entry.follow_ups]
    return [(name, text) for name, text in fields if text.strip()]


class SearchIndex:
    """Every document folded once, newest first; ``search`` answers a query."""

    def __init__(self, contacts: Iterable[Contact], entries: Iterable[Interaction]) -> None:
        self.by_id = {c.id: c for c in contacts}
        names = {cid: _fold(c.display_name) for cid, c in self.by_id.items()}
        docs: list[tuple[float, str, Contact | Interaction]] = []
        for entry in entries:
            people = " ".join(names.get(cid, "") for cid in entry.contact_ids)
            body = " ".join(text for _, text in entry_fields(entry))
            docs.append((-entry.at.timestamp(), _fold(body) + " " + people, entry))
        for contact in self.by_id.values():
            when = contact.updated or contact.created or _EPOCH
            body = " ".join(text for _, text in contact_fields(contact))
            docs.append((-when.timestamp(), _fold(body), contact))
        docs.sort(key=lambda d: d[0])
        self._docs = [d[2] for d in docs]
        self._starts: list[int] = []
        offset = 0
        for _, text, _ in docs:
            self._starts.append(offset)
            offset += len(text) + 1
        self._text = SEPARATOR.join(d[1] for d in docs) + SEPARATOR

    def __len__(self) -> int:
        return len(self._docs)

    def search(self, query: str, limit: int | None = 50) -> SearchResult:
        """Documents holding every word of ``query``, newest first; at most ``limit``."""
        words = query_words(query)
        if not words:
            return SearchResult([], False)
        starts, find = self._starts, self._text.find
        count = len(starts)
        found: list[int] = []
        doc = 0
        while doc < count:
            # Leapfrog: each word in turn jumps to the first document at or after the
            # candidate that holds it; once every word lands on the same one, it is a hit.
            # Documents that lack any one word are skipped by a find in C.
            agreed, turn = 0, 0
            while agreed < len(words):
                at = find(words[turn], starts[doc])
                if at < 0:
                    return SearchResult([self._hit(d, words) for d in found], False)
                landed = bisect_right(starts, at) - 1
                if landed == doc:
                    agreed += 1
                else:
                    doc, agreed = landed, 1
                turn = (turn + 1) % len(words)
            if limit is not None and len(found) == limit:
                return SearchResult([self._hit(d, words) for d in found], True)
            found.append(doc)
            doc += 1
        return SearchResult([self._hit(d, words) for d in found], False)

    def _hit(self, doc: int, words: list[str]) -> SearchHit:
        item = self._docs[doc]
        if isinstance(item, Interaction):
            field, value = _best_field(entry_fields(item), words)
            snippet, spans = make_snippet(value, words)
            return SearchHit("entry", tuple(item.contact_ids), item.id, item.at, field,
                             snippet, spans)
        field, value = _best_field(contact_fields(item), words)
        snippet, spans = make_snippet(value, words)
        return SearchHit("contact", (item.id,), "", item.updated or item.created, field,
                         snippet, spans)


def _best_field(fields: list[tuple[str, str]], words: list[str]) -> tuple[str, str]:
    """The field holding the most of the words (the first field when none do: a name)."""
    best, best_count = (fields[0] if fields else ("text", "")), 0
    for name, value in fields:
        folded = _fold(value)
        count = sum(1 for w in words if w in folded)
        if count > best_count:
            best, best_count = (name, value), count
    return best


def make_snippet(value: str, words: list[str],
                 width: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``value`` on one line, cut to about ``width`` characters around the first word found,
    with the spans of every word in the cut text."""
    line = "".join(c if c.isprintable() else " " for c in value)
    line = " ".join(line.split())
    # Fold one character at a time to map folded offsets back to the line's.
    folded_parts = [_fold(c) for c in line]
    offsets: list[int] = []
    total = 0
    for part in folded_parts:
        offsets.append(total)
        total += len(part)
    folded = "".join(folded_parts)
    positions = [p for p in (folded.find(w) for w in words) if p >= 0]
    first = bisect_right(offsets, min(positions)) - 1 if positions else 0
    start = 0
    if len(line) > width:
        start = max(0, min(first - width // 3, len(line) - width))
        if start > 0:
            space = line.find(" ", start, first)
            start = space + 1 if space >= 0 else start
    end = min(len(line), start + width)
    if end < len(line):
        space = line.rfind(" ", max(first + 1, start), end)
        end = space if space > start else end
    cut = line[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    spans: list[tuple[int, int]] = []
    for word in words:
        at = folded.find(word, offsets[start] if start < len(offsets) else total)
        while at >= 0:
            a = bisect_right(offsets, at) - 1
            b = bisect_right(offsets, at + len(word) - 1)
            if a < start or b > end:
                break
            spans.append((a - start + len(prefix), b - start + len(prefix)))
            at = folded.find(word, at + len(word))
    return prefix + cut + suffix, tuple(sorted(spans))
