"""The JSON export and import: every table, losslessly, bad records reported."""

from __future__ import annotations

from pathlib import Path

import orjson
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings

from nurture.errors import InputFileError
from nurture.interop import export_path, import_path
from nurture.interop.jsonio import export_bytes
from nurture.model import (
    Contact,
    Draft,
    Email,
    Feed,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    NewsItem,
    QuickNote,
    ReviewState,
    ReviewStatus,
)
from nurture.store import open_store

from .books import address_book

TODAY = pendulum.date(2026, 11, 22)
AT = pendulum.datetime(2026, 11, 20, 18, 30, tz="Europe/Lisbon")


def fill(store) -> None:
    ana = Contact(id="c-ana", display_name="Ana Lima 🎂", emails=[Email("ana@example.com")],
                  key_dates=[KeyDate("birthday", 2, 29, None)], notes="línea\nzwei, drei; \\",
                  extra={"vcard": ["GENDER:F"], "csv": {"Hobby": "ski"}}, uid="U-1",
                  created=AT, updated=AT)
    ben = Contact(id="c-ben", display_name="Ben", created=AT, updated=AT)
    store.save_contacts([ana, ben])
    store.save_interactions([Interaction(
        id="i-1", contact_ids=["c-ana", "c-ben"], kind=InteractionKind.MEETING, at=AT,
        text="Lunch", follow_ups=[FollowUp("Deck", due=pendulum.date(2026, 12, 1), id="f-1")])])
    store.set_review_state(ReviewState("k-1", ReviewStatus.SNOOZED, AT,
                                       until=pendulum.date(2026, 12, 1)))
    store.save_news_items([NewsItem(id="n-1", title="Acme raises", added=AT, tags=["ai"])])
    store.save_feed(Feed("https://acme.example/feed", tags=["ai"], last_fetched=AT))
    store.save_draft(Draft(id="d-1", contact_id="c-ana", template="birthday", text="Dear Ana"))
    store.save_quick_note(QuickNote(id="q-1", contact_id="c-ben", started=AT, text="calls"))


def test_export_then_import_is_lossless(store, tmp_path: Path) -> None:
    fill(store)
    target = tmp_path / "backup.json"
    report, data = export_path(store, target, "json", today=TODAY)
    assert data is None and report.written == 8
    payload = orjson.loads(target.read_bytes())
    assert payload["nurture_export"] == 1
    with open_store(tmp_path / "other.json", backups_keep=0) as other:
        result = import_path(target, other)
        assert result.problems == [] and len(result.plan.added) == 2
        assert result.extra_counts == {"timeline entries": 1, "review states": 1,
                                       "news items": 1, "feeds": 1, "drafts": 1,
                                       "quick notes": 1}
        mine, theirs = store.export_data(), other.export_data()
        for table in mine:
            assert theirs[table] == mine[table], table


def test_import_twice_changes_nothing_the_second_time(store, tmp_path: Path) -> None:
    fill(store)
    target = tmp_path / "backup.json"
    target.write_bytes(export_bytes(store))
    report = import_path(target, store)
    assert len(report.plan.unchanged) == 2 and report.plan.added == [] == report.plan.merged


def test_records_by_id_are_replaced_by_the_files_version(store, tmp_path: Path) -> None:
    fill(store)
    payload = orjson.loads(export_bytes(store))
    payload["tables"]["contacts"]["c-ben"]["company"] = "Globex"
    target = tmp_path / "edited.json"
    target.write_bytes(orjson.dumps(payload))
    report = import_path(target, store, dry_run=True)
    assert [m.contact.id for m in report.plan.merged] == ["c-ben"]
    assert store.contact("c-ben").company == ""
    import_path(target, store)
    assert store.contact("c-ben").company == "Globex"


def test_bad_records_are_reported_and_the_rest_imported(store, tmp_path: Path) -> None:
    fill(store)
    payload = orjson.loads(export_bytes(store))
    tables = payload["tables"]
    tables["contacts"]["c-bad"] = {"id": "c-bad", "display_name": "Bad",
                                   "emails": [{"address": "nope"}]}
    tables["contacts"]["c-key"] = {"id": "c-other", "display_name": "Mismatch"}
    tables["contacts"]["c-nameless"] = {"id": "c-nameless"}
    tables["interactions"]["i-bad"] = {"id": "i-bad", "contact_ids": ["c-ana"],
                                       "kind": "dance", "at": AT.isoformat()}
    tables["interactions"]["i-orphan"] = {"id": "i-orphan", "contact_ids": ["c-ghost"],
                                          "kind": "call", "at": AT.isoformat()}
    tables["mystery"] = {}
    target = tmp_path / "bad.json"
    target.write_bytes(orjson.dumps(payload))
    with open_store(tmp_path / "fresh.json", backups_keep=0) as fresh:
        report = import_path(target, fresh)
        where = {p.where: p.message for p in report.problems}
        assert "email" in where["contacts c-bad"]
        assert "differs from its key" in where["contacts c-key"]
        assert "needs 'display_name'" in where["contacts c-nameless"]
        assert "not a valid timeline entry" in where["interactions i-bad"]
        assert "c-ghost" in where["interactions i-orphan"]
        assert "not a table Nurture knows" in where["table 'mystery'"]
        assert {c.id for c in fresh.contacts()} == {"c-ana", "c-ben"}
        assert [i.id for i in fresh.interactions()] == ["i-1"]


def test_records_with_fields_of_the_wrong_type_are_skipped_by_field(store,
                                                                  tmp_path: Path) -> None:
    # Hand-edited values that the codec would take and the review, the news
    # list or the vCard export would later trip over.
    fill(store)
    payload = orjson.loads(export_bytes(store))
    tables = payload["tables"]
    ana = tables["contacts"]["c-ana"]
    tables["contacts"]["c-cadence"] = {**ana, "id": "c-cadence", "cadence_days": "2w"}
    tables["contacts"]["c-extra"] = {**ana, "id": "c-extra", "extra": [1]}
    tables["contacts"]["c-label"] = {**ana, "id": "c-label",
                                     "emails": [{"address": "a@b.example", "label": 3}]}
    tables["news"] = {"n-1": {"id": "n-1", "title": 5}}
    tables["drafts"] = {"d-1": {"id": "d-1", "contact_id": "c-ana", "template": None,
                                "text": "hi"}}
    target = tmp_path / "bent.json"
    target.write_bytes(orjson.dumps(payload))
    with open_store(tmp_path / "fresh.json", backups_keep=0) as fresh:
        report = import_path(target, fresh)
        found = {p.where: (p.field, p.message) for p in report.problems}
        assert found == {
            "contacts c-cadence": ("cadence_days", "must be a whole number or empty (null), "
                                                   "not '2w'; skipped"),
            "contacts c-extra": ("extra", "must be an object, not [1]; skipped"),
            "contacts c-label": ("emails.0.label", "must be text, not 3; skipped"),
            "news n-1": ("title", "must be text, not 5; skipped"),
            "drafts d-1": ("template", "must be text, not None; skipped"),
        }
        assert {c.id for c in fresh.contacts()} == {"c-ana", "c-ben"}
        assert fresh.news_items() == [] and fresh.drafts() == []


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b'{"tables": {}}', "not a Nurture export"),
    (b'{"nurture_export": 2, "tables": {}}', "written by a newer Nurture"),
    (b'{"nurture_export": 1, "tables": []}', "must be an object of tables"),
    (b'{\n  "nurture_export": 1,\n  "tables": {,}\n}', "not valid JSON"),
])
def test_unusable_files_are_refused_and_nothing_changes(store, tmp_path: Path, content: bytes,
                                                         message: str) -> None:
    fill(store)
    before = store.export_data()
    target = tmp_path / "x.json"
    target.write_bytes(content)
    with pytest.raises(InputFileError, match=message) as info:
        import_path(target, store)
    if message == "not valid JSON":
        assert info.value.line == 3
    assert store.export_data() == before


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(book=address_book(max_size=4))
def test_any_address_book_survives_json(book, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("json")
    with open_store(folder / "a.json", backups_keep=0) as first, \
            open_store(folder / "b.json", backups_keep=0) as second:
        first.save_contacts(book)
        target = folder / "book.json"
        target.write_bytes(export_bytes(first))
        import_path(target, second)
        assert second.export_data() == first.export_data()
