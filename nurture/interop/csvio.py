"""CSV in: Google Contacts, Outlook and LinkedIn exports, or any CSV with --map.

The dialect (comma, semicolon, tab; quoting) comes from ``csv.Sniffer``; the
encoding from the byte-order mark (Outlook writes UTF-16), else UTF-8, and a
byte that does not decode is an error naming its line. LinkedIn's
Connections.csv opens with a notes preamble, which is skipped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from nurture.errors import InputFileError, NurtureError
from nurture.interop import csv_profiles as P
from nurture.interop.csv_rows import RowReader
from nurture.interop.report import Incoming, Problem, Progress, ReadResult
from nurture.interop.textfiles import read_text, strip_controls
from nurture.model import fold

NAME_FIELDS = {"name", "given_name", "family_name", "nickname", "company", "email"}


@dataclass(slots=True)
class CsvOptions:
    """How to read a CSV: ``format`` (auto, google, outlook, linkedin, generic), ``--map``."""

    format: str = "auto"
    mapping: list[str] = field(default_factory=list)
    encoding: str | None = None
    day_first: bool = False


_PHYSICAL = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def physical_lines(text: str) -> list[str]:
    """The file's lines with their ends, split at CRLF, LF or a lone CR (classic Mac).

    Not ``str.splitlines``: it also splits at form feeds and U+2028, which
    are text inside a CSV cell.
    """
    return _PHYSICAL.findall(text)


def _is_preamble(line: str) -> bool:
    # LinkedIn writes Notes: (some versions quote it: "Notes:")
    return line.strip().lstrip("\ufeff").strip('"').strip() == "Notes:"


def _header_index(lines: list[str]) -> int:
    """The physical line (0-based) where the header row starts."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if not lines or not _is_preamble(lines[first]):
        return first
    # LinkedIn: "Notes:", a quoted paragraph, a blank line, then the header.
    reader = csv.reader(iter(lines[first:]))
    previous = 0
    try:
        for row in reader:
            if sum(1 for cell in row if cell.strip()) >= 2:
                return first + previous
            previous = reader.line_num
    except csv.Error:
        pass
    return first


_DELIMITERS = ",;\t|"


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The sniffed dialect, unless the header line plainly says otherwise.

    The Sniffer weighs every line of the sample, so notes full of semicolons
    can outvote a header separated by commas; the header decides then.
    """
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        dialect = None
    if dialect is not None and (counts[dialect.delimiter] or not counts[best]):
        if not dialect.escapechar:
            # The Sniffer says "no doubled quotes" when the sample has none;
            # every exporter doubles them, and without it a closing quote
            # followed by text goes unnoticed.
            dialect.doublequote = True
        return dialect
    fallback = csv.excel()
    fallback.delimiter = best if counts[best] else ","
    return fallback


def _targets(headers: list[str], options: CsvOptions, source: str
             ) -> tuple[str, list[P.Target | None]]:
    fmt = options.format
    if fmt not in P.FORMATS:
        raise NurtureError(f"unknown CSV format {fmt!r} (use {', '.join(P.FORMATS)})")
    detected = P.detect(headers)
    if fmt == "auto":
        fmt = detected
    elif fmt != "generic" and detected not in (fmt, "generic"):
        raise InputFileError(source, f"this looks like an export from {detected}, not {fmt}; use "
                             f"--format {detected} (or leave --format out)")
    by_name = P.PROFILES[fmt](headers)
    if fmt != "generic" and not by_name:
        raise InputFileError(source, f"this does not look like a {fmt} export: none of its "
                             f"columns are there (columns: {', '.join(headers[:12])})")
    targets: list[P.Target | None] = [by_name.get(h) for h in headers]
    for spec in options.mapping:
        column, target = P.parse_map(spec)
        matches = [i for i, h in enumerate(headers) if h == column] or \
                  [i for i, h in enumerate(headers) if fold(h.strip()) == fold(column)]
        if not matches:
            raise InputFileError(source, f"--map names column {column!r}, which is not in the "
                                 f"header (columns: {', '.join(headers)})")
        for i in matches:
            targets[i] = target
    if not any(t is not None and t.field in NAME_FIELDS for t in targets):
        raise InputFileError(source, "no column gives a name (columns: "
                             f"{', '.join(headers[:20])}); map one, e.g. "
                             f"--map '{headers[0] if headers else 'Column'}=name'", line=1)
    return fmt, targets


class _Lines:
    """Physical lines fed to ``csv.reader`` from a position that can be reset.

    After a bad record the reader starts again at the line after the record's
    first: an unclosed quote then costs that one row, not the rest of the file.
    """

    def __init__(self, lines: list[str], pos: int) -> None:
        self.lines = lines
        self.pos = pos

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


# csv's default cap (128 KB a field) would end the import at a long note; a
# field past this is refused, and only its row is lost.
FIELD_LIMIT = 16 * 1024 * 1024


def read_csv_text(text: str, source: str, options: CsvOptions | None = None, *,
                  progress: Progress | None = None) -> ReadResult:
    """Contacts from CSV text; bad rows are reported with their line and skipped."""
    options = options or CsvOptions()
    if not text.strip():
        raise InputFileError(source, "the file is empty")
    lines = physical_lines(text)
    start = _header_index(lines)
    dialect = _dialect("".join(lines[start:start + 50]))
    limit = csv.field_size_limit()
    csv.field_size_limit(FIELD_LIMIT)
    try:
        return _read_rows(lines, start, dialect, source, options, progress)
    finally:
        csv.field_size_limit(limit)


def _read_rows(lines: list[str], start: int, dialect: type[csv.Dialect] | csv.Dialect,
               source: str, options: CsvOptions, progress: Progress | None) -> ReadResult:
    feed = _Lines(lines, start)
    reader = csv.reader(feed, dialect)
    try:
        headers = [strip_controls(h)[0].strip().lstrip("\ufeff") for h in next(reader)]
    except (csv.Error, StopIteration) as exc:
        raise InputFileError(source, f"cannot read the header: {exc}", line=start + 1) from None
    fmt, targets = _targets(headers, options, source)
    result = ReadResult(sources=[source])
    rows = RowReader(headers, targets, fmt, source, day_first=options.day_first)
    total = len(lines)
    while feed.pos < len(lines):
        first = feed.pos
        line = first + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row, error = [], _csv_reason(exc)
        else:
            error = ""
        spans = feed.pos - first
        if not error and (spans > 1 or feed.pos >= len(lines)) \
                and not _well_quoted(lines[first:feed.pos], dialect):
            error = "a quote opened and not closed where the value ends"
        if not error and not any(cell.strip() for cell in row):
            continue
        if not error and (len(row) < len(headers) or any(c.strip() for c in row[len(headers):])):
            error = (f"{len(row)} values where the header has {len(headers)} columns "
                     "(a missing quote or separator?)")
        if error:
            if spans > 1 or feed.pos >= len(lines):
                # An open quote ran on: read again from the next line.
                feed.pos = first + 1
                reader = csv.reader(feed, dialect)
                error += "; the lines after it are read again on their own"
            result.problems.append(Problem(source, f"line {line}", f"{error}; row skipped"))
            continue
        contact, problems = rows.read(row, line)
        result.problems.extend(problems)
        if contact is not None:
            result.incoming.append(Incoming(contact, source, f"line {line}"))
        elif rows.skip is not None:
            result.skipped.append(rows.skip)
        if progress is not None and (len(result.incoming) % 100 == 0):
            progress(feed.pos, total)
    if progress is not None:
        progress(total, total)
    result.detected = fmt
    return result


def _well_quoted(record: list[str], dialect: type[csv.Dialect] | csv.Dialect) -> bool:
    """Whether a record over several lines is one record by the strict rules.

    The lenient reader lets an unclosed quote run on until some later quote
    closes it (``"fine`` ... ``,"two``), swallowing the rows between; in a
    strict reading text after a closing quote is an error, which gives it away.
    """
    class Strict(csv.Dialect):
        delimiter = dialect.delimiter
        quotechar = dialect.quotechar or '"'
        escapechar = dialect.escapechar
        doublequote = dialect.doublequote
        skipinitialspace = dialect.skipinitialspace
        lineterminator = "\r\n"
        quoting = csv.QUOTE_MINIMAL
        strict = True

    try:
        return len(list(csv.reader(iter(record), Strict))) == 1
    except csv.Error:
        return False


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a value longer than {FIELD_LIMIT // (1024 * 1024)} MB"
    if "new-line character seen in unquoted field" in text:
        return "a line break inside a value without quotes"
    if "unexpected end of data" in text:
        return "a quote opened and never closed"
    return text


def read_csv_path(path: Path, options: CsvOptions | None = None, *,
                  progress: Progress | None = None) -> ReadResult:
    """Contacts from a CSV file (see ``read_csv_text``)."""
    options = options or CsvOptions()
    return read_csv_text(read_text(Path(path), options.encoding), str(path), options,
                         progress=progress)
