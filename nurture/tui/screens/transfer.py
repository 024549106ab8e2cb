"""Import and export dialogs: the same formats, summary and error report as the CLI.

Both run ``nurture.interop`` on the writer thread (an import and a vCard export
write to the store), so the UI stays live while a big file is read; progress
comes back a few dozen times per run, not once per record.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Log, ProgressBar, Select, Static

from nurture.tui.text import shown
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.interop import ExportReport, ImportReport
    from nurture.store import Store
    from nurture.tui.app import NurtureApp

Mode = Literal["import", "export"]

IMPORT_FORMATS = [("Detect from the file", "auto"), ("vCard (.vcf, or a folder)", "vcard"),
                  ("CSV (Google, Outlook, LinkedIn…)", "csv"), ("Nurture JSON export", "json")]
EXPORT_FORMATS = [("vCard 3.0", "vcard-3.0"), ("vCard 4.0", "vcard-4.0"),
                  ("Calendar (.ics): key dates, follow-ups", "ics"),
                  ("JSON (everything, lossless)", "json"),
                  ("Markdown dossier of one person", "markdown")]
DEFAULT_TARGET = {"vcard-3.0": "~/nurture-contacts.vcf", "vcard-4.0": "~/nurture-contacts.vcf",
                  "ics": "~/nurture-dates.ics", "json": "~/nurture-export.json",
                  "markdown": "~/dossier.md"}
PROGRESS_STEPS = 50  # progress updates per run: enough to move the bar, few enough to be free


class Throttled:
    """A ``progress(done, total)`` for the writer thread that updates the UI sparingly."""

    def __init__(self, app: NurtureApp, update: Any) -> None:
        self.app = app
        self.update = update
        self.last = -1.0

    def __call__(self, done: int, total: int) -> None:
        step = max(1, total // PROGRESS_STEPS) if total else 1
        now = time.monotonic()
        if done == total or done % step == 0 or now - self.last > 0.25:
            self.last = now
            self.app.call_from_thread(self.update, done, total)


def import_lines(report: ImportReport) -> list[str]:
    """The report as the CLI prints it: summary, problems with their places, then details."""
    lines = [report.summary()]
    if report.problems:
        lines.append("")
        lines.append(f"{len(report.problems)} problem{'s' * (len(report.problems) != 1)}:")
        lines.extend(f"  {problem}" for problem in report.problems)
    details = report.details()
    if details:
        lines.append("")
        lines.extend(details)
    return lines


class TransferScreen(ModalScreen[None]):
    """Import contacts from a file, or export the book, with a report either way."""

    CSS_PATH = "transfer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "run", "Import / Export", priority=True,
                tooltip="Import after the preview, or export", id="transfer-run"),
        Binding("escape", "close", "Close", tooltip="Close the dialog", id="transfer-close"),
    ]
    app: NurtureApp

    def __init__(self, mode: Mode) -> None:
        if mode not in ("import", "export"):
            raise ValueError(f"mode must be 'import' or 'export', not {mode!r}")
        super().__init__(id=f"transfer-{mode}")
        self.mode: Mode = mode
        self.busy = False
        self.previewed: tuple[str, str] | None = None  # (path, format) of the last dry run
        self.confirm_overwrite: str | None = None
        self.report: ImportReport | ExportReport | None = None

    def compose(self) -> ComposeResult:
        importing = self.mode == "import"
        with Vertical(id="transfer-box"):
            yield Label("Import contacts" if importing else "Export", id="transfer-title")
            with Horizontal(classes="transfer-row"):
                yield Label("Format", classes="transfer-label")
                yield Select(IMPORT_FORMATS if importing else EXPORT_FORMATS,
                             value="auto" if importing else "vcard-3.0", allow_blank=False,
                             id="transfer-format")
            with Horizontal(classes="transfer-row"):
                yield Label("From" if importing else "To", classes="transfer-label")
                yield Input(placeholder="a .vcf file or folder, a .csv, a JSON export"
                            if importing else DEFAULT_TARGET["vcard-3.0"], id="transfer-path")
            with Horizontal(classes="transfer-row", id="transfer-who-row"):
                yield Label("Who", classes="transfer-label")
                yield Input(placeholder="a name or id", id="transfer-who")
            yield Static(self._hint(), id="transfer-hint")
            yield ProgressBar(id="transfer-progress", show_eta=False)
            yield Log(id="transfer-log", highlight=False)
        yield Footer()

    def _hint(self) -> str:
        if self.mode == "import":
            return ("Enter previews what would be added, merged and skipped (nothing is "
                    "saved); then ctrl+s imports.")
        # Said outright: an export is the whole book, not the filtered list.
        return ("ctrl+s exports every contact in the book, whatever the list is showing. "
                "Files are written readable by you only.")

    def on_mount(self) -> None:
        self.query_one("#transfer-progress").display = False
        self.query_one("#transfer-who-row").display = False
        self.query_one("#transfer-path", Input).focus()

    @property
    def fmt(self) -> str:
        return str(self.query_one("#transfer-format", Select).value)

    @property
    def path_text(self) -> str:
        return self.query_one("#transfer-path", Input).value.strip()

    @on(Select.Changed, "#transfer-format")
    def _format_changed(self) -> None:
        if self.mode == "export":
            self.query_one("#transfer-path", Input).placeholder = DEFAULT_TARGET[self.fmt]
            self.query_one("#transfer-who-row").display = self.fmt == "markdown"
            if self.fmt == "markdown" and not self.query_one("#transfer-who", Input).value:
                self.query_one("#transfer-who", Input).value = self._selected_contact()
        self.previewed = None

    def _selected_contact(self) -> str:
        try:
            contact_id = self.app.main.selected_contact_id
        except (AssertionError, AttributeError):
            return ""
        return contact_id or ""

    @on(Input.Changed)
    def _edited(self) -> None:
        self.previewed = None
        self.confirm_overwrite = None

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.mode == "import":
            self.preview()
        else:
            self.action_run()

    # ------------------------------------------------------------ running

    def _write_log(self, lines: list[str], *, clear: bool = True) -> None:
        log = self.query_one(Log)
        if clear:
            log.clear()
        # The log does not wrap: a long problem line would be cut at the edge of the box.
        width = max(40, (log.scrollable_content_region.width or 100) - 2)
        wrapped: list[str] = []
        for line in map(shown, lines):  # file names, names and problems from the file
            indent = " " * (len(line) - len(line.lstrip()))
            wrapped.extend(textwrap.wrap(line, width, subsequent_indent=indent + "    ",
                                         break_on_hyphens=False, break_long_words=False)
                           or [""])
        log.write_lines(wrapped)

    def _progress(self, done: int, total: int) -> None:
        if self.app.still_shows(self):
            self.query_one("#transfer-progress", ProgressBar).update(total=total or None,
                                                                     progress=done)

    def _start(self, what: str) -> None:
        self.busy = True
        bar = self.query_one("#transfer-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._write_log([what])

    def _finish(self) -> None:
        self.busy = False
        if self.app.still_shows(self):
            self.query_one("#transfer-progress").display = False

    def preview(self) -> None:
        """A dry run: read the file and show what an import would do; nothing is saved."""
        self._import(dry_run=True)

    def action_run(self) -> None:
        if self.mode == "export":
            self._export()
        elif self.previewed == (self.path_text, self.fmt):
            self._import(dry_run=False)
        else:
            self._import(dry_run=True, then="Looks right? Press ctrl+s again to import.")

    def _import(self, *, dry_run: bool, then: str = "") -> None:
        if self.busy:
            return
        if not self.path_text:
            self._write_log(["Name a file or folder to import from."])
            return
        from nurture.actions import import_book

        path, fmt = self.path_text, self.fmt
        progress = Throttled(self.app, self._progress)

        def run(store: Store) -> ImportReport:
            return import_book(store, Path(path).expanduser(), fmt, dry_run=dry_run,
                               progress=progress)

        def failed(exc: Exception) -> None:
            self._finish()
            if self.app.still_shows(self):
                self._write_log([f"Nothing was imported: {exc}"])

        def done(report: ImportReport) -> None:
            self._finish()
            if not self.app.still_shows(self):
                self.app.notify(report.summary(), title="Import")
                return
            self.report = report
            self.previewed = (path, fmt) if dry_run else None
            lines = import_lines(report)
            if then:
                lines[1:1] = ["", then]
            self._write_log(lines)
            if not dry_run:
                self.app.notify(report.summary(), title="Imported")

        self._start("Reading…" if dry_run else "Importing…")
        self.app.run_write(run, done=done, error=failed, description="import")

    def _export(self) -> None:
        if self.busy:
            return
        from nurture.actions import export_book

        fmt, version = self.fmt, "3.0"
        if fmt.startswith("vcard-"):
            fmt, version = "vcard", fmt.removeprefix("vcard-")
        target = Path(self.path_text or DEFAULT_TARGET[self.fmt]).expanduser()
        who = self.query_one("#transfer-who", Input).value.strip() or None
        if fmt == "markdown" and not who:
            self._write_log(["Say whose dossier to write (a name or an id)."])
            return
        if target.is_file() and self.confirm_overwrite != str(target):
            self.confirm_overwrite = str(target)
            self._write_log([f"{target} already exists. Press ctrl+s again to replace it."])
            return
        app = self.app
        today, config, rules_path = app.today, app.config, getattr(app, "rules_path", None)

        def run(store: Store) -> ExportReport:
            report, _ = export_book(store, target, fmt, today=today, version=version,
                                    who=who, config=config, rules_path=rules_path)
            return report

        def failed(exc: Exception) -> None:
            self._finish()
            self.confirm_overwrite = None
            if self.app.still_shows(self):
                self._write_log([f"Nothing was exported: {exc}"])

        def done(report: ExportReport) -> None:
            self._finish()
            self.confirm_overwrite = None
            self.report = report
            if self.app.still_shows(self):
                self._write_log([report.summary()])
            self.app.notify(report.summary(), title="Exported")

        self._start(f"Writing {target}…")
        self.app.run_write(run, done=done, error=failed, description="export")

    def action_close(self) -> None:
        self.dismiss(None)

