"""Import and export in one call each, for the command line and the app's workers.

``import_path`` reads, plans and (unless ``dry_run``) saves in one batch, so a
failed import changes nothing already stored; ``export_path`` writes a file
or returns the bytes for standard output. Both take a ``progress(done,
total)`` callback. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum

from nurture.errors import NurtureError
from nurture.interop.csvio import CsvOptions, read_csv_path
from nurture.interop.merge import plan_import
from nurture.interop.report import ExportReport, ImportReport, Progress, ReadResult
from nurture.interop.textfiles import write_private
from nurture.interop.vcard import VCARD_SUFFIXES, read_vcard_paths

if TYPE_CHECKING:
    from nurture.config import Config
    from nurture.model import Suggestion
    from nurture.store import Store

IMPORT_FORMATS = ("auto", "vcard", "csv", "json")
EXPORT_FORMATS = ("vcard", "ics", "markdown", "json")


def detect_format(path: Path) -> str:
    """vcard, csv or json, from the name, else from the first bytes."""
    if path.is_dir() or path.suffix.lower() in VCARD_SUFFIXES:
        return "vcard"
    if path.suffix.lower() in (".csv", ".tsv"):
        return "csv"
    if path.suffix.lower() == ".json":
        return "json"
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return "csv"
    if head[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    return "json" if head[:1] == b"{" else "csv"


def import_path(paths: Path | str | Sequence[Path | str], store: Store, fmt: str = "auto", *,
                dry_run: bool = False, progress: Progress | None = None,
                csv: CsvOptions | None = None, encoding: str | None = None,
                keep_photos: bool = True, at: pendulum.DateTime | None = None) -> ImportReport:
    """Import contacts from files into ``store``, merging instead of duplicating.

    Every good record is imported; bad ones are in ``report.problems`` with
    their file and place. Raises NurtureError when nothing can be read at all.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files = [Path(p).expanduser() for p in paths]
    if not files:
        raise NurtureError("nothing to import: name a file")
    if fmt not in IMPORT_FORMATS:
        raise NurtureError(f"unknown import format {fmt!r} (use {', '.join(IMPORT_FORMATS)})")
    kinds = {detect_format(p) if fmt == "auto" else fmt for p in files}
    if len(kinds) > 1:
        raise NurtureError("import one kind of file at a time (vCard, CSV or JSON)")
    kind = kinds.pop()
    if kind == "json":
        from nurture.interop.jsonio import import_json

        if len(files) > 1:
            raise NurtureError("import one JSON export at a time")
        return import_json(files[0], store, dry_run=dry_run, progress=progress)
    if kind == "vcard":
        result = read_vcard_paths(files, encoding=encoding, keep_photos=keep_photos,
                                  progress=progress)
    else:
        options = csv or CsvOptions(encoding=encoding)
        if encoding and not options.encoding:
            options.encoding = encoding
        result = ReadResult()
        for path in files:
            part = read_csv_path(path, options, progress=progress)
            result.extend(part)
            result.detected = part.detected
    return apply_import(result, store, kind if kind != "csv" else f"csv ({result.detected})",
                        dry_run=dry_run, at=at)


def apply_import(result: ReadResult, store: Store, fmt: str, *, dry_run: bool = False,
                 at: pendulum.DateTime | None = None) -> ImportReport:
    """Plan ``result`` against the book and save it in one batch."""
    plan = plan_import(result.incoming, store.contacts(), at=at)
    plan.skipped[:0] = result.skipped
    report = ImportReport(result.sources, fmt, plan, result.problems, dry_run,
                          read=len(result.incoming))
    to_save = plan.to_save()
    if not dry_run and to_save:
        store.save_contacts(to_save)
    return report


# ---------------------------------------------------------------- export


def export_path(store: Store, target: Path | str | None, fmt: str, *, today: pendulum.Date,
                version: str = "3.0", who: str | None = None, days: int = 365,
                todos: bool = False, suggestions: bool = False, config: Config | None = None,
                rules_path: Path | None = None) -> tuple[ExportReport, bytes | None]:
    """Export to ``target`` (a file, or a folder for a vdir); ``None`` returns the bytes.

    ``fmt`` is vcard, ics, markdown (for contact ``who``) or json.
    """
    target = Path(target).expanduser() if target is not None else None
    if fmt == "json":
        from nurture.interop.jsonio import encode_export

        tables = store.export_data()
        data = encode_export(tables)
        count = sum(len(t) for t in tables.values())
        return _deliver(data, target, ExportReport(str(target or "-"), "JSON", count))
    if fmt == "vcard":
        return _export_vcard(store, target, version)
    if fmt == "ics":
        return _export_ics(store, target, today, days=days, todos=todos,
                           suggestions=suggestions, config=config, rules_path=rules_path)
    if fmt == "markdown":
        from nurture.interop.markdown import dossier

        if not who:
            raise NurtureError("say whose dossier to write")
        contact = store.resolve(who)
        names = {c.id: c.display_name for c in store.contacts()}
        text = dossier(contact, store.interactions(contact.id), today, names)
        return _deliver(text.encode("utf-8"), target,
                        ExportReport(str(target or "-"), "Markdown", 1))
    raise NurtureError(f"unknown export format {fmt!r} (use {', '.join(EXPORT_FORMATS)})")


def _deliver(data: bytes, target: Path | None, report: ExportReport
             ) -> tuple[ExportReport, bytes | None]:
    if target is None:
        return report, data
    if target.is_dir():
        raise NurtureError(f"{target} is a folder; name a file")
    write_private(target, data)
    return report, None


def _export_vcard(store: Store, target: Path | None, version: str
                  ) -> tuple[ExportReport, bytes | None]:
    from nurture.interop.vcard_out import VERSIONS, contact_to_vcard, stable_uid, write_vcards

    if version not in VERSIONS:
        raise NurtureError(f"vCard version {version!r}: use 3.0 or 4.0")
    contacts = store.contacts()
    missing = [c for c in contacts if not c.uid]
    if missing:
        # A UID, once given out, is kept: the next export, a re-import or a
        # CardDAV sync then updates the same card.
        for contact in missing:
            contact.uid = stable_uid(contact)
        if store.read_only is None:  # a read-only book derives the same UIDs next time
            store.save_contacts(missing)
    if target is None:
        data = "".join(contact_to_vcard(c, version) for c in contacts).encode("utf-8")
        return ExportReport("-", f"vCard {version}", len(contacts)), data
    return write_vcards(contacts, target, version), None


def _export_ics(store: Store, target: Path | None, today: pendulum.Date, *, days: int, todos: bool,
                suggestions: bool, config: Config | None, rules_path: Path | None
                ) -> tuple[ExportReport, bytes | None]:
    from nurture.interop.ics import build_calendar

    found, rule_problems = (_suggestions(store, today, days, config, rules_path)
                            if suggestions else ([], []))
    data, counts = build_calendar(store.contacts(), store.interactions(), today, days=days,
                                  todos=todos, suggestions=found)
    report = ExportReport(str(target or "-"), "calendar", counts.total)
    report.notes.append(f"({counts.key_dates} key dates, {counts.follow_ups} follow-ups, "
                        f"{counts.suggestions} suggestions.)")
    if rule_problems:
        # Said, not just skipped: a reminder missing from the calendar is invisible.
        count = f"{len(rule_problems)} problem" + ("s" if len(rule_problems) != 1 else "")
        report.notes.append(f"{rules_path} has {count}; the rest of it was used "
                            "(`nurture today` lists what is wrong).")
    if counts.undated_follow_ups:
        report.notes.append(f"{counts.undated_follow_ups} open follow-ups have no due date "
                            "and were left out.")
    return _deliver(data, target, report)


def _suggestions(store: Store, today: pendulum.Date, days: int, config: Config | None,
                 rules_path: Path | None) -> tuple[list[Suggestion], list[str]]:
    from nurture.rules import RulesConfig, load_rules, suggest

    base = RulesConfig.from_app_config(config) if config is not None else None
    rules, problems = load_rules(rules_path, base)
    rules.daily_limit = 0  # a calendar shows every reminder, not today's short list
    found = suggest(store.contacts(), store.interactions_by_contact(), store.news_items(),
                    store.review_states(), rules, today, days=days)
    return found, problems
