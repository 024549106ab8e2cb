"""The engine: every rule over the same facts, then hide, cap, rank and word.

``suggest`` is a pure function of its arguments: no clock, no disk. The same
inputs always give the same list in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pendulum

from nurture.model import Contact, Interaction, NewsItem, ReviewState, Suggestion
from nurture.rules.base import Candidate, Rule
from nurture.rules.cadence import CadenceRule
from nurture.rules.check_in import CheckInRule
from nurture.rules.config import RulesConfig
from nurture.rules.dormant import DormantRule
from nurture.rules.facts import Facts
from nurture.rules.follow_up import FollowUpRule
from nurture.rules.key_date import KeyDateRule
from nurture.rules.life_event import LifeEventRule
from nurture.rules.news import NewsRule
from nurture.rules.rank import rank, vary_channels
from nurture.rules.thank_you import ThankYouRule


def active_rules(config: RulesConfig) -> list[Rule]:
    """The built-in rules and the user's, minus those turned off."""
    rules: list[Rule] = [
        KeyDateRule(), CadenceRule(), FollowUpRule(), DormantRule(config.dormant_max_per_day),
        ThankYouRule(), CheckInRule(), LifeEventRule(), NewsRule(config.news_max_per_day),
        *config.user_rules,
    ]
    return [r for r in rules if r.id not in config.disabled]


def candidates(facts: Facts) -> list[Candidate]:
    """Every candidate due by the last day of ``facts``, hidden ones included, unranked.

    A key made twice (two dates with the same label) is kept once.
    """
    found: dict[str, Candidate] = {}
    for rule in active_rules(facts.config):
        for candidate in rule.suggest(facts):
            found.setdefault(candidate.key, candidate)
    return list(found.values())


def visible(found: Iterable[Candidate], review: Mapping[str, ReviewState],
            today: pendulum.Date) -> list[Candidate]:
    """Drop what the user did, dismissed, or snoozed past ``today``."""
    out = []
    for candidate in found:
        state = review.get(candidate.key)
        if state is None or not state.hides_on(today):
            out.append(candidate)
    return out


def queue(facts: Facts, limit: int | None) -> tuple[list[Suggestion], list[Candidate]]:
    """The ranked, worded suggestions (at most ``limit``), and every visible candidate ranked."""
    shown, ranked, _ = queue_and_open(facts, limit)
    return shown, ranked


def queue_and_open(facts: Facts, limit: int | None
                   ) -> tuple[list[Suggestion], list[Candidate], frozenset[str]]:
    """`queue`, and the keys of every suggestion still open today, whether or not the
    daily limit or a rule's cap shows it: a key missing from these was closed (what it
    asked for happened), not merely ranked out of sight."""
    found = visible(candidates(facts), facts.review, facts.today)
    caps = {rule.id: rule.max_per_day for rule in active_rules(facts.config)}
    ranked = rank(found, facts.config, caps)
    shown = vary_channels(ranked if not limit else ranked[:limit],
                          facts.config.max_same_channel)
    return [facts.render(c) for c in shown], ranked, frozenset(c.key for c in found)


def suggest(contacts: Iterable[Contact], timeline: Mapping[str, Sequence[Interaction]],
            news: Iterable[NewsItem], review: Mapping[str, ReviewState], config: RulesConfig,
            today: pendulum.Date, *, days: int = 0) -> list[Suggestion]:
    """Today's suggestions, ranked: due by ``today + days``, minus those hidden by review state,
    at most ``config.daily_limit`` of them (0: all).

    ``timeline`` is every contact's entries newest first (``Store.review_timelines()``, whose
    entries may be built as they are read: a rule reads a person's newest entries, and
    those with open follow-ups through ``Facts.entries_with_open_follow_ups``); ``review``
    the saved review states by key.
    """
    facts = Facts(contacts, timeline, news, review, config, today, days)
    return queue(facts, config.daily_limit)[0]
