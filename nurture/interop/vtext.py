"""The vCard value rules vobject leaves to its caller (RFC 2426 and RFC 6350).

vobject unfolds lines, decodes quoted-printable and parses parameters well,
but its default text handling keeps only the part of a value before the first
unescaped comma ("NOTE:Hello, world" reads as "Hello"), escapes commas inside
URIs, and knows nothing of year-less dates or Apple's labels. These helpers do
that part: text, structured and list values, TYPE parameters, dates and labels.
"""

from __future__ import annotations

import re

from nurture.errors import ValidationError
from nurture.model import parse_date_parts

# ---------------------------------------------------------------- text values

_UNESCAPE = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def unescape(value: str) -> str:
    """Decode one text value: ``\\n``, ``\\,``, ``\\;``, ``\\\\``; other escapes are kept."""
    if "\\" not in value:
        return value
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(0)), value)


def escape(value: str) -> str:
    """Encode one text value (backslash, comma, semicolon, newline)."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def split_escaped(value: str, sep: str) -> list[str]:
    """Split at unescaped ``sep`` without decoding the parts."""
    if sep not in value:
        return [value]
    parts: list[str] = []
    current: list[str] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch == "\\" and i + 1 < n:
            current.append(value[i:i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def text_list(value: str) -> list[str]:
    """A comma-separated list of text values (CATEGORIES, NICKNAME)."""
    return [unescape(p).strip() for p in split_escaped(value, ",") if p.strip()]


def structured(value: str, size: int, joiner: str | None = None) -> list[str]:
    """A semicolon-structured value (N, ADR, ORG), padded to ``size`` parts.

    A part may hold several comma-separated values (two given names, two
    street lines); with ``joiner`` they are joined with it, else the commas
    are kept as written.
    """
    parts = []
    for raw in split_escaped(value, ";"):
        if joiner is None:
            parts.append(unescape(raw).strip())
        else:
            parts.append(joiner.join(p for p in text_list(raw)))
    return parts + [""] * (size - len(parts))


def structured_out(parts: list[str]) -> str:
    return ";".join(escape(p) for p in parts)


# ---------------------------------------------------------------- parameters


def param_values(params: dict[str, list[str]], name: str) -> list[str]:
    """Every value of parameter ``name``, with ``TYPE=a,b`` and quoted lists split."""
    out: list[str] = []
    for raw in params.get(name, ()):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return out


def types_of(params: dict[str, list[str]], singletons: list[str]) -> list[str]:
    """TYPE values in lower case, including vCard 2.1's bare ``TEL;HOME;VOICE``."""
    found = param_values(params, "TYPE") + [s for s in singletons if s.upper() not in _NOT_TYPES]
    return list(dict.fromkeys(t.lower() for t in found))


_NOT_TYPES = {"BASE64", "B", "8BIT", "7BIT", "QUOTED-PRINTABLE"}


def is_preferred(params: dict[str, list[str]], types: list[str]) -> bool:
    """3.0's ``TYPE=pref`` or 4.0's ``PREF=1``."""
    return "pref" in types or bool(params.get("PREF"))


# ---------------------------------------------------------------- labels

# Apple Contacts writes built-in labels as _$!<Name>!$_ in an X-ABLabel line
# grouped with the property; anything else there is the user's own label.
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
APPLE_WORDS = {"homefax": "home fax", "workfax": "work fax", "homepage": "homepage",
               "mobile": "mobile", "iphone": "iphone", "main": "main", "home": "home",
               "work": "work", "other": "other", "pager": "pager", "school": "school"}


def apple_label(value: str) -> str:
    """The user-facing word for a decoded X-ABLabel ("_$!<Mobile>!$_" -> "mobile")."""
    value = value.strip()
    m = _APPLE_LABEL.match(value)
    if not m:
        return value
    word = m.group(1).strip().lower()
    return APPLE_WORDS.get(word, word)


# TYPE values for phones and their words in our labels, both ways.
TEL_TYPE_WORDS = {"cell": "mobile", "home": "home", "work": "work", "fax": "fax",
                  "pager": "pager", "main": "main", "iphone": "iphone", "text": "text",
                  "video": "video", "textphone": "textphone", "msg": "msg", "car": "car",
                  "isdn": "isdn", "bbs": "bbs", "modem": "modem", "pcs": "pcs",
                  "other": "other"}
TEL_WORD_TYPES = {v: k for k, v in TEL_TYPE_WORDS.items()}
TEL_IGNORED = {"voice", "pref"}
EMAIL_TYPE_WORDS = {"home": "home", "work": "work", "other": "other"}
EMAIL_IGNORED = {"internet", "pref", "x400"}
ADR_TYPE_WORDS = {"home": "home", "work": "work", "other": "other"}
ADR_IGNORED = {"pref", "postal", "parcel", "dom", "intl"}


def label_from_types(types: list[str], words: dict[str, str], ignored: set[str]) -> str:
    """Our label for a property's TYPE list ("home fax", "mobile", or "")."""
    out = [words.get(t, t) for t in types if t not in ignored]
    return " ".join(dict.fromkeys(out))


def types_for_label(label: str, word_types: dict[str, str]) -> list[str] | None:
    """TYPE values that say ``label``, or None when it needs an X-ABLabel."""
    if not label:
        return []
    words = label.split(" ")
    if all(w in word_types for w in words) and len(set(words)) == len(words):
        return [word_types[w] for w in words]
    return None


# ---------------------------------------------------------------- relations

# Who counts as family; Apple's non-family built-ins (assistant, manager,
# friend) are kept on the card as they were instead.
FAMILY_WORDS = {"spouse": "spouse", "wife": "spouse", "husband": "spouse",
                "partner": "partner", "sweetheart": "partner",
                "child": "child", "son": "child", "daughter": "child",
                "parent": "parent", "mother": "parent", "father": "parent",
                "sibling": "sibling", "brother": "sibling", "sister": "sibling",
                "kin": "other", "other": "other"}
NOT_FAMILY = {"assistant", "manager", "friend", "contact", "acquaintance", "met",
              "co-worker", "colleague", "co-resident", "neighbor", "muse", "crush", "date",
              "me", "agent", "emergency"}
RELATED_TYPES_40 = {"spouse": "spouse", "child": "child", "parent": "parent",
                    "sibling": "sibling", "other": "kin"}
APPLE_RELATED = {"spouse": "_$!<Spouse>!$_", "partner": "_$!<Partner>!$_",
                 "child": "_$!<Child>!$_", "parent": "_$!<Parent>!$_",
                 "sibling": "_$!<Sibling>!$_", "other": "_$!<Other>!$_"}


def family_relation(label: str) -> str | None:
    """Our relation for a related-name label; None when it is not family.

    Apple's built-in labels (``_$!<Mother>!$_``) map to our words; a label the
    user typed is kept as it is, whatever it says.
    """
    label = label.strip()
    m = _APPLE_LABEL.match(label)
    if not m:
        return label or "other"
    return related_type(m.group(1))


def related_type(word: str) -> str | None:
    """Our relation for an RFC 6350 RELATED type or an Apple built-in word."""
    word = word.strip().lower()
    if word in NOT_FAMILY:
        return None
    return FAMILY_WORDS.get(word, word or "other")


# ---------------------------------------------------------------- dates

DERIVED_N = "X-NURTURE-DERIVED"  # an N written from the display name, not kept parts
APPLE_NO_YEAR = 1604  # Apple's stand-in year for "year unknown" (X-APPLE-OMIT-YEAR)
_TIME_PART = re.compile(r"T.*$")
_NO_YEAR = re.compile(r"0000-?(\d{2}-?\d{2})")


def parse_vdate(value: str, omit_year: str | None = None) -> tuple[int | None, int, int]:
    """(year or None, month, day) from the date forms producers write.

    ``1985-03-14``, ``19850314``, ``--0314``, ``--03-14``, a date-time
    (``1985-03-14T00:00:00Z``; the time is dropped), Apple's year-less
    ``1604-03-14`` with ``X-APPLE-OMIT-YEAR=1604`` (or without it, as CardBook
    writes ``16040101``), and ``0000-03-14`` (year 0 does not exist; writers
    use it for "year unknown"). Raises ValidationError.
    """
    text = _TIME_PART.sub("", value.strip())
    if re.fullmatch(r"\d{4}-?\d{2}", text) or re.fullmatch(r"\d{4}", text) \
            or text.startswith("---"):
        raise ValidationError("date", f"{value!r} has no day and month")
    unknown = _NO_YEAR.fullmatch(text)
    if unknown:
        text = "--" + unknown.group(1)
    year, month, day = parse_date_parts(text, "date")
    omit = omit_year.strip() if omit_year is not None else ""
    if year is not None and omit.isdigit() and int(omit) == year:
        year = None
    elif year == APPLE_NO_YEAR:
        # CardBook and others write Apple's stand-in year without the
        # parameter (BDAY:16040101); no one in an address book was born then.
        year = None
    return year, month, day


def vdate_out(year: int | None, month: int, day: int, version: str, *,
              apple: bool = False) -> tuple[str, list[list[str]]]:
    """A date value and its parameters; year-less dates in the form their readers know.

    ``--MMDD`` (ISO 8601's truncated date, RFC 6350's and valid in 3.0 too) is
    what Google writes and khard, Thunderbird, Evolution and sabre/vobject
    read; khard shows Apple's stand-in year as "1604". Apple's own
    properties (``X-ABDATE``, ``apple=True``) keep Apple's convention, the
    one Apple reads there: ``1604-MM-DD`` with ``X-APPLE-OMIT-YEAR=1604``.
    """
    if year is not None:
        return f"{year:04d}-{month:02d}-{day:02d}" if version == "3.0" \
            else f"{year:04d}{month:02d}{day:02d}", []
    if not apple:
        return f"--{month:02d}{day:02d}", []
    return (f"{APPLE_NO_YEAR}-{month:02d}-{day:02d}",
            [["X-APPLE-OMIT-YEAR", str(APPLE_NO_YEAR)]])
