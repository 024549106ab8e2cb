"""The document codec keeps instants exact, with a zone that survives copying."""

from __future__ import annotations

import copy

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from nurture.documents import dt_in, dt_out, interaction_from_doc, interaction_to_doc
from nurture.model import Interaction


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
