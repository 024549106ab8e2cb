"""Two writers editing one contact: nothing is lost; different fields merge; the same
field is refused, naming it. In one process (two stores on one file) and in two."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from nurture.errors import EditConflict
from nurture.model import KeyDate
from nurture.store import open_store
from nurture.store.merge import merge_contact

from .conftest import make_contact

HELPER = Path(__file__).with_name("edit_writer.py")


@pytest.fixture
def book(db: Path) -> Path:
    with open_store(db) as store:
        store.save_contact(make_contact("c-1", "Ann Lee", company="Fjord", notes="tea"))
    return db


def _open_edit(store, contact_id: str = "c-1"):
    base = store.contact(contact_id)
    return base, dataclasses.replace(base)


def test_edits_of_different_fields_in_two_stores_are_merged(book: Path) -> None:
    one, two = open_store(book), open_store(book)
    base1, edit1 = _open_edit(one)
    base2, edit2 = _open_edit(two)
    edit1.company = "Fjord AB"
    edit2.notes = "likes jazz"
    one.save_contact(edit1, base=base1)
    saved = two.save_contact(edit2, base=base2)
    assert (saved.company, saved.notes) == ("Fjord AB", "likes jazz")
    with open_store(book) as fresh:
        contact = fresh.contact("c-1")
    assert (contact.company, contact.notes) == ("Fjord AB", "likes jazz")
    assert contact.revision == 3  # created, then one save each


def test_the_same_field_changed_twice_is_refused_naming_it(book: Path) -> None:
    one, two = open_store(book), open_store(book)
    base1, edit1 = _open_edit(one)
    base2, edit2 = _open_edit(two)
    edit1.notes = "mine"
    edit2.notes, edit2.title = "theirs", "CTO"
    one.save_contact(edit1, base=base1)
    with pytest.raises(EditConflict) as info:
        two.save_contact(edit2, base=base2)
    assert info.value.fields == ["notes"]
    assert str(info.value) == ("notes was changed elsewhere while you were editing Ann Lee "
                               "(another window or command saved first); nothing was saved")
    assert info.value.current.notes == "mine"
    with open_store(book) as fresh:
        contact = fresh.contact("c-1")
    assert (contact.notes, contact.title) == ("mine", "")  # nothing of the refused save
    # Insisting keeps theirs for that field and still merges the rest.
    saved = two.save_contact(edit2, base=base2, keep_mine=info.value.keys)
    assert (saved.notes, saved.title) == ("theirs", "CTO")


def test_a_birthday_and_an_anniversary_edited_apart_both_stay(book: Path) -> None:
    one, two = open_store(book), open_store(book)
    base1, edit1 = _open_edit(one)
    base2, edit2 = _open_edit(two)
    edit1.key_dates = [KeyDate("birthday", 3, 14, 1984)]
    edit2.key_dates = [KeyDate("anniversary", 6, 1, 2019)]
    one.save_contact(edit1, base=base1)
    saved = two.save_contact(edit2, base=base2)
    assert [d.label for d in saved.key_dates] == ["anniversary", "birthday"]


def test_an_edit_of_a_contact_deleted_meanwhile_is_refused(book: Path) -> None:
    one, two = open_store(book), open_store(book)
    base, edit = _open_edit(two)
    one.delete_contact("c-1")
    edit.notes = "too late"
    with pytest.raises(EditConflict, match="was deleted elsewhere while you were editing"):
        two.save_contact(edit, base=base)
    assert open_store(book).contact("c-1") is None


def test_merge_takes_each_field_from_the_side_that_changed_it() -> None:
    base = {"id": "c-1", "rev": 1, "display_name": "A", "notes": "n", "company": "c"}
    mine = {**base, "notes": "mine"}
    theirs = {**base, "rev": 2, "company": "theirs"}
    assert merge_contact(base, mine, theirs) == {"id": "c-1", "rev": 2, "display_name": "A",
                                                 "notes": "mine", "company": "theirs",
                                                 "key_dates": []}
    with pytest.raises(EditConflict, match=r"^notes and role were changed"):
        merge_contact(base, {**mine, "title": "x"}, {**theirs, "notes": "t", "title": "y"})


class Editor:
    """An ``edit_writer.py`` process on the book."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, str(HELPER), str(db), "c-1"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self, command: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0


def test_two_processes_editing_one_contact_lose_no_update(book: Path) -> None:
    """Rounds of two interleaved edits (both read, then both save): every round's two
    changes survive; the same field in both is refused, never silently overwritten."""
    a, b = Editor(book), Editor(book)
    lost = 0
    try:
        for n in range(10):
            assert a("read") == b("read") == "read"
            a(f"set company A{n}")
            b(f"set title B{n}")
            assert (a("save"), b("save")) == ("saved", "saved")
            with open_store(book) as fresh:
                contact = fresh.contact("c-1")
            lost += (contact.company, contact.title) != (f"A{n}", f"B{n}")
        assert a("read") == b("read") == "read"
        a("set notes from A")
        b("set notes from B")
        assert (a("save"), b("save")) == ("saved", "conflict notes")
    finally:
        a.close()
        b.close()
    assert lost == 0
    with open_store(book) as fresh:
        assert fresh.contact("c-1").notes == "from A"
