"""Life events in a quick note ("new job at Acme", "got engaged", "moved to Lisbon").

Each pattern is narrow on purpose: "engaged in a project", "moved to tears" and
"expecting a call" are not life events. Hedged clauses ("hoping to get
promoted") are filtered by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_F = re.IGNORECASE
# Words after "at"/"to" that may name an organisation or a place; trimmed to the
# capitalised run in code because ``re`` cannot test Unicode upper case.
_NAME_RUN = r"(?P<name>[^\s,;:!?()\"“”]+(?:\s+[^\s,;:!?()\"“”]+){0,3})"
_ROLE = r"(?P<role>[\w'’-]+(?:\s+(?!(?:at|in|on|last|this|next|after|and|but|so|because|since" \
        r"|yesterday|today|recently|finally)\b)[\w'’-]+){0,3})"


@dataclass(frozen=True, slots=True)
class EventMatch:
    event: str
    text: str
    start: int
    end: int


def _capitalised_run(words: str, *, allow_the: bool = False) -> str:
    """The leading run of capitalised words ("Acme Corp" of "Acme Corp next month")."""
    parts = words.split()
    out: list[str] = []
    if allow_the and len(parts) > 1 and parts[0].lower() == "the" and parts[1][:1].isupper():
        out.append("the")
        parts = parts[1:]
    for word in parts:
        clean = re.sub(r"(?:['’]s)?[.'’]*$", "", word)
        if clean.lower() in _NOT_NAMES:
            break
        if clean[:1].isupper() or (out and clean == "&"):
            out.append(clean)
            if clean != word:  # a possessive or a full stop ends the name
                break
        else:
            break
    while out and out[-1] in ("&", "the"):
        out.pop()
    return " ".join(out)


_NOT_NAME_WORDS = ("i january february march april may june july august september october"
                   " november december monday tuesday wednesday thursday friday saturday sunday")
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


def _org_text(base: str, preposition: str = "at") -> Callable[[re.Match[str]], str | None]:
    def build(m: re.Match[str]) -> str | None:
        name = _capitalised_run(m.group("name") or "") if m.groupdict().get("name") else ""
        return f"{base} {preposition} {name}" if name else base
    return build


def _needs_name(base: str) -> Callable[[re.Match[str]], str | None]:
    def build(m: re.Match[str]) -> str | None:
        name = _capitalised_run(m.group("name"), allow_the=True)
        return f"{base} {name}" if name else None
    return build


def _fixed(text: str) -> Callable[[re.Match[str]], str | None]:
    return lambda m: text


def _promoted(m: re.Match[str]) -> str | None:
    role = (m.groupdict().get("role") or "").strip()
    return f"Promoted to {role}" if role else "Promoted"


def _retire(m: re.Match[str]) -> str | None:
    word = m.group("w").lower()
    return {"retired": "Retired", "retirement": "Retirement"}.get(word, "Retiring")


def _became(m: re.Match[str]) -> str | None:
    return "Became a " + " ".join(m.group("who").lower().split())


_PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str | None]], ...] = (
    ("new-job", re.compile(r"\bnew\s+(?:job|role|position)\b(?:\s+(?:at|with)\s+" + _NAME_RUN
                           + ")?", _F), _org_text("New job")),
    ("new-job", re.compile(r"\b(?:started|starting|starts|joined|joining|joins)\s+(?:a\s+"
                           r"(?:new\s+)?(?:job|role|position)\s+)?(?:at|with)\s+" + _NAME_RUN,
                           _F), _org_text("New job")),
    ("new-job", re.compile(r"\b(?:got|landed|accepted|took)\s+(?:a|the)\s+(?:new\s+)?"
                           r"(?:job|role|position|offer)\s+(?:at|with)\s+" + _NAME_RUN, _F),
     _org_text("New job")),
    ("promotion", re.compile(r"\b(?:got|was|been|just|finally|recently|is|she['’]s|he['’]s)"
                             r"\s+promoted\b(?:\s+to\s+" + _ROLE + ")?", _F), _promoted),
    # At the start of a note line only as news ("Promoted to VP!"), not "promoted the event".
    ("promotion", re.compile(r"^promoted(?:\s+to\s+" + _ROLE + r"|(?=\s*(?:[!.]|$)))", _F),
     _promoted),
    ("promotion", re.compile(r"\b(?:got|received|earned)\s+(?:a|the|her|his|their)\s+"
                             r"promotion\b(?:\s+to\s+" + _ROLE + ")?", _F), _promoted),
    ("engagement", re.compile(r"\b(?:got|just|recently|newly)\s+engaged\b|\bengaged\s+to\s+"
                              r"(?-i:[A-Z])", _F), _fixed("Got engaged")),
    ("wedding", re.compile(r"\b(?:got|just|recently|newly)\s+married\b", _F),
     _fixed("Got married")),
    ("baby", re.compile(r"\b(?:had|welcomed|has\s+had)\s+(?:a|their|her|his)\s+"
                        r"(?:first\s+|second\s+|third\s+)?(?:baby|son|daughter|little\s+girl"
                        r"|little\s+boy|baby\s+(?:boy|girl))\b|\bnew\s+baby\b|\bpregnant\b"
                        r"|\bexpecting\s+(?:a\s+baby|a\s+child|their\s+first|her\s+first"
                        r"|his\s+first|twins|a\s+(?:boy|girl))\b", _F),
     _fixed("New baby")),
    ("baby", re.compile(r"\bbecame\s+(?:a\s+)?(?P<who>dad|father|mum|mom|mother|parents?"
                        r"|grand(?:father|mother|pa|ma|parents?))\b", _F), _became),
    ("move", re.compile(r"\b(?:moved|relocated|has\s+moved)\s+to\s+" + _NAME_RUN, _F),
     _needs_name("Moved to")),
    ("move", re.compile(r"\b(?:moving|relocating|is\s+moving)\s+to\s+" + _NAME_RUN, _F),
     _needs_name("Moving to")),
    ("new-home", re.compile(r"\b(?:bought|buying)\s+(?:a|their\s+first|her\s+first"
                            r"|his\s+first)\s+(?:house|home|flat|apartment)\b"
                            r"|\bnew\s+(?:house|home|flat|apartment)\b", _F),
     _fixed("New home")),
    # "her retired father" uses the word as an adjective; "my retirement" is the user's.
    ("retirement", re.compile(r"(?<!\bher\s)(?<!\bhis\s)(?<!\bmy\s)(?<!\bour\s)(?<!\ba\s)"
                              r"(?<!\bthe\s)\b(?P<w>retiring|retired|retires|retirement)\b"
                              r"(?!\s+(?:plan|fund|account|savings|age|home|community)s?\b)",
                              _F), _retire),
    ("graduation", re.compile(r"\bgraduated\b(?:\s+from\s+" + _NAME_RUN + ")?", _F),
     _org_text("Graduated", "from")),
)


def find_life_events(text: str) -> list[EventMatch]:
    """Life events in one clause of a note, without overlaps."""
    found: list[EventMatch] = []
    for event, pattern, build in _PATTERNS:
        for m in pattern.finditer(text):
            phrase = build(m)
            if phrase:
                found.append(EventMatch(event, phrase, m.start(), _end(m, phrase)))
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[EventMatch] = []
    for item in found:
        if not any(item.start < k.end and k.start < item.end for k in kept):
            kept.append(item)
    return kept


def _end(m: re.Match[str], phrase: str) -> int:
    """Where the event ends: after the last word of a name, not the words the regex took."""
    if m.groupdict().get("name") is None:
        return m.end()
    last = phrase.split()[-1]
    found = m.string.find(last, m.start("name"), m.end())
    if found >= 0:
        return found + len(last)
    head = re.sub(r"\s+(?:at|with|from|to)\s*$", "", m.string[m.start():m.start("name")], flags=_F)
    return m.start() + len(head.rstrip())


# The noun phrase a congratulation can use: "Congratulations on {event}!"
_PHRASES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^new job(?: (?:at|with) (?P<rest>.+))?$", _F),
     lambda m: f"the new job at {m.group('rest')}" if m.group("rest") else "the new job"),
    (re.compile(r"^(?:got )?promot(?:ed|ion)(?: to (?P<rest>.+))?$", _F),
     lambda m: f"the promotion to {m.group('rest')}" if m.group("rest") else "the promotion"),
    (re.compile(r"^(?:got )?engaged$|^engagement$", _F), lambda m: "your engagement"),
    (re.compile(r"^(?:got )?married$|^wedding$", _F), lambda m: "your wedding"),
    (re.compile(r"^new baby$|^baby$", _F), lambda m: "the new baby"),
    (re.compile(r"^became an? (?P<rest>.+)$", _F),
     lambda m: f"becoming a {m.group('rest').lower()}"),
    (re.compile(r"^mov(?:ed|ing) to (?P<rest>.+)$", _F),
     lambda m: f"the move to {m.group('rest')}"),
    (re.compile(r"^new home$", _F), lambda m: "the new home"),
    (re.compile(r"^retir(?:ed|ing|ement)$", _F), lambda m: "your retirement"),
    (re.compile(r"^graduated(?: from (?P<rest>.+))?$", _F),
     lambda m: f"graduating from {m.group('rest')}" if m.group("rest") else "your graduation"),
)


def life_event_phrase(text: str) -> str | None:
    """A noun phrase for a life-event text ("Moved to Lisbon" -> "the move to Lisbon").

    None when the text is not one this module writes: a template then uses a
    sentence that does not need it.
    """
    cleaned = " ".join(text.strip().rstrip(".!").split())
    for pattern, build in _PHRASES:
        m = pattern.match(cleaned)
        if m:
            return build(m)
    return None
