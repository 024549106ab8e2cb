"""Finding the one contact a person means by a name they typed.

Case- and accent-insensitive, in tiers: an exact name (or nickname, or email)
beats a name whose words start with the typed words ("ann lee" finds Annabel
Lee), which beats any substring. The first tier with a match decides: one
match is the answer, several are ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from nurture.model import Contact
from nurture.store.views import fast_fold

_WORD = re.compile(r"\w+")

Names = Callable[[Contact], tuple[str, ...]]


def match_tiers(contacts: Iterable[Contact], query: str,
                names: Names) -> tuple[list[Contact], list[Contact], list[Contact]]:
    """(exact, word-prefix, substring) matches for ``query``; each contact in its best tier."""
    wanted = fast_fold(query.strip())
    wanted_words = _WORD.findall(wanted)
    exact: list[Contact] = []
    prefix: list[Contact] = []
    partial: list[Contact] = []
    if not wanted:
        return exact, prefix, partial
    for contact in contacts:
        folded = names(contact)
        if wanted in folded:
            exact.append(contact)
            continue
        joined = " ".join(folded)
        # The cheap substring test first; the word split only for likely matches.
        if wanted_words and all(q in joined for q in wanted_words):
            words = _WORD.findall(joined)
            if all(any(w.startswith(q) for w in words) for q in wanted_words):
                prefix.append(contact)
                continue
        if any(wanted in name for name in folded):
            partial.append(contact)
    return exact, prefix, partial
