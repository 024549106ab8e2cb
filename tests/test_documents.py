"""The document codec keeps instants exact, with a zone that survives copying."""

from __future__ import annotations

import copy

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.documents import (
    _check_types,
    check_interaction,
    contact_from_doc,
    contact_to_doc,
    dt_in,
    dt_out,
    interaction_from_doc,
    interaction_to_doc,
)
from nurture.errors import NurtureError, ValidationError
from nurture.model import Contact, FollowUp, Interaction


@given(st.datetimes(min_value=pendulum.datetime(1900, 1, 1).naive(),
                    max_value=pendulum.datetime(2100, 1, 1).naive()),
       st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_instants_round_trip_and_survive_deepcopy(naive, offset_minutes):
    zone = pendulum.FixedTimezone(offset_minutes * 60)
    moment = pendulum.instance(naive, tz=zone)
    back = dt_in(dt_out(moment))
    assert isinstance(back, pendulum.DateTime)
    assert back == moment and back.utcoffset() == moment.utcoffset()
    copied = copy.deepcopy(back)
    assert copied.tzinfo is not None and copied == moment


def test_a_decoded_interaction_can_be_deep_copied_and_compared():
    entry = Interaction.new(["c-1"], "call", "hi",
                            at=pendulum.datetime(2026, 11, 22, 23, 30, tz="America/New_York"))
    decoded = interaction_from_doc(interaction_to_doc(entry))
    copied = copy.deepcopy(decoded)
    assert copied.at == entry.at  # comparing a naive and an aware value would raise
    assert copied.at.utcoffset() == entry.at.utcoffset()


_json = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8)
                     | st.sampled_from(["call", "2026-11-20", "2026-11-20T09:00:00+01:00",
                                        "not a date", "", "c-1"]),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.sampled_from(["text", "due", "done", "id"]), inner,
                                       max_size=4),
                     max_leaves=6)
_FIELDS = ["id", "contact_ids", "kind", "at", "text", "channel", "follow_ups",
           "duration_seconds", "suggestion_key", "source", "source_ids"]
_when = st.sampled_from([None, "", "2026-12-01", "2026-12-01T10:00:00+00:00",
                         "2026-13-01", "soon", 5, [], {}])
_follow_ups = st.lists(st.fixed_dictionaries(
    {"text": st.text(max_size=5)}, optional={"due": _when, "done": _when, "id": _when}),
    max_size=3) | st.lists(_json, max_size=2)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_FIELDS), _json | st.just(KeyError))
                | st.tuples(st.just("follow_ups"), _follow_ups), max_size=3))
def test_the_ordering_check_refuses_exactly_what_building_refuses(changes) -> None:
    # check_interaction orders a command's timeline without building it; it must refuse
    # the same records building refuses, or the review and the app would disagree.
    doc = interaction_to_doc(Interaction.new(
        ["c-1"], "call", "hi", at=pendulum.datetime(2026, 11, 20, 9, tz="Europe/Berlin"),
        follow_ups=[FollowUp("send it", due=pendulum.date(2026, 12, 1))]))
    for field, value in changes:
        if value is KeyError:
            doc.pop(field, None)
        else:
            doc[field] = value
    try:
        built = interaction_from_doc(doc)
    except (NurtureError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        built = None
    try:
        when, people = check_interaction(doc)
    except (NurtureError, KeyError, TypeError, ValueError, AttributeError, IndexError):
        assert built is None, f"checked as bad, built as {built!r}"
        return
    assert built is not None, "checked as good, refused when built"
    assert when == built.at.timestamp() and people == built.contact_ids


class _Text(str):
    """A text of a subclass (a caller's own model): the full test accepts it."""


_values = (st.none() | st.booleans() | st.integers(-3, 400) | st.text(max_size=5)
           | st.builds(_Text, st.text(max_size=5)) | st.floats(allow_nan=False)
           | st.lists(st.text(max_size=3) | st.integers(0, 3) | st.builds(_Text), max_size=3)
           | st.tuples(st.text(max_size=3)) | st.dictionaries(st.text(max_size=2), st.none()))


@settings(max_examples=600, deadline=None)
@given(st.dictionaries(st.sampled_from(["display_name", "company", "title", "notes",
                                        "cadence_days", "interests", "urls"]),
                       _values | st.just(KeyError), max_size=4))
def test_a_contacts_quick_type_test_refuses_exactly_what_the_full_one_refuses(changes) -> None:
    doc = contact_to_doc(Contact(id="c-1", display_name="Ana", interests=["sailing"],
                                 urls=["https://example.org"], cadence_days=30))
    for field, value in changes.items():
        if value is KeyError:
            doc.pop(field, None)
        else:
            doc[field] = value
    try:
        _check_types(doc)
    except ValidationError as exc:
        refused: str | None = exc.field
    else:
        refused = None
    try:
        built = contact_from_doc(doc)
    except ValidationError as exc:
        assert refused == exc.field
        return
    except KeyError:  # no display_name: refused by either, named by the store
        assert "display_name" not in doc
        return
    assert refused is None, f"{refused} refused in full, passed the quick test"
    assert built.interests == list(doc.get("interests", []))
    assert built.cadence_days == doc.get("cadence_days")
