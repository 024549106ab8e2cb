"""Filling a template for a contact and the suggestion that opened it.

Values are checked before they go into a sentence: a "last topic" that reads
like a whole sentence ("Lent her my copy of…") would make an awkward note, so
it counts as missing and the template uses a wording without it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pendulum

from nurture.compose.registry import builtin_templates
from nurture.compose.template import Template, Variant, clean_value, render
from nurture.model import Contact, NewsItem, Suggestion, fold
from nurture.notes import life_event_phrase
from nurture.wording import as_written, ordinal

# What a thank-you is for, from the kind of entry that earned it (``facts["what"]``).
_THANKS_FOR = {
    "favour": "your help",
    "introduction": "the introduction",
    "gift-received": "the lovely gift",
    "meeting": "your time",
    "call": "your time",
}
# Rules whose suggestion carries no template of its own fall back to these.
_BY_RULE = {
    "cadence": "thinking-of-you",
    "dormant": "thinking-of-you",
    "follow-up": "check-in",
    "check-in": "check-in",
    "thank-you": "thank-you",
    "life-event": "congratulations",
    "news": "clipping",
}
_SOMBRE = re.compile(r"death|died|passed|passing|memorial|funeral|loss|remembrance|surgery"
                     r"|operation|hospital|treatment|chemo|divorce")
_HAPPY = re.compile(r"graduat|wedding|married|engage|baby|christening|retire|promotion|launch"
                    r"|opening|recital|premiere|exhibition")
_GENERIC_LABELS = {"birthday", "anniversary", "wedding anniversary", "work anniversary"}


@dataclass(frozen=True, slots=True)
class ComposedNote:
    """A filled template: what the compose pane shows and edits."""

    subject: str
    body: str
    template: str  # the template's id
    variant: int  # which variant was used (for "try another wording")

    @property
    def text(self) -> str:
        """The draft as stored (``Draft.text``); see ``split_draft``."""
        return join_draft(self.subject, self.body)


def join_draft(subject: str, body: str) -> str:
    """``Subject: …`` then a blank line then the body; just the body when there is no subject."""
    subject = clean_value(subject)
    return f"Subject: {subject}\n\n{body}" if subject else body


def split_draft(text: str) -> tuple[str, str]:
    """(subject, body) of a stored draft; the inverse of ``join_draft``."""
    first, _, rest = text.partition("\n")
    if first.startswith("Subject:"):
        return first[len("Subject:"):].strip(), rest[1:] if rest.startswith("\n") else rest
    return "", text


def choose_template(suggestion: Suggestion | None,
                    templates: Mapping[str, Template] | None = None) -> str:
    """The template id for a suggestion (``thinking-of-you`` when nothing fits better).

    A date's label decides for ``key-date``: a birthday, an anniversary, a
    happy occasion, or a gentle "thinking of you" before a surgery or on the
    anniversary of a loss (never "Happy anniversary!" then).
    """
    known = templates if templates is not None else builtin_templates()
    if suggestion is None:
        return "thinking-of-you"
    chosen = ""
    if suggestion.rule == "key-date":
        label = fold(str(suggestion.facts.get("date_label", "")))
        if _SOMBRE.search(label):
            chosen = "thinking-of-you"
        elif "birthday" in label:
            chosen = "birthday"
        elif "anniversary" in label:
            chosen = "anniversary"
        elif _HAPPY.search(label):
            chosen = "congratulations"
        else:
            chosen = "thinking-of-you"
    elif suggestion.template in known:
        chosen = suggestion.template
    else:
        chosen = _BY_RULE.get(suggestion.rule, "thinking-of-you")
    return chosen if chosen in known else "thinking-of-you"


def template_values(contact: Contact, suggestion: Suggestion | None = None, *,
                    last_topic: str | None = None, my_name: str = "") -> dict[str, str]:
    """Every placeholder's value ("" when unknown or unfit for a sentence)."""
    facts: dict[str, Any] = dict(suggestion.facts) if suggestion is not None else {}
    interest = _short(facts.get("interest"))
    # A clipping names the interest the news matched, or none (news about their
    # employer is not "with your interest in marathons").
    if not interest and "news_title" not in facts and contact.interests:
        interest = _short(contact.interests[0])
    interest = as_written(interest, facts.get("news_title"), suggestion.reason if suggestion
                           else "", facts.get("last_spoke"), contact.notes,
                           contact.how_we_met)
    topic = clean_value(last_topic) if last_topic is not None else _topic(facts.get("last_topic"))
    label = clean_value(facts.get("date_label"))
    if fold(label) in _GENERIC_LABELS:
        label = label.lower()
    years = facts.get("years")
    years = years if isinstance(years, int) and not isinstance(years, bool) and years > 0 else 0
    url = clean_value(facts.get("news_url"))
    event = clean_value(facts.get("event"))
    return {
        "first_name": clean_value(contact.first_name),
        "name": clean_value(contact.display_name),
        "company": clean_value(contact.company),
        "interest": interest,
        "last_topic": topic,
        "thanks_for": _THANKS_FOR.get(clean_value(facts.get("what")), ""),
        "event": (life_event_phrase(event) or "") if event else "",
        "occasion": _occasion(label),
        "date_label": label,
        "years": str(years) if years else "",
        "years_ordinal": ordinal(years) if years else "",
        "news_title": clean_value(facts.get("news_title")).rstrip("."),
        "news_url": url if re.match(r"https?://\S+$", url) else "",
        "my_name": clean_value(my_name),
    }


def fill(template: Template, contact: Contact, suggestion: Suggestion | None = None, *,
         last_topic: str | None = None, my_name: str = "",
         variant: int | None = None) -> ComposedNote:
    """The template filled for ``contact``: subject and body, ready to edit.

    The first group of variants whose ``requires`` are all known is used; within
    a group (variants in a row with the same ``requires``) the choice is stable
    per contact. ``variant`` picks one by number instead ("another wording").
    """
    values = template_values(contact, suggestion, last_topic=last_topic, my_name=my_name)
    index = variant % len(template.variants) if variant is not None else \
        _pick(template.variants, values, f"{template.id}:{contact.id}")
    chosen = template.variants[index]
    subject = render(chosen.parsed_subject, values).replace("\n", " ").strip()
    return ComposedNote(subject=subject or template.title, body=render(chosen.parsed_body, values),
                        template=template.id, variant=index)


def _pick(variants: tuple[Variant, ...], values: dict[str, str], seed: str) -> int:
    groups: list[list[int]] = []
    for index, current in enumerate(variants):
        if groups and variants[groups[-1][0]].requires == current.requires:
            groups[-1].append(index)
        else:
            groups.append([index])
    for group in groups:
        if variants[group[0]].usable(values):
            return group[zlib.crc32(seed.encode()) % len(group)]
    return 0


def _short(value: object, max_words: int = 5) -> str:
    text = clean_value(value).rstrip(".,;:!?")
    if not text or len(text) > 40 or len(text.split()) > max_words or text.endswith("…") \
            or re.search(r"[.!?;:]\s", text):
        return ""
    return text


def _topic(value: object) -> str:
    """A topic fit for "we spoke about …": a short phrase, not the first line of a note."""
    text = _short(value)
    if len(text.split()) > 1 and text[:1].isupper() and not text.split()[0].isupper():
        return ""  # "Lent her my copy" reads as a sentence, "job search" as a topic
    return text


def _occasion(label: str) -> str:
    """"Maya's graduation" as it is; "Surgery" as "the surgery"."""
    if not label or re.search(r"['’]s\b", label):
        return label
    words = label.split()
    if words[0][:1].isupper() and words[0][1:].islower() and all(w.islower() for w in words[1:]):
        label = label[0].lower() + label[1:]
    return f"the {label}"


def news_suggestion(item: NewsItem, contact: Contact, interests: tuple[str, ...],
                    today: date) -> Suggestion:
    """A news item opened in compose, in the shape templates read (a clipping)."""
    return Suggestion(key="", rule="news", contact_ids=[contact.id], title=item.title,
                      reason="", due=pendulum.Date(today.year, today.month, today.day),
                      priority=0.0, template="clipping",
                      facts={"news_title": item.title, "news_url": item.url,
                             **({"interest": interests[0]} if interests else {})})
