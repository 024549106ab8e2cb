"""Files as real programs write them (tests/fixtures/interop/real, sources in SOURCES.md).

Each file is asserted on what it must yield; the whole corpus is imported,
exported and imported again, and imported twice, without a change.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from nurture.interop import export_path, import_path
from nurture.interop.csvio import read_csv_path
from nurture.interop.vcard import read_vcard_paths, read_vcard_text
from nurture.interop.vcard_out import contact_to_vcard
from nurture.model import Contact
from nurture.store import open_store

from .conftest import essence

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "interop" / "real"
VCARDS = sorted(p.name for p in REAL.glob("*.vcf"))
CSVS = sorted(p.name for p in REAL.glob("*.csv"))
AT = pendulum.datetime(2026, 11, 22, 9, tz="UTC")


def one(name: str) -> Contact:
    result = read_vcard_paths([REAL / name])
    [item] = result.incoming
    return item.contact


def dates(c: Contact) -> list[tuple[str, int | None, int, int]]:
    return [(d.label, d.year, d.month, d.day) for d in c.key_dates]


def test_evolution() -> None:
    c = one("ezvcard_John_Doe_EVOLUTION.vcf")
    assert (c.display_name, c.given_name, c.family_name, c.nickname) == (
        "Mr. John Richter, James Doe Sr.", "John", "Doe", "Johny")
    assert c.extra["vcard_parts"]["n"] == ["Mr.", "Richter, James", "Sr."]
    assert (c.company, c.extra["vcard_parts"]["org_units"], c.title) == (
        "IBM", ["Accounting", "Dungeon"], "Money Counter")
    assert [(e.address, e.label) for e in c.emails] == [("john.doe@ibm.com", "work")]
    assert [(p.number, p.label) for p in c.phones] == [("905-666-1234", "mobile"),
                                                       ("905-555-1234", "work")]
    [home] = c.addresses
    assert (home.label, home.street, home.city, home.region, home.postcode, home.country) == (
        "home", "ASB-123\n15 Crescent moon drive", "Albaney", "New York", "12345",
        "United States of America")
    assert dates(c) == [("birthday", 1980, 3, 22), ("anniversary", 1980, 3, 22)]
    assert [(f.name, f.relation) for f in c.family] == [("Maria", "spouse")]
    assert c.interests == ["vip"] and c.urls == ["http://www.ibm.com"]
    assert c.notes.startswith("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS")
    assert "X-AIM;TYPE=HOME;X-COUCHDB-UUID=cb9e11fc-bb97-4222-9cd8-99820c1de454:johnny5@aol.com" \
        in c.extra["vcard"]
    assert c.uid == "477343c8e6bf375a9bac1f96a5000837"


def test_google() -> None:
    c = one("ezvcard_gmail-single2.vcf")
    assert (c.display_name, c.given_name, c.family_name, c.nickname) == (
        "VCard Test", "VCard", "Test", "TheNickname")
    assert [e.address for e in c.emails][:2] == ["email@example.com", "homeemail@example.com"]
    assert ("customcategory@example.com", "CustomEmailCategory") in [
        (e.address, e.label) for e in c.emails]
    assert len(c.phones) == 11 and ("5555551117", "home fax") in [
        (p.number, p.label) for p in c.phones]
    assert [a.street for a in c.addresses] == [f"11{n} Main St" for n in range(1, 6)]
    assert (c.company, c.title) == ("TheCompany", "TheJobTitle")
    assert dates(c) == [("birthday", 1912, 6, 23), ("anniversary", 1930, 3, 20),
                        ("date", 1776, 7, 4), ("CustomDateCategory", 2000, 9, 12)]
    family = {(f.name, f.relation) for f in c.family}
    assert {("Name2", "spouse"), ("Name3", "child"), ("Name4", "parent"),
            ("Name7", "sibling")} <= family
    # Friend, manager, assistant are not family: kept on the card as written.
    assert "item18.X-ABRELATEDNAMES:Name9" in c.extra["vcard"]
    assert c.urls[0] == "http://www.example1.com" and len(c.urls) == 6
    # A link's own label has no field: the line is kept with it and written back.
    assert "item6.URL:http\\://www.example3.com" in c.extra["vcard"]
    assert "item6.X-ABLABEL:BLOG" in c.extra["vcard"]
    out = contact_to_vcard(c, "3.0")
    assert out.count("www.example3.com") == 1 and "item6.X-ABLABEL:BLOG\r\n" in out
    assert c.notes == "note line 1\nnote line 2\nCustomField: field value"


def test_apple_address_book() -> None:
    c = one("ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf")
    assert (c.display_name, c.given_name, c.family_name, c.nickname) == (
        "Mr. John Richter,James Doe Sr.", "John", "Doe", "Johny")
    assert (c.company, c.title) == ("IBM", "Money Counter")
    assert [(p.number, p.label) for p in c.phones] == [
        ("905-777-1234", "work"), ("905-666-1234", "home"), ("905-555-1234", "mobile"),
        ("905-888-1234", "home fax"), ("905-999-1234", "work fax"), ("905-111-1234", "pager"),
        ("905-222-1234", "AssistantPhone")]
    assert [(a.label, a.street) for a in c.addresses] == [
        ("home", "Silicon Alley 5,"), ("work", "Street4\nBuilding 6\nFloor 8")]
    assert dates(c) == [("birthday", 2012, 6, 6)]
    assert [(f.name, f.relation) for f in c.family] == [("Jenny", "Spouse")]  # a typed label
    assert c.notes.endswith("SUCH DAMAGE.\nFavotire Color: Blue")
    # Its PHOTO;BASE64 has no type and indented base64: kept whole, typed from the data.
    photo = next(line for line in c.extra["vcard"] if line.startswith("PHOTO"))
    assert photo.startswith("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg") and " " not in photo
    assert "X-PHONETIC-FIRST-NAME:Jon" in c.extra["vcard"]


def test_the_same_person_from_two_programs_is_merged_by_email(tmp_path: Path) -> None:
    # Evolution's card has a UID, Apple's none: the shared email decides.
    with open_store(tmp_path / "n.json", backups_keep=0) as store:
        import_path(REAL / "ezvcard_John_Doe_EVOLUTION.vcf", store, at=AT)
        report = import_path(REAL / "ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf", store, at=AT)
        [merge] = report.plan.merged
        assert merge.matched_by == "email john.doe@ibm.com"
        [john] = store.contacts()
        # N's parts are places, not a list to append to.
        assert john.extra["vcard_parts"]["n"] == ["Mr.", "Richter, James", "Sr."]
        # The two programs disagree on his birthday: the stored one is kept, both shown.
        assert "    kept yours: birthday 1980-03-22 (file: 2012-06-06)" in report.details()
        assert dates(john)[0] == ("birthday", 1980, 3, 22)


def test_vcard_40_from_the_rfc_shapes() -> None:
    c = one("vobject_vcard40_full.vcf")
    assert (c.display_name, c.given_name, c.family_name) == ("Dr. John Q. Public, III",
                                                             "John", "Public")
    assert [e.address for e in c.emails] == ["johnny@personal.example.org",
                                             "john.public@example.com"]  # PREF=1 first
    assert [(p.number, p.label) for p in c.phones] == [("+1-555-555-5555", ""),
                                                       ("+1-555-123-4567", "mobile")]
    assert dates(c) == [("birthday", 1985, 4, 15), ("anniversary", 2010, 6, 12)]
    assert (c.company, c.title, c.interests) == ("Example Corp.", "CEO",
                                                 ["business", "networking"])
    assert "PHOTO:http://www.example.com/pub/photos/jqpublic.gif" in c.extra["vcard"]
    assert c.uid == "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"


def test_windows_address_book_21() -> None:
    result = read_vcard_paths([REAL / "folkerkinzel_v2_1_windows_address_book.vcf"])
    [item] = result.incoming
    c = item.contact
    assert (c.display_name, c.given_name, c.family_name) == ("Maxl", "Max", "Mustermann")
    assert (c.company, c.extra["vcard_parts"]["org_units"]) == ("Firma", ["Führungsetage"])
    assert c.notes.startswith("Kommentar ÄÄÄÄÄÄ ääääää ÖÖÖÖÖÖ öööööö ÜÜÜÜÜÜ üüüüüü ßßßßßß\n")
    assert c.emails[0].address == "privat@folker-kinzel.de"  # the PREF one
    assert [(p.number, p.label) for p in c.phones] == [("0123/579", "work fax")]
    # Its other "numbers" are words (the test file's placeholders): kept, and said.
    assert "TEL;TYPE=CELL,VOICE:Handy" in c.extra["vcard"]
    assert sum("is not a phone number" in p.message for p in result.problems) == 6
    assert [(a.label, a.street) for a in c.addresses] == [("work", "1\nFirmenstraße"),
                                                          ("home", "Straße")]
    assert dates(c) == [("birthday", 1972, 1, 31), ("anniversary", 2000, 12, 24)]
    assert [(f.name, f.relation) for f in c.family] == [("Partner", "spouse")]


def test_khard_fixtures() -> None:
    assert one("khard_korean-c.vcf").display_name == "최유림"
    assert one("khard_labels.vcf").company == "Test Inc"
    post = one("khard_post.vcf").addresses[0]
    assert (post.street, post.city, post.postcode) == ("PostBox\nExt\nMain Street 1",
                                                       "The City", "00000")
    assert one("khard_category.vcf").interests == ["testcategory"]
    tel = one("khard_tel-value-uri.vcf")
    assert [(p.number, p.label) for p in tel.phones] == [("67545678", "mobile")]
    photo = one("khard_photov3.vcf")
    assert any(line.startswith("PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo")
               for line in photo.extra["vcard"])


def test_thunderbird_vcard() -> None:
    c = one("thunderbird_dos_vcard_addressbook.vcf")
    assert (c.display_name, [(e.address, e.label) for e in c.emails]) == (
        "Name Surname", [("example@gmail.com", "home")])


# ---------------------------------------------------------------- what they revealed


def _card(*lines: str, version: str = "3.0") -> str:
    return (f"BEGIN:VCARD\r\nVERSION:{version}\r\n" + "".join(f"{ln}\r\n" for ln in lines)
            + "END:VCARD\r\n")


def test_outlook_empty_parameter_on_an_address() -> None:
    result = read_vcard_text(_card("FN:Ana", "ADR;HOME;PREF;:;;1 Main St;Town;;;"), "o.vcf")
    [address] = result.incoming[0].contact.addresses
    assert (address.label, address.street, address.city) == ("home", "1 Main St", "Town")
    assert result.problems == []


def test_a_tel_uri_with_an_extension() -> None:
    text = _card("FN:Ana", "TEL;VALUE=uri;TYPE=work:tel:+1-555-555-5555;ext=102", version="4.0")
    result = read_vcard_text(text, "t.vcf")
    assert [(p.number, p.label) for p in result.incoming[0].contact.phones] == [
        ("+1-555-555-5555 x102", "work")]
    assert result.problems == []


def test_cardbook_year_less_birthday() -> None:
    c = read_vcard_text(_card("FN:Ana", "BDAY:16040101"), "c.vcf").incoming[0].contact
    assert dates(c) == [("birthday", None, 1, 1)]


def test_the_bat_quoted_printable_without_a_charset(tmp_path: Path) -> None:
    path = tmp_path / "bat.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
                     b"N;ENCODING=QUOTED-PRINTABLE:=CF=E5=F2=F0=EE=E2;=C8=E2=E0=ED\r\n"
                     b"FN;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED =CF=E5=F2=F0=EE=E2\r\n"
                     b"TEL;WORK;VOICE:+7 495 123 45 67\r\nEND:VCARD\r\n")
    plain = read_vcard_paths([path])
    assert plain.incoming == []
    assert "give the file's with --encoding, e.g. --encoding cp1251" in plain.problems[0].message
    named = read_vcard_paths([path], encoding="cp1251")
    [item] = named.incoming
    assert (item.contact.display_name, item.contact.family_name) == ("Иван Петров", "Петров")
    assert named.problems == []


def test_a_charset_named_on_an_8_bit_value(tmp_path: Path) -> None:
    path = tmp_path / "eight.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=windows-1251:"
                     + "Петров;Иван".encode("cp1251")
                     + b"\r\nFN;CHARSET=ISO-8859-1:J" + "örg Petrov".encode("latin-1")
                     + b"\r\nNOTE;CHARSET=windows-1252:UTF-8 despite the label: "
                     + "Müller".encode() + b"\r\nEND:VCARD\r\n")
    result = read_vcard_paths([path])
    c = result.incoming[0].contact
    assert (c.display_name, c.given_name, c.family_name) == ("Jörg Petrov", "Иван", "Петров")
    assert c.notes == "UTF-8 despite the label: Müller"


def test_android_cuts_a_value_inside_a_character() -> None:
    # The shape of ez-vcard's John_Doe_ANDROID.vcf: a long quoted-printable ORG
    # ends in a stray byte (=80), and "My Contacts" is a system group.
    card = _card("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91;;;;",
                 "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=C3=91=",
                 "=80", "CATEGORIES:My Contacts,Chess", version="2.1")
    result = read_vcard_text(card, "android.vcf")
    c = result.incoming[0].contact
    assert (c.display_name, c.company, c.interests) == ("Ñ", "ÑÑ\ufffd", ["chess"])
    assert [str(p) for p in result.problems] == [
        "android.vcf: card 1 (line 4) [ORG]: 1 byte not in the line's charset, shown as �"]


def test_outlook_8_bit_lines_without_a_charset_use_the_one_the_file_names(
        tmp_path: Path) -> None:
    # The shape of FolkerKinzel/VCards' AnsiIssue.vcf (Outlook): the ADR is
    # bare Windows-1252 after an empty parameter, the LABEL names the charset.
    path = tmp_path / "outlook.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;LANGUAGE=de:Rastral;Ralf\r\n"
                     b"FN:Ralf Rastral\r\nADR;HOME;PREF;:;;L\xe4mmerweg 12;Kleindorf;;98765;"
                     b"Deutschland\r\nLABEL;HOME;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-"
                     b"PRINTABLE:L=E4mmerweg 12\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Gr=FC=DFe\r\n"
                     b"X-MS-OL-DESIGN;CHARSET=utf-8:<card/>\r\nEND:VCARD\r\n")
    result = read_vcard_paths([path])
    c = result.incoming[0].contact
    assert ([a.street for a in c.addresses], c.notes) == (["Lämmerweg 12"], "Grüße")
    assert result.problems == []


def test_a_21_photo_survives_export_in_each_version() -> None:
    data = "/9j/4AAQSkZJRgABAQEAYABgAAD"
    card = _card("FN:Ana", f"PHOTO;JPEG;ENCODING=BASE64:{data}", version="2.1") + \
        _card("FN:Ben", f"PHOTO;JPEG;B:{data}", version="2.1")
    people = [i.contact for i in read_vcard_text(card, "p.vcf").incoming]
    for person in people:
        assert person.extra["vcard"] == [f"PHOTO;ENCODING=b;TYPE=JPEG:{data}"]
        three = contact_to_vcard(person, "3.0").replace("\r\n ", "")
        assert f"PHOTO;ENCODING=b;TYPE=JPEG:{data}" in three
        four = contact_to_vcard(person, "4.0").replace("\r\n ", "")
        assert f"PHOTO:data:image/jpeg;base64,{data}" in four
        # And back: either version reads as the same kept line.
        for text in (three, four):
            again = read_vcard_text(text, "again.vcf").incoming[0].contact
            assert again.extra["vcard"] == person.extra["vcard"]


def test_a_contact_without_name_parts_exports_a_real_n() -> None:
    person = Contact(id="c-1", display_name="Ana Maria Lima", uid="u-1")
    out = contact_to_vcard(person, "3.0")
    assert "N;X-NURTURE-DERIVED=TRUE:Lima;Ana Maria;;;\r\n" in out
    back = read_vcard_text(out, "n.vcf").incoming[0].contact
    assert (back.given_name, back.family_name) == ("", "")  # as the contact had it
    firm = Contact(id="c-2", display_name="Acme", company="Acme", uid="u-2")
    assert "\r\nN:;;;;\r\n" in contact_to_vcard(firm, "3.0")  # an organisation, as Apple writes


# ---------------------------------------------------------------- the whole corpus


@pytest.mark.parametrize("name", VCARDS + CSVS)
def test_every_file_imports_twice_without_a_change(tmp_path: Path, name: str) -> None:
    with open_store(tmp_path / "n.json", backups_keep=0) as store:
        first = import_path(REAL / name, store, at=AT)
        assert first.records == len(first.plan.added) + first.plan.merged_records + \
            len(first.plan.unchanged) + len(first.plan.skipped) + first.bad_records
        before = {c.id: essence(c) for c in store.contacts()}
        again = import_path(REAL / name, store, at=AT)
        assert (again.plan.added, again.plan.merged) == ([], [])
        assert {c.id: essence(c) for c in store.contacts()} == before


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.parametrize("name", VCARDS)
def test_each_card_reads_back_the_same_after_export(name: str, version: str) -> None:
    # Compared as read, not through a merge (which would not notice an order).
    for n, item in enumerate(read_vcard_paths([REAL / name]).incoming):
        contact = item.contact
        contact.id, contact.uid = f"c-{n:08d}", contact.uid or f"uid-{n}"
        again = read_vcard_text(contact_to_vcard(contact, version), "again.vcf")
        assert [essence(i.contact) for i in again.incoming] == [essence(contact)]


def test_outlook_certificate_and_google_links_in_40() -> None:
    # Outlook 2007 writes KEY;X509;ENCODING=BASE64 (4.0 has no ENCODING: a
    # data: URI there); Google's labelled links keep their place among the others.
    card = _card("FN:Mike", "KEY;X509;ENCODING=BASE64:MIIB/jCCAWugAwIBAgIQ",
                 "URL:http://a.example", "item1.URL:http://b.example",
                 "item1.X-ABLabel:BLOG", "URL:http://c.example", version="2.1")
    mike = read_vcard_text(card, "o.vcf").incoming[0].contact
    assert "KEY;ENCODING=b;TYPE=X509:MIIB/jCCAWugAwIBAgIQ" in mike.extra["vcard"]
    four = contact_to_vcard(mike, "4.0")
    assert "KEY:data:application/x509;base64,MIIB/jCCAWugAwIBAgIQ\r\n" in four
    back = read_vcard_text(four, "again.vcf").incoming[0].contact
    assert back.urls == ["http://a.example", "http://b.example", "http://c.example"]
    assert back.extra == mike.extra


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_the_corpus_exports_and_imports_back_unchanged(tmp_path: Path, version: str) -> None:
    with open_store(tmp_path / "n.json", backups_keep=0) as store:
        for name in VCARDS:
            import_path(REAL / name, store, at=AT)
        for name in CSVS:
            import_path(REAL / name, store, at=AT)
        before = {c.id: essence(c) for c in store.contacts()}
        assert len(before) >= len(VCARDS)
        vdir = tmp_path / "vdir"
        export_path(store, vdir, "vcard", today=AT.date(), version=version)
        report = import_path(vdir, store, at=AT)
        assert (report.plan.added, report.plan.merged, report.bad_records) == ([], [], 0)
        # Only the warnings the files earned the first time (numbers that are words).
        assert {p.message for p in report.problems} <= {
            f"{word!r} is not a phone number; kept on the card as it was"
            for word in ("Tel geschäftlich", "Tel privat", "Handy", "Other Phone", "Pager",
                         "Fax privat")}
        assert {c.id: essence(c) for c in store.contacts()} == before


def test_csv_corpus_reads_without_problems() -> None:
    for name in CSVS:
        result = read_csv_path(REAL / name)
        assert result.incoming and result.problems == [], name
