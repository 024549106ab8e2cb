"""A realistic sample address book for ``nurture demo``, built relative to today.

Deterministic for a given seed and date, so screenshots and snapshot tests are
stable. It lives in its own file, never the user's data file.
"""

from __future__ import annotations

import random
from pathlib import Path

import pendulum

from nurture import locations
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
    NewsItem,
    Phone,
    RelationshipKind,
    fold,
)
from nurture.store import Store, open_store
from nurture.touch import channel_for

K = RelationshipKind

# name, company, title, kind, interests, preferred channel, cadence (days or None)
PEOPLE: list[tuple[str, str, str, RelationshipKind, list[str], ChannelKind, int | None]] = [
    ("Dan Okafor", "Harbor Freight Lines", "VP Operations", K.CLIENT,
     ["yankees", "baseball", "bbq"], ChannelKind.PHONE, 30),
    ("Maya Lindqvist", "Northwind Labs", "CTO", K.CLIENT,
     ["sailing", "jazz", "espresso"], ChannelKind.EMAIL, 45),
    ("Zoë Ångström", "Fjord Analytics", "Head of Data", K.PARTNER,
     ["climbing", "sci-fi", "fermentation"], ChannelKind.MESSAGING, 60),
    ("Rafael Mendes", "Mendes & Filhos", "Founder", K.SUPPLIER,
     ["football", "wine"], ChannelKind.PHONE, 90),
    ("Priya Raman", "Acme Corporation", "Director of Procurement", K.CLIENT,
     ["marathons", "photography"], ChannelKind.EMAIL, 30),
    ("Tom Becker", "Becker Consulting", "Principal", K.PARTNER,
     ["golf", "whisky"], ChannelKind.PHONE, 60),
    ("Aiko Tanaka", "Kumo Systems", "Product Lead", K.COLLEAGUE,
     ["ceramics", "tea", "hiking"], ChannelKind.MESSAGING, 30),
    ("Grace Adeyemi", "Lumen Health", "CEO", K.INVESTOR,
     ["chess", "gardening"], ChannelKind.EMAIL, 90),
    ("Luca Romano", "Trattoria Romano", "Owner", K.FRIEND,
     ["cooking", "cycling", "ac milan"], ChannelKind.TEXT, 21),
    ("Sofia Petrov", "Northwind Labs", "Engineering Manager", K.COLLEAGUE,
     ["ballet", "board games"], ChannelKind.MESSAGING, None),
    ("James O'Connor", "O'Connor Legal", "Partner", K.SUPPLIER,
     ["rugby", "history"], ChannelKind.PHONE, 120),
    ("Hannah Schmidt", "Greenleaf Energy", "COO", K.CLIENT,
     ["solar", "running", "dogs"], ChannelKind.EMAIL, 45),
    ("Carlos Ruiz", "Ruiz Logistics", "Managing Director", K.CLIENT,
     ["tennis", "cigars"], ChannelKind.PHONE, 60),
    ("Emily Chen", "Brightside Ventures", "Partner", K.INVESTOR,
     ["poetry", "yoga"], ChannelKind.EMAIL, 60),
    ("Noah Williams", "Kumo Systems", "Staff Engineer", K.EMPLOYEE,
     ["rust", "mechanical keyboards"], ChannelKind.MESSAGING, 14),
    ("Fatima Al-Sayed", "Oasis Hospitality", "GM", K.CLIENT,
     ["architecture", "falconry"], ChannelKind.CARD, 90),
    ("Oliver Brown", "Brown & Co", "Owner", K.FRIEND,
     ["fishing", "woodworking"], ChannelKind.PHONE, None),
    ("Isabelle Dubois", "Maison Dubois", "Creative Director", K.PARTNER,
     ["fashion", "opera"], ChannelKind.CARD, 60),
    ("Ethan Park", "Acme Corporation", "Account Executive", K.COLLEAGUE,
     ["basketball", "k-pop"], ChannelKind.TEXT, None),
    ("Margaret Kowalski", "Kowalski Family Office", "Principal", K.INVESTOR,
     ["bridge", "roses"], ChannelKind.CARD, 120),
    ("Samuel Osei", "Osei Builders", "Founder", K.SUPPLIER,
     ["highlife music", "football"], ChannelKind.PHONE, 90),
    ("Chloé Martin", "Atelier Martin", "Designer", K.FRIEND,
     ["pottery", "jazz"], ChannelKind.MESSAGING, 30),
    ("Viktor Novak", "Novak Robotics", "CTO", K.CLIENT,
     ["robotics", "chess", "skiing"], ChannelKind.EMAIL, 45),
    ("Amara Nwosu", "Lumen Health", "Head of Partnerships", K.PARTNER,
     ["afrobeats", "travel"], ChannelKind.MESSAGING, 60),
    ("Henrik Larsen", "Larsen Marine", "Owner", K.CLIENT,
     ["sailing", "smoked fish"], ChannelKind.PHONE, 90),
    ("Lucía Fernández", "Brightside Ventures", "Associate", K.COLLEAGUE,
     ["salsa", "photography"], ChannelKind.TEXT, None),
    ("David Cohen", "Cohen Capital", "Managing Partner", K.BOSS,
     ["yankees", "golf", "podcasts"], ChannelKind.PHONE, 14),
    ("Mei Lin", "Jade Garden", "Owner", K.FRIEND,
     ["dim sum", "mahjong"], ChannelKind.PHONE, 45),
    ("Kwame Mensah", "Greenleaf Energy", "Field Engineer", K.EMPLOYEE,
     ["drones", "football"], ChannelKind.MESSAGING, 30),
    ("Anna Müller", "Müller Bakery", "Owner", K.FAMILY,
     ["baking", "gardening"], ChannelKind.PHONE, 14),
    ("Ben Müller", "", "", K.FAMILY,
     ["lego", "dinosaurs"], ChannelKind.PHONE, None),
    ("Rosa Silva", "Silva Imports", "Buyer", K.CLIENT,
     ["fado", "wine"], ChannelKind.EMAIL, 60),
    ("Jonas Weber", "Weber Print", "Owner", K.SUPPLIER,
     ["typography", "cycling"], ChannelKind.EMAIL, None),
    ("Olivia Taylor", "Taylor PR", "Founder", K.PARTNER,
     ["theatre", "dogs"], ChannelKind.EMAIL, 60),
    ("Arjun Mehta", "Mehta Textiles", "Director", K.CLIENT,
     ["cricket", "classical music"], ChannelKind.PHONE, 45),
    ("Nora Hughes", "Hughes Architects", "Partner", K.OTHER,
     ["architecture", "swimming"], ChannelKind.EMAIL, None),
    ("Yusuf Demir", "Demir Shipping", "CFO", K.CLIENT,
     ["galatasaray", "coffee"], ChannelKind.PHONE, 60),
    ("Elena Rossi", "Rossi Studio", "Photographer", K.FRIEND,
     ["photography", "hiking", "vinyl"], ChannelKind.SOCIAL, None),
    ("Patrick Nguyen", "Saigon Street", "Chef", K.FRIEND,
     ["pho", "motorbikes"], ChannelKind.TEXT, 60),
    ("Ingrid Holm", "Holm Foundation", "Trustee", K.OTHER,
     ["philanthropy", "cross-country skiing"], ChannelKind.CARD, 180),
]

TOPICS = {
    "yankees": "the Yankees' bullpen", "sailing": "the regatta in June",
    "jazz": "the new Blue Note reissues", "climbing": "a new bouldering gym",
    "golf": "the club championship", "wine": "the Douro harvest",
    "photography": "a Leica they are saving for", "chess": "the world championship",
    # Names people capitalise: the entry's text says them as they would.
    "ac milan": "AC Milan's season", "galatasaray": "Galatasaray's title race",
    "rust": "the Rust 2024 edition", "k-pop": "the K-pop tour", "sci-fi": "a sci-fi novel",
}
HOW_WE_MET = ["Web Summit in Lisbon", "introduced by Tom Becker", "our kids' school",
              "a panel on supply chains", "university", "a client dinner in Boston",
              "the sailing club", "a friend's wedding", "LinkedIn, then coffee", ""]
CITIES = [("Boston", "MA", "US"), ("Lisbon", "", "PT"), ("Berlin", "", "DE"),
          ("London", "", "GB"), ("Toronto", "ON", "CA"), ("Oslo", "", "NO")]
KINDS_WEIGHTED = ([InteractionKind.CALL] * 5 + [InteractionKind.EMAIL] * 5
                  + [InteractionKind.MEETING] * 3 + [InteractionKind.MESSAGE] * 4
                  + [InteractionKind.NOTE] * 2 + [InteractionKind.CARD_SENT,
                                                  InteractionKind.GIFT_GIVEN,
                                                  InteractionKind.THANK_YOU,
                                                  InteractionKind.FAVOUR,
                                                  InteractionKind.INTRODUCTION])
FOLLOW_UPS = ["send the book we talked about", "check the suggestion worked",
              "introduce to Grace", "share the deck from the offsite",
              "ask how the move went", "send the restaurant list", "call back about the trip"]


def _contact(rng: random.Random, index: int, today: pendulum.Date) -> Contact:
    name, company, title, kind, interests, channel, cadence = PEOPLE[index]
    given, _, family = name.partition(" ")
    slug = fold(given).replace("'", "")
    domain = fold(company.split()[0]).replace("'", "") + ".example" if company else "mail.example"
    city, region, country = CITIES[index % len(CITIES)]
    stamp = pendulum.datetime(today.year - 2, 1, 1, tz="UTC").add(days=index * 3)
    contact = Contact(
        id=f"c-demo{index:04d}",
        display_name=name,
        given_name=given,
        family_name=family,
        company=company,
        title=title,
        kind=kind,
        emails=[Email(f"{slug}@{domain}", "work")],
        phones=[Phone(f"+1 617 555 {1000 + index * 37 % 9000:04d}", "mobile")],
        addresses=[Address("home", f"{10 + index} Elm Street", city, region,
                           f"{2100 + index}", country)],
        interests=list(interests),
        how_we_met=HOW_WE_MET[index % len(HOW_WE_MET)],
        channels=[Channel(channel, "Signal" if channel is ChannelKind.MESSAGING else "")],
        cadence_days=cadence,
        created=stamp,
        updated=stamp,
    )
    # Birthdays: some with the year, some without, one on Feb 29; a few fall
    # within the next weeks so the review always has something to show.
    if index % 5 != 4:
        if index == 7:
            month, day = 2, 29
        elif index % 6 == 0:
            upcoming = today.add(days=3 + index % 20)
            month, day = upcoming.month, upcoming.day
        else:
            month, day = rng.randint(1, 12), rng.randint(1, 28)
        year = rng.randint(1958, 1995) if index % 3 else None
        if index == 7:
            year = 1980
        contact.key_dates.append(KeyDate("birthday", month, day, year))
    if kind in (K.FRIEND, K.FAMILY, K.CLIENT) and index % 4 == 1:
        wedding = today.add(days=10 + index)
        contact.key_dates.append(KeyDate("anniversary", wedding.month, wedding.day,
                                         wedding.year - rng.randint(3, 25)))
        contact.family.append(FamilyMember(rng.choice(["Anna", "Sam", "Jordan", "Lea"]),
                                           "spouse"))
    if index % 7 == 2:
        child = rng.choice(["Maya", "Leo", "Ines", "Kai"])
        contact.family.append(FamilyMember(child, "child"))
        grad = today.add(days=40 + index)
        contact.key_dates.append(KeyDate(f"{child}'s graduation", grad.month, grad.day,
                                         grad.year, yearly=False))
    return contact


def _timeline(rng: random.Random, contacts: list[Contact], today: pendulum.Date,
              tz: str) -> list[Interaction]:
    entries: list[Interaction] = []
    start = pendulum.datetime(today.year, today.month, today.day, 9, tz=tz)
    for index, contact in enumerate(contacts):
        # Most people were in touch recently; a few have gone quiet (dormant),
        # a few are overdue on their cadence.
        count = rng.randint(3, 14)
        quiet_days = 260 if index % 9 == 5 else (contact.cadence_days or 40) + rng.randint(-20, 25)
        quiet_days = max(1, quiet_days)
        for n in range(count):
            days_ago = quiet_days + n * rng.randint(12, 50)
            if days_ago > 730:
                break
            kind = rng.choice(KINDS_WEIGHTED)
            interest = rng.choice(contact.interests) if contact.interests else ""
            topic = TOPICS.get(interest, interest)
            where = contact.company or "home"
            who = contact.first_name
            text = {
                InteractionKind.CALL: f"Caught up on {topic}; things busy at {where}.",
                InteractionKind.EMAIL: f"Sent notes from our chat about {topic}.",
                InteractionKind.MEETING: f"Lunch. Talked about {topic} and the year ahead.",
                InteractionKind.MESSAGE: f"Quick message about {topic}.",
                InteractionKind.NOTE: f"Remember: {contact.first_name} loves {interest}.",
                InteractionKind.CARD_SENT: "Sent a handwritten card.",
                InteractionKind.GIFT_GIVEN: f"Sent a small gift: a book on {interest}.",
                InteractionKind.THANK_YOU: "Thank-you note for the introduction.",
                InteractionKind.FAVOUR: f"Introduced {who} to a good accountant.",
                InteractionKind.INTRODUCTION: f"{who} introduced me to a new client.",
            }.get(kind, "Caught up.")
            # Working hours: 9:00 plus up to eight hours.
            at = start.subtract(days=days_ago).add(hours=rng.randint(0, 8))
            entry = Interaction(id=f"i-demo{len(entries):06d}", contact_ids=[contact.id],
                                kind=kind, at=at, text=text,
                                channel=channel_for(kind, contact))
            if n == 0 and index % 3 == 0:
                due = today.add(days=rng.randint(-5, 10))
                entry.follow_ups.append(FollowUp(rng.choice(FOLLOW_UPS), due,
                                                 id=f"f-demo{index:02d}"))
            elif rng.random() < 0.15:
                entry.follow_ups.append(FollowUp(rng.choice(FOLLOW_UPS),
                                                 at.date().add(days=7), done=at.add(days=6),
                                                 id=f"f-demo{index:02d}{n:02d}"))
            entries.append(entry)
    # A lunch with two people, a first meeting last week with no thank-you yet,
    # and a fresh life event: the thank-you and congratulations rules fire.
    entries.append(Interaction(id="i-demo-lunch", contact_ids=[contacts[1].id, contacts[9].id],
                               kind=InteractionKind.MEETING, at=start.subtract(days=16),
                               text="Lunch with Maya and Sofia at Oleana; Sofia's team is hiring."))
    entries.append(Interaction(id="i-demo-first", contact_ids=[contacts[35].id],
                               kind=InteractionKind.MEETING, at=start.subtract(days=2),
                               text="First meeting: Nora walked me through the library design."))
    entries.append(Interaction(id="i-demo-event", contact_ids=[contacts[12].id],
                               kind=InteractionKind.LIFE_EVENT, at=start.subtract(days=4),
                               text="Carlos was promoted to Managing Director."))
    entries.append(Interaction(id="i-demo-favour", contact_ids=[contacts[4].id],
                               kind=InteractionKind.SUGGESTION, at=start.subtract(days=10),
                               text="Suggested Priya try the Oxford supplier list for the tender."))
    return entries


def build_demo(store: Store, today: pendulum.Date, *, seed: int = 7, tz: str = "UTC") -> None:
    """Fill ``store`` with the sample address book (about 40 people, a few hundred entries)."""
    rng = random.Random(seed)
    contacts = [_contact(rng, i, today) for i in range(len(PEOPLE))]
    entries = _timeline(rng, contacts, today, tz)
    news = [
        NewsItem(id="n-demo1", title="Yankees sign a new ace for the rotation",
                 url="https://news.example/yankees-ace", tags=["yankees", "baseball"],
                 added=pendulum.datetime(today.year, today.month, today.day, 7, tz=tz)),
        NewsItem(id="n-demo2", title="Acme Corporation opens a research lab in Lisbon",
                 url="https://news.example/acme-lisbon", company="Acme Corporation",
                 added=pendulum.datetime(today.year, today.month, today.day, 7, tz=tz)
                 .subtract(days=1)),
    ]
    with store.batch():
        store.save_contacts(contacts)
        store.save_interactions(entries)
        store.save_news_items(news)


def demo_path() -> Path:
    return locations.demo_db_path()


def fresh_demo(path: Path | None = None, today: pendulum.Date | None = None, *,
               seed: int = 7) -> Path:
    """Rebuild the sample file from scratch (relative to ``today``) and return its path."""
    path = path or demo_path()
    # Remove only the sample's own files: the data file, its journal and lock.
    for stale in (path, path.with_name(path.name + ".journal"),
                  path.with_name(path.name + ".lock")):
        stale.unlink(missing_ok=True)
    store = open_store(path, backups_keep=0)
    try:
        build_demo(store, today or pendulum.today().date(), seed=seed)
    finally:
        store.close()
    return path
