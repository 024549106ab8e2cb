"""The sales-pitch warning: it flags selling, and stays quiet in warm notes."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.compose import pitch_warnings


@pytest.mark.parametrize(("text", "phrase"), [
    ("I can get you a 20% discount this month.", "discount"),
    ("We have a special offer for friends.", "special offer"),
    ("I'd love to offer you early access.", "offer"),
    ("Our new pricing is simpler.", "pricing"),
    ("Happy to schedule a call to discuss your needs.", "schedule a call to discuss"),
    ("Could we book a quick demo?", "quick demo"),
    ("Buy now before it is gone", "Buy now"),
    ("Only while stocks last!", "while stocks last"),
    ("It's a limited-time thing.", "limited-time"),
    ("Let me tell you about our product.", "our product"),
    ("There's a great deal on the Pro plan.", "great deal on"),
    ("Use promo code FRIENDS", "promo code"),
    ("Try the free trial", "free trial"),
    ("Happy to share a case study", "case study"),
    ("Hoping we can explore a partnership opportunity", "partnership opportunity"),
    ("The offer ends Friday", "offer ends"),
])
def test_flags_selling(text, phrase):
    warnings = pitch_warnings(text)
    assert [w.phrase for w in warnings] == [phrase]
    (warning,) = warnings
    assert text[warning.start:warning.end] == phrase == text[slice(*warning.span)]
    assert warning.why


@pytest.mark.parametrize("text", [
    "I'm offering my condolences to you and your family.",
    "I wanted to offer my congratulations on the new job!",
    "Congratulations on the job offer!",
    "She offered to help with the move.",
    "Thank you for the offer of a bed in Lisbon.",
    "Your kind offer meant a lot.",
    "It meant a great deal to me.",
    "No big deal at all.",
    "Let me buy you a coffee next time.",
    "Classic case of buyer's remorse, ha.",
    "How did the house sale go?",
    "Loved your band's demo!",
    "No hurry at all.",
    "The price of fame!",
    "I'd love to hear how you're dealing with the move.",
    "Roi is such a good name for a dog.",
    "Happy to hop on a call whenever suits you.",
])
def test_quiet_in_warm_notes(text):
    assert pitch_warnings(text) == []


def test_several_in_order_without_overlaps():
    text = "Special offer! Buy now, and schedule a demo of our platform."
    warnings = pitch_warnings(text)
    assert [w.phrase for w in warnings] == ["Special offer", "Buy now", "schedule a demo",
                                            "our platform"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(warnings))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text(text):
    for warning in pitch_warnings(text):
        assert 0 <= warning.start < warning.end <= len(text)
        assert text[warning.start:warning.end] == warning.phrase
