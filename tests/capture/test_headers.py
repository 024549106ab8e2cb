"""Reading one message's header: names, encodings, lists, dates, and never raising."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.capture.calendar import address_of, scan_calendar
from nurture.capture.mail import _simple_pairs, maildir_key, parse_header, read_head, scan_mbox
from nurture.documents import interaction_from_doc, interaction_to_doc
from nurture.store import open_store


def header(text: str, fallback: datetime | None = None):
    return parse_header(text.encode("utf-8"), "test", fallback)


def test_display_names_case_and_several_recipients():
    h = header('From: "Lima, Ana" <ANA@Example.ORG>\n'
               "To: Sam <sam@example.org>, ben@example.net\n"
               "Cc: =?utf-8?q?Chlo=C3=A9_Martin?= <chloe@example.fr>, undisclosed-recipients:;\n"
               "Subject: =?utf-8?b?Q2Fmw6k=?= =?utf-8?q?_=C3=A0_midi?=\n"
               "Date: Thu, 19 Nov 2026 09:00:00 +0100\nMessage-ID: <x@y>\n\n")
    assert h.senders == ("ana@example.org",)
    assert h.recipients == ("sam@example.org", "ben@example.net", "chloe@example.fr")
    assert dict(h.names) == {"ana@example.org": "Lima, Ana", "sam@example.org": "Sam",
                             "chloe@example.fr": "Chloé Martin"}
    assert h.subject == "Café à midi"
    assert h.at is not None and h.at.isoformat() == "2026-11-19T09:00:00+01:00"
    assert h.message_id == "x@y" and h.bulk == ""


def test_lists_bulk_robots_and_no_reply_senders_are_marked():
    base = "From: {sender}\nTo: sam@example.org\n{extra}\n\n"
    cases = {
        ("a@b.example", "List-Id: <team.lists.example>"): "List-Id",
        ("a@b.example", "Precedence: bulk"): "Precedence: bulk",
        ("a@b.example", "Precedence: list"): "Precedence: list",
        ("a@b.example", "Precedence: junk"): "Precedence: junk",
        ("a@b.example", "List-Unsubscribe: <mailto:u@b.example>"): "List-Unsubscribe",
        ("a@b.example", "Auto-Submitted: auto-replied"): "Auto-Submitted",
        ("No Reply <no-reply@shop.example>", "X-A: 1"): "no-reply sender",
        ("noreply@github.example", "X-A: 1"): "no-reply sender",
        ("donotreply+123@bank.example", "X-A: 1"): "no-reply sender",
        ("MAILER-DAEMON@mx.example", "X-A: 1"): "no-reply sender",
        ("a@b.example", "Auto-Submitted: no"): "",
        ("a@b.example", "Precedence: first-class"): "",
        ("replies@b.example", "X-A: 1"): "",
    }
    found = {key: header(base.format(sender=key[0], extra=key[1])).bulk for key in cases}
    assert found == cases


def test_no_message_id_gets_a_stable_stand_in():
    text = "From: ana@example.org\nTo: sam@example.org\nSubject: hi\nDate: Thu, 19 Nov 2026\n\n"
    first, second = header(text), header(text)
    assert first.message_id.startswith("sha1-") and first.message_id == second.message_id
    assert header(text.replace("hi", "hello")).message_id != first.message_id


def test_a_bad_date_falls_back_to_the_delivery_time():
    delivered = datetime(2026, 11, 19, 8, 0, tzinfo=UTC)
    h = header("From: ana@example.org\nDate: yesterday-ish\n\n", delivered)
    assert h.at == delivered
    assert header("From: ana@example.org\nDate: yesterday-ish\n\n").at is None
    # "-0000" means the zone is unknown: read as UTC, never naive.
    naive = header("From: a@b.example\nDate: Thu, 19 Nov 2026 09:00:00 -0000\n\n").at
    assert naive is not None and naive.utcoffset() is not None


def test_references_and_in_reply_to_make_the_thread():
    h = header("From: a@b.example\nReferences: <r1@x> <r2@x>\n\t<r3@x>\nIn-Reply-To: <r3@x>\n\n")
    assert h.thread == ("r1@x", "r2@x", "r3@x")


def test_control_characters_never_reach_the_subject():
    h = header("From: a@b.example\nSubject: =?utf-8?q?evil=1B[31m_red=07?=\n\n")
    assert h.subject == "evil [31m red"


def test_only_the_header_is_read(tmp_path: Path):
    path = tmp_path / "msg"
    path.write_bytes(b"From: a@b.example\r\nSubject: s\r\n\r\n" + b"x" * 1_000_000)
    assert read_head(str(path)) == b"From: a@b.example\r\nSubject: s\r\n"


def test_maildir_key_drops_the_flags():
    assert maildir_key("1700000000.M1P2.host,U=12:2,RS") == "1700000000.M1P2.host,U=12"
    assert maildir_key("1700000000.M1P2.host") == "1700000000.M1P2.host"


def test_attendee_addresses_with_and_without_mailto():
    from icalendar import vCalAddress

    assert address_of(vCalAddress("MAILTO:Ana@Example.org")) == "ana@example.org"
    assert address_of(vCalAddress("ben@example.net")) == "ben@example.net"
    uri = vCalAddress("urn:uuid:1234")
    uri.params["EMAIL"] = "chloe@example.fr"
    assert address_of(uri) == "chloe@example.fr"
    assert address_of(vCalAddress("urn:uuid:1234")) == ""


HEADER_NAMES = st.sampled_from(["From", "To", "Cc", "Subject", "Date", "Message-ID",
                                "References", "In-Reply-To", "List-Id", "Precedence",
                                "Auto-Submitted", "X-Junk", "From ", ">From"])
VALUES = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["=?utf-8?q?=FF?=", "=?bogus?b?!!?=", "<<>>@", "\"unterminated <a@b",
                     "Thu, 99 Foo 99999 99:99:99 +9999", "a@b, , ,@, <>", "=?utf-8?b?====?=",
                     "undisclosed-recipients:;", "\x00\x1b\r", "<" * 50]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(HEADER_NAMES, VALUES), max_size=8), st.binary(max_size=60))
def test_the_header_reader_never_raises(fields, tail):
    raw = b"".join(f"{name}: {value}\n".encode("utf-8", "surrogatepass") for name, value in fields)
    h = parse_header(raw + tail, "hypothesis")
    assert isinstance(h.subject, str) and h.message_id
    assert all(c.isprintable() for c in h.subject + h.message_id + "".join(h.senders))
    assert all("@" in a for a in (*h.senders, *h.recipients))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_the_mbox_reader_never_raises(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("mbox") / "box"
    path.write_bytes(b"From a@b Thu Nov 19 09:00:00 2026\n" + data)
    scan = scan_mbox(str(path))
    assert scan.offset == path.stat().st_size and len(scan.headers) >= 1


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_a_calendar_file_never_raises_and_a_bad_one_is_named(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("ics") / "cal.ics"
    path.write_text(f"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u\n{text}\nEND:VEVENT\nEND:VCALENDAR\n",
                    encoding="utf-8", errors="surrogatepass")
    scan = scan_calendar(str(path), {}, now=datetime(2026, 11, 22, tzinfo=UTC), zone=UTC)
    assert all(p.where == str(path) and p.message.endswith("; it was skipped")
               for p in scan.problems)
    assert (str(path) in scan.files) != bool(scan.problems)


ATOM = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+", min_size=1,
               max_size=12)
SIMPLE_PART = st.one_of(
    st.builds(lambda u, d: f"{u}@{d}", ATOM, ATOM),
    st.builds(lambda n, u, d: f"{n} <{u}@{d}>", st.text("abc XYZé=?_", max_size=12), ATOM,
              ATOM),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SIMPLE_PART, min_size=1, max_size=4))
def test_the_fast_address_reader_agrees_with_the_standard_library(parts):
    from email.utils import getaddresses

    value = ", ".join(parts)
    fast = _simple_pairs([value])
    if fast is not None:
        # Names are compared as ``decode`` leaves them: whitespace collapsed.
        assert [(" ".join(n.split()), a) for n, a in fast] == [
            (" ".join(n.split()), a) for n, a in getaddresses([value])]


def test_entries_written_before_capture_existed_still_load(tmp_path: Path):
    old = {"id": "i-old", "contact_ids": ["c-ana"], "kind": "call",
           "at": "2026-11-01T10:00:00+00:00", "text": "catch-up", "channel": "",
           "follow_ups": [], "duration_seconds": None, "suggestion_key": ""}
    entry = interaction_from_doc(old)
    assert (entry.source, entry.source_ids) == ("", [])
    assert interaction_to_doc(entry) == {**old, "source": "", "source_ids": []}
    path = tmp_path / "old.json"
    path.write_text('{"_meta": {"schema": {"version": 1, "gen": 0, "uid": "abc"}}, '
                    '"contacts": {"c-ana": {"id": "c-ana", "display_name": "Ana"}}, '
                    '"interactions": {"i-old": ' + __import__("json").dumps(old) + "}}")
    with open_store(path, backups_keep=0) as store:
        [loaded] = store.interactions()
        assert loaded.text == "catch-up" and loaded.source == ""
        assert store.capture_marks() == {}
