"""Finding people by what someone typed: one ranking for the CLI, the picker and the list filter.

Everything is case- and accent-insensitive ("jose" finds José). A contact is
found by their names, nickname, email addresses, company, title and interests;
words are runs of letters and digits ("o'connor" is "o" and "connor"), and
every typed word must match. Contacts rank in tiers:

0. the whole query is a name, nickname, full name or email address exactly;
1. every word starts a word of a name (or of an email address before the @):
   "ann lee" finds Annabel Lee;
2. every word starts some word (a company, a title, an interest, an email domain);
3. every word appears inside some word of letters (a one-letter word only starts words);
4. only when nothing matches as typed: every word matches a word with a typo
   or two ("mya lindq" finds Maya Lindqvist).

Within a tier, a display name that starts with what was typed comes first,
then the others by name. The command line's ``resolve`` takes the best tier when it is
a name or an email (0 or 1): one contact is the answer, several are ambiguous; a
company, an interest, part of a word or a typo never decides.

Speed: a contact's folded keys are built once (``KeyCache``, reused while the
contact object is unchanged). The app asks per keystroke, so its matcher is
indexed (`_Index`, built on the writer thread): a first letter's contacts are
kept ready, a prefix is a range of the book's sorted words, a word inside
another starts from the words sharing its first two letters, and the contacts
found are sets joined in C; answers for the last few queries are kept, so the
next letter and backspace are cheap.
The command line asks once: `search_book` scans the keys of only the contacts
whose folded text holds every typed word.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, filterfalse, groupby, repeat
from operator import itemgetter

from nurture.model import Contact, fold

EXACT, NAME_START, WORD_START, INSIDE, TYPO = range(5)

_SEP = "\x00"  # starts every word in a key; never typed (control characters are dropped)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_PART = re.compile(r"\w+")
_LAST = "\U0010ffff"  # sorts after every string that starts with a given prefix
_MEMO = 24  # answers kept for the queries just typed (backspace and the next letter reuse them)
_contains = str.__contains__


def fold_query(text: str) -> str:
    """``text`` as the keys are written: folded, control characters gone, spaces collapsed."""
    if not text:
        return ""
    folded = fold(text)
    if not folded.isprintable():
        folded = _CONTROL.sub(" ", folded)
    return " ".join(folded.split())


def typo_allowance(word: str) -> int:
    """How many edits a typed word may be away from a real one (none for short words)."""
    return 0 if len(word) < 3 else 1 if len(word) <= 5 else 2


def query_words(query: str) -> tuple[str, ...]:
    """The words of a query as the keys hold them: letters and digits, folded, once each."""
    return tuple(dict.fromkeys(_PART.findall(fold_query(query))))


def _key(words: Sequence[str]) -> str:
    """Words behind a separator each, and one at the end: "\\0ann\\0lee\\0"."""
    return _SEP + _SEP.join(words) + _SEP if words else ""


@dataclass(frozen=True, slots=True)
class SearchKeys:
    """Everything one contact can be found by, folded once."""

    display: str  # the folded display name: the order, and "starts with what was typed"
    exact: tuple[str, ...]  # display name, nickname, full name, email addresses
    names: tuple[str, ...]  # words of the names, and of email addresses before the @
    others: tuple[str, ...]  # words of the company, title, interests and email domains


def _fold_fields(fields: list[str]) -> list[str]:
    """``fold_query`` of each field, folding them as one string when that is safe (faster)."""
    joined = "\n".join(fields)
    folded = fold(joined)
    parts = folded.split("\n")
    if len(parts) == len(fields) and folded.replace("\n", "").isprintable():
        return [" ".join(p.split()) for p in parts]
    return [fold_query(f) for f in fields]  # a field with its own newline or control


def search_keys(contact: Contact) -> SearchKeys:
    """The folded keys ``contact`` is found by."""
    folded = _fold_fields([contact.display_name, contact.given_name, contact.family_name,
                           contact.nickname, contact.company, contact.title,
                           *(e.address for e in contact.emails), *contact.interests])
    display, given, family, nickname, company, title = folded[:6]
    emails = [a for a in folded[6:6 + len(contact.emails)] if a]
    interests = folded[6 + len(contact.emails):]
    local = " ".join(a.rpartition("@")[0] or a for a in emails)
    domains = " ".join(a.rpartition("@")[2] for a in emails if "@" in a)
    names = dict.fromkeys(_PART.findall(f"{display} {given} {family} {nickname} {local}"))
    others = _PART.findall(" ".join((company, title, *interests, domains)))
    return SearchKeys(display=display, exact=_exact(display, given, family, nickname, emails),
                      names=tuple(names),
                      others=tuple(w for w in dict.fromkeys(others) if w not in names))


def _exact(display: str, given: str, family: str, nickname: str,
           emails: list[str]) -> tuple[str, ...]:
    exact = (display, nickname, " ".join(f"{given} {family}".split()), *emails)
    return tuple(dict.fromkeys(e for e in exact if e))


class KeyCache:
    """Search keys per contact, rebuilt only for a contact object that changed."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[Contact, int, SearchKeys]] = {}
        self._lock = threading.Lock()  # the app's writer thread and its UI thread share one

    def __call__(self, contact: Contact) -> SearchKeys:
        cached = self._keys.get(contact.id)
        if cached is not None and cached[0] is contact and cached[1] == contact.revision:
            return cached[2]
        keys = search_keys(contact)
        with self._lock:
            self._keys[contact.id] = (contact, contact.revision, keys)
        return keys

    def keep_only(self, ids: Iterable[str]) -> None:
        """Forget contacts that are gone."""
        with self._lock:
            for gone in self._keys.keys() - set(ids):
                del self._keys[gone]


@dataclass(slots=True)
class Match:
    """One tier of an answer: the contacts in it, best first."""

    tier: int
    contacts: list[Contact]


@dataclass(frozen=True, slots=True)
class _Found:
    """Positions (ascending) matching every word so far, at each tier's standard."""

    name_start: list[int]
    word_start: list[int]
    inside: list[int]


class _Index:
    """Every word of the book and the positions of the contacts that have it."""

    def __init__(self, names: list[tuple[str, ...]], others: list[tuple[str, ...]]) -> None:
        by_name: dict[str, list[int]] = {}
        anywhere: dict[str, list[int]] = {}
        for at, words in enumerate(names):
            for word in words:
                found = by_name.get(word)
                if found is None:
                    by_name[word] = [at]
                else:
                    found.append(at)
        for word, positions in by_name.items():
            anywhere[word] = list(positions)
        for at, words in enumerate(others):
            for word in words:
                found = anywhere.get(word)
                if found is None:
                    anywhere[word] = [at]
                elif found[-1] != at:
                    found.append(at)
        self.vocabulary = sorted(anywhere)  # the words that start with a prefix are a range
        self.lettered = [w for w in self.vocabulary if w.isalpha()]
        self.by_name = {w: by_name.get(w, ()) for w in self.vocabulary}
        self.anywhere = anywhere
        # A first letter's answer, ready: the first keystroke is the dearest one (the
        # contacts of every word with that initial, 20,000 of 50,000 for "s": 13 ms,
        # most of a frame), and the one every filter begins with.
        self.initials: dict[str, tuple[list[int], list[int]]] = {}
        for initial, group in groupby(self.vocabulary, itemgetter(0)):
            starting = list(group)
            self.initials[initial] = (
                sorted(set().union(*map(self.by_name.__getitem__, starting))),
                sorted(set().union(*map(anywhere.__getitem__, starting))))
        # Every two letters in a row, and the words of letters that have them: a word
        # typed inside another starts from these, never from a scan of the whole book.
        self.pairs: dict[str, list[str]] = {}
        for word in self.lettered:
            for pair in {word[i:i + 2] for i in range(len(word) - 1)}:
                having = self.pairs.get(pair)
                if having is None:
                    self.pairs[pair] = [word]
                else:
                    having.append(word)

    def starting(self, word: str) -> list[str]:
        lo = bisect_left(self.vocabulary, word)
        return self.vocabulary[lo:bisect_left(self.vocabulary, word + _LAST, lo)]


class ContactMatcher:
    """The address book, ready to be searched (see the module's docstring).

    Unindexed (the command line's one question), a query scans every contact's
    keys once per word. Indexed (the app, a question per keystroke), a word
    costs the contacts it finds: prefixes are ranges of the book's sorted
    words, and their contacts are sets joined in C. Both give the same answer.
    """

    def __init__(self, contacts: Iterable[Contact], keys: KeyCache | None = None, *,
                 indexed: bool = False) -> None:
        keys = keys or KeyCache()
        keyed = sorted(((keys(c), c) for c in contacts), key=lambda kc: (kc[0].display, kc[1].id))
        self.contacts: list[Contact] = [c for _, c in keyed]
        self.ids: list[str] = [c.id for c in self.contacts]
        self._displays = [k.display for k, _ in keyed]
        self._exact: dict[str, list[int]] = {}
        for at, (k, _) in enumerate(keyed):
            for name in k.exact:
                self._exact.setdefault(name, []).append(at)
        self._name_words = [k.names for k, _ in keyed]
        self._other_words = [k.others for k, _ in keyed]
        self._index = _Index(self._name_words, self._other_words) if indexed else None
        self._keys: tuple[list[str], list[str], list[str]] | None = None
        self._vocabulary: dict[int, list[str]] | None = None  # by length
        self._near: dict[tuple[int, int], list[str]] = {}  # (length, edits): the words
        self._memo: OrderedDict[tuple[str, ...], _Found] = OrderedDict()
        self._inside: OrderedDict[str, list[str]] = OrderedDict()
        self._ranked: OrderedDict[str, list[tuple[int, list[int]]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.contacts)

    # ------------------------------------------------------------ answers

    def search(self, query: str) -> list[Match]:
        """The contacts matching ``query``, by tier (best first); everyone when it is empty."""
        contact = self.contacts.__getitem__
        return [Match(tier, list(map(contact, positions)))
                for tier, positions in self._tiers(query)]

    def rank(self, query: str, limit: int | None = None) -> list[Contact]:
        """Every contact matching ``query``, best first (at most ``limit``)."""
        ranked = [c for match in self.search(query) for c in match.contacts]
        return ranked if limit is None else ranked[:limit]

    def rank_ids(self, query: str) -> list[str]:
        """The ids of ``rank(query)``; the list filter asks this per keystroke."""
        found: list[str] = []
        for _, positions in self._tiers(query):
            found.extend(map(self.ids.__getitem__, positions))
        return found

    # ------------------------------------------------------------ the tiers

    def _tiers(self, query: str) -> list[tuple[int, list[int]]]:
        """(tier, positions best first) for each tier that has someone in it (memoised)."""
        wanted = fold_query(query)
        hit = self._ranked.get(wanted)
        if hit is not None:
            return hit
        tiers = self._rank(wanted)
        self._ranked[wanted] = tiers
        if len(self._ranked) > _MEMO:
            self._ranked.popitem(last=False)
        return tiers

    def _rank(self, wanted: str) -> list[tuple[int, list[int]]]:
        if not wanted:
            return [(EXACT, list(range(len(self.contacts))))] if self.contacts else []
        tiers: list[tuple[int, list[int]]] = []
        exact = self._exact.get(wanted, [])
        if exact:
            tiers.append((EXACT, exact))
        words = query_words(wanted)
        if not words:  # punctuation only: nothing to look for but an exact name
            return tiers
        found = self._found(words)
        # Each standard includes the stricter ones: a tier is what it adds to them.
        better: list[int] = []
        for tier, positions in ((NAME_START, found.name_start), (WORD_START, found.word_start),
                                (INSIDE, found.inside)):
            if len(positions) == len(better):
                continue  # nothing new at this standard
            fresh = positions
            if better or exact:
                drop = set(better).union(exact)
                fresh = list(filterfalse(drop.__contains__, positions))
            if fresh:
                tiers.append((tier, self._display_first(fresh, wanted)))
            better = positions
        if not tiers:
            typos = self._typos(words)
            if typos:
                tiers.append((TYPO, typos))
        return tiers

    def _display_first(self, positions: list[int], wanted: str) -> list[int]:
        """``positions`` with the display names that start with ``wanted`` first."""
        # Contacts are in display-name order, so those names are one run of positions.
        lo = bisect_left(self._displays, wanted)
        hi = bisect_left(self._displays, wanted + _LAST, lo)
        a, b = bisect_left(positions, lo), bisect_left(positions, hi)
        if a == b or (a == 0 and b == len(positions)):
            return positions
        return positions[a:b] + positions[:a] + positions[b:]

    def _found(self, words: tuple[str, ...]) -> _Found:
        """Positions matching every word of ``words`` (memoised)."""
        hit = self._memo.get(words)
        if hit is not None:
            self._memo.move_to_end(words)
            return hit
        if not words:
            everyone = list(range(len(self.contacts)))
            return _Found(everyone, everyone, everyone)
        found = self._looked_up(words) if self._index is not None else self._scanned(words)
        self._memo[words] = found
        if len(self._memo) > _MEMO:
            self._memo.popitem(last=False)
        return found

    def _looked_up(self, words: tuple[str, ...]) -> _Found:
        """`_found` from the index: one word's sets, joined with the other words'."""
        assert self._index is not None
        word = words[-1]
        if len(words) > 1:
            before, one = self._found(words[:-1]), self._found((word,))
            return _Found(*(list(filter(set(b).__contains__, o)) if len(b) < len(o)
                            else list(filter(set(o).__contains__, b))
                            for b, o in ((before.name_start, one.name_start),
                                         (before.word_start, one.word_start),
                                         (before.inside, one.inside))))
        index = self._index
        if len(word) < 2:
            name_start, word_start = index.initials.get(word, ([], []))
            return _Found(name_start, word_start, word_start)
        starting = index.starting(word)
        name_start = sorted(set().union(*map(index.by_name.__getitem__, starting)))
        word_start_set = set().union(*map(index.anywhere.__getitem__, starting))
        word_start = sorted(word_start_set)
        within = self._words_containing(word, index.pairs.get(word[:2], []))
        inside = sorted(word_start_set.union(*map(index.anywhere.__getitem__, within)))
        return _Found(name_start, word_start, inside)

    def _words_containing(self, word: str, wider: list[str]) -> list[str]:
        """The words of ``wider`` containing ``word`` (or of those containing it one letter
        shorter, when that was asked a moment ago)."""
        shorter = self._inside.get(word[:-1]) if len(word) > 2 else None
        found = [w for w in (shorter if shorter is not None else wider) if word in w]
        self._inside[word] = found
        if len(self._inside) > _MEMO:
            self._inside.popitem(last=False)
        return found

    def _scanned(self, words: tuple[str, ...]) -> _Found:
        """`_found` by scanning keys: only the contacts that matched a moment ago."""
        names, everything, lettered = self._scan_keys()
        before = self._found(words[:-1])
        word = words[-1]
        # What matched the word one letter shorter includes what matches now.
        shorter = self._memo.get((*words[:-1], word[:-1])) if len(word) > 1 else None
        start = shorter or before
        name_start = _scan(names, start.name_start, _SEP + word)
        word_start = _scan(everything, start.word_start, _SEP + word)
        if len(word) < 2:
            # One letter matches word starts only, at each standard: among those the
            # words before found inside words too ("ß.a": "ss" inside "ass", then "a"),
            # as the index joins them.
            return _Found(name_start, word_start, _scan(everything, start.inside, _SEP + word))
        # A one-letter word matched only word starts: it narrows no search inside words.
        wider = shorter if shorter is not None and len(word) > 2 else before
        inside = _scan(lettered, wider.inside, word)
        # Inside words of letters, or at the start of any word ("ann" starts "ann84",
        # which has digits): each standard includes the stricter one, as the index has it.
        starts = _scan(everything, wider.inside, _SEP + word)
        if not set(starts).issubset(inside):
            inside = sorted(set(inside).union(starts))
        return _Found(name_start, word_start, inside)

    def _scan_keys(self) -> tuple[list[str], list[str], list[str]]:
        """Per contact: its name words, all its words, and its words of letters (see `_key`)."""
        if self._keys is None:
            everything = [(*n, *o) for n, o in zip(self._name_words, self._other_words,
                                                   strict=True)]
            self._keys = ([_key(n) for n in self._name_words], [_key(w) for w in everything],
                          [_key([w for w in words if w.isalpha()]) for words in everything])
        return self._keys

    def _typos(self, words: tuple[str, ...]) -> list[int]:
        """Positions where every word matches as typed or with a typo, fewest edits first."""
        # Words that match as typed narrow the search; the others may carry a typo.
        typed = tuple(w for w in words if self._found((w,)).inside)
        cost = dict.fromkeys(self._found(typed).inside, 0) if typed else None  # None: anyone
        for word in words:
            if word in typed:
                continue
            allowed = typo_allowance(word)
            from rapidfuzz import process  # typos only: plain commands never load it
            from rapidfuzz.distance import Levenshtein

            near = process.extract(word, self._typo_vocabulary(len(word), allowed),
                                   scorer=Levenshtein.distance, score_cutoff=allowed,
                                   limit=None) if allowed else []
            best: dict[int, int] = {}
            for found, edits, _ in sorted(near, key=itemgetter(1), reverse=True):
                best.update(dict.fromkeys(self._having(found), int(edits)))
            if cost is None:
                cost = best
            elif len(best) < len(cost):
                cost = {at: cost[at] + edits for at, edits in best.items() if at in cost}
            else:
                cost = {at: spent + best[at] for at, spent in cost.items() if at in best}
            if not cost:
                return []
        return [at for at, _ in sorted((cost or {}).items(), key=itemgetter(1, 0))]

    def _having(self, word: str) -> Sequence[int]:
        """Positions of the contacts with ``word`` among their words."""
        if self._index is not None:
            return self._index.anywhere.get(word, ())
        return _scan(self._scan_keys()[1], list(range(len(self.contacts))), _SEP + word + _SEP)

    def prepare_typos(self) -> None:
        """Ahead of the first question only a typo answers (the app's writer thread):
        load the fuzzy matcher (11 ms) and group the book's words by length."""
        from rapidfuzz import process  # noqa: F401  (loaded now, not at a keystroke)

        self._typo_vocabulary(0, 0)

    def _typo_vocabulary(self, length: int, edits: int) -> list[str]:
        """The book's words of letters that ``edits`` typos may turn into ``length`` letters."""
        if self._vocabulary is None:
            words = self._index.lettered if self._index is not None else sorted(
                w for w in set().union(*self._name_words, *self._other_words) if w.isalpha())
            self._vocabulary = {}
            for word in words:
                self._vocabulary.setdefault(len(word), []).append(word)
        near = self._near.get((length, edits))
        if near is None:
            near = self._near[length, edits] = [w for n in range(length - edits, length + edits + 1)
                                                for w in self._vocabulary.get(n, ())]
        return near


def _scan(keys: list[str], positions: list[int], needle: str) -> list[int]:
    """The ``positions`` whose key contains ``needle`` (a C-level loop over the keys)."""
    if len(positions) == len(keys):  # everyone: no need to look the keys up
        return list(compress(positions, map(_contains, keys, repeat(needle))))
    return list(compress(positions, map(_contains, map(keys.__getitem__, positions),
                                        repeat(needle))))


class LazyMatcher:
    """A `ContactMatcher` built when first asked, or ahead by `prepare` on another thread.

    The app's first view of a large book shows the list before the index is
    built; the writer thread then prepares it, and a keystroke before that waits.
    """

    def __init__(self, contacts: Iterable[Contact], keys: KeyCache | None = None, *,
                 indexed: bool = False) -> None:
        self._contacts = list(contacts)
        self._keys = keys
        self._indexed = indexed
        self._lock = threading.Lock()
        self._matcher: ContactMatcher | None = None

    @property
    def ready(self) -> bool:
        """Whether it is built (a question now costs no build)."""
        return self._matcher is not None

    @property
    def answers_now(self) -> bool:
        """Whether a question now is answered without waiting: built, and no other thread
        building a part of it (the writer thread readies it for typos under its lock)."""
        return self._matcher is not None and not self._lock.locked()

    def prepare(self, *, typos: bool = False) -> ContactMatcher:
        """The matcher, built now if it was not yet (with ``typos``, ready for them too)."""
        with self._lock:
            if self._matcher is None:
                self._matcher = ContactMatcher(self._contacts, self._keys,
                                               indexed=self._indexed)
            if typos:
                self._matcher.prepare_typos()
            return self._matcher

    def search(self, query: str) -> list[Match]:
        return self.prepare().search(query)

    def rank(self, query: str, limit: int | None = None) -> list[Contact]:
        return self.prepare().rank(query, limit)

    def rank_ids(self, query: str) -> list[str]:
        return self.prepare().rank_ids(query)


def search_book(contacts: Collection[Contact], query: str,
                keys: KeyCache | None = None) -> list[Match]:
    """``ContactMatcher(contacts).search(query)``, for a single question (the command line).

    Only the contacts whose folded text holds every typed word can match as
    typed, so only they are keyed; the whole book only when nothing does and a
    typo may be meant.
    """
    keys = keys or KeyCache()
    words = query_words(query)
    if words:
        could = [c for c in contacts if _holds(c, words)]
        found = ContactMatcher(could, keys).search(query)
        if found and found[0].tier != TYPO:
            return found
    return ContactMatcher(contacts, keys).search(query)


def _holds(contact: Contact, words: tuple[str, ...]) -> bool:
    """Whether every word is somewhere in ``contact``'s searchable fields (folded)."""
    text = fold("\n".join((contact.display_name, contact.given_name, contact.family_name,
                                contact.nickname, contact.company, contact.title,
                                *contact.interests, *(e.address for e in contact.emails))))
    return all(word in text for word in words)


def doc_search_text(doc: dict[str, object]) -> str:
    """The folded text of a contact's stored document that every typed word must be in
    (what `_holds` tests on the built contact; the derived index keeps it)."""
    parts: list[str] = []
    for name in ("display_name", "given_name", "family_name", "nickname", "company",
                 "title"):
        value = doc.get(name)
        if isinstance(value, str):
            parts.append(value)
    interests, emails = doc.get("interests"), doc.get("emails")
    if isinstance(interests, list):
        parts += (item for item in interests if isinstance(item, str))
    if isinstance(emails, list):
        parts += (e["address"] for e in emails
                  if isinstance(e, dict) and isinstance(e.get("address"), str))
    return fold("\n".join(parts))


def doc_could_match(doc: dict[str, object], words: tuple[str, ...]) -> bool:
    """`_holds` on a contact's stored document, before any model object is built (a
    loose test: a document it keeps may still not match; one it drops cannot)."""
    text = doc_search_text(doc)
    return all(word in text for word in words)


def rank_contacts(query: str, contacts: Sequence[Contact],
                  limit: int | None = None) -> list[Contact]:
    """``contacts`` matching ``query``, best first (a one-off `ContactMatcher`)."""
    return ContactMatcher(contacts).rank(query, limit)
