"""Contacts in and out: vCard, CSV, iCalendar, Markdown and JSON. Pure of Textual.

The app and the command line call ``import_path`` and ``export_path``;
``plan_import`` is the pure merge step behind ``--dry-run``. Heavy libraries
(vobject, icalendar, orjson) are imported only when a format needs them.
"""

from nurture.interop.api import apply_import, detect_format, export_path, import_path
from nurture.interop.csvio import CsvOptions
from nurture.interop.merge import merge_into, plan_import
from nurture.interop.report import (
    ExportReport,
    ImportPlan,
    ImportReport,
    Incoming,
    Problem,
    Progress,
    ReadResult,
)

__all__ = [
    "CsvOptions",
    "ExportReport",
    "ImportPlan",
    "ImportReport",
    "Incoming",
    "Problem",
    "Progress",
    "ReadResult",
    "apply_import",
    "detect_format",
    "export_path",
    "import_path",
    "merge_into",
    "plan_import",
]
