"""Which contacts a news item concerns: shared interests and their companies.

Pure logic, no I/O. An item meets a contact when

- one of its tags (feed tags and entry categories) is one of the contact's
  interests, or a synonym of one (``[news.synonyms]`` in config.toml);
- its title or summary mentions an interest or a synonym as whole words
  ("Bronx Bombers" -> yankees, but "art" is not in "party");
- its company, or a company named in its title or summary, is the contact's
  company once legal suffixes are set aside ("Acme" = "ACME Inc" = "Acme
  Corporation", but not "Acmegrid").

Matching is index-based: the contacts are indexed once by interest and by
company core, and each item's tags and word n-grams are looked up in those
indexes, so the cost of an item does not grow with the number of contacts.
Build a :class:`NewsMatcher` once to match many items.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from operator import attrgetter, itemgetter

from nurture.model import Contact, NewsItem, fold, normalize_tag

# Weights: what the item says about itself (its tags, its company) is stronger
# evidence than a word in its text, and the title more than the summary.
TAG_WEIGHT = 1.0
TITLE_WEIGHT = 0.75
SUMMARY_WEIGHT = 0.5
COMPANY_FIELD_WEIGHT = 2.0
COMPANY_TITLE_WEIGHT = 1.5
COMPANY_SUMMARY_WEIGHT = 1.0

_WORD = re.compile(r"\w+")

# Legal-form suffixes dropped from the end of a company name, as token tuples
# (dotted forms such as "S.A." tokenise to ("s", "a")).
_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(s.split()) for s in (
        "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd", "limited",
        "llc", "l l c", "llp", "lp", "plc", "gmbh", "mbh", "ag", "a g", "kg", "se", "sa", "s a",
        "sas", "sarl", "srl", "spa", "s p a", "bv", "b v", "nv", "n v", "ab", "asa", "oy", "oyj",
        "kk", "pty", "pte", "pvt", "holdings", "and", "&",
    )
)
_MAX_SUFFIX = max(len(s) for s in _SUFFIXES)
_SUFFIX_SET = frozenset(_SUFFIXES)
_LEADING = frozenset({"the"})


@dataclass(frozen=True, slots=True)
class NewsMatch:
    """One contact a news item concerns, and why."""

    contact_id: str
    score: float
    interests: tuple[str, ...]  # the contact's interests it meets, strongest first
    company: bool  # it concerns the contact's company


def tokens(text: str) -> list[str]:
    """Folded words of ``text`` (case and accents set aside)."""
    return [fold(w) for w in _WORD.findall(text)]


@lru_cache(maxsize=65536)
def company_core(name: str) -> tuple[str, ...]:
    """The words that identify a company: "The Acme Corp., Inc." -> ("acme",)."""
    words = tuple(tokens(name))
    start = 0
    while start < len(words) - 1 and words[start] in _LEADING:
        start += 1
    end = len(words)
    stripped = True
    while stripped:
        stripped = False
        for size in range(min(_MAX_SUFFIX, end - start - 1), 0, -1):
            if words[end - size:end] in _SUFFIX_SET:
                end -= size
                stripped = True
                break
    return words[start:end]


@lru_cache(maxsize=65536)
def _term(interest: str) -> str:
    return fold(normalize_tag(interest))


@lru_cache(maxsize=65536)
def _phrase(term: str) -> tuple[str, ...] | None:
    """The word sequence to look for in text, or None when the term is not plain words.

    "rock-climbing" is found as "rock climbing" or "rock-climbing"; "c++" is
    matched by tag only, since the text "c" would say nothing.
    """
    words = tuple(tokens(term))
    if not words or " ".join(words) != re.sub(r"[\s\-_/]+", " ", term).strip():
        return None
    return words


def _cased(original: str) -> bool:
    """True when a word is written with a capital ("Apple", "eBay", "AI"), not "apple"."""
    return not original.islower()


class NewsMatcher:
    """Contacts indexed by interest and company, ready to match many news items."""

    def __init__(self, contacts: Iterable[Contact],
                 synonyms: Mapping[str, Sequence[str]] | None = None) -> None:
        # Index on the raw strings first, then fold each distinct one once:
        # 20,000 contacts share a few hundred interests and companies.
        by_interest: defaultdict[str, list[str]] = defaultdict(list)
        by_company: defaultdict[str, list[str]] = defaultdict(list)
        for contact in contacts:
            cid = contact.id
            for interest in contact.interests:
                by_interest[interest].append(cid)
            by_company[contact.company].append(cid)

        # term -> [(the contacts' own spelling of the interest, their ids)]
        self._interests: dict[str, list[tuple[str, list[str]]]] = {}
        for interest, ids in by_interest.items():
            self._interests.setdefault(_term(interest), []).append((interest, ids))

        self._companies: dict[tuple[str, ...], list[str]] = {}
        by_company.pop("", None)
        for name, ids in by_company.items():
            core = company_core(name)
            if core:
                self._companies.setdefault(core, []).extend(ids)

        # A synonym group is symmetric: any of its terms signals all of them.
        signals: dict[str, set[str]] = {}
        for key, words in (synonyms or {}).items():
            group = {_term(key), *(_term(w) for w in words)}
            group.discard("")
            for term in group:
                signals.setdefault(term, set()).update(group)
        # term seen in an item -> interest terms it signals (only those someone holds)
        self._signals: dict[str, tuple[str, ...]] = {}
        for term in set(self._interests) | set(signals):
            wanted = tuple(t for t in signals.get(term, {term}) | {term} if t in self._interests)
            if wanted:
                self._signals[term] = wanted
        # word sequence -> the terms written that way ("rock-climbing", "rock climbing")
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        for term in self._signals:
            phrase = _phrase(term)
            if phrase is not None:
                self._phrases.setdefault(phrase, []).append(term)
        self._longest = max((len(p) for p in (*self._phrases, *self._companies)), default=0)

    def match(self, item: NewsItem, limit: int | None = None) -> list[NewsMatch]:
        """The contacts ``item`` concerns, strongest first (only the first ``limit``)."""
        # interest term -> best weight; company core -> best weight
        terms: dict[str, float] = {}
        companies: dict[tuple[str, ...], float] = {}

        def signal(term: str, weight: float) -> None:
            for wanted in self._signals.get(term, ()):
                if terms.get(wanted, 0.0) < weight:
                    terms[wanted] = weight

        for tag in item.tags:
            term = _term(tag)
            signal(term, TAG_WEIGHT)
            phrase = _phrase(term)
            for same in self._phrases.get(phrase, ()) if phrase else ():
                signal(same, TAG_WEIGHT)
        if item.company:
            core = company_core(item.company)
            if core in self._companies:
                companies[core] = COMPANY_FIELD_WEIGHT
        for text, weight, for_company in ((item.title, TITLE_WEIGHT, COMPANY_TITLE_WEIGHT),
                                          (item.summary, SUMMARY_WEIGHT,
                                           COMPANY_SUMMARY_WEIGHT)):
            if text:
                self._scan(text, weight, for_company, signal, companies)

        # Contacts sharing the same evidence share one score: group them, so
        # that an item about a popular interest costs little per contact.
        hits = sorted(((weight, interest, ids) for term, weight in terms.items()
                       for interest, ids in self._interests[term]),
                      key=lambda h: (-h[0], h[1]))
        evidence: defaultdict[str, list[int]] = defaultdict(list)
        for index, (_, _, ids) in enumerate(hits):
            for cid in ids:
                evidence[cid].append(index)
        company_weight: dict[str, float] = {}
        for core, weight in companies.items():
            for cid in self._companies[core]:
                if company_weight.get(cid, 0.0) < weight:
                    company_weight[cid] = weight
                evidence.setdefault(cid, [])  # a company alone is evidence too
        groups: defaultdict[tuple[tuple[int, ...], float], list[str]] = defaultdict(list)
        for cid, found in evidence.items():
            groups[tuple(found), company_weight.get(cid, 0.0)].append(cid)

        ranked = []
        for (indices, by_company), ids in groups.items():
            score = round(by_company + sum(hits[i][0] for i in indices), 6)
            interests = tuple(dict.fromkeys(hits[i][1] for i in indices))
            ranked.append((score, interests, by_company > 0, ids))
        ranked.sort(key=lambda g: -g[0])
        matches: list[NewsMatch] = []
        for _, run in groupby(ranked, key=itemgetter(0)):
            tied = list(run)
            members = [NewsMatch(cid, score, interests, company)
                       for score, interests, company, ids in tied for cid in ids]
            # Equal scores are ordered by contact id, across groups.
            members.sort(key=attrgetter("contact_id"))
            matches += members
            if limit is not None and len(matches) >= limit:
                return matches[:limit]
        return matches

    def _scan(self, text: str, weight: float, company_weight: float,
              signal: Callable[[str, float], None],
              companies: dict[tuple[str, ...], float]) -> None:
        originals = _WORD.findall(text)
        words = [fold(w) for w in originals]
        longest = self._longest
        for start in range(len(words)):
            for size in range(1, min(longest, len(words) - start) + 1):
                gram = tuple(words[start:start + size])
                # A one- or two-letter interest ("ai", "f1") in text counts only
                # when written in capitals, else "go" or "ai" would match anywhere.
                for term in self._phrases.get(gram, ()):
                    if len(term) > 2 or _cased(originals[start]):
                        signal(term, weight)
                # Company names must be written with a capital: "Apple" the
                # company, not "apple pie"; "Target", not "our target".
                if (gram in self._companies and _cased(originals[start])
                        and companies.get(gram, 0.0) < company_weight):
                    companies[gram] = company_weight


def match_news(item: NewsItem, contacts: Iterable[Contact],
               synonyms: Mapping[str, Sequence[str]] = {}) -> list[NewsMatch]:
    """The contacts ``item`` concerns, strongest first (see the module docstring)."""
    return NewsMatcher(contacts, synonyms).match(item)


def match_all(items: Iterable[NewsItem], contacts: Iterable[Contact],
              synonyms: Mapping[str, Sequence[str]] = {}, *,
              limit: int | None = None) -> dict[str, list[NewsMatch]]:
    """Matches for each item by item id, indexing the contacts only once."""
    matcher = NewsMatcher(contacts, synonyms)
    return {item.id: matcher.match(item, limit) for item in items}
