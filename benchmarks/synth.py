"""Deterministic synthetic address books of realistic size, shared by the benchmarks.

``make_book(n_contacts, n_interactions, seed, today)`` returns model objects
(contacts and a timeline) with the variety a real book has: every relationship
kind, interests, birthdays with and without the year (Feb 29 included),
anniversaries, family, cadences (often unset), preferred channels, interactions
spread over about three years with group meetings and follow-ups. The same
arguments always give the same book, so figures from different runs compare.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pendulum

# Benchmarks run as plain scripts (``python benchmarks/bench_x.py``); make the
# package importable from a checkout even when it is not installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nurture.model import (
    Address,
    Channel,
    ChannelKind,
    Contact,
    Email,
    FamilyMember,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    Phone,
    RelationshipKind,
)

GIVEN = ["Ana", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustav", "Hana", "Igor", "Jörg",
         "Kateřina", "Liam", "Maya", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Søren",
         "Tomás", "Uma", "Viktor", "Wen", "Xavier", "Yuki", "Zoë", "Amélie", "Björn",
         "Carmen", "Dae-jung", "Émile", "Fatima", "Giulia", "Hiroshi", "Inès", "Jamal"]
FAMILY = ["Andersen", "Bauer", "Castillo", "Dubois", "Eriksson", "Fischer", "García", "Haddad",
          "Ivanova", "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Petrov",
          "Quiroga", "Rossi", "Schmidt", "Tanaka", "Ünal", "Vasquez", "Wójcik", "Xu", "Yilmaz",
          "Zhang", "Åberg", "Nguyễn", "Okafor", "Smith", "Brown", "Moreau"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Industries",
             "Wayne Enterprises", "Hooli", "Vandelay Industries", "Soylent", "Tyrell",
             "Wonka Foods", "Pied Piper", "Cyberdyne", "Aperture Labs", "Nakatomi Trading",
             "Blue Sun", "Massive Dynamic", "Oscorp", "Gringotts", "Monarch Solutions"]
TITLES = ["CEO", "CTO", "Head of Sales", "Engineer", "Designer", "Account Manager",
          "Procurement Lead", "Partner", "Founder", "Product Manager", "Analyst", ""]
INTERESTS = ["golf", "sailing", "wine", "jazz", "running", "cycling", "chess", "photography",
             "gardening", "cooking", "football", "tennis", "opera", "hiking", "climbing",
             "birdwatching", "pottery", "poetry", "sci-fi", "history", "architecture", "yoga",
             "fishing", "skiing", "coffee", "whisky", "baking", "startups", "ai", "crypto",
             "vintage cars", "board games", "theatre", "marathons", "knitting", "astronomy"]
CITIES = [("Berlin", "DE"), ("Lisbon", "PT"), ("Toronto", "CA"), ("Osaka", "JP"),
          ("Lyon", "FR"), ("Austin", "US"), ("Kraków", "PL"), ("São Paulo", "BR"),
          ("Nairobi", "KE"), ("Melbourne", "AU")]
ZONES = ["Europe/Berlin", "Europe/Lisbon", "America/Toronto", "Asia/Tokyo", "UTC",
         "America/Chicago"]
KIND_WEIGHTS = {
    RelationshipKind.CLIENT: 20, RelationshipKind.COLLEAGUE: 18, RelationshipKind.FRIEND: 18,
    RelationshipKind.PARTNER: 8, RelationshipKind.SUPPLIER: 8, RelationshipKind.FAMILY: 8,
    RelationshipKind.EMPLOYEE: 6, RelationshipKind.INVESTOR: 4, RelationshipKind.BOSS: 2,
    RelationshipKind.OTHER: 8,
}
INTERACTION_WEIGHTS = {
    InteractionKind.EMAIL: 25, InteractionKind.CALL: 18, InteractionKind.MESSAGE: 18,
    InteractionKind.MEETING: 14, InteractionKind.NOTE: 10, InteractionKind.CARD_SENT: 3,
    InteractionKind.GIFT_GIVEN: 2, InteractionKind.GIFT_RECEIVED: 1,
    InteractionKind.THANK_YOU: 3, InteractionKind.FAVOUR: 2, InteractionKind.INTRODUCTION: 2,
    InteractionKind.LIFE_EVENT: 1, InteractionKind.OTHER: 1,
}
SNIPPETS = ["Talked about the Q3 roadmap", "Lunch at the Italian place, she recommended a book",
            "Quick catch-up call", "Sent the proposal draft", "Congratulated on the new role",
            "He is training for a marathon", "Asked about the kids' school", "Coffee downtown",
            "Discussed renewal terms — follow up in two weeks", "Birthday card sent",
            "Shared an article on #sailing", "Introduced to a potential investor",
            "Moving house next month", "Kid's graduation in June 🎓", "Thanks for the referral!"]
CHANNELS = {InteractionKind.EMAIL: "email", InteractionKind.CALL: "phone",
            InteractionKind.MESSAGE: "text", InteractionKind.MEETING: "in-person",
            InteractionKind.CARD_SENT: "card"}


def _pick_weighted(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _stamp(rng: random.Random, base: pendulum.DateTime, span_days: int) -> pendulum.DateTime:
    """A moment up to ``span_days`` before ``base``, in a realistic zone, to the second."""
    moment = base.subtract(seconds=rng.randrange(span_days * 86_400))
    return moment.in_timezone(rng.choice(ZONES)).replace(microsecond=0)


def make_contact(rng: random.Random, index: int, now: pendulum.DateTime) -> Contact:
    """One contact with realistic, varied optional fields."""
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    kind = _pick_weighted(rng, KIND_WEIGHTS)
    work = kind not in (RelationshipKind.FRIEND, RelationshipKind.FAMILY)
    slug = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
    slug = slug.encode("ascii", "ignore").decode() or "someone"
    contact = Contact(
        id=f"c-{index:08d}",
        display_name=f"{given} {family}",
        given_name=given,
        family_name=family,
        nickname=rng.choice(["", "", "", "", given[:3]]),
        company=rng.choice(COMPANIES) if work else "",
        title=rng.choice(TITLES) if work else "",
        kind=kind,  # type: ignore[arg-type]
        emails=[Email(f"{slug}{index}@example.{rng.choice(['com', 'org', 'de'])}",
                      "work" if work else "home")],
        phones=[Phone(f"+{rng.randint(1, 99)} {rng.randint(100, 999)} "
                      f"{rng.randint(1000000, 9999999)}", rng.choice(["mobile", "work", ""]))]
        if rng.random() < 0.8 else [],
        interests=rng.sample(INTERESTS, rng.choice([0, 1, 1, 2, 2, 3, 4])),
        how_we_met=rng.choice(["", "", "conference in Lisbon", "through Maya", "university",
                               "neighbours", "former colleague at Initech"]),
        cadence_days=rng.choice([None, None, None, 14, 30, 30, 60, 90, 180, 365]),
        notes=rng.choice(["", "", "", "Prefers mornings.", "Vegetarian; allergic to nuts.",
                          "Don't mention the merger."]),
        created=_stamp(rng, now, 4 * 365),
    )
    contact.updated = contact.created
    if rng.random() < 0.6:
        city, country = rng.choice(CITIES)
        contact.addresses.append(Address("home", f"{rng.randint(1, 200)} Main Street", city,
                                         "", f"{rng.randint(10000, 99999)}", country))
    if work and rng.random() < 0.3:
        city, country = rng.choice(CITIES)
        contact.addresses.append(Address("work", "1 Business Park", city, "", "", country))
    if rng.random() < 0.7:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if rng.random() < 0.01:
            month, day = 2, 29
        year = rng.randint(1950, 2005) if rng.random() < 0.5 else None
        if year is not None and (month, day) == (2, 29):
            year = 1988
        contact.key_dates.append(KeyDate("birthday", month, day, year))
    if rng.random() < 0.2:
        contact.key_dates.append(KeyDate("anniversary", rng.randint(1, 12), rng.randint(1, 28),
                                         rng.randint(1980, 2022)))
    if rng.random() < 0.05:
        contact.key_dates.append(KeyDate(f"{rng.choice(GIVEN)}'s graduation", 6,
                                         rng.randint(1, 30), now.year, yearly=False))
    if rng.random() < 0.4:
        contact.family.append(FamilyMember(rng.choice(GIVEN), "spouse"))
        for _ in range(rng.choice([0, 1, 2, 3])):
            contact.family.append(FamilyMember(rng.choice(GIVEN), "child"))
    if rng.random() < 0.5:
        channel = rng.choice(list(ChannelKind))
        detail = rng.choice(["Signal", "WhatsApp", "Telegram"]) \
            if channel is ChannelKind.MESSAGING else ""
        contact.channels.append(Channel(channel, detail))
    return contact


def make_interaction(rng: random.Random, index: int, contact_ids: list[str],
                     now: pendulum.DateTime, today: pendulum.Date) -> Interaction:
    """One timeline entry within the last ~3 years; some involve two or three people."""
    kind = _pick_weighted(rng, INTERACTION_WEIGHTS)
    people = [rng.choice(contact_ids)]
    if kind is InteractionKind.MEETING and rng.random() < 0.3:
        people += rng.sample(contact_ids, rng.choice([1, 2]))
    at = _stamp(rng, now, 3 * 365)
    interaction = Interaction(
        id=f"i-{index:010d}",
        contact_ids=list(dict.fromkeys(people)),
        kind=kind,  # type: ignore[arg-type]
        at=at,
        text=rng.choice(SNIPPETS),
        channel=CHANNELS.get(kind, ""),  # type: ignore[arg-type]
        duration_seconds=rng.randint(60, 3600) if kind is InteractionKind.CALL else None,
    )
    if rng.random() < 0.08:
        due = at.date().add(days=rng.randint(3, 30))
        done = None
        if due < today and rng.random() < 0.7:
            done = at.add(days=rng.randint(1, 20))
        interaction.follow_ups.append(
            FollowUp("Send the follow-up notes", due=due, done=done, id=f"f-{index:08d}"))
    return interaction


def make_book(n_contacts: int, n_interactions: int, seed: int = 42,
              today: pendulum.Date | None = None) -> tuple[list[Contact], list[Interaction]]:
    """A deterministic address book: ``n_contacts`` contacts and ``n_interactions`` entries.

    ``today`` anchors every date (default 2025-06-15, so the default book never
    changes); pass the real date to get a book that looks current.
    """
    today = today or pendulum.date(2025, 6, 15)
    rng = random.Random(seed)
    now = pendulum.datetime(today.year, today.month, today.day, 12, tz="UTC")
    contacts = [make_contact(rng, i, now) for i in range(n_contacts)]
    ids = [c.id for c in contacts]
    if not ids and n_interactions:
        raise ValueError("interactions need at least one contact")
    interactions = [make_interaction(rng, i, ids, now, today) for i in range(n_interactions)]
    return contacts, interactions


if __name__ == "__main__":
    book_contacts, book_interactions = make_book(5, 10)
    for c in book_contacts:
        print(c.id, c.display_name, c.kind.value, c.interests, [d.text() for d in c.key_dates])
    for i in book_interactions:
        print(i.id, i.contact_ids, i.kind.value, i.at.isoformat(), i.text)
