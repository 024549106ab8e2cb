"""A derived index beside the data file: where each document lies in it, and what finds it.

``<file>.index`` is an SQLite database written at each checkpoint, after the
data file, and it names the file it describes (inode, size and modification
time, generation and uid). For the contacts and the timeline it holds:

- the byte range of every contact's and timeline entry's document in the data file;
- for each contact, the ranges of their timeline entries, each with its place on
  their timeline (0 the newest), its day and kind, and whether a follow-up of it
  is open;
- each contact's display name (what a command that names people prints), folded
  searchable text (``matching.doc_search_text``), their interests and their kind,
  and the text's trigrams (an FTS5 table), so that the people holding a typed
  word of three letters or more are looked up.

So ``nurture show NAME``, ``log``, ``list --tag`` and ``follow-ups`` look up a
few rows and parse a few documents, instead of parsing whole tables: a lookup
costs the same in a 5,000- or a 50,000-person book. ``nurture today`` reads each
person's newest touch, the last few weeks and the open follow-ups from it
(``store.heads``), and builds only those entries. SQLite is used because it
is looked up where it lies on disk, without being parsed whole (the previous,
JSON index cost 0.4 s to parse at 50k contacts). The journal's later changes
are laid over what it answers by the reader (``Tables.docs_at``).

It is never needed: a missing, stale, foreign or damaged index is ignored
(the tables are parsed whole, as without it), and it is rebuilt at the next
checkpoint. Nothing is ever read from it that the data file does not say:
every range is checked to hold a document of the right table, and the
documents read are tested again by the caller. What it keeps of its own (a
day, a kind, an open follow-up's id and due day, a display name) was copied
from the very file it names, and the journal's later writes are laid over it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from nurture import fsutil

if TYPE_CHECKING:
    import sqlite3

VERSION = 6  # 3: person_words, the trigrams of the searchable text; 4: each entry's place;
# 5: promise, the open follow-ups; 6: each person's display name
CONTACTS = "contacts"
TABLE = "interactions"  # the timeline
TABLES = (CONTACTS, TABLE)  # whose documents' ranges the encoder notes

Span = tuple[int, int, str]  # start, end, document id

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE entry_at(id TEXT PRIMARY KEY, start INTEGER, end INTEGER) WITHOUT ROWID;
CREATE TABLE entry(contact TEXT, pos INTEGER, day INTEGER, kind TEXT, open INTEGER,
                   start INTEGER, end INTEGER, id TEXT, PRIMARY KEY(contact, pos)) WITHOUT ROWID;
CREATE TABLE person(n INTEGER PRIMARY KEY, id TEXT UNIQUE, start INTEGER, end INTEGER,
                    kind TEXT, text TEXT, name TEXT);
CREATE TABLE interest(tag TEXT, id TEXT, PRIMARY KEY(tag, id)) WITHOUT ROWID;
CREATE TABLE promise(id TEXT PRIMARY KEY, people TEXT, open TEXT) WITHOUT ROWID;
"""
_AFTER_LOAD = ("CREATE INDEX entry_by_day ON entry(day);"
               "CREATE INDEX entry_by_id ON entry(id);"
               "CREATE INDEX entry_opened ON entry(open) WHERE open;"
               # Everyone's newest entry, read without touching the table: 4 ms at 5,000
               # people; grouping the table by person to find it took 21.
               "CREATE INDEX entry_newest ON entry(pos, contact, day, kind, start, end, id) "
               "WHERE pos = 0")
# Every three letters of each person's searchable text, so that the people holding
# a typed word are looked up, not found by reading every row (instr() over 50,000
# people took 9 ms; the lookup 0.4). SQLite without FTS5's trigram tokenizer
# (before 3.34) gets no such table, and the rows are read as before.
_WORDS = ("CREATE VIRTUAL TABLE person_words USING fts5(text, content='person', "
          "content_rowid='n', tokenize='trigram')")
_FILL_WORDS = "INSERT INTO person_words(person_words) VALUES ('rebuild')"
_TRIGRAM = 3  # letters: a shorter word cannot be looked up by its trigrams


# An entry's head: contact id, place on their timeline (0: the newest), day ordinal
# (None: see documents.local_day), kind, and its range.
Head = tuple[str, int, int | None, str, int, int, str]


def _head_ok(row: tuple[Any, ...], head: int) -> bool:
    if type(row[0]) is not str:
        return False
    if head == 1:
        return True
    place, day, kind = row[1:4]
    return type(place) is int and place >= 0 and (day is None or type(day) is int) \
        and type(kind) is str


def promised(doc: dict[str, Any], day: int | None) -> str | None:
    """An entry's open follow-ups as the index keeps them, JSON ``[[id, due day or null],
    ...]`` in its order; None when building the entry is the only way to tell them (a
    follow-up without an id gets a new one each time it is built; a day that depends on
    the machine's zone, see ``documents.local_day``). The document passed
    ``check_interaction``."""
    if day is None:
        return None
    found: list[tuple[str, int | None]] = []
    for follow_up in doc.get("follow_ups") or ():
        if follow_up.get("done"):
            continue
        follow_up_id, due = follow_up.get("id"), follow_up.get("due")
        if type(follow_up_id) is not str or not follow_up_id:
            return None
        found.append((follow_up_id, date.fromisoformat(due).toordinal() if due else None))
    return orjson.dumps(found).decode()


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


class Index:
    """An open index of one data file (``load``): answers are lists of checked ranges,
    or None when the index cannot answer (then the caller parses the table)."""

    def __init__(self, db: sqlite3.Connection, size: int, *, words: bool = False) -> None:
        self._db = db
        self.size = size  # of the data file: every range lies inside it
        self._words = words  # whether person_words was written

    def spans(self, contact_id: str | None) -> list[Span] | None:
        """The ranges of one contact's entries (None: of those with an open follow-up)."""
        if contact_id is None:
            return self._ask("SELECT DISTINCT start, end, id FROM entry WHERE open", ())
        return self._ask("SELECT start, end, id FROM entry WHERE contact = ? ORDER BY pos",
                         (contact_id,))

    def every(self, table: str) -> list[Span] | None:
        """The ranges of every document of ``table`` (contacts or the timeline), in the
        file's order."""
        where = "person" if table == CONTACTS else "entry_at" if table == TABLE else None
        if where is None:
            return None
        return self._ask(f"SELECT start, end, id FROM {where} ORDER BY start", ())

    def docs(self, table: str, ids: Sequence[str]) -> list[Span] | None:
        """The ranges of these documents of ``table`` (those it has)."""
        found: list[Span] = []
        where = "person" if table == CONTACTS else "entry_at" if table == TABLE else None
        if where is None:
            return None
        for at in range(0, len(ids), 500):  # SQLite's limit on parameters is 999 or more
            chunk = ids[at:at + 500]
            part = self._ask(f"SELECT start, end, id FROM {where} WHERE id IN "
                             f"({','.join('?' * len(chunk))})", tuple(chunk))
            if part is None:
                return None
            found += part
        return found

    def names(self, ids: Sequence[str]) -> list[tuple[str, str | None]] | None:
        """The display names of these contacts (those it has): (id, name), the name None
        when the document must be read to tell it (not a string)."""
        import sqlite3

        found: list[tuple[str, str | None]] = []
        for at in range(0, len(ids), 500):
            chunk = ids[at:at + 500]
            try:
                found += self._db.execute(f"SELECT id, name FROM person WHERE id IN "
                                          f"({','.join('?' * len(chunk))})", chunk).fetchall()
            except sqlite3.Error:
                return None
        if any(type(doc_id) is not str or (name is not None and type(name) is not str)
               for doc_id, name in found):
            return None
        return found

    def heads(self, today: int, not_touches: Collection[str]) -> list[Head] | None:
        """Each contact's newest entry on or before day ``today`` whose kind is not one of
        ``not_touches``: (contact, place, day, kind, start, end, id)."""
        newest = self._ask("SELECT contact, pos, day, kind, start, end, id FROM entry "
                           "WHERE pos = 0", (), head=4)
        if newest is None:
            return None
        found = []
        further = []  # whose newest entry is a plan or not a touch
        for row in newest:
            day = row[2]
            if day is not None and day <= today and row[3] not in not_touches:
                found.append(row)
            else:
                further.append(row[0])
        kinds = ",".join("?" * len(not_touches))
        for at in range(0, len(further), 500):
            chunk = further[at:at + 500]
            # SQLite takes the other columns of an aggregate from the row holding the min().
            part = self._ask(f"SELECT contact, min(pos), day, kind, start, end, id FROM entry "
                             f"WHERE contact IN ({','.join('?' * len(chunk))}) AND day <= ? "
                             f"AND kind NOT IN ({kinds}) GROUP BY contact",
                             (*chunk, today, *not_touches), head=4)
            if part is None:
                return None
            found += part
        return found

    def dated(self, first: int, last: int) -> list[Head] | None:
        """The entries from day ``first`` to day ``last``: (contact, place, day, kind, start,
        end, id)."""
        return self._ask("SELECT contact, pos, day, kind, start, end, id FROM entry "
                         "WHERE day BETWEEN ? AND ?", (first, last), head=4)

    def promises(self) -> list[tuple[Any, ...]] | None:
        """The entries with an open follow-up, each once for each of its people, newest
        first: (contact, place, day, kind, start, end, id, the entry's people and its open
        follow-ups as JSON; see ``promised``: the follow-ups None when the entry must be
        built to tell them)."""
        return self._ask("SELECT e.contact, e.pos, e.day, e.kind, e.start, e.end, e.id, "
                         "p.people, p.open FROM entry e JOIN promise p ON p.id = e.id "
                         "WHERE e.open ORDER BY e.contact, e.pos", (), head=4, tail=2)

    def count(self, contact_id: str) -> int | None:
        """How many entries are on one person's timeline."""
        import sqlite3

        try:
            found = self._db.execute("SELECT count(*) FROM entry WHERE contact = ?",
                                     (contact_id,)).fetchone()[0]
        except sqlite3.Error:
            return None
        return found if type(found) is int else None

    def people_of(self, entry_ids: Sequence[str]) -> set[str] | None:
        """The people of these entries (as the file has them), and everyone with an entry
        whose day depends on the machine's zone (``documents.local_day``)."""
        found = self._ask("SELECT DISTINCT contact FROM entry WHERE day IS NULL", (),
                          head=1, spans=False)
        for at in range(0, len(entry_ids), 500):
            chunk = entry_ids[at:at + 500]
            marks = ",".join("?" * len(chunk))
            part = self._ask(f"SELECT contact FROM entry WHERE id IN ({marks})", tuple(chunk),
                             head=1, spans=False)
            if part is None or found is None:
                return None
            found += part
        return None if found is None else {row[0] for row in found}

    def contacts_holding(self, words: Iterable[str]) -> list[Span] | None:
        """The contacts whose folded searchable text holds every one of ``words`` (folded):
        exactly those ``matching.doc_could_match`` keeps."""
        words = list(words)
        where = " AND ".join("instr(text, ?) > 0" for _ in words) or "1"
        args: tuple[str, ...] = tuple(words)
        looked_up = [w for w in words if len(w) >= _TRIGRAM] if self._words else []
        if looked_up:
            # The trigram lookup may keep more (it also folds case); instr() then
            # keeps exactly the rows that hold every word.
            where = "n IN (SELECT rowid FROM person_words WHERE person_words MATCH ?) AND " + where
            phrase = " AND ".join('"' + w.replace('"', '""') + '"' for w in looked_up)
            args = (phrase, *args)
        return self._ask(f"SELECT start, end, id FROM person WHERE {where}", args)

    def contacts_with(self, tags: Collection[str], kind: str | None) -> list[Span] | None:
        """The contacts with every one of ``tags`` among their interests, and of ``kind``."""
        if tags:
            marks = ",".join("?" * len(tags))
            sql = (f"SELECT start, end, id FROM person WHERE id IN (SELECT id FROM interest "
                   f"WHERE tag IN ({marks}) GROUP BY id HAVING count(*) = ?)")
            args: tuple[Any, ...] = (*tags, len(tags))
            if kind is not None:
                sql, args = sql + " AND kind = ?", (*args, kind)
            return self._ask(sql, args)
        return self._ask("SELECT start, end, id FROM person WHERE kind = ?", (kind,))

    def close(self) -> None:
        self._db.close()

    def _ask(self, sql: str, args: tuple[Any, ...], *, head: int = 0, tail: int = 0,
             spans: bool = True) -> list[Any] | None:
        """The rows of ``sql``: ``head`` columns (a contact id, a place, a day and a kind),
        then a range (start, end, id), each checked, then ``tail`` columns the caller
        checks; None when the index cannot answer."""
        import sqlite3

        try:
            rows = self._db.execute(sql, args).fetchall()
        except sqlite3.Error:
            return None  # damaged: the caller parses the table
        size = self.size
        for row in rows:
            if head and not _head_ok(row, head):
                return None
            if not spans:
                continue
            start, end, doc_id = row[head:len(row) - tail]
            if not (type(start) is int and type(end) is int and 0 < start < end <= size
                    and type(doc_id) is str):
                return None
        return rows


_Rows = tuple[list[Any], list[Any], list[Any], list[Any], list[Any]]


def write(path: Path, data: dict[str, Any], doc_spans: dict[str, dict[str, tuple[int, int]]],
          sig: tuple[int, int, int], gen: int, uid: str | None, *,
          place: Callable[[Path], None] | None = None) -> None:
    """Write the index of the data file ``sig`` holding ``data``, whose documents lie at
    ``doc_spans``; ``ValueError`` when a document is too malformed to index (then the
    index written says so, ``unindexable``: nobody builds it again for this file),
    ``OSError`` when it cannot be written. It is written beside ``path`` and renamed
    there, or handed to ``place``, which renames it (or lets it be removed)."""
    try:
        rows = _rows(data, doc_spans)
    except (ValueError, TypeError) as exc:
        mark_unindexable(path, sig, gen, uid, str(exc), place=place)
        raise ValueError(str(exc)) from None
    meta = [("version", VERSION), ("sig", repr(list(sig))), ("gen", gen), ("uid", uid)]
    _fill(path, meta, rows, place)


def mark_unindexable(path: Path, sig: tuple[int, int, int], gen: int, uid: str | None,
                     reason: str, *, place: Callable[[Path], None] | None = None) -> None:
    """Write an index that says the data file ``sig`` cannot be indexed (see ``write``)."""
    meta = [("version", VERSION), ("sig", repr(list(sig))), ("gen", gen), ("uid", uid),
            ("unindexable", reason)]
    _fill(path, meta, None, place)


def _rows(data: dict[str, Any], doc_spans: dict[str, dict[str, tuple[int, int]]]) -> _Rows:
    """The index's rows of ``data``: ranges of entries, entries, people, interests,
    promises."""
    from nurture.documents import check_interaction, local_day
    from nurture.store.matching import doc_search_text

    timelines: dict[str, list[tuple[float, str, int, int, int | None, str, int]]] = {}
    promises: list[tuple[str, str, str | None]] = []
    timeline = data.get(TABLE) or {}
    spans = doc_spans.get(TABLE, {})
    for doc_id, doc in timeline.items():
        start, end = spans[doc_id]
        try:
            when, ids = check_interaction(doc)
            day = local_day(doc["at"])
        except Exception as exc:
            # A hand-edited record: no index, so that reading it names the record
            # (an index would silently leave it out of someone's timeline).
            raise ValueError(f"interactions[{doc_id!r}]: {exc}") from None
        opened = has_open_follow_up(doc)
        if opened:
            promises.append((doc_id, orjson.dumps(list(dict.fromkeys(ids))).decode(),
                             promised(doc, day)))
        row = (-when, doc_id, start, end, day, doc["kind"], int(opened))
        for contact_id in dict.fromkeys(ids):
            mine = timelines.get(contact_id)
            if mine is None:
                timelines[contact_id] = [row]
            else:
                mine.append(row)
    entries: list[tuple[str, int, int | None, str, int, int, int, str]] = []
    for contact_id, mine in timelines.items():
        mine.sort()  # newest first, then by id: the built timeline's order
        entries.extend((contact_id, place, day, kind, opened, start, end, doc_id)
                       for place, (_, doc_id, start, end, day, kind, opened) in enumerate(mine))
    people: list[tuple[str, int, int, str | None, str, str | None]] = []
    interests: list[tuple[str, str]] = []
    spans = doc_spans.get(CONTACTS, {})
    for doc_id, doc in (data.get(CONTACTS) or {}).items():
        if not isinstance(doc, dict):
            raise ValueError(f"contacts[{doc_id!r}] is not a record")
        start, end = spans[doc_id]
        kind, name = doc.get("kind", "other"), doc.get("display_name")
        # A NUL ends a string for some of SQLite's functions; no typed word holds one.
        people.append((doc_id, start, end, kind if isinstance(kind, str) else None,
                       doc_search_text(doc).replace("\0", " "),
                       name if isinstance(name, str) else None))
        tags = doc.get("interests")
        if isinstance(tags, list):
            interests.extend((tag, doc_id) for tag in dict.fromkeys(tags) if isinstance(tag, str))
    at = [(doc_id, start, end) for doc_id, (start, end) in doc_spans.get(TABLE, {}).items()]
    return at, entries, people, interests, promises


def _fill(path: Path, meta: list[tuple[str, Any]], rows: _Rows | None,
          place: Callable[[Path], None] | None) -> None:
    """Write the index file: ``meta``, then ``rows`` (none for a file marked unindexable);
    see ``write`` for ``place``."""
    import sqlite3

    # Built without the store's lock when ``place`` puts it in place: named so that
    # another process's start does not take it for a crashed writer's leftover.
    tmp = fsutil.temp_name(path) if place is None else fsutil.building_name(path)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, fsutil.PRIVATE_FILE))
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            # Not durable on purpose: a torn or stale index is recognised and ignored.
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;"
                             + _SCHEMA)
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta)
            if rows is not None:
                at, entries, people, interests, promises = rows
                db.executemany("INSERT INTO entry_at VALUES (?, ?, ?)", at)
                db.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
                db.executemany("INSERT INTO person(id, start, end, kind, text, name) "
                               "VALUES (?, ?, ?, ?, ?, ?)", people)
                db.executemany("INSERT OR IGNORE INTO interest VALUES (?, ?)", interests)
                db.executemany("INSERT INTO promise VALUES (?, ?, ?)", promises)
                for statement in _AFTER_LOAD.split(";"):
                    db.execute(statement)
                words = _add_words(db)
                db.execute("INSERT INTO meta VALUES ('words', ?)", (int(words),))
            db.execute("COMMIT")
        finally:
            db.close()
        if place is None:
            os.replace(tmp, path)
        else:
            place(tmp)
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()  # not placed
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, sqlite3.Error):
            raise OSError(f"the index could not be written: {exc}") from None
        raise


def _add_words(db: sqlite3.Connection) -> bool:
    """person_words, where this SQLite has FTS5 and its trigram tokenizer."""
    import sqlite3

    try:
        db.execute("SAVEPOINT words")
        db.execute(_WORDS)
        db.execute(_FILL_WORDS)
    except sqlite3.OperationalError:  # no fts5, or no trigram tokenizer (SQLite < 3.34)
        db.execute("ROLLBACK TO words")
        db.execute("RELEASE words")
        return False
    db.execute("RELEASE words")
    return True


def remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def load(path: Path, sig: tuple[int, int, int], gen: int, uid: str | None,
         size: int) -> Index | None:
    """The index of exactly this data file (``sig``, ``gen``, ``uid``), else None."""
    if not path.is_file():
        return None
    import sqlite3

    try:
        # immutable: it is replaced by a rename, never changed in place, so no locks.
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True,
                             check_same_thread=False)
    except (sqlite3.Error, ValueError):
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except (sqlite3.Error, ValueError):
        db.close()
        return None
    if meta.get("version") != VERSION or meta.get("sig") != repr(list(sig)) \
            or meta.get("gen") != gen or meta.get("uid") != uid or "unindexable" in meta:
        db.close()
        return None
    return Index(db, size, words=meta.get("words") == 1)


def unindexable(path: Path, sig: tuple[int, int, int], gen: int, uid: str | None) -> bool:
    """Whether the index at ``path`` says that exactly this data file cannot be indexed (a
    record too malformed): then it is not built again until the file changes."""
    if not path.is_file():
        return False
    import sqlite3

    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError):
        return False
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except (sqlite3.Error, ValueError):
        return False
    finally:
        db.close()
    return "unindexable" in meta and meta.get("version") == VERSION \
        and meta.get("sig") == repr(list(sig)) and meta.get("gen") == gen \
        and meta.get("uid") == uid
