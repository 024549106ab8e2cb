"""CSV in: Google Contacts, Outlook and LinkedIn exports, or any CSV with --map.

The dialect (comma, semicolon, tab; quoting) comes from ``csv.Sniffer``; the
encoding from the byte-order mark (Outlook writes UTF-16), else UTF-8, and a
byte that does not decode is an error naming its line. LinkedIn's
Connections.csv opens with a notes preamble, which is skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from nurture.errors import InputFileError, NurtureError
from nurture.interop import csv_profiles as P
from nurture.interop.csv_rows import RowReader
from nurture.interop.report import Incoming, Problem, Progress, ReadResult
from nurture.interop.textfiles import read_text
from nurture.model import fold

NAME_FIELDS = {"name", "given_name", "family_name", "nickname", "company", "email"}


@dataclass(slots=True)
class CsvOptions:
    """How to read a CSV: ``format`` (auto, google, outlook, linkedin, generic), ``--map``."""

    format: str = "auto"
    mapping: list[str] = field(default_factory=list)
    encoding: str | None = None
    day_first: bool = False


def _header_index(lines: list[str]) -> int:
    """The physical line (0-based) where the header row starts."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if not lines or not lines[first].strip().startswith("Notes:"):
        return first
    # LinkedIn: "Notes:", a quoted paragraph, a blank line, then the header.
    reader = csv.reader(io.StringIO("".join(lines[first:])))
    previous = 0
    for row in reader:
        if sum(1 for cell in row if cell.strip()) >= 2:
            return first + previous
        previous = reader.line_num
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


def read_csv_text(text: str, source: str, options: CsvOptions | None = None, *,
                  progress: Progress | None = None) -> ReadResult:
    """Contacts from CSV text; bad rows are reported with their line and skipped."""
    options = options or CsvOptions()
    if not text.strip():
        raise InputFileError(source, "the file is empty")
    lines = text.splitlines(keepends=True)
    start = _header_index(lines)
    body = "".join(lines[start:])
    reader = csv.reader(io.StringIO(body), _dialect("".join(lines[start:start + 50])))
    try:
        headers = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except csv.Error as exc:
        raise InputFileError(source, f"cannot read the header: {exc}", line=start + 1) from None
    fmt, targets = _targets(headers, options, source)
    result = ReadResult(sources=[source])
    rows = RowReader(headers, targets, fmt, source, day_first=options.day_first)
    total = len(lines)
    previous = reader.line_num
    while True:
        line = start + previous + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(Problem(source, f"line {line}", f"{exc}; rest of the file "
                                                                   "skipped"))
            break
        previous = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(headers) or any(c.strip() for c in row[len(headers):]):
            result.problems.append(Problem(
                source, f"line {line}", f"{len(row)} values where the header has "
                f"{len(headers)} columns (a missing quote or separator?); row skipped"))
            continue
        contact, problems = rows.read(row, line)
        result.problems.extend(problems)
        if contact is not None:
            result.incoming.append(Incoming(contact, source, f"line {line}"))
        if progress is not None and (len(result.incoming) % 100 == 0):
            progress(start + previous, total)
    if progress is not None:
        progress(total, total)
    result.detected = fmt
    return result


def read_csv_path(path: Path, options: CsvOptions | None = None, *,
                  progress: Progress | None = None) -> ReadResult:
    """Contacts from a CSV file (see ``read_csv_text``)."""
    options = options or CsvOptions()
    return read_csv_text(read_text(Path(path), options.encoding), str(path), options,
                         progress=progress)
