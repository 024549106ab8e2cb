"""The read state: what a run writes is exactly the difference, and bad marks read as empty."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.capture.state import ReadState, changed_marks, load_state, state_marks
from nurture.model import CaptureMark

NAMES = st.sets(st.text("0123456789abcdef.MP", min_size=1, max_size=8), max_size=60)


@settings(max_examples=200, deadline=None)
@given(NAMES, NAMES, st.booleans())
def test_writing_the_changes_gives_exactly_the_new_state(old_names, new_names, other_folder):
    old = ReadState(maildirs={"/m/INBOX": set(old_names)})
    if other_folder:
        old.maildirs["/m/Gone"] = {"x"}  # no longer configured: its marks go
    before = state_marks(old)
    new = ReadState(maildirs={"/m/INBOX": set(new_names)})
    write, drop = changed_marks(before, load_state(before), new)
    after = {k: m for k, m in before.items() if k not in drop}
    after.update({m.key: m for m in write})
    assert {k: m.values for k, m in after.items()} == {
        k: m.values for k, m in state_marks(new).items()}
    # Only what changed is written.
    assert len(write) <= len(old_names ^ new_names)


def test_marks_edited_into_nonsense_read_as_empty():
    marks = {
        "maildir:/m/INBOX#03": CaptureMark("maildir:/m/INBOX#03", {"names": "not a list"}),
        "mbox:/m/box": CaptureMark("mbox:/m/box", {"offset": -5, "start_hash": "x"}),
        "calendar:/c": CaptureMark("calendar:/c", {"files": ["a"]}),
        "recent": CaptureMark("recent", {"addresses": {"a@b": {"days": "x"}, "c@d": 3}}),
    }
    state = load_state(marks)
    assert (state.maildirs, state.mboxes, state.calendars, state.recent) == ({}, {}, {}, {})
