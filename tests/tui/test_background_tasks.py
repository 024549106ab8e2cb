"""Sync and capture from the app: in the background, through the same actions as the CLI."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

from tui_support import MAYA, TODAY, ready, real_app, settle, until

from nurture.config import CaptureConfig, Config
from nurture.model import InteractionKind
from nurture.store import open_store
from nurture.tui.screens.review import ReviewScreen


def _sync_config(tmp_path: Path) -> tuple[Config, Path, Path]:
    contacts, calendar = tmp_path / "dav" / "contacts", tmp_path / "dav" / "calendar"
    contacts.mkdir(parents=True)
    calendar.mkdir()
    raw = {"sync": {"contacts": str(contacts), "calendar": str(calendar), "on_start": True}}
    return Config(raw=raw), contacts, calendar


def _notes(app, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def test_sync_on_start_then_sync_now_brings_a_phone_edit_and_names_a_conflict(
        book: Path, tmp_path: Path) -> None:
    config, contacts, calendar = _sync_config(tmp_path)
    app = real_app(book, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        # On start, in the background: the whole book goes to the folders.
        assert await until(pilot, lambda: bool(_notes(app, "Synced")))
        assert len(list(contacts.glob("*.vcf"))) == len(app.data.contacts)
        assert list(calendar.glob("*.ics"))
        # A phone edits Maya's card while this book edits her notes: both land. Then her
        # company is changed on both sides: a conflict, named with the person and field.
        card = next(p for p in contacts.iterdir() if "FN:Maya Lindqvist" in p.read_text())
        card.write_text(card.read_text().replace("TITLE:", "TITLE:Chief ", 1))
        app.sync_now()
        assert await until(pilot, lambda: len(_notes(app, "Synced")) == 2)
        await settle(pilot)
        assert app.data.by_id[MAYA].title.startswith("Chief ")
        with open_store(book) as other:  # another window: this book's own edit
            maya = other.contact(MAYA)
            maya.company = "Ours Ltd"
            other.save_contact(maya)
        card.write_text(card.read_text().replace("ORG:", "ORG:Theirs Inc;", 1)
                        if "ORG:" in card.read_text() else card.read_text())
        app.poll()
        await settle(pilot)
        app.sync_now()
        assert await until(pilot, lambda: len(_notes(app, "Synced")) == 3)
        last = _notes(app, "Synced")[-1]
        assert "conflict" in last and "Maya Lindqvist" in last and "company" in last
        assert app.data.by_id[MAYA].company == "Ours Ltd"  # this book's value kept


async def test_a_missing_sync_folder_is_one_notification(book: Path, tmp_path: Path) -> None:
    config = Config(raw={"sync": {"contacts": str(tmp_path / "gone"), "on_start": True}})
    app = real_app(book, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: bool(_notes(app, "Sync failed")))
        assert "sync folder is missing" in _notes(app, "Sync failed")[0]
        assert "Syncing" not in app.sub_title


async def test_capture_on_start_logs_mail_and_the_review_says_so(book: Path,
                                                                tmp_path: Path) -> None:
    (tmp_path / "Mail").mkdir()
    box = mailbox.Maildir(tmp_path / "Mail" / "INBOX", create=True)
    message = EmailMessage()
    message["From"] = "Maya Lindqvist <maya@northwind.example>"
    message["To"] = "Sam <sam@example.org>"
    message["Subject"] = "The regatta photos"
    message["Date"] = "Sat, 21 Nov 2026 18:30:00 +0000"
    message["Message-ID"] = "<regatta-1@northwind.example>"
    message.set_content("(never read)")
    box.add(message)
    config = Config(capture=CaptureConfig(maildirs=[tmp_path / "Mail" / "INBOX"],
                                          me=["sam@example.org"]))
    app = real_app(book, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: bool(_notes(app, "Captured")))
        assert "Logged 1 email" in _notes(app, "Captured")[0]
        await settle(pilot)
        latest = app.data.timeline(MAYA)[0]
        assert (latest.kind, latest.text, latest.source) == (
            InteractionKind.EMAIL, "The regatta photos", "mail")
        assert app.data.today == TODAY
        app.open_review()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        progress = str(app.screen.query_one("#review-progress").render())
        assert "Captured since yesterday: 1 email." in progress


async def test_people_you_mail_but_do_not_track_are_added_with_one_key(book: Path,
                                                                      tmp_path: Path) -> None:
    from nurture.tui.screens.people_to_add import PeopleToAdd

    (tmp_path / "Mail").mkdir()
    box = mailbox.Maildir(tmp_path / "Mail" / "INBOX", create=True)
    for day in (18, 19, 20):
        message = EmailMessage()
        message["From"] = "=?utf-8?q?Zo=C3=AB_Hart?= <zoe@harbour.example>"
        message["To"] = "sam@example.org"
        message["Subject"] = f"Boat show, day {day}"
        message["Date"] = f"Wed, {day} Nov 2026 10:00:00 +0000"
        message["Message-ID"] = f"<boat-{day}@harbour.example>"
        box.add(message)
    config = Config(capture=CaptureConfig(maildirs=[tmp_path / "Mail" / "INBOX"],
                                          me=["sam@example.org"]))
    app = real_app(book, config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: app.people_to_add is not None)
        app.open_people_to_add()
        await settle(pilot)
        assert isinstance(app.screen, PeopleToAdd)
        status = str(app.screen.query_one("#people-status").render())
        assert "1 person you mailed 3 times or more in 90 days is not a contact" in status
        await pilot.press("a")
        await settle(pilot)
        added = [c for c in app.data.contacts
                 if "zoe@harbour.example" in [e.address for e in c.emails]]
        assert [c.display_name for c in added] == ["Zoë Hart"]
        assert "Everyone you mailed" in str(app.screen.query_one("#people-status").render())
