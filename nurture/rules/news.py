"""``news``: a fresh news item that concerns a contact's interests or company.

Matching is the news package's (``nurture.news.match``: tags, synonyms, words
in the text, company names with their legal suffixes). An item is fresh for
``fresh_days`` after it was published (or added, when the feed gave no date).
The engine keeps only the strongest ``max_per_day`` of these after hiding the
ones the user dismissed, so a dismissed item makes room for the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from nurture.model import Contact, NewsItem
from nurture.news.match import NewsMatch, NewsMatcher
from nurture.rules import text
from nurture.rules.base import Candidate, Wording
from nurture.rules.facts import Facts
from nurture.wording import as_written

# A clipping is a link: it travels by message or email.
SUITED = ("email", "messaging", "text", "social")


def item_day(item: NewsItem) -> int | None:
    """The ordinal of the day an item appeared (published, else added)."""
    when = item.published or item.added
    return when.toordinal() if when is not None else None


def fresh_items(facts: Facts, fresh_days: int) -> list[tuple[int, NewsItem]]:
    """(age in days, item) for items published within ``fresh_days`` of today."""
    found = []
    for item in facts.news:
        day = item_day(item)
        if day is None:
            continue
        age = facts.today_ord - day
        if -1 <= age <= fresh_days:  # a day ahead: a feed in another zone is already tomorrow
            found.append((max(age, 0), item))
    return found


class NewsRule:
    id = "news"

    def __init__(self, max_per_day: int | None) -> None:
        self.max_per_day = max_per_day

    def suggest(self, facts: Facts) -> Iterator[Candidate]:
        items = fresh_items(facts, facts.config.news_fresh_days)
        if not items or not facts.contacts:
            return
        matcher = NewsMatcher(facts.contacts, facts.config.synonyms)
        for age, item in items:
            for match in matcher.match(item):
                contact = facts.by_id.get(match.contact_id)
                if contact is None:
                    continue
                yield facts.make(
                    self.id, [contact], [item.id],
                    words=partial(self._words, facts, contact, item, match),
                    due_ord=facts.today_ord,
                    # Stronger matches and fresher news first.
                    bonus=min(match.score, 4.0) - 0.3 * age,
                    template="clipping", suited=SUITED,
                )

    @staticmethod
    def _words(facts: Facts, contact: Contact, item: NewsItem, match: NewsMatch) -> Wording:
        first = contact.first_name
        why = []
        if match.company and contact.company:
            why.append(f"{first} works at {contact.company}")
        if match.interests:
            named = (as_written(i, item.title, item.summary, contact.notes, contact.how_we_met)
                     for i in match.interests[:2])
            why.append(f"{first} follows {' and '.join(named)}")
        reason = text.sentence(f"{item.title} — {'; '.join(why) or first + ' may care'}.",
                               facts.last_spoke(contact.id))
        return (f"Share with {contact.display_name}: {item.title}", reason,
                {"news_id": item.id, "news_title": item.title, "news_url": item.url,
                 "interest": match.interests[0] if match.interests else "",
                 "interests": list(match.interests), "company_match": match.company,
                 "match_score": match.score})
