"""vCard 2.1, 3.0 and 4.0 in: one .vcf with many cards, or a vdir of .vcf files.

vobject turns the file into content lines (unfolding, quoted-printable and
charsets, parameters, groups); ``vtext`` decodes values by the RFC rules;
``vcard_map`` maps each card's lines onto a Contact. Cards are split here,
before vobject sees them, so that one broken card is reported with its index
and line and the cards after it are still read.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nurture.errors import InputFileError
from nurture.interop.report import Incoming, Problem, Progress, ReadResult
from nurture.interop.textfiles import decode, sniff_encoding, strip_controls

VCARD_SUFFIXES = (".vcf", ".vcard")
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_BEGIN_COUNT = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE | re.MULTILINE)
_BASE64 = {"B", "BASE64"}


@dataclass(slots=True)
class Line:
    """One content line, as vobject's parser splits it (value still escaped).

    vobject's own ContentLine does the same with a costly ``__setattr__`` on
    every attribute; this keeps a 5,000-card import within reach of a bare
    vobject parse.
    """

    name: str
    params: dict[str, list[str]]
    singletonparams: list[str]
    value: str
    group: str | None
    number: int  # the line it starts on
    controls: int = 0  # control characters removed from the value
    replaced: int = 0  # bytes not in the line's charset, shown as U+FFFD

    @classmethod
    def parse(cls, text: str, number: int, charset: str = "utf-8", *,
              lossy: bool = False) -> Line:
        """One unfolded line; ``charset`` decodes quoted-printable text that names none.
        ``lossy``: the file had bytes its lines' charsets could not read, shown as U+FFFD
        (else a U+FFFD is the text's own, and not reported)."""
        from vobject.base import ParseError, parseLine

        try:
            name, param_list, value, group = parseLine(text, number)
        except ParseError:
            # Outlook writes an empty parameter (ADR;HOME;PREF;:…); read it without.
            cleaned = _without_empty_params(text)
            if cleaned == text:
                raise
            name, param_list, value, group = parseLine(cleaned, number)
        params: dict[str, list[str]] = {}
        singles: list[str] = []
        for param in param_list:
            if len(param) == 1:
                singles.append(param[0])
            else:
                params.setdefault(param[0].upper(), []).extend(param[1:])
        replaced = 0
        encoding = [v.upper() for v in params.get("ENCODING", ())]
        if "QUOTED-PRINTABLE" in encoding or any(s.upper() == "QUOTED-PRINTABLE"
                                                  for s in singles):
            named = (params.get("CHARSET") or [""])[0]
            try:
                value = _from_quoted_printable(value, named or charset)
            except UnicodeDecodeError:
                if not named:
                    raise ValueError(
                        f"its quoted-printable text names no charset and is not {charset} "
                        "(give the file's with --encoding, e.g. --encoding cp1251)") from None
                # Android cuts long values inside a character (a stray =80 at
                # the end): keep the text, mark what was not, and say so.
                value = _from_quoted_printable(value, named, errors="replace")
                replaced = value.count("\ufffd")
            params.pop("ENCODING", None)
            singles = [s for s in singles if s.upper() != "QUOTED-PRINTABLE"]
        if lossy:
            replaced = max(replaced, value.count("\ufffd"))
        value, controls = strip_controls(value)
        return cls(name.upper(), params, singles, value, group, number, controls, replaced)


def _without_empty_params(text: str) -> str:
    """The line with empty parameters (``;;`` or ``;:``) in its name part removed."""
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head = re.sub(r";+(?=;|$)", "", text[:i])
            return head + text[i:]
    return text


_CHARSET_PARAM = re.compile(rb"^[^:]*?;CHARSET=([A-Za-z0-9_.-]+)[^:]*:", re.IGNORECASE)


def decode_vcard(data: bytes, path: Path | str, encoding: str | None = None
                 ) -> tuple[str, bool]:
    """The text of a .vcf file, each line in the charset it declares, and whether a line
    held bytes no charset could read (shown as U+FFFD).

    vCard 2.1 lets a line name its charset (``N;CHARSET=windows-1251:…`` with
    8-bit bytes after it): bytes that are not UTF-8 (or ``encoding``) are read
    in that charset, and the line's folded continuation with it.
    """
    if data.isascii():
        return decode(data, path, encoding), False
    # Outlook names Windows-1252 on some lines and writes the same bytes bare
    # on others (ADR;HOME;PREF;:…L\xe4mmerweg): the one charset the file names
    # is the best word on its unnamed lines.
    file_charset = named_charset(data)
    base = encoding or sniff_encoding(data)
    if encoding is None and base != "utf-8" and base != "utf-8-sig":
        return decode(data, path, encoding), False  # UTF-16 and friends: one charset
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    out: list[str] = []
    charset: str | None = None
    undecodable = 0
    utf8_seen = False  # a line of real UTF-8 beyond ASCII: the file is UTF-8
    for raw in data.split(b"\n"):
        if raw[:1] not in (b" ", b"\t"):
            m = _CHARSET_PARAM.match(raw)
            charset = m.group(1).decode("ascii") if m and b"QUOTED-PRINTABLE" not in \
                raw.split(b":", 1)[0].upper() else None
        try:
            # UTF-8 first even where a line names another charset: bytes that
            # are valid UTF-8 are almost never meant as anything else, and
            # exporters label UTF-8 text with the system's charset.
            out.append(raw.decode("utf-8" if base.lower() == "utf-8-sig" else base))
            utf8_seen = utf8_seen or not raw.isascii()
            continue
        except UnicodeDecodeError:
            pass
        try:
            if (charset or file_charset) is None:
                raise LookupError(charset)
            out.append(raw.decode(charset or file_charset or ""))
        except (LookupError, UnicodeDecodeError):
            if encoding is not None:
                return decode(data, path, encoding), False  # names the line and the byte
            # In a UTF-8 file, a corrupt line costs its bytes, not the file:
            # they show as U+FFFD and the card reader names the line.
            undecodable += 1
            out.append(raw.decode("utf-8", "replace"))
    if undecodable and not utf8_seen:
        # Nothing here is UTF-8 at all: an old Windows or Mac file, better
        # read whole in its charset (--encoding) than shown as question marks.
        return decode(data, path, encoding), False  # names the first line and byte
    return "\n".join(out), bool(undecodable)


def named_charset(data: bytes) -> str | None:
    """The one charset other than UTF-8 that a file's lines name, if just one."""
    names = {m.decode("ascii").lower() for m in
             re.findall(rb";CHARSET=([A-Za-z0-9_.-]+)", data, re.IGNORECASE)}
    names = {n for n in names if n.replace("-", "").replace("_", "") not in ("utf8", "usascii")}
    if len(names) != 1:
        return None
    name: str = names.pop()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def _from_quoted_printable(value: str, charset: str, errors: str = "strict") -> str:
    """vCard 2.1's quoted-printable text in its charset; soft line breaks joined."""
    import quopri

    text = quopri.decodestring(value.encode("utf-8")).decode(charset, errors)
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(slots=True)
class RawCard:
    """One card's content lines (vobject ContentLine objects) and where it starts."""

    index: int  # 1-based position in its file
    line: int  # line number of BEGIN:VCARD
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def where(self, line: int | None = None) -> str:
        at = f"card {self.index} (line {line if line is not None else self.line})"
        return at


def count_cards(text: str) -> int:
    return len(_BEGIN_COUNT.findall(text))


def logical_lines(text: str) -> Iterator[tuple[str, int]]:
    """Unfolded lines with the number of the physical line each starts on.

    RFC 6350 3.2: a line break followed by a space or a tab continues the
    line. vCard 2.1's quoted-printable values continue after a trailing "="
    instead (joined with a newline, which the decoder drops with the "=").
    vobject's reader does the same but miscounts lines, and the line number
    is what a person needs to find a broken card. A value that ends in a
    dangling "=" right before END:VCARD (or BEGIN:VCARD) does not swallow the
    card's end: no writer means that line as part of a value.
    """
    current: list[str] = []
    start = 0
    qp_continues = False
    for number, physical in enumerate(text.splitlines(), start=1):
        if qp_continues and (_BEGIN.match(physical.strip()) or _END.match(physical.strip())):
            qp_continues = False
        if current and (qp_continues or physical[:1] in (" ", "\t")):
            if qp_continues:
                current.append("\n" + physical)
            else:
                current.append(physical[1:])
        else:
            if current:
                yield "".join(current), start
            current, start = ([physical], number) if physical.strip() else ([], number)
        qp_continues = bool(current) and physical.endswith("=") and \
            "QUOTED-PRINTABLE" in current[0].upper()
    if current:
        yield "".join(current), start


def split_cards(text: str, source: str, charset: str = "utf-8", *,
                lossy: bool = False) -> Iterator[RawCard | Problem]:
    """The cards of a .vcf text, each as content lines; structural problems as Problems.
    ``lossy``: as for ``Line.parse``."""
    from vobject.base import ParseError

    card: RawCard | None = None
    index = 0
    stray: int | None = None
    for logical, number in logical_lines(text):
        stripped = logical.strip()
        if _BEGIN.match(stripped):
            index += 1
            if card is not None:
                yield Problem(source, card.where(),
                              "truncated: no END:VCARD before the next card; card skipped")
            card = RawCard(index, number)
            continue
        if _END.match(stripped):
            if card is None:
                yield Problem(source, f"line {number}", "END:VCARD without a BEGIN:VCARD",
                              skipped=False)
            else:
                yield card
                card = None
            continue
        if card is None:
            if stripped and stray is None:
                stray = number
                yield Problem(source, f"line {number}",
                              "text outside any BEGIN:VCARD … END:VCARD ignored", skipped=False)
            continue
        try:
            content = Line.parse(logical, number, charset, lossy=lossy)
        except (ParseError, UnicodeError, LookupError, ValueError) as exc:
            if card.lines and _continues_base64(card.lines[-1], logical):
                card.lines[-1].value += logical.strip()
                continue
            card.problems.append(Problem(source, card.where(number),
                                         f"cannot read this line ({_short(logical)}): "
                                         f"{_reason(exc)}; line skipped", skipped=False))
            continue
        card.lines.append(content)
    if card is not None:
        yield Problem(source, card.where(),
                      "truncated: the file ends before END:VCARD; card skipped")


def _continues_base64(previous: Line, text: str) -> bool:
    """vCard 2.1 writers (old phones) put base64 photo data on unindented lines."""
    encoding = {v.upper() for v in previous.params.get("ENCODING", ())}
    encoding |= {s.upper() for s in previous.singletonparams}
    return bool(encoding & _BASE64) and re.fullmatch(r"[A-Za-z0-9+/=\s]+", text) is not None


def _short(text: str, size: int = 40) -> str:
    text = text.strip()
    return repr(text if len(text) <= size else text[:size] + "…")


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeError):
        return "its quoted-printable text is not in the charset it names"
    if isinstance(exc, LookupError):
        return f"unknown charset ({exc})"
    text = str(exc).split("\n")[0]
    return "not a vCard content line" if text.startswith("At line") or "Failed" in text \
        else text


def read_vcard_text(text: str, source: str, *, keep_photos: bool = True,
                    progress: Progress | None = None, done: int = 0, total: int = 0,
                    charset: str = "utf-8", lossy: bool = False) -> ReadResult:
    """Contacts from the text of one .vcf; bad cards reported and skipped. ``lossy``:
    the text was decoded with bytes shown as U+FFFD (``decode_vcard``)."""
    from nurture.interop.vcard_map import card_to_contact

    if not text.strip():
        raise InputFileError(source, "the file is empty")
    result = ReadResult(sources=[source])
    total = total or count_cards(text)
    seen = 0
    for item in split_cards(text, source, charset, lossy=lossy):
        if isinstance(item, Problem):
            result.problems.append(item)
            if not item.skipped:
                continue
        else:
            mapped = card_to_contact(item, source, keep_photos=keep_photos)
            result.problems.extend(mapped.problems)
            if mapped.skip is not None:
                result.skipped.append(mapped.skip)
            elif mapped.contact is not None:
                result.incoming.append(Incoming(mapped.contact, source, item.where()))
        seen += 1
        if progress is not None and ((done + seen) % 50 == 0 or done + seen == total):
            progress(done + seen, total)
    if seen == 0:
        raise InputFileError(source, "no vCards in this file (no BEGIN:VCARD line)")
    return result


def vcard_files(path: Path) -> list[Path]:
    """``path`` itself, or the .vcf files of a vdir (sorted; hidden files left out)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir()
                       if p.suffix.lower() in VCARD_SUFFIXES and not p.name.startswith(".")
                       and p.is_file())
        if not files:
            raise InputFileError(path, "this folder holds no .vcf files")
        return files
    if not path.exists():
        raise InputFileError(path, "no such file or folder")
    return [path]


def read_vcard_paths(paths: Iterable[Path], *, encoding: str | None = None,
                     keep_photos: bool = True, progress: Progress | None = None) -> ReadResult:
    """Contacts from .vcf files and vdirs, in order; every good card is kept."""
    files = [f for p in paths for f in vcard_files(Path(p))]
    texts: list[tuple[Path, str, bool, str]] = []
    result = ReadResult()
    for file in files:
        try:
            data = _read_bytes(file)
            # Quoted-printable that names no charset is read in --encoding,
            # else in the one charset the file names elsewhere (The Bat!).
            qp = encoding or named_charset(data) or "utf-8"
            texts.append((file, *decode_vcard(data, file, encoding), qp))
        except InputFileError as exc:
            _one_of_many(exc, len(files), result)
    total = sum(count_cards(text) for _, text, _, _ in texts)
    done = 0
    for file, text, lossy, qp in texts:
        try:
            part = read_vcard_text(text, str(file), keep_photos=keep_photos,
                                   progress=progress, done=done, total=total,
                                   charset=qp, lossy=lossy)
        except InputFileError as exc:
            _one_of_many(exc, len(files), result)
            continue
        done += count_cards(text)
        result.extend(part)
    return result


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None


def _one_of_many(exc: InputFileError, files: int, result: ReadResult) -> None:
    """One unreadable file among many is reported; the others are still read."""
    if files == 1:
        raise exc
    result.problems.append(Problem(str(exc.path), f"line {exc.line}" if exc.line else "",
                                   exc.problem))
