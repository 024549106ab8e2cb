"""Items as files and back: any text survives, and no file makes the reader raise."""

from __future__ import annotations

import contextlib

import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nurture.model import Contact, FollowUp, Interaction, InteractionKind, ReviewState, ReviewStatus
from nurture.sync import files
from nurture.sync.items import BookView, as_read

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


def _view(text: str, follow_up: str, done: bool) -> BookView:
    # Names are the vCard reader's business (tests/interop); here, the calendar items' text.
    who = Contact(id="c-a0000001", display_name="Ana Lima", uid="uid-a")
    at = pendulum.datetime(2026, 3, 1, 9, 30, tz="America/New_York")
    entry = Interaction(id="i-e0000001", contact_ids=[who.id], kind=InteractionKind.CALL, at=at,
                        text=text, channel=text[:20], duration_seconds=90,
                        suggestion_key=f"cadence:{who.id}:2026-03-01",
                        follow_ups=[FollowUp(follow_up, due=pendulum.date(2026, 3, 9),
                                             done=at if done else None, id="f-x00001")])
    review = {"k": ReviewState(key=f"birthday:{who.id}:2026", status=ReviewStatus.SNOOZED,
                               at=at, until=pendulum.date(2026, 3, 4))}
    return BookView([who], [entry], review)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT, st.booleans())
def test_every_item_reads_back_as_written(text: str, follow_up: str, done: bool) -> None:
    view = _view(text, follow_up, done)
    for item in view.items.values():
        data = files.render(item, view)
        name = "x.vcf" if item.kind == "contact" else "x.ics"
        (back,) = files.parse(name, data)
        assert back.uid == item.uid and back.kind == item.kind
        if item.kind == "contact":
            assert back.fields == item.fields
        else:
            # Exactly what the engine records as the folder's version after writing a file,
            # without reading it back.
            assert back.fields == as_read(item.fields)


@settings(max_examples=200)
@given(st.binary(max_size=400), st.sampled_from(["a.vcf", "a.ics"]))
def test_no_file_makes_the_reader_raise_anything_but_bad_item(data: bytes, name: str) -> None:
    with contextlib.suppress(files.BadItem):
        files.parse(name, data)


@settings(max_examples=200)
@given(st.lists(st.sampled_from([
    "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VJOURNAL", "END:VJOURNAL", "BEGIN:VTODO",
    "END:VTODO", "UID:x@nurture.invalid", "X-NURTURE-KIND:call", "DTSTART:20260101T000000Z",
    "DTSTART:nonsense", "X-NURTURE-AT:2026-01-01T00:00:00+00:00",
    "X-NURTURE-ENTRY:i-a@nurture.invalid",
    "STATUS:COMPLETED", "COMPLETED:bad", "DUE;VALUE=DATE:20260230", "X-NURTURE-DURATION:x",
    "BEGIN:VEVENT", "END:VEVENT", "X-NURTURE-CONTACT:u", "X-NURTURE-LABEL:birthday",
    "X-NURTURE-REVIEW-KEY:k", "X-NURTURE-STATUS:done", "ATTENDEE:urn:x-nurture-uid:%ZZ",
]), max_size=14))
def test_no_calendar_shape_makes_the_reader_raise_anything_but_bad_item(lines: list[str]) -> None:
    with contextlib.suppress(files.BadItem):
        files.parse("a.ics", "\r\n".join(lines).encode())
