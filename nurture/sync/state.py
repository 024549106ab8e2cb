"""What the book and the folders last agreed on, item by item.

For each item: its kind, the file that holds it, that file's size and
modification time (an unchanged file is not read again), and one hash per
field as the book had it and as the folder had it at the last sync. Each
side is compared with its own record, so a server that rewrites a file in
its own way (reordered, re-escaped) does not look like an edit. Losing this
file costs no data: the next sync treats both sides as new and merges them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from nurture.errors import InputFileError
from nurture.interop.textfiles import write_private

VERSION = 1


@dataclass(slots=True)
class Agreed:
    kind: str
    file: str  # "contacts/NAME.vcf" or "calendar/NAME.ics"
    sig: tuple[int, int]  # size, mtime_ns of the file when it was last read or written
    book: dict[str, str]  # field -> hash
    folder: dict[str, str]


@dataclass(slots=True)
class SyncState:
    path: Path
    folders: dict[str, str] = field(default_factory=dict)  # "contacts"/"calendar" -> path
    items: dict[str, Agreed] = field(default_factory=dict)
    loaded: bytes = b""  # the file as read: an unchanged state is not written again

    def save(self) -> None:
        data: dict[str, Any] = {
            "nurture_sync": VERSION,
            "folders": self.folders,
            "items": {uid: {"kind": a.kind, "file": a.file, "sig": list(a.sig), "book": a.book,
                            "folder": a.folder} for uid, a in self.items.items()},
        }
        text = orjson.dumps(data)
        if text != self.loaded:
            write_private(self.path, text)
            self.loaded = text


def load_state(path: Path, folders: dict[str, str]) -> tuple[SyncState, str]:
    """The state for these folders, and a note when it had to start afresh."""
    try:
        text = path.read_bytes()
        raw = orjson.loads(text)
    except FileNotFoundError:
        return SyncState(path, dict(folders)), ""
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputFileError(path, f"the sync state cannot be read ({exc}); move it away "
                             "to sync afresh (nothing is lost: both sides are merged)") from None
    if not isinstance(raw, dict) or raw.get("nurture_sync") != VERSION:
        raise InputFileError(path, "not a Nurture sync state of this version")
    if raw.get("folders") != folders:
        return SyncState(path, dict(folders)), (
            "the sync folders changed since the last sync: both sides are merged afresh")
    state = SyncState(path, dict(folders), loaded=text)
    for uid, a in raw.get("items", {}).items():
        state.items[uid] = Agreed(a["kind"], a["file"], (a["sig"][0], a["sig"][1]),
                                  a["book"], a["folder"])
    return state, ""
