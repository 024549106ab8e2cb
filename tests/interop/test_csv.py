"""CSV from Google, Outlook and LinkedIn, any CSV with --map, and the files that go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from nurture.errors import InputFileError, NurtureError
from nurture.interop.csv_rows import parse_csv_date
from nurture.interop.csvio import CsvOptions, _dialect, read_csv_path, read_csv_text
from nurture.model import Address, KeyDate

from .conftest import by_name


def test_google_csv(fixtures: Path) -> None:
    result = read_csv_path(fixtures / "google_contacts.csv")
    assert result.detected == "google" and result.problems == []
    people = by_name([i.contact for i in result.incoming])
    priya = people["Priya Raman"]
    assert [(e.address, e.label) for e in priya.emails] == [
        ("priya.raman@example.org", "home"), ("priya@globex.example", "work")]
    assert priya.addresses == [Address("home", "221B Baker Street", "London", "", "NW1 6XE",
                                       "United Kingdom")]
    assert priya.key_dates == [KeyDate("birthday", 7, 4, None),
                               KeyDate("anniversary", 5, 19, 2012)]
    assert priya.interests == ["chess", "running"]  # "* myContacts" is Google's, not hers
    assert priya.notes == "Introduced by Ben, at the offsite.\nLikes chess."
    assert [(f.name, f.relation) for f in priya.family] == [("Arjun Raman", "spouse")]
    assert priya.extra["csv"] == {"Shoe size": "38"}
    assert priya.extra["vcard_parts"] == {"org_units": ["Engineering"]}
    ben = people["Ben Okafor"]
    # " ::: " holds two addresses in one cell; a manager is not family.
    assert [e.address for e in ben.emails] == ["ben.okafor@example.com", "ben@okafor.example"]
    assert ben.family == [] and ben.extra["csv"] == {"Relation 1 - Value":
                                                     "Priya Raman (Manager)"}
    assert people["Vandelay Industries"].company == "Vandelay Industries"
    assert [i.where for i in result.incoming] == ["line 2", "line 6", "line 7"]


def test_google_legacy_csv(fixtures: Path) -> None:
    result = read_csv_path(fixtures / "google_contacts_legacy.csv")
    rosa = result.incoming[0].contact
    assert result.detected == "google"
    assert (rosa.display_name, rosa.nickname, rosa.company, rosa.title) == (
        "Rosa Castillo", "Rosi", "Soylent", "Buyer")
    assert rosa.interests == ["dance class"]
    assert rosa.extra["csv"] == {"Hobby": "Salsa"}


def test_outlook_csv(fixtures: Path) -> None:
    result = read_csv_path(fixtures / "outlook_contacts.csv")
    assert result.detected == "outlook" and result.problems == []
    gustav = by_name([i.contact for i in result.incoming])["Gustav Bauer"]
    assert gustav.extra["vcard_parts"] == {"n": ["Mr.", "", "Jr."],
                                           "org_units": ["Procurement"]}
    work, home = gustav.addresses
    assert (work.label, work.street, work.region) == ("work", "1 Business Park\nBuilding C", "TX")
    assert (home.label, home.street, home.postcode) == ("home", "42 Elm Road", "73344")
    assert [(p.number, p.label) for p in gustav.phones] == [
        ("+1 (512) 555-0100", "work"), ("+1 512 555 0199", "mobile"),
        ("+1 (512) 555-0101", "work fax")]
    assert KeyDate("birthday", 4, 22, 1970) in gustav.key_dates
    assert KeyDate("anniversary", 6, 5, 1998) in gustav.key_dates
    assert [(f.name, f.relation) for f in gustav.family] == [
        ("Tom", "child"), ("Lisa", "child"), ("Mary Bauer", "spouse")]
    assert gustav.interests == ["golf", "customers"]
    assert gustav.notes == "Prefers calls after 4pm.\nAsked about the Q3 pricing."
    # Outlook's placeholders ("0/0/00", "Normal", "False") are not kept as data.
    assert gustav.extra["csv"] == {"Hobby": "Fishing"}
    uma = by_name([i.contact for i in result.incoming])["Uma Patel"]
    assert uma.key_dates == [KeyDate("birthday", 12, 31, 1990)]  # 31/12: day first by force


def test_outlook_unicode_export_is_utf16(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "outlook_contacts.csv").read_text(encoding="utf-8")
    path = tmp_path / "unicode.csv"
    path.write_bytes(text.replace(",", "\t").encode("utf-16"))  # BOM + tabs, as Outlook saves
    result = read_csv_path(path)
    assert result.detected == "outlook"
    assert {i.contact.display_name for i in result.incoming} == {"Gustav Bauer", "Uma Patel"}


def test_linkedin_preamble_is_skipped(fixtures: Path) -> None:
    result = read_csv_path(fixtures / "linkedin_connections.csv")
    assert result.detected == "linkedin" and result.problems == []
    giulia, tomas = (i.contact for i in result.incoming)
    assert (giulia.display_name, giulia.company, giulia.title) == (
        "Giulia Rossi", "Pied Piper", "Product Manager")
    assert giulia.how_we_met == "connected on LinkedIn on 12 Mar 2023"
    assert giulia.urls == ["https://www.linkedin.com/in/giuliarossi"]
    assert tomas.company == "Wayne Enterprises, Inc." and tomas.emails == []
    assert [i.where for i in result.incoming] == ["line 5", "line 6"]


def test_any_csv_with_map_and_a_sniffed_dialect(fixtures: Path) -> None:
    options = CsvOptions(mapping=["Firma=company", "Handy=phone:mobile", "Geburtstag=birthday",
                                  "kennengelernt=how_we_met"])
    result = read_csv_path(fixtures / "custom_semicolon.csv", options)
    max_ = result.incoming[0].contact
    assert (max_.display_name, max_.company, max_.how_we_met) == (
        "Max Mustermann", "Muster AG", "Messe Hannover")
    assert [(p.number, p.label) for p in max_.phones] == [("+49 151 2345678", "mobile")]
    assert max_.emails[0].address == "max@muster.example"  # "E-Mail" recognised
    assert max_.key_dates == [KeyDate("birthday", 3, 14, 1985)]  # 14.03.1985
    assert max_.extra["csv"] == {"Schuhgröße": "44"}


def test_map_errors_name_the_problem(fixtures: Path) -> None:
    with pytest.raises(InputFileError, match="'Fax', which is not in the header"):
        read_csv_path(fixtures / "custom_semicolon.csv", CsvOptions(mapping=["Fax=phone"]))
    with pytest.raises(NurtureError, match="unknown field 'shoe'"):
        read_csv_path(fixtures / "custom_semicolon.csv", CsvOptions(mapping=["Firma=shoe"]))
    with pytest.raises(NurtureError, match="use COLUMN=FIELD"):
        read_csv_path(fixtures / "custom_semicolon.csv", CsvOptions(mapping=["Firma"]))


def test_a_csv_without_a_name_column_is_refused() -> None:
    with pytest.raises(InputFileError) as info:
        read_csv_text("Colour,Size\nred,10\n", "things.csv")
    assert "no column gives a name" in str(info.value)
    assert "--map 'Colour=name'" in str(info.value)


def test_forcing_the_wrong_format_is_refused(fixtures: Path) -> None:
    with pytest.raises(InputFileError, match="looks like an export from outlook, not linkedin"):
        read_csv_path(fixtures / "outlook_contacts.csv", CsvOptions(format="linkedin"))
    with pytest.raises(InputFileError, match="does not look like a google export"):
        read_csv_text("Colour,Size\nred,10\n", "x.csv", CsvOptions(format="google"))


def test_rows_with_missing_or_extra_columns_are_reported_and_skipped() -> None:
    text = ("Name,Email,Phone\n"
            "Ana Lima,ana@example.com,+351 912 345 678\n"
            "Ben Okafor,ben@example.com\n"
            "\"Chloé\nDubois\",chloe@example.fr,+33 6 12 34 56 78\n"
            "Dmitri,d@example.com,+7 999 000 11 22,surprise\n"
            ",,\n"
            "Elif,not-an-email,+90 212 555 0101\n")
    result = read_csv_text(text, "people.csv")
    assert [i.contact.display_name for i in result.incoming] == ["Ana Lima", "Chloé Dubois",
                                                                 "Elif"]
    problems = [(p.where, p.field, p.skipped, p.message) for p in result.problems]
    assert problems[0][:3] == ("line 3", "", True)
    assert "2 values where the header has 3 columns" in problems[0][3]
    assert problems[1][:3] == ("line 6", "", True)  # after the two-line quoted name
    assert ("line 8", "Email", False, "'not-an-email' is not an email address; kept aside") \
        in problems
    elif_ = result.incoming[-1].contact
    assert elif_.extra["csv"] == {"Email": "not-an-email"}
    assert elif_.phones[0].number == "+90 212 555 0101"


def test_a_bad_number_among_googles_several_is_kept_aside_and_the_good_one_kept() -> None:
    text = "Name,Phone\nAna Lima,+351 912 345 678 ::: call me maybe\n"
    result = read_csv_text(text, "people.csv", CsvOptions(format="generic"))
    ana = result.incoming[0].contact
    assert [p.number for p in ana.phones] == ["+351 912 345 678"]
    assert ana.extra["csv"] == {"Phone": "+351 912 345 678 ::: call me maybe"}
    assert [(p.field, p.message) for p in result.problems] == [
        ("Phone", "'call me maybe' is not a phone number; kept aside")]


def test_encodings(tmp_path: Path) -> None:
    text = "Name,Email\nZoë Xu,zoe@example.com\nJörg Müller,joerg@example.de\n"
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        names = [i.contact.display_name for i in read_csv_path(path).incoming]
        assert names == ["Zoë Xu", "Jörg Müller"], encoding
    path = tmp_path / "ansi.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(InputFileError) as info:
        read_csv_path(path)
    assert info.value.line == 2 and "0xeb" in str(info.value)
    names = [i.contact.display_name
             for i in read_csv_path(path, CsvOptions(encoding="cp1252")).incoming]
    assert names == ["Zoë Xu", "Jörg Müller"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("\n\n")
    with pytest.raises(InputFileError, match="empty"):
        read_csv_path(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("1985-03-14", (1985, 3, 14)), ("--03-14", (None, 3, 14)), ("3/14/1985", (1985, 3, 14)),
    ("14/3/1985", (1985, 3, 14)), ("14.03.1985", (1985, 3, 14)), ("1985/03/14", (1985, 3, 14)),
    ("12 Mar 2023", (2023, 3, 12)), ("March 14, 1985", (1985, 3, 14)), ("14 March", (None, 3, 14)),
    ("3/14/85", (1985, 3, 14)), ("0/0/00", None),
])
def test_csv_dates(text: str, expected) -> None:
    assert parse_csv_date(text) == expected


def test_csv_dates_day_first_and_bad() -> None:
    assert parse_csv_date("03/04/1985", day_first=True) == (1985, 4, 3)
    assert parse_csv_date("03/04/1985") == (1985, 3, 4)
    with pytest.raises(Exception, match="day 31 does not exist in February"):
        parse_csv_date("2/31/1985")
    with pytest.raises(Exception, match="'soon' is not a date"):
        parse_csv_date("soon")


def test_the_header_decides_when_notes_are_full_of_semicolons() -> None:
    rows = "".join(f'P{n},p{n}@example.com,"a;b;c;d;e;f;g"\n' for n in range(30))
    result = read_csv_text("Name,Email,Notes\n" + rows, "x.csv")
    assert len(result.incoming) == 30 and result.problems == []
    assert result.incoming[0].contact.notes == "a;b;c;d;e;f;g"
    # Where the Sniffer would pick ";" from the rows, the comma header wins.
    sample = "Name,Email,Notes\n" + "".join(f"P{n} ; p{n}; a;b\n" for n in range(30))
    assert _dialect(sample).delimiter == ","
    assert _dialect("Name;Email\nAna;ana@example.com\n").delimiter == ";"


def test_tab_separated() -> None:
    result = read_csv_text("Name\tEmail\tPhone\nAna\tana@example.com\t+351 912 345 678\n", "t.tsv")
    ana = result.incoming[0].contact
    assert (ana.display_name, ana.emails[0].address) == ("Ana", "ana@example.com")
