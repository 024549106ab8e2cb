"""How fast news items are matched to contacts.

    python benchmarks/bench_news.py

Address books from ``synth.make_book`` (5,000 and 20,000 contacts), with the
companies spread over 2,000 names so that the company index is realistic, and
200 synthetic news items of about 60 words. The baseline, measured in the same
run, is the obvious matcher: for each contact, a compiled word-boundary regex
per interest and company searched in the item's text.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable

from synth import COMPANIES, INTERESTS, make_book

from nurture.model import Contact, NewsItem, fold
from nurture.news.match import NewsMatcher, match_all, match_news

SYNONYMS = {"football": ["soccer"], "ai": ["machine learning"], "sci-fi": ["science fiction"]}
FILLER = ["the", "a", "new", "report", "says", "market", "city", "team", "season", "plans",
          "growth", "after", "before", "year", "week", "launch", "deal", "talks", "results",
          "fans", "record", "first", "best", "local", "global"]


def make_items(n: int, seed: int = 7) -> list[NewsItem]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        words = rng.choices(FILLER, k=60)
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(INTERESTS))
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words)), f"Company{rng.randrange(2000)} Inc.")
        if rng.random() < 0.2:
            words.insert(0, rng.choice(COMPANIES))
        tags = rng.sample(INTERESTS, rng.choice([0, 1, 2]))
        items.append(NewsItem(id=f"n-{i}", title=" ".join(words[:12]).capitalize(),
                              summary=" ".join(words[12:]), tags=tags))
    return items


def make_contacts(n: int) -> list[Contact]:
    contacts, _ = make_book(n, 0)
    rng = random.Random(3)
    for contact in contacts:
        if contact.company:
            contact.company = f"Company{rng.randrange(2000)} Inc."
    return contacts


def naive(item: NewsItem, contacts: list[Contact]) -> list[str]:
    """The baseline: every contact's terms searched in the text, one regex each."""
    text = fold(f"{item.title} {item.summary}")
    tags = set(item.tags)
    found = []
    for contact in contacts:
        terms = [*contact.interests, *([contact.company] if contact.company else [])]
        if any(t in tags or re.search(rf"\b{re.escape(fold(t))}\b", text) for t in terms):
            found.append(contact.id)
    return found


def best_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    items = make_items(200)
    print(f"{'contacts':>9} {'matches':>8} {'index':>9} {'1 item':>9} {'match_news':>11}"
          f" {'200 items':>10} {'naive/item':>11} {'speed-up':>9}")
    for n in (5_000, 20_000):
        contacts = make_contacts(n)
        matcher = NewsMatcher(contacts, SYNONYMS)
        build = best_ms(lambda c=contacts: NewsMatcher(c, SYNONYMS))
        one = best_ms(lambda m=matcher: [m.match(i) for i in items], repeat=3) / len(items)
        single = best_ms(lambda c=contacts: match_news(items[0], c, SYNONYMS))
        batch = best_ms(lambda c=contacts: match_all(items, c, SYNONYMS), repeat=3)
        base = best_ms(lambda c=contacts: [naive(i, c) for i in items[:3]], repeat=1) / 3
        found = sum(len(matcher.match(i)) for i in items) / len(items)
        print(f"{n:>9,} {found:>8.0f} {build:>7.1f}ms {one:>7.2f}ms {single:>9.1f}ms"
              f" {batch:>8.1f}ms {base:>9.1f}ms {base / single:>8.0f}x")
    print("matches: contacts an item concerns, on average; index: building NewsMatcher;")
    print("1 item: one match on a built index; match_news: both;")
    print("200 items: match_all; naive/item: the regex baseline for one item;")
    print("speed-up: naive/item divided by match_news.")


if __name__ == "__main__":
    main()
