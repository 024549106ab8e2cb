"""The quick-note parser: note text in, facts out. Pure; never raises on any text.

The grammar is documented with examples in the README (Quick notes). It errs
on the side of missing a fact: a wrong fact offered for confirmation costs the
user more than typing one by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pendulum

from nurture.model import MAX_YEAR, MIN_YEAR, Contact, fold, normalize_tag
from nurture.notes.dates import DateMatch, find_dates
from nurture.notes.events import find_life_events
from nurture.notes.facts import (
    Fact,
    FamilyFact,
    InterestFact,
    KeyDateFact,
    LifeEventFact,
    NoteFacts,
    deduplicate,
)
from nurture.notes.followups import follow_ups
from nurture.notes.lexicon import CONNECT, HEDGE, MINE, RELATIONS, STOP, Clause, words_before

_I = re.IGNORECASE

# Text that must never yield a fact: links, addresses, and (for everything but
# interests) the hashtags themselves.
# An address starts after a space or punctuation: trying one at every character
# of a long run of text without "@" would take quadratic time.
_LINKS = re.compile(r"(?:https?://|www\.|mailto:)\S+"
                    r"|(?<![^\s<(\[,;:\"'])[^\s@<>()\[\],;:\"']+@[^\s@]+\.\w+", _I)
# A tag's own text only: "#sailing." still ends its sentence with the full stop.
_HASHTAGS = re.compile(r"(?<![\w&/])#\S+?(?=[.!?;,:]*(?:\s|$))")
_BULLET = re.compile(r"\s*(?:(?:[-*•>+]|\d{1,2}[.)])\s*)?(?:\[[ xX]?\]\s*)?")
def parse_note(text: str, today: pendulum.Date, *, contact: Contact | None = None) -> NoteFacts:
    """The facts in a quick note, each with the span of text it came from.

    ``contact`` (optional) tells the parser whose note it is, so that "Sam's
    birthday" in a note about Sam is Sam's own birthday.
    """
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group())

    without_links = _LINKS.sub(blank, text)
    masked = _HASHTAGS.sub(blank, without_links)
    names = _contact_names(contact)
    facts: list[Fact] = list(_interests(without_links))
    for clause in _clauses(text, masked):
        facts.extend(_key_dates(masked, clause, today, names))
        facts.extend(_one_off_dates(masked, clause, today, names))
        facts.extend(follow_ups(text, masked, clause, today))
        facts.extend(_life_events(masked, clause, names))
        facts.extend(_family(masked, clause))
    return NoteFacts(text=text, facts=tuple(sorted(deduplicate(facts), key=lambda f: f.span)))


def _contact_names(contact: Contact | None) -> frozenset[str]:
    if contact is None:
        return frozenset()
    words = [contact.first_name, contact.given_name, contact.nickname,
             *contact.display_name.split()[:1]]
    return frozenset(fold(w) for w in words if w)


def _clauses(text: str, masked: str) -> list[Clause]:
    """Lines and sentences; a "." inside "acme.com" or "3.5" does not end one."""
    clauses: list[Clause] = []
    start = 0
    for m in re.finditer(r"\n|[.!?;]+(?=\s|$)", masked):
        clauses.append(Clause(start, m.start(), "?" in m.group()))
        start = m.end()
    clauses.append(Clause(start, len(masked), False))
    out = []
    for c in clauses:
        bullet = _BULLET.match(text, c.start, c.end)
        begin = bullet.end() if bullet else c.start
        end = c.end
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            out.append(Clause(begin, end, c.question))
    return out


# ---------------------------------------------------------------- interests


_HASH = re.compile(r"(?<![\w&/#@])#(?=\w)")
GIFT_IDEA_TAG = "gift-idea"


def _interests(text: str) -> Iterable[InterestFact]:
    for m in _HASH.finditer(text):
        end = m.end()
        # Letters, digits, "_" and "-", and the combining marks of a decomposed "é".
        while end < len(text) and (text[end].isalnum() or text[end] in "_-"
                                   or unicodedata.category(text[end]).startswith("M")):
            end += 1
        raw = text[m.end():end].rstrip("-_")
        if not any(c.isalpha() for c in raw):
            continue  # "#1", "#2024"
        if re.fullmatch(r"[0-9a-fA-F]{3}|[0-9a-fA-F]{6}", raw) and any(c.isdigit() for c in raw):
            continue  # a colour such as #ff0000
        # casefold() may decompose ("ῆ"), so compose again afterwards.
        tag = unicodedata.normalize("NFC", normalize_tag(unicodedata.normalize("NFC", raw)))
        if tag == GIFT_IDEA_TAG:
            continue  # "#gift-idea: …" marks a gift idea (nurture.cards), not an interest
        if tag:
            yield InterestFact(tag=tag, span=(m.start(), m.end() + len(raw)))


# ---------------------------------------------------------------- key dates


_WHO = r"(?:(?P<who>[^\W\d_][\w-]*)['’]s\s+)?"
_KEY_TRIGGER = re.compile(r"\b" + _WHO + r"(?P<trig>b(?:irth)?-?day|birth\s+day"
                          r"|(?:(?P<kind>wedding|work)\s+)?anniversary|born)\b", _I)
_BORN_SUBJECT = re.compile(r"\b(?:she|he|they)\s+(?:was|were)\s+$", _I)
_AMBIGUOUS_AFTER = re.compile(r"\s*(?:or|/|-|–|to|and)\s*\d", _I)


def _key_dates(masked: str, clause: Clause, today: pendulum.Date,
               names: frozenset[str]) -> Iterable[KeyDateFact]:
    if clause.question:
        return
    segment = masked[clause.start:clause.end]
    dates = None
    for m in _KEY_TRIGGER.finditer(segment):
        before = words_before(segment, m.start())
        if MINE.search(before) or HEDGE.search(before):
            continue
        trig = m.group("trig").lower()
        if trig == "born":
            if m.group("who") or not (before.strip() == "" or _BORN_SUBJECT.search(before)):
                continue
            label = "birthday"
        elif "anniversary" in trig:
            label = "work anniversary" if (m.group("kind") or "").lower() == "work" \
                else "anniversary"
        else:
            label = "birthday"
        if m.group("who"):
            owner = _owner(m.group("who"), names)
            if owner is None:
                continue
            if owner:
                label = f"{owner}'s {label}"
        if dates is None:
            dates = _by_start(find_dates(segment, today, numeric=True))
        date = _date_at(segment, m.end(), dates)
        if date is None or _AMBIGUOUS_AFTER.match(segment, date.end):
            continue
        year = None if date.relative else date.year
        if year is not None:
            when = pendulum.date(year, date.month, date.day)
            if when > today or year < today.year - 130:
                continue  # a birth or a wedding in the future is a typo, not a fact
        yield KeyDateFact(label=label, month=date.month, day=date.day, year=year, yearly=True,
                          span=(clause.start + m.start(), clause.start + date.end))


def _owner(who: str, names: frozenset[str]) -> str | None:
    """"" for the contact, a label prefix for someone else, None when unsure."""
    lowered = who.lower()
    if lowered in RELATIONS:
        return lowered
    if fold(who) in names:
        return ""
    if who[:1].isupper() and not who.isupper() and lowered not in STOP:
        return who
    return None


def _by_start(dates: list[DateMatch]) -> dict[int, DateMatch]:
    """Day-precise dates by where they start, with or without their "on"."""
    index: dict[int, DateMatch] = {}
    for d in reversed(dates):
        if d.precise:
            index[d.outer_start] = index[d.start] = d
    return index


def _date_at(segment: str, pos: int, dates: dict[int, DateMatch]) -> DateMatch | None:
    """The day-precise date right after ``pos``, allowing connectors such as " is on "."""
    connected = CONNECT.match(segment, pos)
    return dates.get(connected.end() if connected else pos)


_ONE_OFF = re.compile(
    r"\b(?:(?P<who>[^\W\d_][\w-]*)(?P<poss>['’]s)?\s+)?(?:(?P<verb>graduates|graduating"
    r"|will\s+graduate|gets\s+married|is\s+getting\s+married|getting\s+married"
    r"|(?:has|is\s+having)\s+surgery|retires|is\s+retiring|retiring)"
    r"|(?P<noun>graduation|wedding(?!\s+anniversary)|surgery|operation"
    r"|retirement(?:\s+party)?|baby\s+(?:is\s+)?due))\b", _I)


def _one_off_label(m: re.Match[str], names: frozenset[str]) -> str | None:
    """"Maya's graduation", "graduation" (the contact's own), or None when it is unclear whose."""
    event = (m.group("verb") or m.group("noun")).lower()
    base = next(label for key, label in (("graduat", "graduation"), ("marri", "wedding"),
                                         ("wedding", "wedding"), ("surgery", "surgery"),
                                         ("operation", "surgery"), ("retir", "retirement"),
                                         ("baby", "baby due")) if key in event)
    who = m.group("who")
    # A verb takes its subject ("Maya graduates"); a noun only a possessive
    # ("Maya's graduation"), so that "Big wedding June 3" is not Big's.
    if who and who.lower() in ("my", "our", "your"):
        return None
    if not who or (m.group("noun") and not m.group("poss")) or who.lower() in STOP:
        return base
    owner = _owner(who, names)
    if owner is None:
        return None if m.group("poss") else base
    return f"{owner}'s {base}" if owner else base


def _one_off_dates(masked: str, clause: Clause, today: pendulum.Date,
                   names: frozenset[str]) -> Iterable[KeyDateFact]:
    if clause.question:
        return
    segment = masked[clause.start:clause.end]
    dates = None
    for m in _ONE_OFF.finditer(segment):
        before = words_before(segment, m.start())
        if MINE.search(before) or HEDGE.search(before):
            continue
        label = _one_off_label(m, names)
        if label is None:
            continue
        if dates is None:
            dates = _by_start(find_dates(segment, today))
        date = _date_at(segment, m.end(), dates)
        if date is None or _AMBIGUOUS_AFTER.match(segment, date.end):
            continue
        when = date.next_on_or_after(today)
        if when is None or when < today:
            continue  # past events are not reminders
        if not MIN_YEAR <= when.year <= MAX_YEAR:
            continue  # "Friday" on a clock set to the year 1 is no date a book can keep
        yield KeyDateFact(label=label, month=when.month, day=when.day, year=when.year,
                          yearly=False, span=(clause.start + m.start(), clause.start + date.end))


# ---------------------------------------------------------------- life events, family


_LONG_AGO = re.compile(r"\b(?:(?:\d+|a|an|two|three|four|five|several|many|a\s+few)\s+"
                       r"(?:years?|months?|decades?)\s+ago|last\s+year|years\s+ago"
                       r"|(?:back\s+)?in\s+(?:19|20)\d\d)\b", _I)
_SUBJECT = re.compile(r"(?P<who>[^\W\d_][\w'’-]*)\s+(?:(?:just|recently|finally|also|has|have"
                      r"|had|is|was|and)\s+)*$", _I)


def _life_events(masked: str, clause: Clause,
                 names: frozenset[str]) -> Iterable[LifeEventFact]:
    if clause.question:
        return
    segment = masked[clause.start:clause.end]
    for event in find_life_events(segment):
        before = words_before(segment, event.start)
        if HEDGE.search(before) or re.search(r"\b(?:my|our)\s+$", before, _I):
            continue
        if not _about_the_contact(before, names):
            continue
        if _LONG_AGO.search(segment, event.end, min(len(segment), event.end + 40)):
            continue  # old news: "moved to Berlin 2 years ago" is no reason to congratulate
        yield LifeEventFact(event=event.event, text=event.text,
                            span=(clause.start + event.start, clause.start + event.end))


def _about_the_contact(before: str, names: frozenset[str]) -> bool:
    """False when the event is someone else's: "Dad retired", "her sister had a baby"."""
    m = _SUBJECT.search(before)
    if m is None:
        return True
    who = re.sub(r"['’]s$", "", m.group("who"))
    if who.lower() in RELATIONS or who.lower() in ("sis", "bro", "cousin", "friend", "boss",
                                                     "colleague", "neighbour", "neighbor"):
        return False
    # Another person's name, when we know whose note this is.
    return not (names and who[:1].isupper() and who.lower() not in STOP
                and fold(who) not in names)


_FAMILY = re.compile(r"\b(?P<rel>" + "|".join(sorted(RELATIONS, key=len, reverse=True)) +
                     r")\b,?\s+(?:(?:named|called)\s+)?(?P<name>[^\W\d_][\w'’-]*)", _I)
_NOT_FAMILY_PARTNER = re.compile(r"\b(?:business|managing|senior|junior|founding|equity"
                                 r"|sparring|tennis|running|training|dance|dancing)\s+$", _I)


def _family(masked: str, clause: Clause) -> Iterable[FamilyFact]:
    segment = masked[clause.start:clause.end]
    for m in _FAMILY.finditer(segment):
        before = words_before(segment, m.start())
        rel = m.group("rel").lower()
        if MINE.search(before) or (rel == "partner" and _NOT_FAMILY_PARTNER.search(before)):
            continue
        name = re.sub(r"['’]s?$", "", m.group("name"))
        if not name[:1].isupper() or (name.isupper() and len(name) > 1) \
                or name.lower() in STOP or name.lower() in RELATIONS:
            continue
        yield FamilyFact(name=name, relation=RELATIONS[rel],
                         span=(clause.start + m.start(), clause.start + m.end()))
