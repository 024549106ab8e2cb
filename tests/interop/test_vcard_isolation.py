"""Whatever one card holds, at worst that card is reported and the rest imports."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nurture.errors import InputFileError
from nurture.interop.merge import plan_import
from nurture.interop.vcard import read_vcard_paths, read_vcard_text
from nurture.interop.vcard_out import contact_to_vcard

GOOD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Person\r\nEMAIL:good@example.com\r\nEND:VCARD\r\n"


def _card(*lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{ln}\r\n" for ln in lines) + \
        "END:VCARD\r\n"


def test_property_names_that_match_reader_helpers_do_not_crash() -> None:
    # Lotus Notes writes NAME; DATE, FAMILY and FINISH once reached private
    # helpers of the reader with the wrong arguments and lost the whole file.
    text = _card("FN:Lotus Person", "NAME:Lotus Person", "DATE:2020-01-01", "FAMILY:x",
                 "FINISH:y", "READ:z", "PROPERTY:p", "KEEP:k", "WARN:w", "TEXT:t") + GOOD
    result = read_vcard_text(text, "lotus.vcf")
    names = [i.contact.display_name for i in result.incoming]
    assert names == ["Lotus Person", "Good Person"]
    kept = result.incoming[0].contact.extra["vcard"]
    assert "NAME:Lotus Person" in kept and "FINISH:y" in kept


def test_control_characters_are_stripped_and_reported() -> None:
    text = _card("FN:Evil\x00 \x1b]0;pwn\x07Name", "NOTE:a\x1b[2Jb", "X-ODD:q\x00") + GOOD
    result = read_vcard_text(text, "evil.vcf")
    evil = result.incoming[0].contact
    assert evil.display_name == "Evil ]0;pwnName"
    assert evil.notes == "a[2Jb"
    assert evil.extra["vcard"] == ["X-ODD:q"]
    said = [str(p) for p in result.problems]
    assert said == ["evil.vcf: card 1 (line 3) [FN]: 3 control characters (NUL, ESC, …) removed",
                    "evil.vcf: card 1 (line 4) [NOTE]: 1 control character (NUL, ESC, …) "
                    "removed",
                    "evil.vcf: card 1 (line 5) [X-ODD]: 1 control character (NUL, ESC, …) "
                    "removed"]
    out = contact_to_vcard(evil)
    assert not any(ch in out for ch in "\x00\x1b\x07")


def test_many_related_lines_read_in_linear_time() -> None:
    def card(n: int) -> str:
        lines = ["FN:Many"]
        for i in range(n):
            lines += [f"item{i}.X-ABRELATEDNAMES:Person {i}",
                      f"item{i}.X-ABLABEL:_$!<Child>!$_",
                      f"RELATED;TYPE=sibling;VALUE=text:Sibling {i}"]
        return _card(*lines)

    def seconds(n: int) -> float:
        text = card(n)
        start = time.perf_counter()
        result = read_vcard_text(text, "many.vcf")
        spent = time.perf_counter() - start
        assert len(result.incoming[0].contact.family) == 2 * n
        return spent

    small, large = seconds(500), seconds(4000)
    # Eight times the lines: linear is ~8x, the quadratic reader was ~64x.
    assert large < small * 25


# Property names from RFC 6350, RFC 2426, vCard 2.1 and real exporters, and
# names no one planned for (some equal to the reader's own helpers).
NAMES = ["FN", "N", "NICKNAME", "PHOTO", "BDAY", "ANNIVERSARY", "GENDER", "ADR", "LABEL", "TEL",
         "EMAIL", "IMPP", "LANG", "TZ", "GEO", "TITLE", "ROLE", "LOGO", "ORG", "MEMBER",
         "RELATED", "CATEGORIES", "NOTE", "PRODID", "REV", "SOUND", "UID", "CLIENTPIDMAP",
         "URL", "KEY", "FBURL", "CALADRURI", "CALURI", "XML", "KIND", "SOURCE", "NAME",
         "MAILER", "AGENT", "CLASS", "SORT-STRING", "VERSION", "X-ABLABEL", "X-ABDATE",
         "X-ABRELATEDNAMES", "X-ABADR", "X-ANNIVERSARY", "X-SPOUSE", "X-EVOLUTION-SPOUSE",
         "X-MS-SPOUSE", "X-AIM", "X-JABBER", "X-SOCIALPROFILE", "X-NURTURE-KIND",
         "X-NURTURE-CHANNEL", "X-NURTURE-CADENCE", "X-NURTURE-HOW-WE-MET", "X-PHONETIC-FIRST-NAME",
         "X-ADDRESSBOOKSERVER-KIND", "X-ADDRESSBOOKSERVER-MEMBER", "X-GOOGLE-TALK",
         "DATE", "FAMILY", "FINISH", "READ", "PROPERTY", "TEXT", "KEEP", "WARN", "X-", "X-Y"]
PARAMS = ["TYPE=HOME", "TYPE=work,voice", "TYPE=pref", "TYPE=CELL", "TYPE=\"home,pref\"",
          "HOME", "WORK", "PREF", "VOICE", "FAX", "INTERNET", "JPEG", "B", "BASE64",
          "ENCODING=b", "ENCODING=BASE64", "ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE",
          "CHARSET=UTF-8", "CHARSET=ISO-8859-1", "CHARSET=windows-1252", "CHARSET=bogus",
          "VALUE=text", "VALUE=uri", "VALUE=date", "VALUE=date-time", "PREF=1", "PREF=x",
          "X-APPLE-OMIT-YEAR=1604", "X-APPLE-OMIT-YEAR=", "X-NURTURE-ONCE=TRUE", "LANGUAGE=en",
          "LABEL=\"1 Main St\\nTown\"", "ALTID=1", "PID=1.1", "SORT-AS=\"x,y\"",
          "CALSCALE=gregorian",
          "GEO=\"geo:1,2\"", "TZ=Europe/Lisbon", "MEDIATYPE=image/jpeg", "X-SERVICE-TYPE=Twitter"]
VALUES = st.one_of(
    st.sampled_from(["", ";;;;", "Smith;John;;Dr.;", "--0314", "1604-03-14", "16040101",
                     "0000-03-14", "19850314", "1985-03-14T00:00:00Z", "--03-14", "1985",
                     "---14", "2020-02-30", "tel:+1-555-0100;ext=102", "mailto:a@b.example",
                     "urn:uuid:0c7e5d8b", "http://example.com/x,y", "a\\,b\\;c\\nd\\\\",
                     "=C3=A9t=C3=A9", "=E9t=E9", "=ZZ", "group", "individual", "org",
                     "_$!<Mother>!$_", "_$!<>!$_", "PQ==", "+351 912 345 678", "x@", "@",
                     "ana@example.com", "\\", ",,,", "friend", "weekly", "2w", "0",
                     "999999999999999999999"]),
    st.text(max_size=40),
)


@st.composite
def lines(draw: st.DrawFn) -> str:
    name = draw(st.one_of(st.sampled_from(NAMES), st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,8}",
                                                                  fullmatch=True)))
    group = draw(st.sampled_from(["", "item1.", "item2.", "ITEM1."]))
    params = draw(st.lists(st.sampled_from(PARAMS), max_size=3))
    value = draw(VALUES).replace("\r", " ").replace("\n", " ")
    return f"{group}{name}{''.join(';' + p for p in params)}:{value}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=st.lists(lines(), max_size=12), version=st.sampled_from(["2.1", "3.0", "4.0"]))
def test_no_card_raises_out_of_the_importer(card: list[str], version: str) -> None:
    text = ("BEGIN:VCARD\r\nVERSION:" + version + "\r\n" + "".join(f"{ln}\r\n" for ln in card)
            + "END:VCARD\r\n" + GOOD)
    result = read_vcard_text(text, "fuzz.vcf")
    # The card after the odd one always arrives.
    assert result.incoming[-1].contact.display_name == "Good Person"
    # No value reached the safety net: every handler coped on its own terms.
    assert not [p for p in result.problems if "cannot use this value (" in p.message
                or "cannot read this card (" in p.message], result.problems
    plan = plan_import(result.incoming, [])
    for item in plan.added:
        for out_version in ("3.0", "4.0"):
            again = read_vcard_text(contact_to_vcard(item.contact, out_version), "again.vcf")
            assert [i.contact.display_name for i in again.incoming] == \
                [item.contact.display_name]


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["", ";CHARSET=windows-1251",
                                                  ";CHARSET=ISO-8859-1", ";CHARSET=bogus",
                                                  ";CHARSET=utf-8",
                                                  ";ENCODING=QUOTED-PRINTABLE"]),
                                st.binary(max_size=20)), max_size=6),
       encoding=st.sampled_from([None, "cp1252", "cp1251"]))
def test_no_bytes_raise_out_of_the_vcard_reader_but_a_user_error(
        tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, bytes]],
        encoding: str | None) -> None:
    body = b"".join(b"NOTE" + params.encode() + b":" + value.replace(b"\r", b" ")
                    .replace(b"\n", b" ") + b"\r\n" for params, value in lines)
    path = tmp_path_factory.mktemp("bytes") / "b.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Good Person\r\n" + body
                     + b"END:VCARD\r\n")
    try:
        result = read_vcard_paths([path], encoding=encoding)
    except InputFileError as exc:  # a byte no charset explains: named, with its line
        assert exc.line is not None and exc.line >= 4
        return
    assert [i.contact.display_name for i in result.incoming] == ["Good Person"]


def test_a_corrupt_line_in_a_utf8_file_costs_its_bytes_not_the_file(tmp_path) -> None:
    path = tmp_path / "mixed.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\xc3\xab Good\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad \xff\xfe Card\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:After\r\nEND:VCARD\r\n")
    result = read_vcard_paths([path])
    assert [i.contact.display_name for i in result.incoming] == [
        "Zoë Good", "Bad \ufffd\ufffd Card", "After"]
    assert [str(p) for p in result.problems] == [
        f"{path}: card 2 (line 7) [FN]: 2 bytes not in the line's charset, shown as �"]
    # A U+FFFD the file holds as text (valid UTF-8) is the text's own, not a lost byte.
    own = tmp_path / "own.vcf"
    own.write_bytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zo\ufffd Own\r\n"
                    "CATEGORIES:\ufffd\r\nEND:VCARD\r\n".encode())
    kept = read_vcard_paths([own])
    assert kept.problems == []
    assert [(i.contact.display_name, i.contact.interests) for i in kept.incoming] == [
        ("Zo\ufffd Own", ["\ufffd"])]
    # A file with no UTF-8 at all is an old Windows one: refused whole, with the way out.
    ansi = tmp_path / "ansi.vcf"
    ansi.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:S\xf6ren\r\nEND:VCARD\r\n")
    with pytest.raises(InputFileError, match="--encoding"):
        read_vcard_paths([ansi])
    assert read_vcard_paths([ansi], encoding="cp1252").incoming[0].contact.display_name == \
        "Sören"


def test_a_dangling_quoted_printable_break_does_not_swallow_the_card_end() -> None:
    # Found by the bytes test above: a 2.1 value ending in a soft break ("=")
    # right before END:VCARD. The card ends there; the next card still arrives.
    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ana Lima\r\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:met at the caf=C3=A9=\r\n"
            "END:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bo Chen\r\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:two=\r\n lines=\r\n"
            "END:VCARD\r\n")
    result = read_vcard_text(text, "phone.vcf")
    assert [i.contact.display_name for i in result.incoming] == ["Ana Lima", "Bo Chen"]
    assert not [p for p in result.problems if "truncated" in p.message], result.problems
    assert "met at the café" in result.incoming[0].contact.notes
