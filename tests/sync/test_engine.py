"""The reconciliation engine, two books sharing one pair of folders (a server in perfect step)."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from nurture.errors import NurtureError
from nurture.model import Contact, KeyDate
from nurture.store import Store, open_store
from nurture.sync.session import state_path

from .books import config_for, picture, small_book, sync


@pytest.fixture
def world(tmp_path: Path):
    contacts, calendar = tmp_path / "dav" / "contacts", tmp_path / "dav" / "calendar"
    contacts.mkdir(parents=True)
    calendar.mkdir()
    config = config_for(contacts, calendar)
    laptop = small_book(tmp_path / "laptop" / "nurture.json")
    desktop = open_store(tmp_path / "desktop" / "nurture.json", backups_keep=0)
    yield config, laptop, desktop, contacts, calendar
    laptop.close()
    desktop.close()


def converge(config, *books: Store) -> None:
    for store in books:
        sync(store, config)


def test_a_book_reaches_a_new_device_whole_and_a_second_sync_does_nothing(world) -> None:
    config, laptop, desktop, contacts, calendar = world
    first = sync(laptop, config)
    # Two contacts, their two birthdays, the call, its follow-up, the review decision.
    assert first.count("folder", "created") == 2 + 2 + 1 + 1 + 1
    assert len(list(contacts.glob("*.vcf"))) == 2 and len(list(calendar.glob("*.ics"))) == 5
    pulled = sync(desktop, config)
    assert pulled.count("book", "created") == 7 and not pulled.conflicts
    assert picture(desktop) == picture(laptop)
    # The review decision names Dan by his new id on the desktop.
    dan = next(c for c in desktop.contacts() if c.display_name == "Dan Okafor")
    assert list(desktop.review_states()) == [f"cadence:{dan.id}:2026-11-22"]
    for store in (laptop, desktop):
        again = sync(store, config)
        assert again.changes == [] and again.conflicts == []


def test_edits_on_both_sides_merge_field_by_field(world) -> None:
    config, laptop, desktop, *_ = world
    converge(config, laptop, desktop)
    maya_l = laptop.contact("c-maya0001")
    assert maya_l is not None
    maya_l.company = "Northwind Sailing"
    laptop.save_contact(maya_l)
    maya_d = next(c for c in desktop.contacts() if c.uid == maya_l.uid)
    maya_d.notes = "Prefers mornings"
    desktop.save_contact(maya_d)
    converge(config, laptop, desktop, laptop)
    for store in (laptop, desktop):
        maya = next(c for c in store.contacts() if c.uid == maya_l.uid)
        assert (maya.company, maya.notes) == ("Northwind Sailing", "Prefers mornings")
    assert picture(laptop) == picture(desktop)


def test_a_field_changed_on_both_sides_is_a_conflict_with_both_values_kept(world) -> None:
    config, laptop, desktop, *_ = world
    converge(config, laptop, desktop)
    maya_l = laptop.contact("c-maya0001")
    assert maya_l is not None
    maya_l.company = "Laptop Co"
    laptop.save_contact(maya_l)
    maya_d = next(c for c in desktop.contacts() if c.uid == maya_l.uid)
    maya_d.company = "Desktop Co"
    desktop.save_contact(maya_d)
    sync(laptop, config)  # the laptop's edit reaches the folder first
    report = sync(desktop, config)
    assert [(c.label, c.field, c.book_value, c.folder_value) for c in report.conflicts] == [
        ("Maya Lindqvist", "company", "Desktop Co", "Laptop Co")]
    saved = (desktop.path.parent / "backups").glob("sync-*.jsonl")
    lines = [json.loads(line) for f in saved for line in f.read_text().splitlines()]
    assert any(r["what"] == "conflict" and r["folder"] == "Laptop Co" for r in lines)
    sync(laptop, config)  # the desktop's value was written back: both agree on it
    assert picture(laptop) == picture(desktop)


def test_deletions_travel_both_ways_and_are_kept_in_backups(world) -> None:
    config, laptop, desktop, *_ = world
    converge(config, laptop, desktop)
    laptop.delete_contact("c-dan00001")
    report = sync(laptop, config)
    assert report.count("folder", "deleted") == 3  # Dan's card, his birthday, his review decision
    report = sync(desktop, config)
    assert report.count("book", "deleted") >= 1
    assert sorted(c.display_name for c in desktop.contacts()) == ["Maya Lindqvist"]
    # And the other way: the call deleted on the desktop goes from the laptop.
    call = next(e for e in desktop.interactions())
    desktop.delete_interaction(call.id)
    converge(config, desktop, laptop)
    assert laptop.interactions() == []
    backups = list((laptop.path.parent / "backups").glob("sync-*.jsonl"))
    removed = [json.loads(line) for f in backups for line in f.read_text().splitlines()]
    assert any(r["what"] == "removed from the book" and r["kind"] == "entry" for r in removed)
    assert picture(laptop) == picture(desktop)


def test_an_edit_wins_over_a_deletion_on_the_other_side(world) -> None:
    config, laptop, desktop, *_ = world
    converge(config, laptop, desktop)
    maya_d = next(c for c in desktop.contacts() if c.display_name == "Maya Lindqvist")
    maya_d.notes = "Moved to Oslo"
    desktop.save_contact(maya_d)
    sync(desktop, config)
    laptop.delete_contact("c-maya0001")
    report = sync(laptop, config)
    assert any("edited in the folder since" in note for note in report.notes)
    assert [c.notes for c in laptop.contacts() if c.uid == maya_d.uid] == ["Moved to Oslo"]


def _edit_file(folder: Path, needle: str, old: str, new: str) -> Path:
    (path,) = [p for p in folder.iterdir() if needle in p.read_text()]
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return path


def test_a_follow_up_checked_off_in_a_task_app_comes_back_checked_off(world) -> None:
    config, laptop, _, _, calendar = world
    sync(laptop, config)
    _edit_file(calendar, "send the regatta book", "STATUS:NEEDS-ACTION",
               "STATUS:COMPLETED\nCOMPLETED:20261125T090000Z")
    report = sync(laptop, config)
    assert report.count("book", "updated") == 1 and not report.conflicts
    (follow_up,) = laptop.interactions()[0].follow_ups
    assert follow_up.done == pendulum.datetime(2026, 11, 25, 9, tz="UTC")
    assert sync(laptop, config).changes == []


def test_a_birthday_moved_in_a_calendar_comes_back_moved_and_the_card_follows(world) -> None:
    config, laptop, _, contacts, calendar = world
    sync(laptop, config)
    _edit_file(calendar, "SUMMARY:Maya Lindqvist's birthday", "DTSTART;VALUE=DATE:20000314",
               "DTSTART;VALUE=DATE:20000315")
    report = sync(laptop, config)
    maya = laptop.contact("c-maya0001")
    assert maya is not None and maya.key_dates == [KeyDate("birthday", 3, 15)]
    assert ("folder", "updated", "contact") in {(c.side, c.action, c.kind) for c in report.changes}
    card = next(p for p in contacts.iterdir() if "Maya" in p.read_text())
    assert "BDAY:--0315" in card.read_text()  # a year-less birthday, as vCard 3.0 readers take it


def test_dry_run_changes_nothing(world) -> None:
    config, laptop, desktop, _, calendar = world
    sync(laptop, config)
    before = (desktop.path.read_bytes() if desktop.path.exists() else b"",
              sorted(p.name for p in calendar.iterdir()))
    report = sync(desktop, config, dry_run=True)
    assert report.count("book", "created") == 7
    assert "would be created" in " ".join(report.summary())
    assert desktop.contacts() == [] and not state_path(desktop.path).exists()
    assert sorted(p.name for p in calendar.iterdir()) == before[1]


def test_an_unreadable_file_is_named_and_left_alone(world) -> None:
    config, laptop, _, contacts, _ = world
    sync(laptop, config)
    broken = _edit_file(contacts, "Maya", "BEGIN:VCARD", "BEGIN:VCARX")
    text = broken.read_text()
    report = sync(laptop, config)
    assert any(str(broken) in p for p in report.problems)
    assert laptop.contact("c-maya0001") is not None  # not taken for a deletion
    assert broken.read_text() == text  # and not overwritten


def test_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    store = small_book(tmp_path / "b.json")
    try:
        with pytest.raises(NurtureError, match="sync folder is missing"):
            sync(store, config_for(tmp_path / "nope", tmp_path / "nope2"))
    finally:
        store.close()


def test_a_contact_created_on_another_device_arrives_with_its_dates(world) -> None:
    config, laptop, desktop, *_ = world
    converge(config, laptop, desktop)
    desktop.save_contact(Contact(id="c-new00001", display_name="Ana Lima",
                                 key_dates=[KeyDate("anniversary", 6, 1, 2015)]))
    converge(config, desktop, laptop)
    ana = next(c for c in laptop.contacts() if c.display_name == "Ana Lima")
    assert ana.key_dates == [KeyDate("anniversary", 6, 1, 2015)]
    assert picture(laptop) == picture(desktop)
