"""`resolve` on a book whose contacts are not built yet builds only the ones that could match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.documents import contact_to_doc
from nurture.errors import NotFound
from nurture.model import Contact, Email
from nurture.store import open_store
from nurture.store.matching import _holds, doc_could_match, query_words

from .conftest import make_contact

names = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=20)


@settings(max_examples=300, deadline=None)
@given(display=names.filter(str.strip), company=names, title=names, nickname=names,
       interests=st.lists(st.from_regex(r"[a-zé][a-z0-9é-]{0,10}", fullmatch=True), max_size=3),
       email=st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.example", fullmatch=True),
       query=names)
def test_the_document_test_keeps_exactly_the_contacts_that_hold_the_words(
        display, company, title, nickname, interests, email, query) -> None:
    contact = Contact.new(display.strip(), company=company, title=title, nickname=nickname,
                          interests=interests, emails=[Email(email)])
    words = query_words(query)
    assert doc_could_match(contact_to_doc(contact), words) == _holds(contact, words)


def test_resolve_builds_only_the_contacts_that_could_match(tmp_path, monkeypatch) -> None:
    path = tmp_path / "book.json"
    with open_store(path) as store:
        store.save_contacts([make_contact(f"c-{n}", f"Person {n:04}") for n in range(300)]
                            + [make_contact("c-ann", "Ann Lee")])
        store.checkpoint()
    from nurture.store import views

    built: list[str] = []
    original = views.ModelCache.build

    def counting(self, doc_id, doc):  # type: ignore[no-untyped-def]
        built.append(doc_id)
        return original(self, doc_id, doc)

    monkeypatch.setattr(views.ModelCache, "build", counting)
    with open_store(path) as store:
        assert store.resolve("ann lee").id == "c-ann"
        assert len(built) <= 3  # the candidate and the private copy handed out
        built.clear()
        # A typo has no candidates as typed: the whole book is searched, as before.
        with pytest.raises(NotFound, match="did you mean Ann Lee"):
            store.resolve("ann lex")
        assert len(built) >= 300
