"""The card's rows wrap under their value (a hanging indent), never under the label."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from nurture.tui.widgets.card import LABEL_WIDTH, laid_out

words = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S")), min_size=1,
                max_size=14)
values = st.lists(words, min_size=1, max_size=30).map(" ".join)
labels = st.sampled_from(["Dates", "Interests", "Last contact", "Open", "Met"])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(labels, values), min_size=1, max_size=6),
       width=st.integers(min_value=LABEL_WIDTH + 9, max_value=120))
def test_every_row_line_fits_and_keeps_every_word_in_order(rows, width) -> None:
    text = laid_out(Text("Header"), [(label, Text(value)) for label, value in rows], width)
    lines = text.plain.split("\n")[1:]
    assert all(cell_len(line) <= width for line in lines), (width, lines)
    # Every row starts with its label; its continuation lines have none, and the
    # value's words come back in order.
    starts = [n for n, line in enumerate(lines) if line[:LABEL_WIDTH].strip()]
    assert len(starts) == len(rows)
    for (label, value), start, end in zip(rows, starts, [*starts[1:], len(lines)],
                                          strict=True):
        assert lines[start][:LABEL_WIDTH].rstrip() == label
        parts = [line[LABEL_WIDTH + 1:] for line in lines[start:end]]
        assert "".join(parts).replace(" ", "") == value.replace(" ", "")  # nothing lost
        if all(cell_len(w) <= width - LABEL_WIDTH - 1 for w in value.split()):
            assert " ".join(parts).split() == value.split()  # a word that fits is not cut


def test_a_long_date_wraps_under_the_date_not_under_the_label() -> None:
    rows = [("Dates", Text("birthday 15 December (in 15 days, turns 40)")),
            ("Met", Text("our kids' school"))]
    lines = laid_out(Text("Carlos Ruiz"), rows, 40).plain.split("\n")
    assert lines[1] == "Dates        birthday 15 December (in 15"
    assert lines[2] == "             days, turns 40)"
    assert lines[3] == "Met          our kids' school"


def test_without_a_width_nothing_is_wrapped() -> None:
    long = "word " * 40
    text = laid_out(Text("H"), [("Open", Text(long.strip()))])
    assert text.plain == "H\nOpen         " + long.strip()


def test_the_card_says_loading_not_never_or_overdue_before_the_timeline_arrives() -> None:
    import pendulum

    from nurture.actions.facts import contact_facts
    from nurture.model import Contact
    from nurture.tui.widgets.card import card_text

    today = pendulum.date(2026, 11, 25)
    dan = Contact(id="c-dan", display_name="Dan Okafor", cadence_days=14,
                  created=pendulum.datetime(2025, 11, 1, tz="UTC"))
    card = card_text(dan, contact_facts(dan, None, today), [], today).plain
    assert "loading" in card
    assert "overdue" not in card and "never" not in card
    loaded = card_text(dan, contact_facts(dan, [], today), [], today).plain
    assert "never" in loaded and "overdue" in loaded
