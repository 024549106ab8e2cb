"""Model objects holding values of the wrong type are named by field."""

from __future__ import annotations

import pendulum
import pytest

from nurture.errors import ValidationError
from nurture.interop.typecheck import check_types
from nurture.model import Contact, FollowUp, Interaction, InteractionKind, KeyDate

AT = pendulum.datetime(2026, 11, 22, 9, tz="UTC")


def entry(**fields) -> Interaction:
    base = dict(id="i-1", contact_ids=["c-1"], kind=InteractionKind.CALL, at=AT)
    base.update(fields)
    return Interaction(**base)


def test_well_typed_objects_pass() -> None:
    check_types(entry(follow_ups=[FollowUp("send the book", due=AT.date())],
                      duration_seconds=60))
    check_types(Contact(id="c-1", display_name="Ana", key_dates=[KeyDate("birthday", 2, 29)],
                        extra={"vcard": ["GENDER:F"], "nested": {"any": [1, None]}}))


@pytest.mark.parametrize(("bent", "field", "wanted"), [
    (entry(follow_ups=[FollowUp("x", due=AT)]), "follow_ups.0.due", "a date or empty"),
    (entry(contact_ids="c-1"), "contact_ids", "a list"),
    (entry(contact_ids=["c-1", 2]), "contact_ids.1", "text"),
    (entry(duration_seconds=True), "duration_seconds", "a whole number or empty"),
    (entry(at="2026-11-22"), "at", "a date and time"),
    (Contact(id="c-1", display_name="Ana", extra={1: "x"}), "extra", "an object"),
])
def test_the_first_bent_field_is_named(bent, field: str, wanted: str) -> None:
    with pytest.raises(ValidationError, match=f"must be {wanted}") as info:
        check_types(bent)
    assert info.value.field == field
