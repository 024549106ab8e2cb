"""Send to many: everyone with an interest, one gift logged once for all, labels for all."""

from __future__ import annotations

from pypdf import PdfReader
from textual.widgets import Input, Static
from tui_support import demo_book, ready, real_app, settle, type_text, until

from nurture.model import InteractionKind
from nurture.tui.screens.send_many import SendToMany, pick


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_one_gift_for_everyone_who_sails(tmp_path):
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        sailors = sorted(c.id for c in app.data.contacts if "sailing" in c.interests)
        assert len(sailors) >= 2
        await pilot.press("ctrl+p")
        await type_text(pilot, "send to many")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SendToMany)
        await type_text(pilot, "kind:pirate")
        assert "'pirate' is not one of" in shown(app, "#many-error")
        app.screen.query_one("#many-who", Input).value = ""
        await type_text(pilot, "#Sailing")
        assert await until(pilot, lambda: shown(app, "#many-people")
                           .startswith(f"{len(sailors)} people: "))
        await pilot.press("ctrl+s")
        assert "Say what was sent." in shown(app, "#many-error")
        assert app.focused is app.screen.query_one("#many-what", Input)  # where it is missing
        await type_text(pilot, "The Old Man and the Sea")
        labels = tmp_path / "labels.pdf"
        app.screen.query_one("#many-labels", Input).value = str(labels)
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: not isinstance(app.screen, SendToMany))
        await settle(pilot)
        entries = {e.id: e for c in sailors for e in app.data.timeline(c)
                   if e.text == "The Old Man and the Sea"}
        (entry,) = entries.values()  # one entry, on every sailor's timeline
        assert sorted(entry.contact_ids) == sailors
        assert entry.kind is InteractionKind.GIFT_GIVEN
        text = "".join(page.extract_text() for page in PdfReader(labels).pages)
        with_address = [app.data.by_id[c] for c in sailors if app.data.by_id[c].addresses]
        assert with_address and all(c.display_name in text for c in with_address)


def test_pick_by_interests_and_kind():
    from nurture.model import Contact, RelationshipKind

    people = [Contact(id="a", display_name="A", interests=["sailing", "jazz"],
                      kind=RelationshipKind.CLIENT),
              Contact(id="b", display_name="B", interests=["sailing"]),
              Contact(id="c", display_name="C", kind=RelationshipKind.CLIENT)]
    assert [c.id for c in pick(people, "#sailing")] == ["a", "b"]
    assert [c.id for c in pick(people, "sailing, jazz")] == ["a"]
    assert [c.id for c in pick(people, "kind:client")] == ["a", "c"]
    assert [c.id for c in pick(people, "sailing kind:client")] == ["a"]
    assert pick(people, "  ") == []
