"""Words and patterns the quick-note extractors share."""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

HEDGE = re.compile(r"\b(?:not|no|never|hope|hopes|hoping|hoped|might|maybe|perhaps|if|whether"
                   r"|wants?\s+to|wish(?:es)?|would|could|should|up\s+for|thinking\s+(?:about|of)"
                   r"|considering|plans?\s+to|planning|rumou?r(?:ed|s)?|possibly|probably"
                   r"|not\s+sure|unsure|guess)\b|n['’]t\b", _I)
NEGATION = re.compile(r"\b(?:no\s+need|do\s+not|not|never|no\s+longer|without)\b|n['’]t\b",
                      _I)
MINE = re.compile(r"(?:\b(?:my|our|your)\s+|\bex-?\s*)$", _I)

STOP_WORDS = """
i a an the and but so then also he she they we you it his her their our my your its is was has
had will just who what when where why how this that these those there here mr mrs ms dr today
tomorrow yesterday next last maybe not no yes ok okay thanks in on at to for from with of after
before by
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
"""
STOP = frozenset(STOP_WORDS.split())
RELATIONS = {
    "wife": "spouse", "husband": "spouse", "spouse": "spouse",
    "partner": "partner", "fiance": "partner", "fiancé": "partner", "fiancee": "partner",
    "fiancée": "partner", "boyfriend": "partner", "girlfriend": "partner",
    "son": "child", "daughter": "child", "kid": "child", "child": "child", "baby": "child",
    "stepson": "child", "stepdaughter": "child",
    "mother": "parent", "mom": "parent", "mum": "parent", "father": "parent", "dad": "parent",
    "brother": "sibling", "sister": "sibling",
}


@dataclass(frozen=True, slots=True)
class Clause:
    """A line or a sentence of the note (``start``/``end`` index the note)."""

    start: int
    end: int
    question: bool


CONNECT = re.compile(r"(?:\s|[:=,]|[-–—](?!\d)|\b(?:is|was|on|falls|will|be|it['’]s)\b"
                     r"|['’]s\b)*", _I)


def words_before(segment: str, pos: int) -> str:
    """The words just before ``pos`` where a hedge or a "my" would sit.

    A window, not the whole clause: a note pasted as one long line must not
    make every trigger rescan it.
    """
    return segment[max(0, pos - 80):pos]
