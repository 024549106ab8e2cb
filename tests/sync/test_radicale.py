"""Two books converge through a real Radicale, with vdirsyncer as the client on each device.

Each device has its own vdirs and vdirsyncer state, exactly as the README's
recipe sets them up; ``nurture sync`` runs vdirsyncer before and after
reconciling. Edits are also made directly on the server, as a phone would.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from nurture.model import Contact, Email, Interaction, InteractionKind, KeyDate
from nurture.store import open_store

from .books import config_for, picture, small_book, sync
from .dav import Radicale, vdirsyncer_device

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path):
    radicale = Radicale(tmp_path / "server")
    yield radicale
    radicale.close()


def test_two_books_converge_through_radicale(tmp_path: Path, server: Radicale) -> None:
    laptop_dirs = vdirsyncer_device(tmp_path / "laptop", server)
    desktop_dirs = vdirsyncer_device(tmp_path / "desktop", server)
    laptop_config = config_for(*laptop_dirs[:2], run=laptop_dirs[2])
    desktop_config = config_for(*desktop_dirs[:2], run=desktop_dirs[2])
    laptop = small_book(tmp_path / "laptop" / "nurture.json")
    desktop = open_store(tmp_path / "desktop" / "nurture.json", backups_keep=0)
    try:
        def both() -> None:
            sync(laptop, laptop_config)
            sync(desktop, desktop_config)
            sync(laptop, laptop_config)

        # Creations: the laptop's book reaches the desktop whole, preferred channels included
        # (Radicale stores X-NURTURE-CHANNEL as text and escapes its separator).
        both()
        assert picture(desktop) == picture(laptop)
        assert [c.channels for c in desktop.contacts() if c.display_name == "Maya Lindqvist"] \
            == [next(c for c in laptop.contacts() if c.display_name == "Maya Lindqvist").channels]

        # Edits on both sides, one conflicting field, creations on the desktop.
        maya_l = next(c for c in laptop.contacts() if c.display_name == "Maya Lindqvist")
        maya_l.company, maya_l.title = "Laptop Co", "Skipper"
        laptop.save_contact(maya_l)
        maya_d = next(c for c in desktop.contacts() if c.uid == maya_l.uid)
        maya_d.company, maya_d.notes = "Desktop Co", "Prefers mornings"
        desktop.save_contact(maya_d)
        desktop.save_contact(Contact(id="c-ana00001", display_name="Ana Lima",
                                     emails=[Email("ana@example.org")],
                                     key_dates=[KeyDate("birthday", 7, 1)]))
        desktop.save_interaction(Interaction(
            id="i-lunch001", contact_ids=["c-ana00001"], kind=InteractionKind.MEETING,
            at=pendulum.datetime(2026, 11, 27, 12, tz="UTC"), text="Lunch at the harbour"))
        sync(laptop, laptop_config)
        report = sync(desktop, desktop_config)
        assert [(c.field, c.book_value, c.folder_value) for c in report.conflicts] == [
            ("company", "Desktop Co", "Laptop Co")]
        sync(laptop, laptop_config)
        assert picture(desktop) == picture(laptop)
        maya = next(c for c in laptop.contacts() if c.uid == maya_l.uid)
        assert (maya.company, maya.title, maya.notes) == ("Desktop Co", "Skipper",
                                                          "Prefers mornings")

        # Directly on the server: the follow-up checked off (a task app), Dan's company edited
        # (a phone's address book).
        href, text = server.find("calendar", "send the regatta book")
        server.put(href, text.replace("STATUS:NEEDS-ACTION",
                                      "STATUS:COMPLETED\r\nCOMPLETED:20261128T080000Z"))
        href, text = server.find("contacts", "FN:Dan Okafor")
        server.put(href, text.replace("ORG:Acme", "ORG:Acme Sports"))
        both()
        for store in (laptop, desktop):
            (call,) = [e for e in store.interactions() if e.kind is InteractionKind.CALL]
            assert call.follow_ups[0].done == pendulum.datetime(2026, 11, 28, 8, tz="UTC")
            assert [c.company for c in store.contacts() if c.display_name == "Dan Okafor"] \
                == ["Acme Sports"]
        assert picture(desktop) == picture(laptop)

        # Deletions on both sides, and one on the server.
        laptop.delete_contact(next(c.id for c in laptop.contacts()
                                   if c.display_name == "Ana Lima"))
        lunch_free = [e for e in desktop.interactions() if e.kind is InteractionKind.CALL]
        desktop.delete_interaction(lunch_free[0].id)
        href, _ = server.find("contacts", "FN:Dan Okafor")
        server.delete(href)
        both()
        assert picture(desktop) == picture(laptop)
        assert sorted(c.display_name for c in laptop.contacts()) == ["Maya Lindqvist"]
        assert laptop.interactions() == []
        # Nothing else moves once they agree.
        assert sync(laptop, laptop_config).changes == []
        assert sync(desktop, desktop_config).changes == []
        # What went is kept.
        assert list((tmp_path / "laptop" / "backups").glob("sync-*.jsonl"))
    finally:
        laptop.close()
        desktop.close()
