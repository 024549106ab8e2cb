"""Reading the text files people give us, and writing private files back."""

from __future__ import annotations

import codecs
import contextlib
import os
from pathlib import Path

from nurture.errors import InputFileError

PRIVATE_FILE = 0o600

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


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


def write_private(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """Replace ``path`` atomically with a file only the user can read (0600).

    A temporary file in the same folder is written, fsynced and renamed over
    the target, so a reader (or a crash) sees the old file or the new one.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    except OSError as exc:
        raise InputFileError(path, f"cannot write here: {exc.strerror}") from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_private_dir(folder: Path) -> None:
    """Create an export folder as 0700; an existing folder is left as it is."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    elif not folder.is_dir():
        raise InputFileError(folder, "exists and is not a folder")
