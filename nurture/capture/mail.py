"""Mail headers out of Maildir folders and mbox files. Headers only: a body is never parsed.

A Maildir message is read up to the blank line that ends its header (usually
one 8 KiB read); an mbox file is scanned line by line from where the last run
stopped. Every header is decoded defensively: a message whose header cannot
be used is reported by its path and skipped, never raised.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from nurture.capture.report import Problem

HEAD_CHUNK = 8192
HEAD_MAX = 256 * 1024  # a header larger than this is not a person's mail
_PARSER = BytesHeaderParser(policy=compat32)
_MSGID_RE = re.compile(r"<([^<>\s]+)>")
_NOREPLY_RE = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]daemon|postmaster|bounces?|"
    r"notifications?|notify)(?:[-+_.].*)?$")
_BULK_PRECEDENCE = frozenset(("bulk", "list", "junk"))


@dataclass(slots=True, frozen=True)
class MailHeader:
    """What capture needs from one message."""

    message_id: str  # without angle brackets; a stable stand-in when the message has none
    at: datetime | None  # aware; None when neither the header nor the mailbox gives a date
    senders: tuple[str, ...]  # From, folded to lower case
    recipients: tuple[str, ...]  # To and Cc, folded
    names: tuple[tuple[str, str], ...]  # (address, display name) as written
    subject: str
    thread: tuple[str, ...]  # References then In-Reply-To: the ids this message answers
    bulk: str  # why it is list or bulk mail ("List-Id", "Precedence: bulk"…), else ""
    where: str  # the file (and place in it) it came from


def clean(text: str) -> str:
    """A header value as one line without control characters (they never reach the book)."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())


def decode(value: object) -> str:
    """An RFC 2047 header value as text; undecodable parts are kept as written."""
    if value is None:
        return ""
    raw = str(value)
    if "=?" not in raw:  # nothing encoded: most headers
        return clean(raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    try:
        text = str(make_header(decode_header(raw)))
    except (ValueError, LookupError, UnicodeError, TypeError, AssertionError):
        text = raw
    # compat32 keeps stray 8-bit bytes as surrogates; show them as U+FFFD.
    return clean(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


_SIMPLE_ADDRESS = re.compile(r"\s*(?:([^<>@,]*?)\s*<([^<>\s,@]+@[^<>\s,@]+)>"
                             r"|([^<>\s,@]+@[^<>\s,@]+))\s*")


def _simple_pairs(raw: list[str]) -> list[tuple[str, str]] | None:
    """``Name <a@b>, c@d`` without quotes, comments or groups, read fast; else None."""
    pairs = []
    for value in raw:
        if any(c in value for c in '"();:\\'):
            return None
        for part in value.split(","):
            if not part.strip():
                continue
            m = _SIMPLE_ADDRESS.fullmatch(part)
            if m is None:
                return None
            pairs.append((m.group(1) or "", m.group(2) or m.group(3)))
    return pairs


def addresses(values: Iterable[object]) -> list[tuple[str, str]]:
    """(folded address, display name) pairs of address headers; nonsense is dropped."""
    raw = [str(v) for v in values if v is not None]
    if not raw:
        return []
    pairs = _simple_pairs(raw)
    if pairs is None:  # quoted names, comments, groups: the standard library's parser
        try:
            pairs = getaddresses(raw)
        except (ValueError, TypeError, IndexError):
            return []
    out = []
    for name, address in pairs:
        address = clean(address).lower()
        if "@" in address and " " not in address and len(address) <= 320:
            out.append((address, decode(name)))
    return out


def is_noreply(address: str) -> bool:
    """A sender nobody answers: no-reply@, mailer-daemon@, notifications@…"""
    return bool(_NOREPLY_RE.match(address.partition("@")[0]))


def _message_ids(value: object) -> list[str]:
    return _MSGID_RE.findall(str(value)) if value is not None else []


def _date(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 says read it as UTC
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return parsed


def _bulk(fields: dict[str, list[str]], senders: list[tuple[str, str]]) -> str:
    if "list-id" in fields:
        return "List-Id"
    if "list-unsubscribe" in fields:
        return "List-Unsubscribe"
    precedence = _first(fields, "precedence").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    auto = _first(fields, "auto-submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return "Auto-Submitted"  # out-of-office replies and robots (RFC 3834)
    if any(is_noreply(address) for address, _ in senders):
        return "no-reply sender"
    return ""


_WANTED = frozenset(("from", "to", "cc", "subject", "date", "message-id", "references",
                     "in-reply-to", "list-id", "list-unsubscribe", "precedence",
                     "auto-submitted"))


def _first(fields: dict[str, list[str]], name: str) -> str:
    values = fields.get(name)
    return values[0] if values else ""


def parse_header(head: bytes, where: str, fallback: datetime | None = None) -> MailHeader:
    """One message's header block (bytes up to the blank line); never raises on bad input."""
    # A header that is not even "Name: value" makes compat32 put the rest in the
    # body; what came before it is still read. Raw values (one pass, no policy
    # work): 8-bit bytes stay surrogates until ``decode`` and ``clean``.
    fields: dict[str, list[str]] = {}
    for name, value in _PARSER.parsebytes(head).raw_items():
        key = name.lower()
        if key in _WANTED:
            fields.setdefault(key, []).append(str(value))
    senders = addresses(fields.get("from", ()))
    recipients = addresses([*fields.get("to", ()), *fields.get("cc", ())])
    ids = _message_ids(_first(fields, "message-id"))
    at = _date(fields["date"][0]) if "date" in fields else None
    if ids:
        message_id = ids[0]
    else:
        # No Message-ID: one derived from what identifies the message, stable across runs.
        basis = "\x1f".join(_first(fields, h) for h in ("from", "date", "subject", "to"))
        message_id = "sha1-" + hashlib.sha1(basis.encode("utf-8", "surrogateescape")).hexdigest()
    thread = dict.fromkeys([*_message_ids(_first(fields, "references")),
                            *_message_ids(_first(fields, "in-reply-to"))])
    return MailHeader(
        message_id=clean(message_id),
        at=at or fallback,
        senders=tuple(a for a, _ in senders),
        recipients=tuple(dict.fromkeys(a for a, _ in recipients)),
        names=tuple((a, n) for a, n in [*senders, *recipients] if n),
        subject=decode(fields["subject"][0]) if "subject" in fields else "",
        thread=tuple(clean(t) for t in thread),
        bulk=_bulk(fields, senders),
        where=where,
    )


def read_head(path: str) -> bytes:
    """The header block of the message file at ``path`` (its first bytes up to the blank line)."""
    with open(path, "rb") as f:
        head = f.read(HEAD_CHUNK)
        while len(head) < HEAD_MAX:
            end = _header_end(head)
            if end >= 0:
                return head[:end]
            more = f.read(HEAD_CHUNK * 4)
            if not more:
                return head
            head += more
    end = _header_end(head)
    return head[:end] if end >= 0 else head[:HEAD_MAX]


def _header_end(data: bytes) -> int:
    if data.startswith((b"\n", b"\r\n")):
        return 0
    lf, crlf = data.find(b"\n\n"), data.find(b"\r\n\r\n")
    ends = [i + 1 for i in (lf,) if i >= 0] + [i + 2 for i in (crlf,) if i >= 0]
    return min(ends) if ends else -1


# ---------------------------------------------------------------- Maildir


def maildir_key(name: str) -> str:
    """The unique part of a Maildir file name: flags after ``:2,`` change, this does not."""
    return name.partition(":")[0].partition("!")[0]


def _delivered(key: str) -> datetime | None:
    """A Maildir unique name starts with the delivery time in seconds."""
    stamp = key.partition(".")[0]
    if stamp.isdigit() and 0 < int(stamp) < 2**33:
        return datetime.fromtimestamp(int(stamp), UTC)
    return None


@dataclass(slots=True)
class MaildirScan:
    """The messages of one Maildir folder not read before, and every key present now.

    ``listed`` is False when the folder (or part of it) could not be listed:
    what was remembered about it is then kept as it was.
    """

    headers: list[MailHeader] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the unique name of each of ``headers``
    present: set[str] = field(default_factory=set)
    listed: bool = True
    unread_keys: set[str] = field(default_factory=set)  # new keys whose file could not be read
    problems: list[Problem] = field(default_factory=list)


def scan_maildir(folder: str, seen: set[str]) -> MaildirScan:
    """Read the headers of the messages in ``folder`` whose key is not in ``seen``."""
    scan = MaildirScan()
    if not any(os.path.isdir(os.path.join(folder, sub)) for sub in ("cur", "new")):
        why = ("is gone" if not os.path.exists(folder)
               else "is not a Maildir folder (no cur/ or new/)")
        scan.problems.append(Problem(folder, f"{why}; it was skipped"))
        scan.listed = False
        return scan
    todo: list[tuple[str, str]] = []
    for sub in ("cur", "new"):
        if not os.path.isdir(os.path.join(folder, sub)):
            continue
        try:
            files = list(_files(os.path.join(folder, sub)))
        except OSError as exc:
            scan.problems.append(Problem(os.path.join(folder, sub),
                                         f"cannot be listed ({exc.strerror}); it was skipped"))
            scan.listed = False
            continue
        for key, path in files:
            scan.present.add(key)
            if key not in seen:
                todo.append((key, path))
    for key, read in read_messages(todo):
        if isinstance(read, Problem):
            scan.unread_keys.add(key)
            scan.problems.append(read)
        else:
            scan.headers.append(read)
            scan.keys.append(key)
    return scan


PARALLEL_FROM = 4000  # messages; fewer are read before worker processes would start
CHUNK = 2000


def read_messages(todo: list[tuple[str, str]]) -> list[tuple[str, MailHeader | Problem]]:
    """Read the header of each (key, path): in worker processes when there are many."""
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_FROM or workers < 2:
        return _read_chunk(todo)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    # "spawn", not "fork": the app captures from a thread, and forking a threaded
    # process can leave a worker holding a lock that is never released.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return [item for chunk in pool.map(_read_chunk, chunks) for item in chunk]


def _read_chunk(todo: list[tuple[str, str]]) -> list[tuple[str, MailHeader | Problem]]:
    out: list[tuple[str, MailHeader | Problem]] = []
    for key, path in todo:
        try:
            head = read_head(path)
        except OSError as exc:
            out.append((key, Problem(path, f"cannot be read ({exc.strerror}); it was skipped")))
            continue
        out.append((key, parse_header(head, path, _delivered(key))))
    return out


def _files(directory: str) -> Iterator[tuple[str, str]]:
    with os.scandir(directory) as entries:
        for entry in entries:
            if not entry.name.startswith("."):
                yield maildir_key(entry.name), entry.path


# ---------------------------------------------------------------- mbox


@dataclass(slots=True)
class MboxScan:
    """The messages of one mbox file after ``offset``, and where the next run starts."""

    headers: list[MailHeader] = field(default_factory=list)
    offset: int = 0  # read up to here
    size: int = 0
    mtime_ns: int = 0
    start_hash: str = ""  # of the file's first bytes: a rewritten file starts over
    problems: list[Problem] = field(default_factory=list)


START_BYTES = 4096


def _from_line_date(line: bytes) -> datetime | None:
    # "From sender@example.org Thu Nov 20 14:30:00 2026"
    parts = line.decode("ascii", "replace").split(None, 2)
    if len(parts) < 3:
        return None
    try:
        return datetime.strptime(" ".join(parts[2].split()[:5]), "%a %b %d %H:%M:%S %Y") \
            .replace(tzinfo=UTC)
    except ValueError:
        return None


def scan_mbox(path: str, offset: int = 0, start_hash: str = "") -> MboxScan:
    """Read the headers of the messages in ``path`` from ``offset`` on.

    When the file no longer starts as it did (``start_hash``) or is shorter
    than ``offset``, it was rewritten (messages deleted): it is read again from
    the start; entries already logged are recognised by their Message-ID.
    """
    scan = MboxScan()
    try:
        st = os.stat(path)
        with open(path, "rb") as f:
            first = f.read(START_BYTES)
            scan.start_hash = hashlib.sha1(first).hexdigest()
            if st.st_size < offset or (start_hash and start_hash != _prefix_hash(first, offset)):
                offset = 0
            f.seek(offset)
            scan.headers = list(_mbox_headers(f, path, offset))
            scan.offset = f.tell()
    except FileNotFoundError:
        scan.problems.append(Problem(path, "is gone; it was skipped"))
        return scan
    except IsADirectoryError:
        scan.problems.append(Problem(path, "is a folder, not an mbox file; it was skipped"))
        return scan
    except OSError as exc:
        scan.problems.append(Problem(path, f"cannot be read ({exc.strerror}); it was skipped"))
        return scan
    scan.size, scan.mtime_ns = st.st_size, st.st_mtime_ns
    return scan


def _prefix_hash(first: bytes, offset: int) -> str:
    """The hash as a run that stopped at ``offset`` saw it (a file shorter than START_BYTES)."""
    return hashlib.sha1(first[:offset] if offset < START_BYTES else first).hexdigest()


def _mbox_headers(f: Iterable[bytes], path: str, offset: int) -> Iterator[MailHeader]:
    head: list[bytes] | None = None  # header lines of the message being read
    start = offset
    position = offset
    previous_blank = True
    from_date: datetime | None = None
    for line in f:
        if line.startswith(b"From ") and previous_blank:
            if head is not None:
                yield parse_header(b"".join(head), f"{path} (message at byte {start})", from_date)
            head, start, from_date = [], position, _from_line_date(line)
        elif head is not None and head and head[-1] in (b"\n", b"\r\n"):
            pass  # in the body
        elif head is not None:
            head.append(line)
        position += len(line)
        previous_blank = line in (b"\n", b"\r\n")
    if head is not None:
        yield parse_header(b"".join(head), f"{path} (message at byte {start})", from_date)
