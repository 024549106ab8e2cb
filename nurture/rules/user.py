"""User rules: ``[[rule]]`` tables in ``rules.toml``, run by the engine like the built-ins.

A rule names *who* (``interests``, ``kinds``, ``company``) and *when* (at least
one of ``days_since``, ``date`` + ``within_days``, ``news_tag``), and says what
to suggest (``title``, ``reason`` with ``{placeholders}``, ``channel``,
``template``, ``priority``). Every mistake is reported with the rule's name
and field, and that rule alone is skipped.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from nurture.errors import ValidationError
from nurture.model import (
    ChannelKind,
    Contact,
    NewsItem,
    RelationshipKind,
    normalize_tag,
    parse_cadence,
)
from nurture.news.match import NewsMatcher, company_core
from nurture.rules import text
from nurture.rules.base import BUILTIN_IDS, TEMPLATES, Candidate, Wording, slug
from nurture.rules.config import Problems
from nurture.rules.facts import Facts, iso

# Placeholder -> the condition that makes it meaningful (None: always available).
PLACEHOLDERS: dict[str, str | None] = {
    "name": None, "first_name": None, "company": None, "kind": None, "last_spoke": None,
    "last_topic": None, "interest": "interests", "days_since": "days_since",
    "date_label": "date", "date": "date", "news_title": "news_tag", "news_url": "news_tag",
}
FIELDS = ("name", "title", "reason", "interests", "kinds", "company", "days_since", "date",
          "within_days", "news_tag", "channel", "template", "priority", "max_per_day")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_WIDTH = 200  # the widest padding or precision a title or reason may ask for


class RuleError(Exception):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field
        self.problem = problem


@dataclass(slots=True)
class UserRule:
    """One ``[[rule]]`` from rules.toml, checked."""

    id: str
    title: str
    reason: str
    interests: tuple[str, ...] = ()
    kinds: frozenset[RelationshipKind] = frozenset()
    company: str = ""
    days_since: int | None = None
    date_label: str = ""
    within_days: int = 0
    news_tag: str = ""
    channel: str = ""
    template: str = "thinking-of-you"
    priority: float = 3.0
    max_per_day: int | None = None

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        core = company_core(self.company) if self.company else ()
        filtered = bool(self.interests or self.kinds or core)
        people = [c for c in facts.contacts if self._fits(c, core)] if filtered \
            else facts.contacts
        news = self._news(facts, people if filtered else None)
        for contact in people:
            yield from self._for(facts, contact, news)

    def _fits(self, contact: Contact, core: tuple[str, ...]) -> bool:
        if self.kinds and contact.kind not in self.kinds:
            return False
        if core and (not contact.company or company_core(contact.company) != core):
            return False
        return not self.interests or any(i in self.interests for i in contact.interests)

    def _news(self, facts: Facts, people: list[Contact] | None) -> list[tuple[Any, set[str]]]:
        """Fresh items with the tag, each with the ids of contacts it is for."""
        if not self.news_tag:
            return []
        from nurture.rules.news import fresh_items

        items = [item for _, item in fresh_items(facts, facts.config.news_fresh_days)
                 if self.news_tag in (normalize_tag(t) for t in item.tags)]
        if not items:
            return []
        if people is not None:
            ids = {c.id for c in people}
            return [(item, ids) for item in items]
        # No "who" given: the item is for the people it matches.
        matcher = NewsMatcher(facts.contacts, facts.config.synonyms)
        return [(item, {m.contact_id for m in matcher.match(item)}) for item in items]

    def _for(self, facts: Facts, contact: Contact, news: list[tuple[Any, set[str]]]
             ) -> Iterator[Candidate]:
        due = facts.today_ord
        occurrence: list[object] = []
        values: dict[str, Any] = {}
        if self.days_since is not None:
            last = facts.last_touch.get(contact.id)
            if last is None or last + self.days_since > facts.until_ord:
                return
            due = last + self.days_since
            occurrence.append(iso(last))
        if self.date_label:
            key_date = contact.key_date(self.date_label)
            when = key_date.next_occurrence(facts.today) if key_date else None
            if key_date is None or when is None or \
                    when.toordinal() - self.within_days > facts.until_ord:
                return
            due = max(due, when.toordinal() - self.within_days)
            occurrence += [slug(self.date_label), when.year]
            values.update(date_label=key_date.label, date=text.day_in_year(when, facts.today))
        items = [item for item, ids in news if contact.id in ids] if self.news_tag else [None]
        for item in items:
            parts = list(occurrence)
            if item is not None:
                parts.append(item.id)
            yield facts.make(
                self.id, [contact], parts,
                words=partial(self._words, facts, contact, dict(values), item),
                due_ord=due, template=self.template, base=self.priority,
                fixed=[self.channel] if self.channel else None,
            )

    def _words(self, facts: Facts, contact: Contact, values: dict[str, Any],
               item: NewsItem | None) -> Wording:
        values = facts.common(contact) | values
        values["kind"] = contact.kind.value
        if self.interests:
            values["interest"] = next(i for i in contact.interests if i in self.interests)
        extra: dict[str, Any] = {"user_rule": self.id}
        if item is not None:
            values.update(news_title=item.title, news_url=item.url)
            extra.update(news_id=item.id, news_title=item.title, news_url=item.url)
        shown = {k: "" if v is None else str(v) for k, v in values.items()}
        return self.title.format_map(shown), self.reason.format_map(shown), extra


# ---------------------------------------------------------------- parsing


def parse_user_rules(raw: Any, problems: Problems) -> list[UserRule]:
    """The ``[[rule]]`` tables that are valid; each invalid one adds a problem and is skipped."""
    if not isinstance(raw, list):
        problems.add("write each rule as a [[rule]] table", field="rule")
        return []
    rules: list[UserRule] = []
    names: set[str] = set()
    for index, table in enumerate(raw):
        line = problems.rule_line(index)
        label = f"rule #{index + 1}"
        if isinstance(table, dict) and isinstance(table.get("name"), str) and table["name"]:
            label = f'rule "{table["name"]}"'
        try:
            if not isinstance(table, dict):
                raise RuleError("", "must be a table")
            rule = parse_user_rule(table)
            if rule.id in names:
                raise RuleError("name", "another rule has this name; names must be unique")
        except RuleError as exc:
            field = f"{label}.{exc.field}" if exc.field else label
            problems.add(f"{exc.problem}; this rule is skipped", field=field, line=line)
            continue
        names.add(rule.id)
        rules.append(rule)
    return rules


def parse_user_rule(table: dict[str, Any]) -> UserRule:
    """One rule from its TOML table; raises ``RuleError`` naming the field at fault."""
    for key in table:
        if key not in FIELDS:
            raise RuleError(key, "unknown field; a rule has " + ", ".join(FIELDS))
    name = _text(table, "name", required=True)
    if not _NAME.match(name):
        raise RuleError("name", f"{name!r} must be lower-case letters, digits and dashes "
                                "(at most 40), e.g. \"sailing-season\"")
    if name in BUILTIN_IDS:
        raise RuleError("name", f"{name!r} is a built-in rule; tune it under [builtin.{name}]")
    rule = UserRule(id=name, title=_text(table, "title", required=True),
                    reason=_text(table, "reason", required=True))
    rule.interests = tuple(normalize_tag(t) for t in _strings(table, "interests"))
    kinds = _strings(table, "kinds")
    known = [k.value for k in RelationshipKind]
    for kind in kinds:
        if kind not in known:
            raise RuleError("kinds", f"{kind!r} is not a relationship kind ({', '.join(known)})")
    rule.kinds = frozenset(RelationshipKind(k) for k in kinds)
    rule.company = _text(table, "company")
    if "days_since" in table:
        value = table["days_since"]
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise RuleError("days_since", f"must be a number of days or a span such as "
                                          f"\"3m\", got {value!r}")
        try:
            rule.days_since = parse_cadence(value)
        except ValidationError as exc:
            raise RuleError("days_since", exc.message) from None
    rule.date_label = _text(table, "date")
    if "within_days" in table:
        if not rule.date_label:
            raise RuleError("within_days", "only means something with date = \"...\"")
        rule.within_days = _whole(table, "within_days", 0, 365)
    rule.news_tag = normalize_tag(_text(table, "news_tag"))
    if rule.days_since is None and not rule.date_label and not rule.news_tag:
        raise RuleError("", "needs a trigger: days_since, date or news_tag (otherwise it "
                            "would fire for the same people every day)")
    channel = _text(table, "channel")
    channels = [k.value for k in ChannelKind]
    if channel and channel not in channels:
        raise RuleError("channel", f"{channel!r} is not a channel ({', '.join(channels)})")
    rule.channel = channel
    rule.template = _text(table, "template") or ("clipping" if rule.news_tag
                                                 else "thinking-of-you")
    if rule.template not in TEMPLATES:
        raise RuleError("template", f"{rule.template!r} is not a template "
                                    f"({', '.join(TEMPLATES)})")
    if "priority" in table:
        value = table["priority"]
        if isinstance(value, bool) or not isinstance(value, int | float) or \
                not 0 <= value <= 100:
            raise RuleError("priority", f"must be a number from 0 to 100, got {value!r}")
        rule.priority = float(value)
    if "max_per_day" in table:
        rule.max_per_day = _whole(table, "max_per_day", 0, 1000)
    given = {"interests": bool(rule.interests), "days_since": rule.days_since is not None,
             "date": bool(rule.date_label), "news_tag": bool(rule.news_tag)}
    for field in ("title", "reason"):
        _check_placeholders(getattr(rule, field), field, given)
    return rule


def _check_placeholders(template: str, field: str, given: dict[str, bool]) -> None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise RuleError(field, f"{exc} (write {{{{ and }}}} for literal braces)") from None
    for _, placeholder, spec, conversion in parsed:
        if placeholder is None:
            continue
        if placeholder not in PLACEHOLDERS:
            raise RuleError(field, f"unknown placeholder {{{placeholder}}}; known: "
                            + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))
        needs = PLACEHOLDERS[placeholder]
        if needs is not None and not given[needs]:
            raise RuleError(field, f"{{{placeholder}}} needs the rule to have {needs}")
        # Values are filled in as text, so "{days_since:d}" would fail at review
        # time, for every contact; refuse it here, where the rule can be named.
        # A width is padding made for every contact at review time: bound it before
        # even trying the spec ("{name:>1000000000}" is a gigabyte per contact).
        widths = [int(n) for n in re.findall(r"\d+", spec or "")]
        if "{" in (spec or "") or any(n > MAX_WIDTH for n in widths):
            raise RuleError(field, f"{{{placeholder}}} asks for a width or precision over "
                                   f"{MAX_WIDTH}; write just {{{placeholder}}}")
        try:
            if conversion not in (None, "r", "s", "a"):
                raise ValueError(f"unknown conversion !{conversion}")
            format("", spec or "")
        except ValueError as exc:
            raise RuleError(field, f"{{{placeholder}}} has a format that text cannot take "
                                   f"({exc}); write just {{{placeholder}}}") from None


def _text(table: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise RuleError(key, f"must be a string, got {value!r}")
    if required and not value.strip():
        raise RuleError(key, "is required")
    return value.strip()


def _strings(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
        raise RuleError(key, f"must be a list of strings, e.g. {key} = [\"sailing\"]")
    return value


def _whole(table: dict[str, Any], key: str, low: int, high: int) -> int:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RuleError(key, f"must be a whole number from {low} to {high}, got {value!r}")
    return value
