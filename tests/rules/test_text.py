"""Topics: reasons may quote an entry; a note names only a real topic."""

from __future__ import annotations

import pendulum

from nurture.compose import fill
from nurture.compose.registry import builtin_templates
from nurture.model import Contact, Interaction
from nurture.rules.text import last_spoke, note_topic

AT = pendulum.datetime(2026, 11, 1, 10, tz="UTC")


def entry(text: str) -> Interaction:
    return Interaction.new(["c-1"], "email", text, at=AT)


def test_a_note_names_a_hashtag_topic_and_nothing_else():
    assert note_topic(entry("Talked about the #rock-climbing trip")) == "rock climbing"
    assert note_topic(entry("Sent notes from our chat about the regatta.")) == ""
    assert note_topic(None) == ""


def test_reasons_still_quote_an_untagged_entry():
    line = last_spoke(entry("Sent notes from our chat about the regatta."),
                      pendulum.date(2026, 11, 22))
    assert "“Sent notes from our chat about the regatta”" in line


def test_thinking_of_you_never_says_we_spoke_about_a_whole_sentence():
    contact = Contact.new("Maya Lindqvist")
    template = builtin_templates()["thinking-of-you"]
    untagged = fill(template, contact, last_topic=note_topic(entry("Sent notes from our chat."))
                    or None).text
    tagged = fill(template, contact, last_topic=note_topic(entry("Lunch, #regatta talk"))).text
    assert "Sent notes" not in untagged and "regatta" not in untagged
    assert "regatta" in tagged
