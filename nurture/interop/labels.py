"""Address labels as a PDF, on a common sheet: A4 3×7 (70 × 42.3 mm, e.g. Avery 3475)
or US Letter 3×10 (2⅝ × 1 in, Avery 5160).

fpdf2 draws the text. Names and addresses can be in any script, so a Unicode
TrueType font is used when the system has one (DejaVu Sans, as most Linux
desktops ship); without it the PDF core font is used and characters outside
Latin-1 become "?", which the command says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nurture.errors import NurtureError

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    page: str  # fpdf2 format
    columns: int
    rows: int
    width: float  # label size and layout in mm
    height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float


SHEETS = {
    "a4": Sheet("A4 3×7, 70 × 42.3 mm", "A4", 3, 7, 70.0, 42.3, 0.0, 0.0, 70.0, 42.3),
    "letter": Sheet("Letter 3×10, 2⅝ × 1 in", "Letter", 3, 10, 66.675, 25.4, 4.7625, 12.7,
                    69.85, 25.4),
}


def find_font() -> Path | None:
    return next((p for p in FONT_PATHS if p.is_file()), None)


def write_labels(path: Path, labels: Sequence[Sequence[str]], sheet: str = "a4",
                 font: Path | None = None) -> int:
    """Write one label per address (lines, name first); returns the number of pages."""
    from fpdf import FPDF

    if sheet not in SHEETS:
        raise NurtureError(f"unknown label sheet {sheet!r} (use {' or '.join(SHEETS)})")
    layout = SHEETS[sheet]
    font = font if font is not None else find_font()
    pdf = FPDF(format=layout.page, unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title("Nurture address labels")
    if font is not None:
        pdf.add_font("Labels", "", str(font))
        family = "Labels"
    else:
        family = "Helvetica"
    per_page = layout.columns * layout.rows
    size = 10 if layout.height > 30 else 9
    line_height = size * 0.45
    pages = 0
    for n, lines in enumerate(labels):
        if n % per_page == 0:
            pdf.add_page()
            pages += 1
        slot = n % per_page
        row, column = divmod(slot, layout.columns)
        x = layout.left + column * layout.pitch_x
        y = layout.top + row * layout.pitch_y
        shown = [_fit(line, font is not None) for line in lines][: int(
            (layout.height - 4) // line_height)]
        top = y + (layout.height - len(shown) * line_height) / 2
        for i, line in enumerate(shown):
            pdf.set_font(family, "", size)
            pdf.set_xy(x + 4, top + i * line_height)
            pdf.cell(layout.width - 8, line_height, line)
    try:
        path.write_bytes(bytes(pdf.output()))
    except OSError as exc:
        raise NurtureError(f"{path}: cannot write the labels: {exc.strerror or exc}") from None
    return pages


def _fit(text: str, unicode_font: bool) -> str:
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    if unicode_font:
        return text
    return text.encode("latin-1", "replace").decode("latin-1")
