"""Regenerate the SVG screenshots in ``screenshots/``: every screen, on the sample book.

Headless and deterministic: the demo book is built for a fixed day in a
temporary directory (never your data), the call timer runs on a fixed clock.

    python scripts/screenshots.py [--out screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from nurture.config import Config
from nurture.demo import build_demo
from nurture.store import open_store
from nurture.tui.app import NurtureApp

TODAY = pendulum.date(2026, 11, 22)
DAN, MAYA, PRIYA = "c-demo0000", "c-demo0001", "c-demo0004"
Scene = Callable[[Pilot], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    app = pilot.app
    for _ in range(500):
        if app.loaded and app.data.suggestions_ready:  # type: ignore[attr-defined]
            break
        await pilot.pause(0.01)
    for _ in range(3):
        while app.busy:  # type: ignore[attr-defined]  # the writer (never ends) is done
            await pilot.pause(0.01)
        others = [w for w in app.workers if w.group != "writer"]
        for worker in others:  # one replaced by a newer one (exclusive) never completes
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()


def fixed_clock() -> Callable[[], pendulum.DateTime]:
    """The call started at 10:00 and it is now 10:07:32, whenever the script runs."""
    start = pendulum.datetime(TODAY.year, TODAY.month, TODAY.day, 10, tz="UTC")
    calls = iter([start])
    return lambda: next(calls, start.add(minutes=7, seconds=32))


async def main_screen(pilot: Pilot) -> None:
    pilot.app.open_contact(MAYA)  # type: ignore[attr-defined]
    await pilot.press("1")


async def filtering(pilot: Pilot) -> None:
    await pilot.press("slash", *"north")
    await pilot.pause(0.3)


async def journal(pilot: Pilot) -> None:
    await pilot.press("g")


async def compose(pilot: Pilot) -> None:
    app: NurtureApp = pilot.app  # type: ignore[assignment]
    found = [s for s in app.suggestions() if DAN in s.contact_ids]
    app.open_compose(DAN, suggestion=found[0] if found else None)
    await pilot.pause(0.2)


async def review(pilot: Pilot) -> None:
    pilot.app.open_review()  # type: ignore[attr-defined]


async def quick_note(pilot: Pilot) -> None:
    from nurture.tui.screens.quick_note import QuickNoteScreen

    screen = QuickNoteScreen(MAYA, clock=fixed_clock())
    pilot.app.push_screen(screen)
    await pilot.pause()
    await pilot.press(*"Talked about the #sailing regatta. Her birthday March 14. ")
    await pilot.press(*"Follow up in 2 weeks: send the race photos.")
    screen.flush()  # saved now, not whenever the one-second tick comes round
    await settle(pilot)


async def quick_note_facts(pilot: Pilot) -> None:
    await quick_note(pilot)
    await pilot.press("ctrl+s")  # what the note says, each fact ticked, before it applies


SAMPLE_VCARDS = """\
BEGIN:VCARD
VERSION:3.0
FN:Maya Lindqvist
N:Lindqvist;Maya;;;
EMAIL:maya@northwind.example
TEL:+1 617 555 0199
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Noor Haddad
N:Haddad;Noor;;;
ORG:Cedar Books
EMAIL:noor@cedar.example
BDAY:1990-04-02
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Leo Brandt
N:Brandt;Leo;;;
EMAIL:leo@brandt.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Broken Card
N:Card;Broken;;;
BDAY:1990-02-30
END:VCARD
"""


async def import_preview(pilot: Pilot) -> None:
    """The import dialog after Enter: what would be added, merged and skipped."""
    app: NurtureApp = pilot.app  # type: ignore[assignment]
    # A relative name, so the picture shows "contacts.vcf", not a temporary path.
    (Path.cwd() / "contacts.vcf").write_text(SAMPLE_VCARDS, encoding="utf-8")
    app.open_transfer("import")
    await pilot.pause()
    await pilot.press(*"contacts.vcf", "enter")


async def export_dialog(pilot: Pilot) -> None:
    pilot.app.open_transfer("export")  # type: ignore[attr-defined]


async def news(pilot: Pilot) -> None:
    pilot.app.open_news()  # type: ignore[attr-defined]


async def help_screen(pilot: Pilot) -> None:
    await pilot.press("f1")


async def contact_form(pilot: Pilot) -> None:
    pilot.app.main.edit_contact(MAYA)  # type: ignore[attr-defined]


async def log_entry(pilot: Pilot) -> None:
    pilot.app.open_contact(PRIYA)  # type: ignore[attr-defined]
    await pilot.press("l", "c", *"Called about the tender; she liked the Oxford list.")


async def palette(pilot: Pilot) -> None:
    await pilot.press("ctrl+p", *"pri")
    await pilot.pause(0.5)


async def search(pilot: Pilot) -> None:
    await pilot.press("f", *"regatta")
    screen = pilot.app.screen
    for _ in range(500):  # the index is built in a worker, then the query runs in another
        if getattr(screen, "searched", "") == "regatta":
            break
        await pilot.pause(0.01)


async def stats(pilot: Pilot) -> None:
    pilot.app.open_stats()  # type: ignore[attr-defined]
    await settle(pilot)
    screen = pilot.app.screen
    for _ in range(500):
        if getattr(screen, "stats", None) is not None:
            break
        await pilot.pause(0.01)


async def cards(pilot: Pilot) -> None:
    """The demo has no one who prefers cards: two such friends are added first."""
    from nurture.model import (
        Address,
        Channel,
        ChannelKind,
        Contact,
        Interaction,
        InteractionKind,
        KeyDate,
    )

    created = pendulum.datetime(2025, 1, 1, tz="UTC")
    people = [
        Contact(id="c-card1", display_name="Elena Rossi", created=created,
                channels=[Channel(ChannelKind.CARD)], key_dates=[KeyDate("birthday", 11, 30)],
                addresses=[Address("home", "Via Roma 12", "Torino", postcode="10121",
                                   country="Italy")]),
        Contact(id="c-card2", display_name="Walter Brandt", created=created,
                channels=[Channel(ChannelKind.CARD)],
                key_dates=[KeyDate("anniversary", 12, 3, 1996)]),
    ]
    idea = Interaction.new(["c-card1"], InteractionKind.NOTE, "#gift-idea: a Barolo from 2016",
                           at=pendulum.datetime(2026, 10, 2, 12, tz="UTC"))
    gift = Interaction.new(["c-card1"], InteractionKind.GIFT_GIVEN, "Olive oil from Lisbon",
                           at=pendulum.datetime(2025, 11, 28, 12, tz="UTC"))

    def add(store: object) -> None:
        store.save_contacts(people)  # type: ignore[attr-defined]
        store.save_interactions([idea, gift])  # type: ignore[attr-defined]

    pilot.app.run_write(add)  # type: ignore[attr-defined]
    await settle(pilot)
    pilot.app.open_cards()  # type: ignore[attr-defined]
    screen = pilot.app.screen
    for _ in range(500):
        if getattr(screen, "loaded", False):
            break
        await pilot.pause(0.01)


async def send_many(pilot: Pilot) -> None:
    pilot.app.open_send_to_many("sailing")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("enter", *"The Old Man and the Sea")


SCENES: list[tuple[str, tuple[int, int], Scene]] = [
    ("main-120x40", (120, 40), main_screen),
    ("main-80x24", (80, 24), main_screen),
    ("main-200x50-compose", (200, 50), compose),
    ("filter", (120, 40), filtering),
    ("journal", (120, 40), journal),
    ("compose-80x24", (80, 24), compose),
    ("review", (120, 40), review),
    ("quick-note", (120, 40), quick_note),
    ("quick-note-facts", (120, 40), quick_note_facts),
    ("news", (120, 40), news),
    ("help", (120, 40), help_screen),
    ("contact-form", (120, 40), contact_form),
    ("log-entry", (120, 40), log_entry),
    ("palette", (120, 40), palette),
    ("import", (120, 40), import_preview),
    ("export", (120, 40), export_dialog),
    ("search", (120, 40), search),
    ("stats", (120, 40), stats),
    ("cards", (120, 40), cards),
    ("send-to-many", (120, 40), send_many),
]


def still(app: NurtureApp) -> None:
    """No blinking cursors: a picture must not depend on the instant it is taken."""
    from textual.widgets import Input, TextArea

    for screen in app.screen_stack:
        for widget in screen.query("TextArea, Input"):
            if isinstance(widget, TextArea | Input):
                widget.cursor_blink = False


async def shoot(book: Path, out: Path, name: str, size: tuple[int, int], scene: Scene) -> Path:
    app = NurtureApp(book, today=TODAY, config=Config(), review_on_start=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await scene(pilot)
        await settle(pilot)
        still(app)
        await pilot.pause()
        return Path(app.save_screenshot(f"{name}.svg", str(out)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "screenshots")
    parser.add_argument("--only", nargs="*", help="scene names to shoot (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, size, scene in SCENES:
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
            book = Path(tmp) / "demo.json"
            store = open_store(book, backups_keep=0)
            build_demo(store, TODAY)
            store.close()
            path = asyncio.run(shoot(book, args.out.resolve(), name, size, scene))
        print(f"{path}  ({size[0]}x{size[1]})")


if __name__ == "__main__":
    main()
