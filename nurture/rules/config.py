"""``RulesConfig``: how the built-in rules are tuned, and the user's own rules.

``load_rules(path)`` reads ``rules.toml``. A mistake in it never stops the
review: each problem is reported (file, line, rule name, field) and the rest of
the file still applies, so a bad user rule is skipped while the built-in rules
run with their defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nurture.errors import InputFileError, NurtureError, ValidationError
from nurture.model import ChannelKind, RelationshipKind, normalize_tag, parse_cadence

if TYPE_CHECKING:
    from nurture.config import Config
    from nurture.rules.user import UserRule

K = RelationshipKind

# A card by post must leave about a week ahead; a call or a message is due on the day.
DEFAULT_LEAD_DAYS = {ChannelKind.CARD.value: 7}

# Keep-in-touch defaults for people who have no cadence of their own. Colleagues,
# bosses and employees are seen anyway; suppliers and others only when needed.
DEFAULT_CADENCES = {K.FAMILY: 30, K.FRIEND: 60, K.CLIENT: 60, K.PARTNER: 90, K.INVESTOR: 90}

# A rule's base score; urgency (10 on the due day) and relationship weight are added.
# A date cannot wait, so a birthday today outranks any keep-in-touch, however late.
DEFAULT_PRIORITIES = {"key-date": 6.0, "thank-you": 5.0, "life-event": 5.0, "follow-up": 4.0,
                      "check-in": 3.0, "cadence": 2.0, "news": 2.0, "dormant": 1.0}

DEFAULT_WEIGHTS = {K.FAMILY: 3.0, K.FRIEND: 2.5, K.CLIENT: 2.5, K.PARTNER: 2.0,
                   K.INVESTOR: 2.0, K.BOSS: 2.0, K.COLLEAGUE: 1.5, K.EMPLOYEE: 1.5,
                   K.SUPPLIER: 1.0, K.OTHER: 1.0}


@dataclass(slots=True)
class RulesConfig:
    """Every knob of the built-in rules, plus the user's rules. The defaults are sensible."""

    lead_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LEAD_DAYS))
    cadences: dict[RelationshipKind, int] = field(default_factory=lambda: dict(DEFAULT_CADENCES))
    undated_follow_up_days: int = 7
    dormant_days: int = 182
    dormant_max_per_day: int = 3
    thank_you_days: int = 5
    check_in_days: int = 10
    check_in_window_days: int = 14
    life_event_days: int = 30
    news_fresh_days: int = 7
    news_max_per_day: int = 3
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    priorities: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PRIORITIES))
    kind_weights: dict[RelationshipKind, float] = field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS))
    max_per_contact: int = 2
    max_same_channel: int = 3
    # A morning's worth: more is a backlog, not a review. 0 shows everything.
    daily_limit: int = 50
    disabled: frozenset[str] = frozenset()
    user_rules: list[UserRule] = field(default_factory=list)
    path: Path | None = None

    def lead_for(self, channel: str) -> int:
        """Days ahead of a date that a note by ``channel`` must be sent."""
        return self.lead_days.get(channel, 0)

    def cadence_for(self, kind: RelationshipKind) -> int | None:
        """The default keep-in-touch cadence in days for people of ``kind`` (None: no default)."""
        return self.cadences.get(kind)

    @classmethod
    def from_app_config(cls, config: Config) -> RulesConfig:
        """Defaults, with the news settings of ``config.toml`` ([news] fresh_days, max_per_day,
        synonyms) carried over; ``rules.toml`` may override them."""
        return cls(news_fresh_days=config.news_fresh_days,
                   news_max_per_day=config.news_max_per_day,
                   synonyms={k: list(v) for k, v in config.synonyms.items()})


# ---------------------------------------------------------------- loading


class Problems:
    """Collects what is wrong with a rules file, each as a message naming where."""

    def __init__(self, path: Path, text: str = "") -> None:
        self.path = path
        self.messages: list[str] = []
        self._headers: dict[str, int] = {}
        self._rule_lines: list[int] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if re.match(r"\s*\[\[\s*rule\s*\]\]", line):
                self._rule_lines.append(number)
            else:
                m = re.match(r"\s*\[([^\[\]]+)\]", line)
                if m:
                    self._headers.setdefault(re.sub(r"[\s\"']", "", m.group(1)), number)

    def add(self, problem: str, *, field: str | None = None, line: int | None = None) -> None:
        self.messages.append(str(InputFileError(self.path, problem, line=line, field=field)))

    def table_line(self, dotted: str) -> int | None:
        """The line of the ``[dotted.name]`` header, if the file has one."""
        return self._headers.get(dotted)

    def rule_line(self, index: int) -> int | None:
        """The line of the ``index``-th ``[[rule]]`` header (tomllib gives no positions)."""
        return self._rule_lines[index] if index < len(self._rule_lines) else None


def load_rules(path: Path | str | None,
               base: RulesConfig | None = None) -> tuple[RulesConfig, list[str]]:
    """Read ``rules.toml`` over ``base`` (or the defaults); returns the config and the problems.

    A missing file is not a problem: it gives ``base`` unchanged.
    """
    config = base if base is not None else RulesConfig()
    if path is None:
        return config, []
    path = Path(path)
    config.path = path
    if not path.exists():
        return config, []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems = Problems(path)
        problems.add("not UTF-8 text; the built-in rules run with their defaults")
        return config, problems.messages
    except OSError as exc:
        problems = Problems(path)
        problems.add(f"cannot be read ({exc.strerror}); the built-in rules run with their "
                     "defaults")
        return config, problems.messages
    problems = Problems(path, text)
    import tomllib  # only when there is a rules file: most runs have none

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(f"not valid TOML ({exc}); the built-in rules run with their defaults")
        return config, problems.messages
    apply_rules_document(config, raw, problems)
    return config, problems.messages


def apply_rules_document(config: RulesConfig, raw: dict[str, Any], problems: Problems) -> None:
    """Apply a parsed ``rules.toml`` to ``config``; each mistake is added to ``problems``."""
    from nurture.rules.base import BUILTIN_IDS  # here: without a rules file, never needed
    from nurture.rules.user import parse_user_rules

    known = {"disabled", "builtin", "ranking", "synonyms", "rule"}
    for key in raw:
        if key not in known:
            problems.add(f"unknown setting; expected one of {', '.join(sorted(known))}",
                         field=key, line=problems.table_line(key))
    builtin = _table(raw, "builtin", problems)
    for rule_id, settings in builtin.items():
        where = f"builtin.{rule_id}"
        if rule_id not in _BUILTIN_SETTINGS:
            problems.add(f"no built-in rule {rule_id!r}; the built-in rules are "
                         + ", ".join(BUILTIN_IDS), field=where, line=problems.table_line(where))
        elif not isinstance(settings, dict):
            problems.add("must be a table", field=where)
        else:
            _apply_builtin(config, rule_id, settings, problems)
    _apply_ranking(config, _table(raw, "ranking", problems), problems)
    for tag, words in _table(raw, "synonyms", problems).items():
        if isinstance(words, list) and all(isinstance(w, str) for w in words):
            merged = config.synonyms.setdefault(normalize_tag(tag), [])
            merged.extend(w for w in words if w not in merged)
        else:
            problems.add("synonyms are a list of strings", field=f"synonyms.{tag}",
                         line=problems.table_line("synonyms"))
    config.user_rules = parse_user_rules(raw.get("rule", []), problems)
    names = set(BUILTIN_IDS) | {r.id for r in config.user_rules}
    disabled = raw.get("disabled", [])
    if not (isinstance(disabled, list) and all(isinstance(d, str) for d in disabled)):
        problems.add("must be a list of rule names, e.g. [\"dormant\"]", field="disabled")
        disabled = []
    for name in disabled:
        if name not in names:
            problems.add(f"no rule named {name!r} to disable", field="disabled")
    config.disabled = frozenset(d for d in disabled if d in names)


def _table(raw: dict[str, Any], name: str, problems: Problems) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        problems.add("must be a table", field=name)
        return {}
    return value


# ---------------------------------------------------------------- value checks


def _whole(minimum: int, maximum: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise NurtureError(f"must be a whole number, got {value!r}")
        if not minimum <= value <= maximum:
            raise NurtureError(f"must be between {minimum} and {maximum}, got {value}")
        return value
    return check


def _days(value: Any) -> int:
    """A span in days: ``30``, or ``"2w"``, ``"6m"``, ``"1y"``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise NurtureError(f"must be a number of days or a span such as \"6m\", got {value!r}")
    try:
        days = parse_cadence(value)
    except ValidationError as exc:
        raise NurtureError(exc.message) from None
    if days is None:
        raise NurtureError("must not be empty")
    return days


def _score(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NurtureError(f"must be a number, got {value!r}")
    if not 0 <= value <= 100:
        raise NurtureError(f"must be between 0 and 100, got {value}")
    return float(value)


def _lead_days(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise NurtureError("must be a table of channel = days, e.g. { card = 10 }")
    channels = [k.value for k in ChannelKind]
    out = {}
    for channel, days in value.items():
        if channel not in channels:
            raise NurtureError(f"{channel!r} is not a channel (one of {', '.join(channels)})")
        out[channel] = _whole(0, 60)(days)
    return out


def _cadences(value: Any) -> dict[RelationshipKind, int | None]:
    if not isinstance(value, dict):
        raise NurtureError("must be a table of kind = span, e.g. { client = \"1m\" }")
    kinds = [k.value for k in RelationshipKind]
    out: dict[RelationshipKind, int | None] = {}
    for kind, span in value.items():
        if kind not in kinds:
            raise NurtureError(f"{kind!r} is not a relationship kind (one of {', '.join(kinds)})")
        out[RelationshipKind(kind)] = None if span in ("", 0, "none") else _days(span)
    return out


# rule id -> setting -> (RulesConfig attribute, check)
_BUILTIN_SETTINGS: dict[str, dict[str, tuple[str, Any]]] = {
    "key-date": {"lead_days": ("lead_days", _lead_days)},
    "cadence": {"defaults": ("cadences", _cadences)},
    "follow-up": {"undated_after_days": ("undated_follow_up_days", _whole(0, 365))},
    "dormant": {"after": ("dormant_days", _days),
                "max_per_day": ("dormant_max_per_day", _whole(0, 1000))},
    "thank-you": {"within_days": ("thank_you_days", _whole(0, 60))},
    "check-in": {"after_days": ("check_in_days", _whole(1, 365)),
                 "within_days": ("check_in_window_days", _whole(1, 365))},
    "life-event": {"within_days": ("life_event_days", _whole(1, 365))},
    "news": {"fresh_days": ("news_fresh_days", _whole(0, 365)),
             "max_per_day": ("news_max_per_day", _whole(0, 1000))},
}


def _apply_builtin(config: RulesConfig, rule_id: str, settings: dict[str, Any],
                   problems: Problems) -> None:
    known = _BUILTIN_SETTINGS[rule_id]
    line = problems.table_line(f"builtin.{rule_id}")
    for name, value in settings.items():
        where = f"builtin.{rule_id}.{name}"
        if name == "priority":
            try:
                config.priorities[rule_id] = _score(value)
            except NurtureError as exc:
                problems.add(str(exc), field=where, line=line)
            continue
        if name not in known:
            choices = ", ".join([*known, "priority"])
            problems.add(f"unknown setting; {rule_id} knows {choices}", field=where, line=line)
            continue
        attribute, check = known[name]
        try:
            parsed = check(value)
        except NurtureError as exc:
            problems.add(str(exc), field=where, line=line)
            continue
        if isinstance(parsed, dict):
            merged = dict(getattr(config, attribute))
            merged.update(parsed)
            parsed = {k: v for k, v in merged.items() if v is not None}
        setattr(config, attribute, parsed)


def _apply_ranking(config: RulesConfig, ranking: dict[str, Any], problems: Problems) -> None:
    line = problems.table_line("ranking")
    for name, value in ranking.items():
        where = f"ranking.{name}"
        try:
            if name == "max_per_contact":
                config.max_per_contact = _whole(1, 100)(value)
            elif name == "max_same_channel":
                config.max_same_channel = _whole(1, 1000)(value)
            elif name == "limit":
                config.daily_limit = _whole(0, 100000)(value)
            elif name == "weights":
                if not isinstance(value, dict):
                    raise NurtureError("must be a table of kind = weight, e.g. { client = 3 }")
                for kind, weight in value.items():
                    if kind not in RelationshipKind.__members__.values():
                        raise NurtureError(f"{kind!r} is not a relationship kind")
                    config.kind_weights[RelationshipKind(kind)] = _score(weight)
            else:
                problems.add("unknown setting; ranking knows limit, max_per_contact, "
                             "max_same_channel, weights", field=where, line=line)
        except NurtureError as exc:
            problems.add(str(exc), field=where, line=line)
