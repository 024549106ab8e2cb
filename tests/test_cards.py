"""Cards and gifts through the CLI on a small book with explicit dates: the cards to send,
their address and state, labels as a PDF (read back with pypdf), gifts to many, ideas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from nurture.cli import main
from nurture.interop.labels import write_labels
from nurture.model import Address, InteractionKind
from nurture.store import open_store


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def book(capsys, monkeypatch, db_path) -> dict[str, str]:
    """Today Sun 22 Nov 2026. Ana (card, birthday 1 Dec, home address, sails), Ben (card,
    anniversary 28 Nov, no address, sails), Cleo (phone, birthday 25 Nov), Dan (card, a
    check-in overdue: not a card)."""
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    ids = {}
    for argv in (["add", "Ana Lima", "--channel", "card", "--birthday", "12-01",
                  "--tag", "sailing"],
                 ["add", "Ben\x1b[2J Okafor", "--channel", "card", "--anniversary", "11-28",
                  "--tag", "sailing", "--kind", "friend"],
                 ["add", "Cleo Park", "--channel", "phone", "--birthday", "11-25"],
                 ["add", "Dan Roe", "--channel", "card", "--cadence", "7"]):
        code, out, err = cli(capsys, *argv)
        assert code == 0, err
        ids[argv[1].split()[0][:3].lower()] = out.strip()
    with open_store(db_path) as store:
        ana = store.contact(ids["ana"])
        ana.addresses = [Address("work", "1 Office Park", "Porto", country="PT"),
                         Address("home", "12 Rua Augusta", "Lisboa", postcode="1100-053",
                                 country="Portugal")]
        store.save_contact(ana)
    # Lunch is a touch (a jotted note would not be: Ana would be dormant, a card too).
    for argv in (["log", "Ana", "Lunch. #gift-idea: a sailing knot book", "--kind", "meeting",
                  "--at", "2026-10-01 12:00"],
                 ["log", "Ana", "a scarf", "--kind", "gift-given", "--at", "2025-12-01 12:00"],
                 ["log", "Dan", "hi", "--kind", "call", "--at", "2026-10-01 12:00"]):
        assert cli(capsys, *argv)[0] == 0
    return ids


def cards_json(capsys, *extra: str) -> list[dict]:
    code, out, err = cli(capsys, "cards", "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_cards_lists_card_suggestions_with_address_state_and_gifts(capsys, book):
    cards = cards_json(capsys)
    assert [c["contacts"] for c in cards] == ["Ben\x1b[2J Okafor", "Ana Lima"]
    ben, ana = cards
    assert ben["key"] == f"key-date:{book['ben']}:anniversary:2026"
    assert ben["due"] == "2026-11-21"  # a card goes a week ahead
    assert ben["missing_address"] and ben["address"] == []
    assert ana["address"] == ["12 Rua Augusta", "1100-053 Lisboa", "Portugal"]  # home
    assert ana["state"] == "to write"
    assert ana["gift_ideas"] == ["a sailing knot book"]
    assert ana["gifts"] == ["given 1 Dec 2025: a scarf"]
    # Only the next 3 days: Ana's card (due 24 Nov) is in, later ones out.
    assert [c["contacts"] for c in cards_json(capsys, "--days", "0")] == ["Ben\x1b[2J Okafor"]


def test_cards_text_flags_missing_addresses_without_control_characters(capsys, book):
    code, out, _ = cli(capsys, "cards")
    assert code == 0
    assert "\x1b" not in out
    assert "⚠ no home address" in out
    assert "to: 12 Rua Augusta · 1100-053 Lisboa · Portugal" in out
    assert "gift ideas: a sailing knot book" in out


def test_written_then_posted_logs_the_card(capsys, book, db_path):
    key = f"key-date:{book['ana']}:birthday:2026"
    code, out, err = cli(capsys, "cards", "--written", key)
    assert code == 0, err
    assert [c["state"] for c in cards_json(capsys) if c["key"] == key] == ["written"]
    code, out, err = cli(capsys, "cards", "--posted", key, "--text", "Happy birthday card")
    assert code == 0, err and out.startswith("Posted and logged")
    assert key not in [c["key"] for c in cards_json(capsys)]
    with open_store(db_path) as store:
        entry = store.interactions(book["ana"])[0]
        states = store.review_states()
    assert (entry.kind, entry.text, entry.suggestion_key) == \
        (InteractionKind.CARD_SENT, "Happy birthday card", key)
    assert f"card-written:{key}" not in states and states[key].status.value == "done"
    code, out, _ = cli(capsys, "today", "--json")
    assert key not in [s["key"] for s in json.loads(out)]


def test_only_cards_can_be_marked(capsys, book):
    code, _, err = cli(capsys, "cards", "--written", "nope:c-x:1")
    assert code == 1 and "nope:c-x:1" in err
    cleo = f"key-date:{book['cle']}:birthday:2026"
    code, _, err = cli(capsys, "cards", "--posted", cleo)
    assert code == 1 and "is not a card (it goes by phone)" in err


def test_labels_for_the_cards(capsys, book, tmp_path):
    path = tmp_path / "labels.pdf"
    code, out, err = cli(capsys, "cards", "--labels", str(path))
    assert code == 0, err
    assert out.startswith(f"Wrote 1 label on 1 A4 3×7, 70 × 42.3 mm page to {path}.")
    assert "No address for Ben [2J Okafor." in out
    (page,) = pdf_text(path)
    assert page.splitlines() == ["Ana Lima", "12 Rua Augusta", "1100-053 Lisboa", "Portugal"]


@pytest.mark.parametrize(("sheet", "per_page"), [("a4", 21), ("letter", 30)])
def test_label_sheets_fill_pages_in_order(tmp_path, sheet, per_page):
    labels = [[f"Person {n}", "Łódź ulica 5", "Zoë Ångström"] for n in range(per_page + 1)]
    path = tmp_path / "l.pdf"
    assert write_labels(path, labels, sheet) == 2
    first, second = pdf_text(path)
    assert f"Person {per_page - 1}\n" in first and "Łódź ulica 5" in first
    assert second.splitlines() == [f"Person {per_page}", "Łódź ulica 5", "Zoë Ångström"]
    reader = PdfReader(path)
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == (210 if sheet == "a4" else 216)


def test_one_gift_to_everyone_with_an_interest_is_one_entry(capsys, book, db_path, tmp_path):
    code, out, _ = cli(capsys, "gift", "The Old Man and the Sea", "--tag", "sailing",
                       "--dry-run")
    assert out == "Would log for 2: Ana Lima, Ben [2J Okafor\n"
    path = tmp_path / "gift.pdf"
    code, out, err = cli(capsys, "gift", "The Old Man and the Sea", "--tag", "sailing",
                         "--who", "Cleo", "--at", "2026-11-20", "--labels", str(path))
    assert code == 0, err
    assert out.startswith("Logged one gift for 3 (")
    with open_store(db_path) as store:
        (entry,) = [e for e in store.interactions() if e.text == "The Old Man and the Sea"]
    assert entry.kind is InteractionKind.GIFT_GIVEN
    assert set(entry.contact_ids) == {book["ana"], book["ben"], book["cle"]}
    assert entry.at.date().isoformat() == "2026-11-20"
    assert "\x1b" not in out and "No address for Ben [2J Okafor, Cleo Park." in out
    assert pdf_text(path)[0].startswith("Ana Lima\n")
    # The gift now shows beside Ana's card, so it is not sent twice.
    ana = next(c for c in cards_json(capsys) if c["contacts"] == "Ana Lima")
    assert ana["gifts"][0] == "given 20 Nov 2026: The Old Man and the Sea"


def test_gift_needs_someone_and_a_text(capsys, book):
    code, _, err = cli(capsys, "gift", "A book")
    assert code == 1 and "--tag, --kind or --who" in err
    code, _, err = cli(capsys, "gift", "A book", "--tag", "chess")
    assert code == 1 and "nobody matches" in err
    code, _, err = cli(capsys, "gift", " ", "--tag", "sailing")
    assert code == 1 and "say what was sent" in err


def test_gift_idea_is_noted_and_shown_with_the_card(capsys, book):
    code, out, err = cli(capsys, "gift-idea", "Ana", "#gift-idea: silk scarf, blue")
    assert code == 0, err
    assert out == "Noted for Ana Lima: #gift-idea: silk scarf, blue\n"
    ana = next(c for c in cards_json(capsys) if c["contacts"] == "Ana Lima")
    assert ana["gift_ideas"] == ["silk scarf, blue", "a sailing knot book"]


@settings(max_examples=60, deadline=None)
@given(idea=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=40))
def test_a_gift_idea_comes_back_as_typed(idea):
    from nurture.cards import gift_ideas
    from nurture.model import Contact, Interaction

    person = Contact(id="c-a", display_name="A")
    entry = Interaction.new(["c-a"], InteractionKind.NOTE, f"Lunch. #gift-idea: {idea}")
    expected = idea.split("#")[0].strip().rstrip(".;,")  # an idea ends at the next hashtag
    assert gift_ideas(person, [entry]) == ([expected] if expected else [])
