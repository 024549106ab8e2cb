"""CSV rows that go wrong cost only themselves; odd but real files are read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nurture.errors import InputFileError
from nurture.interop import csvio
from nurture.interop.csvio import CsvOptions, read_csv_path, read_csv_text

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "interop" / "real"


def _names(text: str, **kw) -> list[str]:
    return [i.contact.display_name for i in read_csv_text(text, "x.csv", **kw).incoming]


def test_a_field_over_128_kb_is_read_and_the_rows_after_it_too() -> None:
    note = "n" * 200_000
    text = f"Name,Notes\nAna,{note}\nBen,short\n"
    result = read_csv_text(text, "big.csv")
    assert [(i.contact.display_name, len(i.contact.notes)) for i in result.incoming] == [
        ("Ana", 200_000), ("Ben", 5)]
    assert result.problems == []
    # The module-wide cap is left as it was.
    assert csv.field_size_limit() == 131072


def test_a_field_over_the_cap_costs_only_its_own_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvio, "FIELD_LIMIT", 1000)
    text = f'Name,Notes\nAna,"{"n" * 5000}"\nBen,short\nCleo,"also short"\n'
    result = read_csv_text(text, "big.csv")
    assert [i.contact.display_name for i in result.incoming] == ["Ben", "Cleo"]
    assert [(p.where, p.skipped) for p in result.problems] == [("line 2", True)]
    assert "a value longer than" in result.problems[0].message


def test_an_unclosed_quote_costs_only_its_own_row() -> None:
    text = ('Name,Email,Notes\n'
            'Ana,ana@example.com,"fine\n'
            'Ben,ben@example.com,ok\n'
            'Cleo,cleo@example.com,"two\nlines"\n'
            'Dan,dan@example.com,ok\n')
    result = read_csv_text(text, "open.csv")
    assert [i.contact.display_name for i in result.incoming] == ["Ben", "Cleo", "Dan"]
    assert [(p.where, p.skipped) for p in result.problems] == [("line 2", True)]
    assert "read again on their own" in result.problems[0].message
    assert result.incoming[1].contact.notes == "two\nlines"


def test_an_unclosed_quote_on_the_last_row() -> None:
    result = read_csv_text('Name,Notes\nAna,ok\nBen,"never closed\n', "open.csv")
    assert [i.contact.display_name for i in result.incoming] == ["Ana"]
    assert [p.where for p in result.problems] == ["line 3"]


def test_classic_mac_line_ends_are_read() -> None:
    text = 'Name,Email,Notes\rAna,ana@example.com,"two\rlines"\rBen,ben@example.com,x\r'
    result = read_csv_text(text, "mac.csv")
    assert [(i.contact.display_name, i.where) for i in result.incoming] == [
        ("Ana", "line 2"), ("Ben", "line 4")]
    assert result.incoming[0].contact.notes == "two\nlines"
    assert result.problems == []


def test_control_characters_are_stripped_and_said() -> None:
    text = "Name,Notes\n\"Eve\x1b]0;x\x07\",\"a\x00b\"\nBen,ok\n"
    result = read_csv_text(text, "evil.csv")
    eve = result.incoming[0].contact
    assert (eve.display_name, eve.notes) == ("Eve]0;x", "ab")
    assert [str(p) for p in result.problems] == [
        "evil.csv: line 2: control characters (NUL, ESC, …) removed: 2 in Name, 1 in Notes"]


def test_linkedin_with_quoted_notes_bom_and_rows_without_a_name() -> None:
    # The shape of a modern Connections.csv: BOM, "Notes:" (sometimes
    # quoted), a paragraph, a blank line, CRLF, and members who hide their
    # name as a row holding only their URL.
    text = ('\ufeff"Notes:"\r\n'
            '"When exporting your connection data, you may notice that some of the email '
            'addresses are missing."\r\n\r\n'
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
            'Priya,Sharma,https://www.linkedin.com/in/priya,,"Stripe, Inc.",Recruiter,'
            "12 Mar 2024\r\n"
            ",,https://www.linkedin.com/in/nobody,,,,\r\n"
            ",,,,,,\r\n"
            "Rahul,Verma,,,Flipkart,SDE II,01 Aug 2021\r\n")
    result = read_csv_text(text, "Connections.csv")
    assert result.detected == "linkedin"
    assert [i.contact.display_name for i in result.incoming] == ["Priya Sharma", "Rahul Verma"]
    assert result.problems == []
    assert [(s.place, s.name, s.reason.split(":")[0]) for s in result.skipped] == [
        ("Connections.csv: line 6", "https://www.linkedin.com/in/nobody", "no name")]


def test_thunderbird_csv_is_not_taken_for_outlook() -> None:
    # Thunderbird's own import test file (mozilla/releases-comm-central).
    result = read_csv_path(REAL / "thunderbird_basic_csv_addressbook.csv")
    assert result.detected == "thunderbird"
    assert [(i.contact.display_name, i.contact.given_name, [e.address for e in i.contact.emails])
            for i in result.incoming] == [("John Doe", "John", ["john@doe.invalid"]),
                                          ("Jane Doe", "Jane", ["jane@doe.invalid"])]


def test_thunderbird_columns_phones_addresses_and_birthday() -> None:
    # A UK build's header (County, Post Code, Organisation) and the three
    # birthday columns; a year left empty is a birthday without a year.
    header = ("First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,"
              "Screen Name,Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,"
              "Home Address,Home Address 2,Home City,Home County,Home Post Code,Home Country,"
              "Work Address,Work Address 2,Work City,Work County,Work Post Code,Work Country,"
              "Job Title,Department,Organisation,Web Page 1,Web Page 2,Birth Year,Birth Month,"
              "Birth Day,Custom 1,Custom 2,Custom 3,Custom 4,Notes\n")
    rows = ("Rory,Williams,Rory Williams,,rory@example.com,rory2@example.com,,555-3000,555-1000,"
            "555-4000,555-5000,555-2000,12 Leadworth Lane,Flat B,Leadworth,Gloucestershire,"
            "GL1 2AB,UK,1 Tardis Way,,London,Greater London,SW1A 1AA,UK,Nurse,Ward,"
            "Leadworth Hospital,,,1980,1,15,,,,,a note\n"
            "Amy,Pond,Amy Pond,,amy@example.com,,,,,,,,,,,,,,,,,,,,,,,,,,7,4,,,,,\n")
    result = read_csv_text(header + rows, "tb.csv")
    rory, amy = (i.contact for i in result.incoming)
    assert result.detected == "thunderbird" and result.problems == []
    assert [(p.label, p.number) for p in rory.phones] == [
        ("work", "555-3000"), ("home", "555-1000"), ("mobile", "555-2000"),
        ("fax", "555-4000"), ("pager", "555-5000")]
    home = next(a for a in rory.addresses if a.label == "home")
    assert (home.street, home.region, home.postcode) == ("12 Leadworth Lane\nFlat B",
                                                         "Gloucestershire", "GL1 2AB")
    assert (rory.company, rory.title, rory.notes) == ("Leadworth Hospital", "Nurse", "a note")
    assert [(d.label, d.year, d.month, d.day) for d in rory.key_dates] == [
        ("birthday", 1980, 1, 15)]
    assert [(d.label, d.year, d.month, d.day) for d in amy.key_dates] == [
        ("birthday", None, 7, 4)]


# Cells of every awkward kind: quotes, separators, CR/LF, controls, BOMs.
CELLS = st.text(alphabet=st.sampled_from(list('ab ,;"\r\n\t\x00\x1b\ufeffé')), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=8),
       raw=st.text(alphabet=st.sampled_from(list('ab,"\r\n')), max_size=30))
def test_no_csv_raises_out_of_the_importer(rows: list[list[str]], raw: str) -> None:
    # A well-formed file written by csv.writer imports every row with a name…
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Notes"])
    good = [[f"P{n}", row[0] if row else ""] for n, row in enumerate(rows)]
    writer.writerows(good)
    result = read_csv_text(buffer.getvalue(), "w.csv")
    assert [i.contact.display_name for i in result.incoming] == [r[0] for r in good]
    # …and anything at all appended to it raises nothing but a user error.
    try:
        result = read_csv_text(buffer.getvalue() + raw + "\nZed,last\n", "w.csv")
    except InputFileError:
        return
    told = len(result.incoming) + len(result.skipped) + sum(p.skipped for p in result.problems)
    assert told >= 1


def test_options_still_refuse_a_wrong_format() -> None:
    with pytest.raises(InputFileError, match="looks like an export from thunderbird"):
        read_csv_path(REAL / "thunderbird_basic_csv_addressbook.csv",
                      CsvOptions(format="outlook"))
