"""Follow-ups in a quick note: "follow up in 2 weeks: send the book", "next Friday call back"."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pendulum

from nurture.notes.dates import find_dates
from nurture.notes.facts import FollowUpFact
from nurture.notes.lexicon import CONNECT, NEGATION, Clause

_I = re.IGNORECASE

_LEAD = re.compile(r"(?:(?:and|then|also|so|ok|okay|pls|please|must|need\s+to|have\s+to"
                   r"|i\s+(?:must|need\s+to|will|should|have\s+to|want\s+to)|i['’]ll|will"
                   r"|should|to|remember\s+to|don['’]?t\s+forget\s+to|let['’]?s|gotta"
                   r"|(?:i['’]m\s+)?going\s+to|gonna|want\s+to)\s+)*", _I)
_MARKER = re.compile(r"\bremind\s+me\b(?:\s+to\b)?|\b(?:todo|to-do|to\s+do|action(?:\s+item)?"
                     r"|next\s+steps?|reminder)\s*[:\-–—]|\b(?-i:TODO)\b", _I)
_FOLLOW = re.compile(r"(?:follow[\s-]?up|f/u)\b(?P<sep>\s*[:\-–—])?", _I)
# "Ask Sam", "text her"; a capitalised name, so that "Text was unclear" is no task.
_OBJ = r"(?:her|him|them|(?-i:[A-ZÀ-ÖØ-Þ])[\w-]*)"
_ACTION = re.compile(r"(?:call\s+(?:" + _OBJ + r"\s+)?back|check\s+(?:in|back)|ping\b"
                     r"|send\b|(?:e-?mail|text|message|ask|thank|invite)\s+" + _OBJ +
                     r"|intro\b|introduce\b|get\s+back\s+to|reach\s+out|circle\s+back"
                     r"|look\s+into|find\s+out|buy\s+(?:her|him|them|a|an|the)\b"
                     r"|book\s+(?:a|the)\b|share\s+(?:the|my|her|him|them)\b"
                     r"|congratulate\b)", _I)
_TEXT_HEAD = re.compile(r"^[\s:,\-–—]*(?:to\s+)?", _I)
# "follow up in 2 weeks: send the book": once the date is out, the colon shows
# that the task is what follows it.
_FOLLOW_HEAD = re.compile(r"^(?:follow[\s-]?up|f/u)\s*[:\-–—]\s*", _I)
_FOLLOW_ONLY = re.compile(r"^(?:follow[\s-]?up|f/u)$", _I)


def follow_ups(text: str, masked: str, clause: Clause,
                today: pendulum.Date) -> Iterable[FollowUpFact]:
    if clause.question:
        return
    segment = masked[clause.start:clause.end]
    dates = [d for d in find_dates(segment, today)
             if (when := d.next_on_or_after(today)) is not None and when >= today]
    due = dates[0] if dates else None
    text_start = trigger_start = None
    default = ""
    marker = _MARKER.search(segment)
    if marker:
        trigger_start, text_start = marker.start(), marker.end()
    else:
        pos = _skip(_LEAD, segment, 0)
        if due is not None and due.outer_start == pos:  # "next Friday call back"
            pos = _skip(_LEAD, segment, _skip(CONNECT, segment, due.end))
        follow = _FOLLOW.match(segment, pos)
        if follow:
            trigger_start = pos
            text_start = follow.end() if follow.group("sep") else pos
            default = "Follow up"
        elif _ACTION.match(segment, pos):
            trigger_start = text_start = pos
    if trigger_start is None or text_start is None:
        return
    before = re.sub(r"don['’]?t\s+forget", "", segment[:trigger_start], flags=_I)
    if NEGATION.search(before):
        return
    original = text[clause.start:clause.end]
    if due is not None and due.outer_start >= text_start:
        body = original[text_start:due.outer_start] + " " + original[due.end:]
    else:
        body = original[text_start:]
    body = _tidy(_FOLLOW_HEAD.sub("", _TEXT_HEAD.sub("", body)))
    if not body or _FOLLOW_ONLY.match(body):
        body = default
    if not body:
        return
    yield FollowUpFact(text=body, due=due.next_on_or_after(today) if due else None,
                       span=(clause.start, clause.end))


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where ``pattern`` (one that can match nothing, like ``_LEAD``) stops matching at ``pos``."""
    m = pattern.match(text, pos)
    return m.end() if m else pos


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"\s+([,;:.!?])", r"\1", text)
    text = re.sub(r"^[\s,;:.!\-–—]+|[\s,;:\-–—]+$", "", text).rstrip(".")
    return text[:1].upper() + text[1:]
