"""Contacts in and out: vCard, CSV, iCalendar, Markdown and JSON. Pure of Textual.

The app and the command line call ``import_path`` and ``export_path``;
``plan_import`` is the pure merge step behind ``--dry-run``. Names are loaded
on first use (PEP 562) so that ``nurture --help`` and ``nurture list``, which
only register the import/export commands, do not pay for the formats' code.
"""

from __future__ import annotations

from nurture.lazy import exports

_HOMES = {
    "apply_import": "api", "detect_format": "api", "export_path": "api", "import_path": "api",
    "CsvOptions": "csvio", "merge_into": "merge", "plan_import": "merge",
    "ExportReport": "report", "ImportPlan": "report", "ImportReport": "report",
    "Incoming": "report", "Problem": "report", "Progress": "report", "ReadResult": "report",
}

__all__ = sorted(_HOMES)


__getattr__ = exports(__name__, _HOMES)
