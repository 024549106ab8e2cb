"""Import and export dialogs: preview first, the CLI's report, files written privately."""

from __future__ import annotations

import stat

import orjson
from textual.widgets import Log, Select, Static
from tui_support import DAN, demo_book, ready, real_app, settle

from nurture.tui.screens.transfer import TransferScreen

CARDS = """BEGIN:VCARD
VERSION:3.0
FN:Dan Okafor
N:Okafor;Dan;;;
EMAIL;TYPE=work:dan@harbor.example
NICKNAME:Danny
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Ines Carvalho
N:Carvalho;Ines;;;
EMAIL:ines@example.org
BDAY:--0314
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;;;;
NOTE:a card with no name at all
END:VCARD
"""


def log_text(app) -> str:
    """The log's text with its wrapping undone (a wrap replaces one space)."""
    return " ".join(str(line).strip() for line in app.screen.query_one(Log).lines)


async def open_transfer(pilot, mode: str) -> TransferScreen:
    await ready(pilot)
    pilot.app.open_transfer(mode)
    await settle(pilot)
    assert isinstance(pilot.app.screen, TransferScreen)
    return pilot.app.screen


async def test_import_previews_then_merges_and_reports_bad_cards(tmp_path):
    cards = tmp_path / "phone.vcf"
    cards.write_text(CARDS, encoding="utf-8")
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transfer(pilot, "import")
        count = len(app.store.contacts())
        screen.query_one("#transfer-path").value = str(cards)
        await pilot.press("enter")
        await settle(pilot)
        preview = log_text(app)
        assert preview.startswith("Dry run: 3 records: would add 1; would merge 1")
        assert "phone.vcf: card 3" in preview  # the bad card, by file and place
        assert "+ Ines Carvalho" in preview
        log = screen.query_one(Log)  # long lines (the temporary path) wrap inside the box
        assert max(len(str(line)) for line in log.lines) <= log.scrollable_content_region.width
        assert len(app.store.contacts()) == count  # a preview saves nothing
        assert app.store.contact(DAN).nickname == ""

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert log_text(app).startswith("3 records: added 1; merged 1")
        assert len(app.store.contacts()) == count + 1
        assert app.store.contact(DAN).nickname == "Danny"
        ines = app.store.resolve("Ines Carvalho")
        assert (ines.birthday.month, ines.birthday.day, ines.birthday.year) == (3, 14, None)
        assert screen.previewed is None  # importing again needs a fresh preview


async def test_import_without_preview_previews_first_and_names_a_missing_file(tmp_path):
    cards = tmp_path / "phone.vcf"
    cards.write_text(CARDS, encoding="utf-8")
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_transfer(pilot, "import")
        count = len(app.store.contacts())
        app.screen.query_one("#transfer-path").value = str(cards)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Press ctrl+s again to import" in log_text(app)
        assert len(app.store.contacts()) == count
        app.screen.query_one("#transfer-path").value = str(tmp_path / "nope.vcf")
        await pilot.press("enter")
        await settle(pilot)
        assert log_text(app).startswith("Nothing was imported:")
        assert "nope.vcf" in log_text(app)


async def test_export_json_privately_and_ask_before_replacing(tmp_path):
    target = tmp_path / "out" / "book.json"
    target.parent.mkdir()
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transfer(pilot, "export")
        screen.query_one("#transfer-format", Select).value = "json"
        screen.query_one("#transfer-path").value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert log_text(app).startswith("Exported ")
        # The screen says what an export covers: the book, not the filtered list.
        hint = str(screen.query_one("#transfer-hint", Static).render())
        assert "every contact in the book, whatever the list is showing" in hint
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        doc = orjson.loads(target.read_bytes())
        assert len(doc["tables"]["contacts"]) == len(app.store.contacts())

        target.write_text("precious", encoding="utf-8")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "already exists" in log_text(app)
        assert target.read_text(encoding="utf-8") == "precious"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") != "precious"


async def test_export_a_dossier_of_one_person(tmp_path):
    target = tmp_path / "dan.md"
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_transfer(pilot, "export")
        screen.query_one("#transfer-format", Select).value = "markdown"
        await settle(pilot)
        assert screen.query_one("#transfer-who-row").display
        # The person selected on the main screen is offered.
        assert screen.query_one("#transfer-who").value == (app.main.selected_contact_id or "")
        screen.query_one("#transfer-who").value = ""
        screen.query_one("#transfer-path").value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Say whose dossier" in log_text(app)
        screen.query_one("#transfer-who").value = "Dan Okafor"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Dan Okafor" in target.read_text(encoding="utf-8")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TransferScreen)
