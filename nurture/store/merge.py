"""Three-way merge of a contact edited while someone else saved it. Pure; no I/O.

An edit started from ``base``; ``mine`` is the edit, ``theirs`` what is stored now.
Each field takes whichever side changed it; a field both changed differently is a
conflict, named in the user's words, unless the user chose to keep theirs (``keep_mine``).
Dates are compared one label at a time, so a birthday and an anniversary edited in two
windows both stay.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from nurture.errors import EditConflict
from nurture.model import fold

Doc = dict[str, Any]

# Not the user's fields: bookkeeping, set by the store on every save.
_BOOKKEEPING = frozenset({"id", "rev", "created", "updated"})
_DATES = "key_dates"

_WORDS = {
    "display_name": "name", "given_name": "given name", "family_name": "family name",
    "title": "role", "how_we_met": "how we met", "cadence_days": "keep-in-touch cadence",
    "urls": "links", "uid": "vCard UID", "extra": "imported details",
}


def field_words(key: str) -> str:
    """A stored field's name as a person says it (``key_dates:birthday`` -> ``birthday``)."""
    if key.startswith(_DATES + ":"):
        return key.split(":", 1)[1]
    return _WORDS.get(key, key.replace("_", " "))


def _fields(doc: Doc) -> dict[str, Any]:
    fields = {k: v for k, v in doc.items() if k not in _BOOKKEEPING and k != _DATES}
    for date in doc.get(_DATES) or ():
        label = fold(str(date.get("label", "")))
        fields.setdefault(f"{_DATES}:{label}", []).append(date)
    return fields


_ABSENT = object()


def merge_contact(base: Doc, mine: Doc, theirs: Doc, *,
                  keep_mine: Collection[str] = ()) -> Doc:
    """``theirs`` with the fields ``mine`` changed since ``base``; raises ``EditConflict``
    naming every field both changed differently (and not in ``keep_mine``)."""
    old, new, now = _fields(base), _fields(mine), _fields(theirs)
    merged = dict(now)
    conflicts = []
    for key in sorted(old.keys() | new.keys() | now.keys()):
        was, want, have = (old.get(key, _ABSENT), new.get(key, _ABSENT),
                           now.get(key, _ABSENT))
        if want in (was, have):
            continue  # not changed by this edit, or changed the same way by both
        if have != was and key not in keep_mine:
            conflicts.append(key)
        elif want is _ABSENT:
            merged.pop(key, None)
        else:
            merged[key] = want
    if conflicts:
        words = [field_words(k) for k in conflicts]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        name = theirs.get("display_name") or mine.get("display_name") or "this contact"
        verb = "was" if len(words) == 1 else "were"
        raise EditConflict(words, f"{listed} {verb} changed elsewhere while you were editing "
                                  f"{name} (another window or command saved first); nothing "
                                  "was saved", keys=conflicts)
    return _assemble(merged, mine, theirs)


def _assemble(fields: dict[str, Any], mine: Doc, theirs: Doc) -> Doc:
    """A whole document from merged fields: dates in my order, then theirs' new labels."""
    doc = {k: v for k, v in theirs.items() if k in _BOOKKEEPING}
    doc.update({k: v for k, v in fields.items() if not k.startswith(_DATES + ":")})
    order = list(dict.fromkeys(f"{_DATES}:{fold(str(d.get('label', '')))}"
                               for d in [*(mine.get(_DATES) or ()),
                                         *(theirs.get(_DATES) or ())]))
    doc[_DATES] = [date for key in order for date in fields.get(key, ())]
    return doc
