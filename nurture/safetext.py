"""Text from data, made safe to show: control characters become visible escapes.

Names, notes, feed titles and server error reasons come from other people.
Sent raw to a terminal, ESC starts an escape sequence (clear the screen, set
the title, a fake OSC 8 link, OSC 52 to replace the clipboard), BEL rings,
C1 controls (U+0080–U+009F) are escape introducers on some terminals, and
bidi overrides reorder what the reader sees. Every one of them is shown as a
backslash escape instead (``\\x1b``, ``\\u202e``), so the text stays readable
and nothing in it acts.

The CLI wraps its output streams in :class:`SafeStream` (one choke point);
the app uses :func:`visible` through ``nurture.tui.text``. No Textual here.
"""

from __future__ import annotations

from typing import IO, Any

# Bidi embeddings/overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))


def _escape(codepoint: int) -> str:
    return f"\\x{codepoint:02x}" if codepoint < 0x100 else f"\\u{codepoint:04x}"


def _table(*, keep: str) -> dict[int, str]:
    codes = (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS)
    return {c: _escape(c) for c in codes if chr(c) not in keep}


# One line (a name, a title): even a newline is shown, so one record stays one line.
_ONE_LINE = _table(keep="")
# Text printed deliberately over several lines (a note, a whole report): newline and tab pass.
_MULTI_LINE = _table(keep="\n\t")


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control character shown as a visible escape."""
    if text.isprintable():
        # Every character escaped is a control (Cc) or a format (Cf) character, which
        # isprintable() refuses: most text has none, and this test is done in C.
        return text
    if multiline and text.replace("\n", "").replace("\t", "").isprintable():
        # Lines the program laid out: translating looks every character up in a dict
        # (3 µs a line; 35 ms for the 12,000 lines of `nurture follow-ups`), this 0.3.
        return text
    return text.translate(_MULTI_LINE if multiline else _ONE_LINE)


def is_safe(text: str, *, multiline: bool = True) -> bool:
    """True when ``text`` has nothing :func:`visible` would change."""
    return visible(text, multiline=multiline) == text


def json_safe(text: str) -> str:
    """JSON text with C1 and bidi controls written as ``\\uXXXX`` (the same JSON value).

    orjson already escapes C0 controls inside strings; outside strings JSON is
    ASCII, so replacing the others everywhere is safe and loses nothing.
    """
    return text.translate(_JSON)


_JSON = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS)}


class SafeStream:
    """A text stream that passes everything written through :func:`visible`.

    Newline and tab pass (the program's own layout); every other control is
    shown. Progress lines that need a real ``\\r`` or ANSI sequence write to
    :attr:`raw`, and only text the program made goes there.
    """

    def __init__(self, raw: IO[str]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return self.raw.write(visible(text, multiline=True))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def __getattr__(self, name: str) -> Any:
        # encoding, errors, closed, close…: as the stream underneath.
        return getattr(self.raw, name)
