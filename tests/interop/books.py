"""Hypothesis strategies for address books that exercise every field a contact has."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from nurture.model import (
    MAX_YEAR,
    MIN_YEAR,
    Address,
    Channel,
    ChannelKind,
    Contact,
    Email,
    FamilyMember,
    KeyDate,
    Phone,
    RelationshipKind,
    fold,
)

# Any printable Unicode, including the characters vCard and CSV escape.
_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp", "Co", "Cn"))
WORD = st.text(_CHARS, min_size=1, max_size=10)
SPECIAL = st.sampled_from([",", ";", "\\", ":", "\"", "=", "é", "ß", "日本", "🎂", "\\n"])


@st.composite
def phrase(draw, max_words: int = 4) -> str:
    words = draw(st.lists(st.one_of(WORD, SPECIAL), min_size=1, max_size=max_words))
    return " ".join(words)


@st.composite
def paragraph(draw) -> str:
    return "\n".join(draw(st.lists(phrase(), min_size=1, max_size=3)))


LABELS = st.one_of(st.sampled_from(["", "home", "work", "mobile", "work fax", "iphone mobile",
                                    "other", "main", "Dad's office", "Signal"]), phrase(2))
RELATIONS = st.one_of(st.sampled_from(["spouse", "partner", "child", "parent", "sibling",
                                       "other", "cousin", "wife"]), phrase(2))
DATE_LABELS = st.one_of(st.sampled_from(["birthday", "anniversary", "graduation"]),
                        phrase(3).filter(lambda t: fold(t) not in ("birthday", "anniversary")))
PHONE = st.from_regex(r"\+?[1-9][0-9]{2}[ .\-]?[0-9]{3}[ .\-]?[0-9]{2,6}", fullmatch=True)


@st.composite
def key_date(draw) -> KeyDate:
    # 1604 is the stand-in year for "no year" (Apple, CardBook): read as year-less.
    day = draw(st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31))
               .filter(lambda d: d.year != 1604))
    year = draw(st.one_of(st.none(), st.just(day.year)))
    yearly = True if year is None else draw(st.booleans())
    return KeyDate(draw(DATE_LABELS), day.month, day.day, year, yearly)


@st.composite
def contact(draw, index: int) -> Contact:
    """One contact; ``index`` keeps names, emails and phones unique in a book."""
    given = draw(st.one_of(st.just(""), phrase(2)))
    family = draw(st.one_of(st.just(""), phrase(2)))
    display = f"{draw(phrase(3))} {index}"
    emails = [Email(f"p{index}.{n}.{local}@example.org", draw(LABELS))
              for n, local in enumerate(draw(st.lists(st.from_regex(r"[a-z0-9._%+\-]{1,12}",
                                                                    fullmatch=True),
                                                      max_size=3)))]
    phones = [Phone(f"+{index + 10} {number}", draw(LABELS))
              for number in draw(st.lists(PHONE, max_size=3))]
    addresses = [Address(draw(LABELS), draw(st.one_of(st.just(""), paragraph())),
                         *(draw(st.one_of(st.just(""), phrase(2))) for _ in range(4)))
                 for _ in range(draw(st.integers(0, 2)))]
    dates = draw(st.lists(key_date(), max_size=4,
                          unique_by=lambda d: (fold(d.label), d.month, d.day, d.year)))
    family_members = [FamilyMember(f"{name} {n}", draw(RELATIONS))
                      for n, name in enumerate(draw(st.lists(phrase(2), max_size=3)))]
    channels = [Channel(kind, draw(st.one_of(st.just(""), phrase(2))))
                for kind in draw(st.lists(st.sampled_from(list(ChannelKind)), max_size=2))]
    c = Contact(
        id=f"c-{index:08d}", display_name=display, given_name=given, family_name=family,
        nickname=draw(st.one_of(st.just(""), phrase(2))),
        company=draw(st.one_of(st.just(""), phrase(3))),
        title=draw(st.one_of(st.just(""), phrase(3))),
        kind=draw(st.sampled_from(list(RelationshipKind))),
        emails=emails, phones=phones, addresses=addresses,
        interests=draw(st.lists(phrase(2), max_size=4)),
        key_dates=dates, family=family_members,
        how_we_met=draw(st.one_of(st.just(""), paragraph())),
        channels=channels,
        cadence_days=draw(st.one_of(st.none(), st.integers(1, 3650))),
        notes=draw(st.one_of(st.just(""), paragraph())),
        urls=draw(st.lists(st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9,~_\-]{0,12}",
                                         fullmatch=True), max_size=2, unique=True)),
        uid=draw(st.one_of(st.just(""), st.uuids().map(str),
                           st.from_regex(r"[A-Za-z0-9@.\-]{1,30}", fullmatch=True))),
    )
    c.validate()
    return c


@st.composite
def address_book(draw, max_size: int = 6) -> list[Contact]:
    size = draw(st.integers(1, max_size))
    return [draw(contact(i)) for i in range(size)]
