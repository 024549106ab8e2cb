"""Export then import gives back the same contacts; import, export, import is stable."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from nurture.interop import import_path
from nurture.interop.vcard import read_vcard_paths, read_vcard_text
from nurture.interop.vcard_out import contact_to_vcard, stable_uid, write_vcards
from nurture.store import open_store

from .books import address_book
from .conftest import essence

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@SETTINGS
@given(book=address_book())
def test_export_then_import_gives_back_the_same_contacts(version: str, book) -> None:
    text = "".join(contact_to_vcard(c, version) for c in book)
    result = read_vcard_text(text, "book.vcf")
    assert result.problems == []
    for original in book:
        original.uid = stable_uid(original)
    assert [essence(i.contact) for i in result.incoming] == [essence(c) for c in book]


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_replacement_character_in_the_data_is_not_reported_as_a_lost_byte(
        version: str) -> None:
    # Found by the property above in CI: an interest that is U+FFFD itself came back
    # with "1 byte not in the line's charset"; no byte was lost, the text held it.
    from nurture.model import Contact

    contact = Contact.new("Zo\ufffd Lee", interests=["\ufffd"])
    result = read_vcard_text(contact_to_vcard(contact, version), "book.vcf")
    assert result.problems == []
    back = result.incoming[0].contact
    assert (back.display_name, back.interests) == ("Zo\ufffd Lee", ["\ufffd"])


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.parametrize("name", ["apple_contacts.vcf", "google_contacts.vcf",
                                  "outlook_21.vcf", "vdir"])
def test_import_export_import_is_stable(fixtures: Path, tmp_path: Path, name: str,
                                        version: str) -> None:
    first = [i.contact for i in read_vcard_paths([fixtures / name]).incoming]
    for n, contact in enumerate(first):
        contact.id = f"c-{n:08d}"  # as the store would have them
        contact.uid = stable_uid(contact)
    out = tmp_path / "again.vcf"
    write_vcards(first, out, version)
    second = read_vcard_paths([out])
    assert second.problems == []
    assert [essence(i.contact) for i in second.incoming] == [essence(c) for c in first]


def test_reimport_of_an_export_updates_instead_of_duplicating(fixtures: Path,
                                                               tmp_path: Path) -> None:
    with open_store(tmp_path / "a.json", backups_keep=0) as store:
        import_path(fixtures / "apple_contacts.vcf", store)
        import_path(fixtures / "google_contacts.vcf", store)
        before = {c.id: essence(c) for c in store.contacts()}
        vdir = tmp_path / "vdir"
        write_vcards(store.contacts(), vdir, "4.0")
        report = import_path(vdir, store)
        assert (len(report.plan.added), len(report.plan.merged)) == (0, 0)
        assert len(report.plan.unchanged) == len(before)
        assert {c.id: essence(c) for c in store.contacts()} == before
