"""What capture remembers between runs, as the store's ``capture`` marks. Pure.

- a Maildir folder: the unique names of the messages read, in 64 shards so
  that a run with 20 new messages rewrites a few small documents, not one of
  100,000 names;
- an mbox file: the byte offset read up to, and a hash of its first bytes;
- a calendar: per .ics file, its hash and when its next event ends;
- ``recent``: who you exchanged mail with in the last 90 days (for ``--suggest``).

Marks a person edited into nonsense are read as empty: the next run reads
again, and entries already logged are recognised by their source ids.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nurture.model import CaptureMark

SHARDS = 64
RECENT = "recent"
RECENT_DAYS = 90


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS


@dataclass(slots=True)
class MboxMark:
    offset: int = 0
    start_hash: str = ""


@dataclass(slots=True)
class Correspondent:
    name: str = ""
    days: list[int] = field(default_factory=list)  # ordinal of each message's day


@dataclass(slots=True)
class ReadState:
    maildirs: dict[str, set[str]] = field(default_factory=dict)  # folder -> unique names
    mboxes: dict[str, MboxMark] = field(default_factory=dict)
    calendars: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    recent: dict[str, Correspondent] = field(default_factory=dict)


def _maildir_key(folder: str, shard: int) -> str:
    return f"maildir:{folder}#{shard:02d}"


def load_state(marks: Mapping[str, CaptureMark]) -> ReadState:
    """The read state from the store's marks."""
    state = ReadState()
    for key, mark in marks.items():
        values = mark.values
        kind, _, rest = key.partition(":")
        if kind == "maildir":
            folder = rest.rpartition("#")[0]
            names = values.get("names")
            if isinstance(names, list):
                state.maildirs.setdefault(folder, set()).update(
                    n for n in names if isinstance(n, str))
        elif kind == "mbox":
            offset, start = values.get("offset"), values.get("start_hash")
            if type(offset) is int and offset >= 0 and isinstance(start, str):
                state.mboxes[rest] = MboxMark(offset, start)
        elif kind == "calendar":
            files = values.get("files")
            if isinstance(files, dict):
                state.calendars[rest] = {p: v for p, v in files.items() if isinstance(v, dict)}
        elif key == RECENT:
            people = values.get("addresses")
            if isinstance(people, dict):
                for address, v in people.items():
                    days = v.get("days") if isinstance(v, dict) else None
                    if isinstance(days, list):
                        state.recent[address] = Correspondent(
                            str(v.get("name", "")), [d for d in days if type(d) is int])
    return state


def _maildir_marks(folder: str, names: Iterable[str]) -> dict[str, CaptureMark]:
    shards: dict[int, list[str]] = {}
    for name in names:
        shards.setdefault(shard_of(name), []).append(name)
    return {key: CaptureMark(key, {"names": sorted(members)})
            for shard, members in shards.items()
            if (key := _maildir_key(folder, shard))}


def _other_marks(state: ReadState) -> dict[str, CaptureMark]:
    """The marks of everything but Maildir folders (few and small)."""
    marks: dict[str, CaptureMark] = {}
    for path, mbox in state.mboxes.items():
        key = f"mbox:{path}"
        marks[key] = CaptureMark(key, {"offset": mbox.offset, "start_hash": mbox.start_hash})
    for source, files in state.calendars.items():
        key = f"calendar:{source}"
        marks[key] = CaptureMark(key, {"files": dict(sorted(files.items()))})
    if state.recent:
        marks[RECENT] = CaptureMark(RECENT, {"addresses": {
            a: {"name": c.name, "days": c.days} for a, c in sorted(state.recent.items())}})
    return marks


def state_marks(state: ReadState) -> dict[str, CaptureMark]:
    """The marks that hold ``state``."""
    marks = _other_marks(state)
    for folder, names in state.maildirs.items():
        marks.update(_maildir_marks(folder, names))
    return marks


def changed_marks(before: Mapping[str, CaptureMark], old: ReadState,
                  new: ReadState) -> tuple[list[CaptureMark], list[str]]:
    """The marks to write and the keys to drop to go from ``old`` (read from ``before``) to
    ``new``. A Maildir shard is rewritten only when a name in it came or went: a re-run
    with 20 new messages writes at most 20 small documents."""
    write = [m for k, m in _other_marks(new).items()
             if k not in before or before[k].values != m.values]
    wanted = {k for k in before if not k.startswith("maildir:")} & set(_other_marks(new))
    for folder, names in new.maildirs.items():
        previous = old.maildirs.get(folder, set())
        prefix = f"maildir:{folder}#"
        wanted.update(k for k in before if k.startswith(prefix))
        by_shard: dict[int, list[str]] = {}
        for name in names ^ previous:
            by_shard.setdefault(shard_of(name), []).append(name)
        for shard, changed in by_shard.items():
            key = _maildir_key(folder, shard)
            mark = before.get(key)
            kept = mark.values.get("names") or () if mark is not None else ()
            members = {n for n in (*kept, *changed) if n in names}
            if members:
                write.append(CaptureMark(key, {"names": sorted(members)}))
                wanted.add(key)
            else:
                wanted.discard(key)
    drop = sorted(k for k in before if k not in wanted)
    return write, drop
