"""A gentle warning when a personal note starts to read like a sales pitch.

Personal notes must not sell. The phrases below are the ones that give a pitch
away; each has the exceptions that keep it quiet in an ordinary warm note
("offer my condolences", "a job offer", "let me buy you a coffee", "a big deal").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class PitchWarning:
    """One phrase that sounds like selling: where it is, the words, and why it matters."""

    start: int
    end: int
    phrase: str
    why: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


_PRICE = "talks about price; a personal note is not an offer"
_CALL_TO_ACTION = "asks for a sale or a meeting; a personal note asks for nothing"
_URGENCY = "adds sales pressure"
_PRODUCT = "talks about your product instead of the person"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:discount(?:s|ed)?|coupons?|promo(?:tion)?\s+codes?|promo(?:s)?"
                r"|\d+\s?%\s+off|special\s+pric(?:e|ing)|best\s+price|pric(?:ing|e\s+list)"
                r"|our\s+(?:prices|rates)|free\s+trial|no\s+obligation|money[-\s]back)\b", _I),
     _PRICE),
    # "offer", but not "offer my condolences", "a job offer", "offered to help".
    # "thank you for the offer" / "your kind offer" is a friend's offer, not ours.
    (re.compile(r"(?<!\bjob\s)(?<!\bjob-)(?<!\byour\s)(?<!\bthe\s)(?<!\bkind\s)(?<!\bgenerous\s)"
                r"\b(?:special\s+|exclusive\s+|limited\s+|introductory\s+)?"
                r"offer(?:s|ing)?\b(?!\s+(?:(?:you\s+)?(?:my|our|his|her|their)\s+)?"
                r"(?:condolences|congratulations|sympath(?:y|ies)|support|help|thanks|apolog"
                r"|prayers|best|warm|love|a\s+hand|a\s+lift|a\s+ride|advice|to\b|of\s+help))", _I),
     _PRICE),
    # "It meant a great deal to me" is warm; "a great deal on" is a price.
    (re.compile(r"\b(?:special|exclusive|sweet|limited)\s+deals?\b"
                r"|\b(?:great\s+|best\s+)?deals?\s+(?:on|for\s+you)\b|\bclose\s+the\s+deal\b",
                _I), _PRICE),
    (re.compile(r"\bbuy\s+(?:now|today|our|from\s+(?:us|me))\b|\b(?:ready|want)\s+to\s+buy\b"
                r"|\bplace\s+an\s+order\b|\bupgrade\s+(?:now|today|to\s+(?:our|the\s+pro))\b"
                r"|\bsubscribe\s+to\s+(?:our|my)\b", _I), _CALL_TO_ACTION),
    (re.compile(r"\b(?:schedule|book|set\s+up|hop\s+on)\s+(?:a\s+|some\s+)?(?:quick\s+|short\s+"
                r"|15[-\s]minute\s+|30[-\s]minute\s+)?(?:call|demo|meeting|chat)\s+(?:to\s+"
                r"(?:discuss|talk\s+about|explore|show)|about\s+(?:our|how))\b"
                r"|\bschedule\s+a\s+(?:call|demo)\b"
                r"|\b(?:free|quick|live|product|personali[sz]ed)\s+demos?\b|\bdemo\s+of\s+our\b",
                _I),
     _CALL_TO_ACTION),
    (re.compile(r"\b(?:limited[-\s]time|act\s+now|don['’]t\s+miss\s+out|while\s+(?:supplies"
                r"|stocks)\s+last|last\s+chance|offer\s+ends|expires\s+soon)\b", _I), _URGENCY),
    (re.compile(r"\bour\s+(?:new\s+|latest\s+)?(?:products?|services?|solutions?|platform|offering"
                r"|software|app|tool)\b|\b(?-i:ROI)\b|\bcase\s+stud(?:y|ies)\b|\bpartnership"
                r"\s+opportunit(?:y|ies)\b", _I), _PRODUCT),
)


def pitch_warnings(text: str) -> list[PitchWarning]:
    """Phrases in ``text`` that read like a sales pitch, in order, without overlaps."""
    found: list[PitchWarning] = []
    for pattern, why in _RULES:
        for m in pattern.finditer(text):
            found.append(PitchWarning(m.start(), m.end(), m.group(), why))
    found.sort(key=lambda w: (w.start, -(w.end - w.start)))
    kept: list[PitchWarning] = []
    for warning in found:
        if not kept or warning.start >= kept[-1].end:
            kept.append(warning)
    return kept
