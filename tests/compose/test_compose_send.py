"""mailto: links that follow RFC 6068, and the draft text format."""

import re
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.compose import join_draft, mailto_url, split_draft
from nurture.errors import ValidationError

# What RFC 6068 allows unencoded in a mailto URI (plus "%" for the escapes).
ALLOWED = re.compile(r"^mailto:[A-Za-z0-9\-._~!$'()*+,;:@%?&=]*$")


def decode(url: str) -> tuple[list[str], dict[str, str]]:
    assert url.startswith("mailto:")
    to, _, query = url[len("mailto:"):].partition("?")
    fields = {}
    for pair in query.split("&") if query else []:
        name, _, value = pair.partition("=")
        fields[name] = unquote(value, errors="strict")
    return [unquote(a) for a in to.split(",") if a], fields


def test_simple():
    assert mailto_url("dana@example.com", "Hello there", "Hi Dana,\n\nSee you soon!") == (
        "mailto:dana@example.com?subject=Hello%20there"
        "&body=Hi%20Dana,%0D%0A%0D%0ASee%20you%20soon!")


def test_rfc_examples_and_special_characters():
    # Sub-addresses keep their "+"; "?", "&", "#", "%" and "=" are escaped.
    url = mailto_url("bill+ietf@example.org", "a+b = c?", "50% & more #1")
    assert url == ("mailto:bill+ietf@example.org?subject=a%2Bb%20%3D%20c%3F"
                   "&body=50%25%20%26%20more%20%231")
    assert mailto_url("a%b/c?d#e@example.org") == "mailto:a%25b%2Fc%3Fd%23e@example.org"


def test_several_recipients_and_none():
    url = mailto_url(["a@example.com", "b@example.com"], "Hi")
    assert url == "mailto:a@example.com,b@example.com?subject=Hi"
    assert mailto_url([], "Hi", "x") == "mailto:?subject=Hi&body=x"
    assert mailto_url("a@example.com") == "mailto:a@example.com"


def test_unicode_is_utf8_percent_encoded():
    assert mailto_url("a@example.com", "Café ☕") == \
        "mailto:a@example.com?subject=Caf%C3%A9%20%E2%98%95"


def test_line_breaks_are_crlf_whatever_came_in():
    url = mailto_url("a@example.com", body="one\ntwo\r\nthree\rfour")
    assert url.endswith("body=one%0D%0Atwo%0D%0Athree%0D%0Afour")


def test_subject_is_one_line():
    assert mailto_url("a@example.com", "two\nlines") == "mailto:a@example.com?subject=two%20lines"


def test_bad_address_is_a_user_error():
    with pytest.raises(ValidationError, match="not an email address"):
        mailto_url("not an address", "Hi")


@settings(max_examples=300, deadline=None)
@given(subject=st.text(max_size=60), body=st.text(max_size=300),
       local=st.from_regex(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,20}", fullmatch=True))
def test_round_trip(subject, body, local):
    address = f"{local}@example.com"
    url = mailto_url(address, subject, body)
    assert ALLOWED.match(url), url
    assert " " not in url and "\n" not in url
    to, fields = decode(url)
    assert to == [address]
    assert fields.get("subject", "") == " ".join(subject.split())
    expected_body = body.replace("\r\n", "\n").replace("\r", "\n")
    assert fields.get("body", "").replace("\r\n", "\n") == expected_body


@pytest.mark.parametrize(("subject", "body"), [
    ("Happy birthday!", "Dear Dana,\n\nHappy birthday!"),
    ("", "Just the body.\nTwo lines."),
    ("Hi", "Subject: not a header in the body"),
])
def test_draft_text_round_trip(subject, body):
    assert split_draft(join_draft(subject, body)) == (subject, body)


def test_draft_without_subject_line():
    assert split_draft("Dear Dana,\n\nHi") == ("", "Dear Dana,\n\nHi")
    assert join_draft("", "Body") == "Body"
