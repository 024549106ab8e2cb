"""Reading the text files people give us, and writing private files back.

Writing is ``nurture.fsutil``'s (atomic, 0600), with its failures turned into
errors that name the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from nurture import fsutil
from nurture.errors import InputFileError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


# C0 controls but tab and line breaks, DEL, and C1: never part of a name or a
# note, and a terminal acts on them (ESC starts a sequence, NUL ends C strings).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> tuple[str, int]:
    """``text`` without control characters, and how many were removed."""
    cleaned, count = _CONTROLS.subn("", text)
    return cleaned, count


def sniff_encoding(data: bytes) -> str:
    """UTF-8 unless a byte-order mark (or UTF-16's zero bytes) say otherwise."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:4096]
    # Outlook's "Unicode" exports are UTF-16; without a BOM every other byte of
    # ASCII text is zero.
    if len(head) >= 4 and head.count(0) * 3 > len(head):
        return "utf-16-le" if head[1] == 0 else "utf-16-be"
    return "utf-8"


def decode(data: bytes, path: Path | str, encoding: str | None = None) -> str:
    """Text of ``data``; undecodable bytes are an error naming the line and the byte."""
    name = encoding or sniff_encoding(data)
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise InputFileError(path, f"unknown encoding {name!r}") from None
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(codec.name, errors="replace").count("\n") + 1
        byte = data[exc.start:exc.start + 1].hex()
        hint = "" if encoding else " (pass --encoding, e.g. --encoding cp1252, if it uses another)"
        raise InputFileError(path, f"byte 0x{byte} is not valid {codec.name}{hint}",
                             line=line) from None


def read_text(path: Path, encoding: str | None = None) -> str:
    """A whole text file, decoded as above; a missing or unreadable file is a user error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    return decode(data, path, encoding)


def write_private(path: Path, data: bytes, *, sync_dir: bool = True, sync: bool = True) -> None:
    """Replace ``path`` atomically with a private (0600) file; a failure names the file."""
    try:
        fsutil.atomic_write(path, data, sync_dir=sync_dir, sync=sync)
    except OSError as exc:
        raise InputFileError(path, f"cannot write here: {exc.strerror or exc}") from None


def ensure_private_dir(folder: Path) -> None:
    """Create an export folder (and missing parents) as 0700; an existing folder is kept."""
    if folder.exists() and not folder.is_dir():
        raise InputFileError(folder, "exists and is not a folder")
    try:
        fsutil.ensure_private_dir(folder)
    except OSError as exc:
        raise InputFileError(folder, f"cannot create this folder: {exc.strerror or exc}") from None


def fsync_dir(folder: Path) -> None:
    """Make the files just written in ``folder`` durable; a failure names the folder."""
    try:
        fsutil.fsync_dir(folder)
    except OSError as exc:
        raise InputFileError(folder, f"cannot write here: {exc.strerror or exc}") from None
