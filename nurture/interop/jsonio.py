"""The whole book as JSON and back, losslessly: every table, every document, by id.

The export is ``{"nurture_export": 1, "tables": {table: {id: document}}}``,
the documents exactly as the store keeps them. An import checks each document
by building its model object and checking its fields' types (a bad one is
reported with its table, id and field, and skipped) and writes the rest in one
batch: records with an id already in the book are replaced by the file's
version, new ones are added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nurture import documents as D
from nurture.errors import InputFileError, ValidationError
from nurture.interop.report import ImportPlan, ImportReport, Incoming, Merge, Problem, Progress
from nurture.interop.typecheck import check_types

if TYPE_CHECKING:
    from nurture.store import Store

FORMAT_VERSION = 1
# table -> (what a person calls one, document -> model object, the field naming its id)
TABLES: dict[str, tuple[str, Callable[[dict[str, Any]], Any], str]] = {
    "contacts": ("contact", D.contact_from_doc, "id"),
    "interactions": ("timeline entry", D.interaction_from_doc, "id"),
    "review": ("review state", D.review_state_from_doc, "key"),
    "news": ("news item", D.news_item_from_doc, "id"),
    "feeds": ("feed", D.feed_from_doc, "url"),
    "drafts": ("draft", D.draft_from_doc, "id"),
    "quick_notes": ("quick note", D.quick_note_from_doc, "id"),
}

PLURAL = {"interactions": "timeline entries", "review": "review states", "news": "news items",
          "feeds": "feeds", "drafts": "drafts", "quick_notes": "quick notes"}


def export_bytes(store: Store) -> bytes:
    """The JSON export of everything in ``store`` (indented, UTF-8)."""
    return encode_export(store.export_data())


def encode_export(tables: dict[str, dict[str, Any]]) -> bytes:
    """The JSON export of ``tables`` as ``Store.export_data`` gives them."""
    import orjson

    payload = {"nurture_export": FORMAT_VERSION, "tables": tables}
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass(slots=True)
class JsonBook:
    """Model objects read from an export, per table and id, and what was wrong."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_json(path: Path) -> JsonBook:
    """Parse and check an export; every bad record is reported, the rest kept."""
    import orjson

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    if not data.strip():
        raise InputFileError(path, "the file is empty")
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputFileError(path, f"not valid JSON: {exc.msg} (column {exc.colno})",
                             line=exc.lineno) from None
    if not isinstance(payload, dict) or "nurture_export" not in payload:
        raise InputFileError(path, "not a Nurture export (no \"nurture_export\" key)")
    version = payload["nurture_export"]
    if not isinstance(version, int) or version < 1:
        raise InputFileError(path, f"unknown export version {version!r}")
    if version > FORMAT_VERSION:
        raise InputFileError(path, f"written by a newer Nurture (export version {version}); "
                                   "update Nurture to read it")
    tables = payload.get("tables")
    if not isinstance(tables, dict):
        raise InputFileError(path, "\"tables\" must be an object of tables")
    book = JsonBook()
    for name, records in tables.items():
        if name not in TABLES:
            book.problems.append(Problem(str(path), f"table {name!r}",
                                         "not a table Nurture knows; left out"))
            continue
        if not isinstance(records, dict):
            book.problems.append(Problem(str(path), f"table {name!r}",
                                         "must be an object of records by id; left out"))
            continue
        book.tables[name] = _read_table(str(path), name, records, book.problems)
    return book


def _read_table(source: str, name: str, records: dict[str, Any],
                problems: list[Problem]) -> dict[str, Any]:
    what, from_doc, id_field = TABLES[name]
    out: dict[str, Any] = {}
    for key, doc in records.items():
        where = f"{name} {key}"
        if not isinstance(doc, dict):
            problems.append(Problem(source, where, f"a {what} must be an object; skipped"))
            continue
        if doc.get(id_field) != key:
            problems.append(Problem(source, where, f"its {id_field} {doc.get(id_field)!r} "
                                                   f"differs from its key; skipped"))
            continue
        try:
            item = from_doc(doc)
            check_types(item)
            if name == "contacts":
                item.validate()
        except KeyError as exc:
            problems.append(Problem(source, where, f"a {what} needs {exc.args[0]!r}; skipped"))
            continue
        except ValidationError as exc:
            problems.append(Problem(source, where, f"{exc.message}; skipped", field=exc.field))
            continue
        except (TypeError, ValueError, AttributeError, AssertionError) as exc:
            problems.append(Problem(source, where, f"not a valid {what} ({exc}); skipped"))
            continue
        out[key] = item
    return out


def import_json(path: Path, store: Store, *, dry_run: bool = False,
                progress: Progress | None = None) -> ImportReport:
    """Merge an export into ``store`` by id, in one atomic write."""
    book = read_json(Path(path))
    source = str(path)
    contacts = book.tables.get("contacts", {})
    known = {c.id for c in store.contacts()} | set(contacts)
    _drop_orphans(book, known, source)
    plan = ImportPlan()
    for cid, contact in contacts.items():
        mine = store.contact(cid)
        place = Incoming(contact, source, f"contacts {cid}")
        if mine is None:
            plan.added.append(place)
        elif D.contact_to_doc(mine) == D.contact_to_doc(contact):
            plan.unchanged.append(place)
        else:
            plan.merged.append(Merge(contact, "id", ["replaced by the file's version"],
                                     places=[place.place()]))
    report = ImportReport([source], "json", plan, book.problems, dry_run,
                          read=sum(len(t) for t in book.tables.values()))
    for name, items in book.tables.items():
        if name != "contacts" and items:
            report.extra_counts[PLURAL.get(name, name)] = len(items)
    if not dry_run:
        _write(store, book)
    if progress is not None:
        progress(report.read, report.read)
    return report


def _drop_orphans(book: JsonBook, known: set[str], source: str) -> None:
    """Timeline entries, drafts and notes must belong to a contact in the book or file."""
    for name, ids_of in (("interactions", lambda i: i.contact_ids),
                         ("drafts", lambda d: [d.contact_id]),
                         ("quick_notes", lambda q: [q.contact_id])):
        table = book.tables.get(name, {})
        for key in list(table):
            missing = [cid for cid in ids_of(table[key]) if cid not in known]
            if missing:
                del table[key]
                book.problems.append(Problem(source, f"{name} {key}",
                                             "names contacts that are neither in the file nor "
                                             f"in the book ({', '.join(missing)}); skipped"))


def _write(store: Store, book: JsonBook) -> None:
    t = book.tables
    with store.batch():
        if t.get("contacts"):
            store.save_contacts(t["contacts"].values())
        if t.get("interactions"):
            store.save_interactions(t["interactions"].values())
        for state in t.get("review", {}).values():
            store.set_review_state(state)
        if t.get("news"):
            store.save_news_items(t["news"].values())
        for feed in t.get("feeds", {}).values():
            store.save_feed(feed)
        # touch=False: keep the exported `updated` stamps, so the import is lossless.
        for draft in t.get("drafts", {}).values():
            store.save_draft(draft, touch=False)
        for note in t.get("quick_notes", {}).values():
            store.save_quick_note(note, touch=False)
