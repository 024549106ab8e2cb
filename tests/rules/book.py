"""Small address books for the rules tests, with explicit dates throughout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pendulum

from nurture.model import (
    Channel,
    ChannelKind,
    Contact,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    NewsItem,
    RelationshipKind,
    ReviewState,
    Suggestion,
)
from nurture.rules import DailyReview, RulesConfig, suggest

TODAY = pendulum.date(2026, 11, 22)  # a Sunday
NOW = pendulum.datetime(2026, 11, 22, 9, 0, tz="UTC")


def person(name: str, *, kind: RelationshipKind = RelationshipKind.OTHER,
           channels: Sequence[str] = ("phone",), cadence: int | None = None,
           dates: Sequence[KeyDate] = (), interests: Sequence[str] = (), company: str = "",
           created: pendulum.DateTime | None = None) -> Contact:
    """A contact whose id is ``c-`` and their first name in lower case."""
    first = name.split()[0]
    return Contact(id=f"c-{first.lower()}", display_name=name, given_name=first, kind=kind,
                   channels=[Channel(ChannelKind(c)) for c in channels], cadence_days=cadence,
                   key_dates=list(dates), interests=list(interests), company=company,
                   created=created)


def at(text: str) -> pendulum.DateTime:
    """An instant from ISO text; a bare date means noon UTC."""
    parsed = pendulum.parse(text)
    if not isinstance(parsed, pendulum.DateTime):
        parsed = pendulum.datetime(parsed.year, parsed.month, parsed.day, 12, tz="UTC")
    return parsed


_counter = iter(range(1, 1_000_000))


def entry(who: Contact | Sequence[Contact], kind: str, when: str, text: str = "", *,
          follow_ups: Sequence[FollowUp] = (), id: str | None = None) -> Interaction:
    people = [who] if isinstance(who, Contact) else list(who)
    return Interaction(id=id or f"i-{next(_counter):04d}", contact_ids=[c.id for c in people],
                       kind=InteractionKind(kind), at=at(when), text=text,
                       follow_ups=list(follow_ups))


def timeline(entries: Iterable[Interaction]) -> dict[str, list[Interaction]]:
    """What ``Store.interactions_by_contact()`` returns: newest first per contact, entries
    of the same instant by id, as the store orders them (``store.views``): by the instant
    alone, their order was the input's, and a rule that reads places on a timeline (the
    first meeting) could say another thing of the same book given in another order."""
    out: dict[str, list[Interaction]] = {}
    for item in sorted(entries, key=lambda i: (-i.at.timestamp(), i.id)):
        for cid in item.contact_ids:
            out.setdefault(cid, []).append(item)
    return out


def news(title: str, *, tags: Sequence[str] = (), company: str = "", when: str = "2026-11-21",
         id: str | None = None, url: str = "") -> NewsItem:
    return NewsItem(id=id or f"n-{next(_counter):04d}", title=title, tags=list(tags),
                    company=company, added=at(when), url=url)


def config(**changes) -> RulesConfig:
    """The defaults with no daily limit (tests see every suggestion) and ``changes`` applied."""
    base = RulesConfig(daily_limit=0)
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def run(contacts: Sequence[Contact], entries: Iterable[Interaction] = (), *,
        items: Sequence[NewsItem] = (), review: dict[str, ReviewState] | None = None,
        rules: RulesConfig | None = None, today: pendulum.Date = TODAY,
        days: int = 0) -> list[Suggestion]:
    return suggest(contacts, timeline(entries), items, review or {}, rules or config(), today,
                   days=days)


def review_of(contacts: Sequence[Contact], entries: Iterable[Interaction] = (), *,
              items: Sequence[NewsItem] = (), review: dict[str, ReviewState] | None = None,
              rules: RulesConfig | None = None, today: pendulum.Date = TODAY,
              now: pendulum.DateTime = NOW, days: int = 0) -> DailyReview:
    return DailyReview(contacts, timeline(entries), items, review or {}, rules or config(),
                       today, now=now, days=days)


def only(found: list[Suggestion], rule: str) -> list[Suggestion]:
    return [s for s in found if s.rule == rule]


def keys(found: list[Suggestion], rule: str | None = None) -> list[str]:
    return [s.key for s in found if rule is None or s.rule == rule]
