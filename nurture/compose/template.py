"""Note templates: their syntax, and rendering one with the values at hand.

Syntax (documented for users in the README (Composing a note)):

- ``{first_name}`` is a placeholder. A line with a placeholder that has no
  value is dropped as a whole, so a draft never shows ``{interest}``.
- ``[ … ]`` is an optional part, kept only when every placeholder inside it
  has a value: ``Happy birthday![ Enjoy the {interest}.]``
- ``{{ }} [[ ]]`` write a literal brace or bracket.

Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Every placeholder a template may use, with what it means (shown in the docs and errors).
PLACEHOLDERS = {
    "first_name": "the contact's first name (or nickname)",
    "name": "the contact's full display name",
    "company": "the contact's company",
    "interest": "the interest behind the suggestion, else the contact's first interest",
    "last_topic": "what you last talked about, when it is a short topic",
    "thanks_for": "what a thank-you is for: \"your help\", \"the introduction\", \"your time\"",
    "event": "a life event as a phrase: \"the new job at Acme\", \"the move to Lisbon\"",
    "occasion": "an upcoming date as a phrase: \"Maya's graduation\", \"the surgery\"",
    "date_label": "the date's label as written: \"work anniversary\"",
    "years": "how many years (age or anniversary), when the year is known",
    "years_ordinal": "the same as an ordinal: \"10th\"",
    "news_title": "the title of the news item",
    "news_url": "the link to the news item",
    "my_name": "your name, from the config",
}


class TemplateSyntaxError(ValueError):
    """A template text that cannot be used; the message says what and where."""


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str


@dataclass(frozen=True, slots=True)
class _Optional:
    parts: tuple[str | _Slot, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if isinstance(p, _Slot))


Part = str | _Slot | _Optional
_MISSING = "\x00"  # marks a line to drop; values never contain it (see ``clean_value``)
_TOKEN = re.compile(r"\{\{|\}\}|\[\[|\]\]|\{[^{}\[\]\n]*\}|[{}\[\]]")


def parse(text: str) -> tuple[Part, ...]:
    """Split template text into literal text, placeholders and optional parts."""
    parts: list[Part] = []
    group: list[str | _Slot] | None = None
    position = 0

    def literal(value: str) -> None:
        (group if group is not None else parts).append(value)

    for m in _TOKEN.finditer(text):
        if m.start() > position:
            literal(text[position:m.start()])
        position = m.end()
        token = m.group()
        where = _where(text, m.start())
        if token in ("{{", "}}", "[[", "]]"):
            literal(token[0])
        elif token == "[":
            if group is not None:
                raise TemplateSyntaxError(f"{where}: optional parts cannot be nested")
            group = []
        elif token == "]":
            if group is None:
                raise TemplateSyntaxError(f"{where}: ']' without '[' (write ']]' for a bracket)")
            parts.append(_Optional(tuple(group)))
            group = None
        elif token in ("{", "}"):
            raise TemplateSyntaxError(f"{where}: unmatched {token!r} (write {token * 2!r} for "
                                      "a brace)")
        else:
            name = token[1:-1].strip()
            if name not in PLACEHOLDERS:
                raise TemplateSyntaxError(f"{where}: unknown placeholder {token} (known: "
                                          + ", ".join(PLACEHOLDERS) + ")")
            (group if group is not None else parts).append(_Slot(name))
    if position < len(text):
        literal(text[position:])
    if group is not None:
        raise TemplateSyntaxError("an optional part opened with '[' is never closed")
    return tuple(parts)


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}"


def placeholders(parts: tuple[Part, ...]) -> set[str]:
    """Every placeholder a parsed template uses."""
    names: set[str] = set()
    for part in parts:
        if isinstance(part, _Slot):
            names.add(part.name)
        elif isinstance(part, _Optional):
            names.update(part.names)
    return names


def clean_value(value: object) -> str:
    """A value as one tidy line; control characters (and the drop marker) removed."""
    if value is None or isinstance(value, bool):
        return ""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return " ".join(text.split())


def render(parts: tuple[Part, ...], values: dict[str, str]) -> str:
    """Fill ``parts``; drop optional parts and lines whose placeholders have no value."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, _Slot):
            out.append(values.get(part.name) or _MISSING)
        elif all(values.get(name) for name in part.names):
            out.extend(p if isinstance(p, str) else values[p.name] for p in part.parts)
    lines = [_tidy_line(line) for line in "".join(out).split("\n") if _MISSING not in line]
    return _tidy_blank_lines(lines)


def _tidy_line(line: str) -> str:
    # Dropping "[ with {x}]" can leave "help ." or a double space behind.
    line = re.sub(r"[ \t]{2,}", " ", line.strip())
    return re.sub(r" +([,.;:!?])", r"\1", line)


def _tidy_blank_lines(lines: list[str]) -> str:
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    # A sign-off whose name was unknown ("Warmly," and no {my_name}) does not end a note.
    while kept and (not kept[-1] or kept[-1].endswith(",")):
        kept.pop()
    return "\n".join(kept)


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a template; used when every placeholder in ``requires`` has a value."""

    body: str
    subject: str = ""
    requires: tuple[str, ...] = ()
    parsed_body: tuple[Part, ...] = field(default=(), compare=False, repr=False)
    parsed_subject: tuple[Part, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def make(cls, body: str, subject: str = "", requires: tuple[str, ...] = ()) -> Variant:
        """A checked variant; raises TemplateSyntaxError naming the problem."""
        for name in requires:
            if name not in PLACEHOLDERS:
                raise TemplateSyntaxError(f"requires: unknown placeholder {name!r}")
        try:
            parsed_subject = parse(subject)
        except TemplateSyntaxError as exc:
            raise TemplateSyntaxError(f"subject: {exc}") from None
        try:
            parsed_body = parse(body)
        except TemplateSyntaxError as exc:
            raise TemplateSyntaxError(f"body: {exc}") from None
        if not body.strip():
            raise TemplateSyntaxError("body: is empty")
        return cls(body=body, subject=subject, requires=tuple(requires),
                   parsed_body=parsed_body, parsed_subject=parsed_subject)

    def usable(self, values: dict[str, str]) -> bool:
        return all(values.get(name) for name in self.requires)


@dataclass(frozen=True, slots=True)
class Template:
    """A kind of note (``thank-you``, ``birthday``…) with one or more variants."""

    id: str
    title: str
    variants: tuple[Variant, ...]
    description: str = ""
    source: str = "built-in"  # or the file it was read from
