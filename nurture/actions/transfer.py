"""Import into the book and export from it (the formats live in ``nurture.interop``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nurture.interop.report import ExportReport, ImportReport
    from nurture.store import Store


def import_book(store: Store, paths: Any, fmt: str = "auto", **options: Any) -> ImportReport:
    """Import ``paths`` (a file, a folder, or several) into the book; the report is true."""
    from nurture.interop import import_path

    report: ImportReport = import_path(paths, store, fmt, **options)
    return report


def export_book(store: Store, target: Any, fmt: str, **options: Any
                ) -> tuple[ExportReport, bytes | None]:
    """Export the book (or one person's dossier) to ``target``, or return the bytes."""
    from nurture.interop import export_path

    written: tuple[ExportReport, bytes | None] = export_path(store, target, fmt, **options)
    return written
