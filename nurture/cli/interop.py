"""import and export: vCard, CSV and JSON in; vCard, iCalendar, Markdown and JSON out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nurture.cli.args import DAYS
from nurture.cli.context import Context
from nurture.errors import NurtureError

if TYPE_CHECKING:
    from nurture.interop import ExportReport, ImportReport

MAX_PROBLEMS = 50  # listed on stderr unless --verbose; the count is always given
BAR_FROM = 200  # records; smaller imports finish before a bar would be seen


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help="bring contacts in from vCard, CSV or a JSON export")
    isub = imp.add_subparsers(dest="import_format", metavar="FORMAT", required=True)

    p = isub.add_parser("vcard", aliases=["vcf"], help="a .vcf file (one or many cards) or a "
                        "folder of .vcf files (a vdir)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--no-photos", action="store_true", help="leave photos out")
    _common_import(p)
    p.set_defaults(handler=cmd_import, fmt="vcard")

    from nurture.interop.csv_profiles import FIELDS

    fields = "\n".join(f"  {name:<13} {what}" for name, what in FIELDS.items())
    p = isub.add_parser("csv", help="Google Contacts, Outlook, Thunderbird, LinkedIn or any CSV",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog=f"fields for --map COLUMN=FIELD[:LABEL]:\n{fields}")
    p.add_argument("paths", nargs=1, metavar="FILE")
    p.add_argument("--format", dest="csv_format", default="auto",
                   choices=["auto", "google", "outlook", "thunderbird", "linkedin", "generic"],
                   help="who wrote the file (default: recognised from its columns)")
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="what a column holds, e.g. 'Mobile=phone:mobile', 'Met=how_we_met', "
                        "'Grad=date:graduation' (repeatable; fields below)")
    p.add_argument("--day-first", action="store_true",
                   help="read 03/04/1985 as 3 April (default: March 4, as Outlook US writes)")
    _common_import(p)
    p.set_defaults(handler=cmd_import, fmt="csv")

    p = isub.add_parser("json", help="a Nurture JSON export (merged by id, lossless)")
    p.add_argument("paths", nargs=1, metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show what would change; save nothing")
    p.add_argument("-v", "--verbose", action="store_true", help="list every record")
    p.set_defaults(handler=cmd_import, fmt="json", encoding=None)

    exp = sub.add_parser("export", help="write contacts, dates or a dossier to a file")
    esub = exp.add_subparsers(dest="export_format", metavar="FORMAT", required=True)

    p = esub.add_parser("vcard", aliases=["vcf"], help="every contact as vCard: one file, or a "
                        "folder (vdir) of UID.vcf files")
    p.add_argument("target", metavar="FILE|DIR", help="a .vcf file, a folder, or - for stdout")
    p.add_argument("--version", dest="vcard_version", default="3.0", choices=["3.0", "4.0"])
    p.set_defaults(handler=cmd_export, fmt="vcard")

    p = esub.add_parser("ics", help="key dates and follow-ups for your calendar (iCalendar)")
    p.add_argument("target", metavar="FILE", help="an .ics file, or - for stdout")
    p.add_argument("--days", type=DAYS, default=365, metavar="N",
                   help="follow-ups (and suggestions) due within N days (default 365)")
    p.add_argument("--todo", action="store_true", help="follow-ups as to-dos, not events")
    p.add_argument("--suggestions", action="store_true", help="add the rules' reminders")
    p.set_defaults(handler=cmd_export, fmt="ics")

    p = esub.add_parser("markdown", aliases=["md"], help="a one-page dossier on someone")
    p.add_argument("who", help="an id or a name")
    p.add_argument("target", nargs="?", default="-", metavar="FILE", help="default: stdout")
    p.set_defaults(handler=cmd_export, fmt="markdown")

    p = esub.add_parser("json", help="everything, losslessly (default: stdout)")
    p.add_argument("target", nargs="?", default="-", metavar="FILE")
    p.set_defaults(handler=cmd_export, fmt="json")


def _common_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be added, merged and skipped; save nothing")
    p.add_argument("--encoding", metavar="NAME",
                   help="the file's text encoding when it is not UTF-8 (e.g. cp1252)")
    p.add_argument("-v", "--verbose", action="store_true", help="list every record")


# ---------------------------------------------------------------- import


class _Bar:
    """A progress bar on stderr while a large import is read; nothing in a pipe."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.on = bool(getattr(stream, "isatty", lambda: False)())
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.on or total < BAR_FROM:
            return
        if self.progress is None:
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(file=self.stream), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("Reading", total=total)
        self.progress.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions import import_book
    from nurture.interop import CsvOptions

    csv = None
    if args.fmt == "csv":
        csv = CsvOptions(args.csv_format, list(args.map), args.encoding, args.day_first)
    bar = _Bar(ctx.err.raw)  # the bar's own ANSI; it shows no data
    try:
        report = import_book(ctx.store, [Path(p) for p in args.paths], args.fmt,
                             dry_run=args.dry_run, progress=bar, csv=csv,
                             encoding=args.encoding,
                             keep_photos=not getattr(args, "no_photos", False))
    finally:
        bar.close()
    return _print_import(report, ctx, verbose=args.verbose)


def _print_import(report: ImportReport, ctx: Context, *, verbose: bool) -> int:
    shown = report.problems if verbose else report.problems[:MAX_PROBLEMS]
    for problem in shown:
        print(f"nurture: {problem}", file=ctx.err)
    if len(shown) < len(report.problems):
        print(f"nurture: … and {len(report.problems) - len(shown)} more problems "
              "(--verbose lists them all)", file=ctx.err)
    if report.dry_run or verbose:
        for line in report.details():
            ctx.print(line)
    ctx.print(report.summary())
    if report.bad_records:
        noun = "record" if report.bad_records == 1 else "records"
        raise NurtureError(f"{report.bad_records} {noun} could not be read (listed above); "
                           "every other record was " + ("checked" if report.dry_run
                                                        else "imported"))
    return 0


# ---------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import locations
    from nurture.actions import export_book

    target = None if args.target == "-" else Path(args.target)
    report, data = export_book(
        ctx.store, target, args.fmt, today=ctx.today,
        version=getattr(args, "vcard_version", "3.0"), who=getattr(args, "who", None),
        days=getattr(args, "days", 365), todos=getattr(args, "todo", False),
        suggestions=getattr(args, "suggestions", False), config=ctx.config,
        rules_path=locations.rules_file())
    if data is not None:
        _write_stdout(ctx, data)
        if args.fmt != "markdown":  # a dossier on screen needs no footnote
            _summary(report, ctx.err)
    else:
        _summary(report, ctx.out)
    return 0


def _summary(report: ExportReport, stream: Any) -> None:
    print(report.summary(), file=stream)


def _write_stdout(ctx: Context, data: bytes) -> None:
    # To a terminal the export is shown through the sanitiser like any output;
    # to a file or a pipe it is the data, byte for byte.
    buffer = getattr(ctx.out.raw, "buffer", None)
    if buffer is not None and ctx.out.raw is sys.stdout and not ctx.out.isatty():
        ctx.out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        ctx.out.write(data.decode("utf-8"))
