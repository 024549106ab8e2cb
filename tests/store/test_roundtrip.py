"""Model <-> document <-> store <-> reopen, losslessly, for arbitrary contacts and timelines.

Each example is read back twice: from the journal (a second store opened
while the first still has the write unfolded) and from the data file (after
the first store folded it on close).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nurture.documents import (
    contact_from_doc,
    contact_to_doc,
    interaction_from_doc,
    interaction_to_doc,
)
from nurture.model import (
    MAX_YEAR,
    MIN_YEAR,
    Address,
    Channel,
    ChannelKind,
    Contact,
    Email,
    FamilyMember,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    Phone,
    RelationshipKind,
)
from nurture.store import open_store

# Any Unicode a person can type or paste: everything but lone surrogates, which
# are not characters (the store refuses them with a message, tested elsewhere).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
               max_size=20)
ZONES = ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham",
         "Australia/Lord_Howe", "America/Los_Angeles"]


@st.composite
def instants(draw: st.DrawFn) -> pendulum.DateTime:
    """Instants from 1900 to 2100 in named zones (odd offsets, DST) and fixed offsets."""
    moment = draw(st.datetimes(min_value=pendulum.naive(1900, 1, 2),
                               max_value=pendulum.naive(2100, 12, 30)))
    if draw(st.booleans()):
        zone = pendulum.timezone(draw(st.sampled_from(ZONES)))
    else:
        minutes = draw(st.integers(-14 * 60 + 1, 14 * 60 - 1))
        zone = timezone(timedelta(minutes=minutes))
    return pendulum.instance(moment.replace(tzinfo=UTC)).in_timezone(zone)


@st.composite
def key_dates(draw: st.DrawFn) -> KeyDate:
    month = draw(st.integers(1, 12))
    year = draw(st.none() | st.integers(MIN_YEAR, MAX_YEAR))  # the model's years
    probe = year if year is not None else 2000  # a year-less Feb 29 is allowed
    if month == 2 and draw(st.booleans()):
        day = 29 if pendulum.date(probe, 1, 1).is_leap_year() else 28
    else:
        day = draw(st.integers(1, pendulum.date(probe, month, 1).days_in_month))
    yearly = True if year is None else draw(st.booleans())
    return KeyDate(draw(line), month, day, year, yearly)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(line, inner, max_size=3),
    max_leaves=8,
)
emails = st.from_regex(r"\A[a-zA-Z0-9._%+\-é]{1,12}@[a-z0-9\-ü]{1,10}\.[a-z]{2,6}\Z")
phones = st.from_regex(r"\A\+?[0-9]{1,3}[ \-.]?\(?[0-9]{2,4}\)?[ \-.]?[0-9]{3,8}\Z")


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    contact = Contact(
        id="c-" + draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)),
        display_name=draw(line.filter(str.strip)),
        given_name=draw(line), family_name=draw(line), nickname=draw(line),
        company=draw(line), title=draw(line),
        kind=draw(st.sampled_from(RelationshipKind)),
        emails=draw(st.lists(st.builds(Email, emails, line), max_size=2)),
        phones=draw(st.lists(st.builds(Phone, phones, line), max_size=2)),
        addresses=draw(st.lists(st.builds(Address, line, text, line, line, line, line),
                                max_size=2)),
        interests=draw(st.lists(line, max_size=4)),
        key_dates=draw(st.lists(key_dates(), max_size=3)),
        family=draw(st.lists(st.builds(FamilyMember, line, st.sampled_from(
            ["spouse", "partner", "child", "parent", "sibling", "other"])), max_size=3)),
        how_we_met=draw(text),
        channels=draw(st.lists(st.builds(Channel, st.sampled_from(ChannelKind), line),
                               max_size=2)),
        cadence_days=draw(st.none() | st.integers(1, 3650)),
        notes=draw(text),
        urls=draw(st.lists(line, max_size=2)),
        uid=draw(line),
        extra=draw(st.dictionaries(line, json_values, max_size=3)),
        created=draw(st.none() | instants()),
        updated=draw(st.none() | instants()),
    )
    contact.validate()  # normalises interests, as saving does
    return contact


@st.composite
def interactions(draw: st.DrawFn) -> Interaction:
    follow_ups = draw(st.lists(st.builds(
        FollowUp, text, st.none() | st.dates().map(lambda d: pendulum.date(d.year, d.month, d.day)),
        st.none() | instants(), st.text("abcdef0123456789", min_size=1, max_size=6).map(
            lambda s: "f-" + s)), max_size=3))
    return Interaction(
        id="i-" + draw(st.text("abcdefghij0123456789", min_size=1, max_size=10)),
        contact_ids=draw(st.lists(st.text("abc123", min_size=1, max_size=4).map(
            lambda s: "c-" + s), min_size=1, max_size=3)),
        kind=draw(st.sampled_from(InteractionKind)),
        at=draw(instants()),
        text=draw(text),
        channel=draw(line),
        follow_ups=follow_ups,
        duration_seconds=draw(st.none() | st.integers(0, 10**6)),
        suggestion_key=draw(line),
    )


def _same_instants(a: object, b: object) -> None:
    """Equal instants with the same UTC offset (the zone's name is not kept: its offset is)."""
    assert a == b
    if a is not None:
        assert a.utcoffset() == b.utcoffset()  # type: ignore[union-attr]


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(contact=contacts())
def test_a_contact_round_trips_through_documents_and_the_store(contact: Contact) -> None:
    assert contact_from_doc(contact_to_doc(contact)) == contact
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "nurture.json"
        first = open_store(db, backups_keep=0)
        first.save_contact(contact, touch=False)
        from_journal = open_store(db, backups_keep=0).contact(contact.id)
        first.close()  # a small file is folded on close
        from_file = open_store(db, backups_keep=0).contact(contact.id)
    for loaded in (from_journal, from_file):
        assert loaded == contact
        _same_instants(loaded.created, contact.created)
        _same_instants(loaded.updated, contact.updated)
        assert [d.text() for d in loaded.key_dates] == [d.text() for d in contact.key_dates]


@SETTINGS
@given(entry=interactions())
def test_an_interaction_round_trips_through_documents_and_the_store(entry: Interaction) -> None:
    assert interaction_from_doc(interaction_to_doc(entry)) == entry
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "nurture.json"
        first = open_store(db, backups_keep=0)
        first.save_interaction(entry)
        from_journal = open_store(db, backups_keep=0).interaction(entry.id)
        first.close()
        from_file = open_store(db, backups_keep=0)
        timeline = from_file.interactions(entry.contact_ids[0])
        loaded_file = from_file.interaction(entry.id)
    for loaded in (from_journal, loaded_file):
        assert loaded == entry
        _same_instants(loaded.at, entry.at)
        for got, want in zip(loaded.follow_ups, entry.follow_ups, strict=True):
            _same_instants(got.done, want.done)
    assert [e.id for e in timeline] == [entry.id]


def test_a_feb_29_birthday_without_a_year_survives_a_reopen(tmp_path: Path) -> None:
    contact = Contact(id="c-leap", display_name="Leap Day",
                      key_dates=[KeyDate("birthday", 2, 29), KeyDate("wedding", 2, 29, 1996)])
    with open_store(tmp_path / "n.json") as store:
        store.save_contact(contact, touch=False)
    loaded = open_store(tmp_path / "n.json").contact("c-leap")
    assert [d.text() for d in loaded.key_dates] == ["--02-29", "1996-02-29"]
    assert loaded.birthday.on_year(2027) == pendulum.date(2027, 2, 28)
