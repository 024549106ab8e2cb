"""Reading vCards the way real producers write them, and the ways they go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from nurture.errors import InputFileError
from nurture.interop.vcard import logical_lines, read_vcard_paths, read_vcard_text
from nurture.interop.vtext import parse_vdate
from nurture.model import KeyDate

from .conftest import by_name


def test_apple_contacts_card_maps_every_field(fixtures: Path) -> None:
    result = read_vcard_paths([fixtures / "apple_contacts.vcf"])
    people = by_name([i.contact for i in result.incoming])
    ana = people["Dr. Ana Maria Lima"]
    assert (ana.given_name, ana.family_name, ana.nickname) == ("Ana", "Lima", "Aninha")
    assert (ana.company, ana.title) == ("Acme Corp", "Head of Sales")
    # The pref email first; Apple's built-in label decoded; a typed label kept.
    assert [(e.address, e.label) for e in ana.emails] == [
        ("ana@example.com", "other"), ("ana.lima@acme.example", "work")]
    assert [(p.number, p.label) for p in ana.phones] == [
        ("+351 912 345 678", "mobile"), ("+351 21 000 0000", "Dad's office")]
    assert ana.addresses[0].street == "Rua Augusta 12\n3º Esq"
    assert (ana.addresses[0].label, ana.addresses[0].city) == ("home", "Lisboa")
    # Commas and semicolons escaped in NOTE come back whole (vobject alone
    # would stop at the first comma).
    assert ana.notes == "Met at the Web Summit, 2019. Likes: jazz; wine.\nAllergic to nuts."
    assert ana.key_dates == [
        KeyDate("birthday", 3, 14, None),  # X-APPLE-OMIT-YEAR=1604
        KeyDate("anniversary", 6, 12, 2010),
        KeyDate("Maya's first day at school", 9, 1, 2019),
    ]
    assert [(f.name, f.relation) for f in ana.family] == [("João Lima", "spouse"),
                                                          ("Maya", "child")]
    assert ana.urls == ["http://www.example.com/ana", "http://twitter.com/analima"]
    assert ana.uid == "5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE"
    kept = ana.extra["vcard"]
    # What has no field is kept as written: the assistant is not family.
    assert "item9.X-ABRELATEDNAMES:Rita Sousa" in kept
    assert "item9.X-ABLABEL:_$!<Assistant>!$_" in kept
    assert any(line.startswith("IMPP;") for line in kept)
    assert any(line.startswith("X-SOCIALPROFILE;") for line in kept)
    photo = next(line for line in kept if line.startswith("PHOTO;"))
    assert photo.endswith("AAhEBAxEB")  # all three folded lines joined
    assert ana.extra["vcard_parts"] == {"n": ["Dr.", "Maria", ""], "org_units": ["Sales"]}
    assert not any(line.startswith(("PRODID", "VERSION", "UID")) for line in kept)


def test_apple_leap_day_and_group_card(fixtures: Path) -> None:
    result = read_vcard_paths([fixtures / "apple_contacts.vcf"])
    hiroshi = by_name([i.contact for i in result.incoming])["Hiroshi Nakamura"]
    assert hiroshi.key_dates == [KeyDate("birthday", 2, 29, 1976)]
    assert hiroshi.interests == ["whisky", "go"]
    assert [s.reason for s in result.skipped] == ["a contact group, not a person"]
    assert "card 3 (line 51)" in result.skipped[0].place
    assert result.problems == []


def test_google_vcard_drops_system_groups_and_reads_year_less_birthday(fixtures: Path) -> None:
    people = by_name([i.contact for i in
                      read_vcard_paths([fixtures / "google_contacts.vcf"]).incoming])
    priya = people["Priya Raman"]
    assert priya.interests == ["chess", "running"]
    assert priya.key_dates[0] == KeyDate("birthday", 7, 4, None)
    assert priya.family[0].name == "Arjun Raman"
    assert people["Ben Okafor"].interests == []
    # No UID on Google's cards: the import gives new contacts one (test_merge).
    assert priya.uid == ""


def test_outlook_21_quoted_printable_and_bare_types(fixtures: Path) -> None:
    result = read_vcard_paths([fixtures / "outlook_21.vcf"])
    assert result.problems == []
    people = by_name([i.contact for i in result.incoming])
    joerg = people["Jörg Müller"]
    assert joerg.notes == ("Trifft sich gern zum Mittagessen.\n"
                           "Mag Fußball und Wein, vor allem Riesling.")
    assert joerg.addresses[0].street == "Hauptstraße 5"
    assert joerg.addresses[0].label == "work"
    assert [(p.number, p.label) for p in joerg.phones] == [
        ("+49 30 1234567", "work"), ("+49 170 1234567", "mobile")]
    assert KeyDate("anniversary", 5, 21, 2005) in joerg.key_dates
    assert KeyDate("birthday", 4, 22, 1970) in joerg.key_dates
    assert [(f.name, f.relation) for f in joerg.family] == [("Käthe Müller", "spouse")]
    assert joerg.extra["vcard_parts"]["org_units"] == ["Vertrieb"]
    # The formatted LABEL is derived from ADR and dropped; unknown X- lines kept.
    assert not any(line.startswith("LABEL") for line in joerg.extra["vcard"])
    assert "X-MS-IMADDRESS:joerg@im.example" in joerg.extra["vcard"]
    assert people["Grete Schmidt"].notes == "Grüße an die Familie."  # Windows-1252 QP


def test_vdir_of_nextcloud_cards(fixtures: Path) -> None:
    result = read_vcard_paths([fixtures / "vdir"])
    people = by_name([i.contact for i in result.incoming])
    assert set(people) == {"Chloé Dubois", "Søren Åberg"}
    chloe = people["Chloé Dubois"]
    assert chloe.phones[0].number == "+33-6-12-34-56-78"  # tel: URI unwrapped
    assert chloe.phones[0].label == "mobile"  # TYPE="cell,voice"
    assert chloe.addresses[0].postcode == "75002"  # folded inside the value
    assert chloe.key_dates == [KeyDate("birthday", 5, 21, None),
                               KeyDate("anniversary", 9, 12, 2015)]
    assert [(f.name, f.relation) for f in chloe.family] == [("Marc Dubois", "spouse"),
                                                            ("Léa Dubois", "child")]
    assert chloe.notes.endswith("l'appelle le soir; jamais avant 10 h.")
    assert any(line.startswith("RELATED;TYPE=friend") for line in chloe.extra["vcard"])
    assert "GENDER:F" in chloe.extra["vcard"]
    soren = people["Søren Åberg"]
    assert KeyDate("anniversary", 8, 14, 2010) in soren.key_dates
    assert soren.family[0].name == "Ingrid Åberg"
    # The half-written file is reported by name; the others are read.
    [problem] = result.problems
    assert problem.source.endswith("2d3e4f50-broken.vcf")
    assert "truncated" in problem.message and problem.skipped


def test_malformed_cards_are_reported_and_good_ones_kept(fixtures: Path) -> None:
    result = read_vcard_paths([fixtures / "malformed.vcf"])
    names = [i.contact.display_name for i in result.incoming]
    assert names == ["Good One", "Bad Values", "Odd Line", "Good Two"]
    messages = [(p.where, p.field, p.skipped, p.message) for p in result.problems]
    assert ("card 2 (line 10)", "BDAY", False,
            "'1985-13-45' is not a date (month 13 is not between 1 and 12); "
            "kept on the card as it was") in messages
    skipped = [(p.where, p.message) for p in result.problems if p.skipped]
    assert skipped == [
        ("card 3 (line 16)", "truncated: no END:VCARD before the next card; card skipped"),
        ("card 4 (line 20)", "no name (no FN, N, ORG or EMAIL); card skipped"),
        ("card 7 (line 36)", "truncated: the file ends before END:VCARD; card skipped"),
    ]
    bad = by_name([i.contact for i in result.incoming])["Bad Values"]
    # Values that do not fit stay on the card, so nothing typed is lost.
    assert bad.extra["vcard"] == ["ANNIVERSARY:someday", "BDAY:1985-13-45",
                                  "EMAIL:not-an-address", "TEL:call me"]
    assert bad.emails == [] and bad.key_dates == []
    odd = next(p for p in result.problems if p.where == "card 5 (line 28)")
    assert "'this line has no colon'" in odd.message and not odd.skipped


def test_empty_and_cardless_files_are_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.vcf"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read_vcard_paths([empty])
    text = tmp_path / "notes.vcf"
    text.write_text("just some notes\n")
    with pytest.raises(InputFileError, match="no vCards"):
        read_vcard_paths([text])


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.vcf"
    path.write_bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Xu\r\nEND:VCARD\r\n".encode("cp1252"))
    with pytest.raises(InputFileError) as info:
        read_vcard_paths([path])
    assert info.value.line == 3
    assert "0xeb" in str(info.value) and "--encoding" in str(info.value)
    result = read_vcard_paths([path], encoding="cp1252")
    assert result.incoming[0].contact.display_name == "Zoë Xu"


def test_one_bad_file_in_a_vdir_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n")
    (tmp_path / "b.vcf").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "c.vcf").write_text("")
    result = read_vcard_paths([tmp_path])
    assert [i.contact.display_name for i in result.incoming] == ["Ana"]
    assert sorted(Path(p.source).name for p in result.problems) == ["b.vcf", "c.vcf"]


def test_photos_can_be_left_out(fixtures: Path) -> None:
    result = read_vcard_paths([fixtures / "apple_contacts.vcf"], keep_photos=False)
    ana = result.incoming[0].contact
    assert not any(line.startswith("PHOTO") for line in ana.extra["vcard"])
    assert any(line.startswith("IMPP") for line in ana.extra["vcard"])


def test_vcard_21_photo_on_unindented_base64_lines() -> None:
    text = ("BEGIN:VCARD\nVERSION:2.1\nN:Old;Phone\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\n"
            "SkZJRgABAQ\nAAAQABAAD\n\nTEL;CELL:+1 555 0100\nEND:VCARD\n")
    result = read_vcard_text(text, "old.vcf")
    assert result.problems == []
    person = result.incoming[0].contact
    assert person.display_name == "Phone Old"
    assert person.extra["vcard"] == ["PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD"]


def test_unfolding_counts_physical_lines() -> None:
    text = ("A:1\r\nB:long\r\n  folded\r\n\tagain\r\n\r\n"
            "C;ENCODING=QUOTED-PRINTABLE:x=\r\ny\r\nD:4\r\n")
    assert list(logical_lines(text)) == [("A:1", 1), ("B:long foldedagain", 2),
                                         ("C;ENCODING=QUOTED-PRINTABLE:x=\ny", 6), ("D:4", 8)]


def test_progress_reports_every_card(fixtures: Path) -> None:
    calls: list[tuple[int, int]] = []
    read_vcard_paths([fixtures / "vdir"], progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3, 3)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_text_outside_cards_is_reported_once() -> None:
    text = ("garbage\nmore garbage\nBEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n"
            "END:VCARD\n")
    result = read_vcard_text(text, "x.vcf")
    assert [i.contact.display_name for i in result.incoming] == ["Ana"]
    assert [(p.where, p.message, p.skipped) for p in result.problems] == [
        ("line 1", "text outside any BEGIN:VCARD … END:VCARD ignored", False),
        ("line 7", "END:VCARD without a BEGIN:VCARD", False)]


@pytest.mark.parametrize(("value", "omit", "expected"), [
    ("1985-03-14", None, (1985, 3, 14)),
    ("19850314T083000Z", None, (1985, 3, 14)),
    ("--0314", None, (None, 3, 14)),
    ("--03-14", None, (None, 3, 14)),
    ("0000-03-14", None, (None, 3, 14)),
    ("00000229", None, (None, 2, 29)),
    ("1604-02-29", "1604", (None, 2, 29)),
    ("1604-02-29", None, (None, 2, 29)),  # CardBook writes 1604 without the parameter
    ("16040101", None, (None, 1, 1)),
])
def test_date_forms_with_and_without_a_year(value: str, omit: str | None,
                                            expected: tuple[int | None, int, int]) -> None:
    assert parse_vdate(value, omit) == expected


def test_year_zero_birthday_is_a_birthday_without_a_year() -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nBDAY:0000-03-14\nEND:VCARD\n"
    result = read_vcard_text(text, "x.vcf")
    assert result.problems == []
    assert result.incoming[0].contact.key_dates == [KeyDate("birthday", 3, 14, None)]
