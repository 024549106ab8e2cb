"""Small books for the sync tests, built with explicit dates."""

from __future__ import annotations

from pathlib import Path

import pendulum

from nurture.config import Config
from nurture.model import (
    Channel,
    ChannelKind,
    Contact,
    Email,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    ReviewState,
    ReviewStatus,
)
from nurture.store import Store, open_store
from nurture.sync.session import sync_now

AT = pendulum.datetime(2026, 11, 20, 15, 30, tz="Europe/Lisbon")


def small_book(path: Path) -> Store:
    """Two people, a call with a follow-up, a birthday without a year, a review decision."""
    store = open_store(path, backups_keep=0)
    maya = Contact(id="c-maya0001", display_name="Maya Lindqvist", given_name="Maya",
                   family_name="Lindqvist", company="Northwind", interests=["sailing"],
                   emails=[Email("maya@example.org", "work")],
                   key_dates=[KeyDate("birthday", 3, 14)],
                   channels=[Channel(ChannelKind.PHONE)], cadence_days=30)
    dan = Contact(id="c-dan00001", display_name="Dan Okafor", company="Acme",
                  interests=["yankees"], key_dates=[KeyDate("birthday", 2, 29, 1984)])
    store.save_contacts([maya, dan])
    store.save_interaction(Interaction(
        id="i-call0001", contact_ids=[maya.id], kind=InteractionKind.CALL, at=AT,
        text="Talked about the regatta", channel="phone", duration_seconds=600,
        follow_ups=[FollowUp("send the regatta book", due=pendulum.date(2026, 12, 4),
                             id="f-book01")]))
    store.set_review_state(ReviewState(key=f"cadence:{dan.id}:2026-11-22",
                                       status=ReviewStatus.DONE, at=AT))
    return store


def config_for(contacts: Path, calendar: Path, run: str = "") -> Config:
    raw: dict[str, object] = {"sync": {"contacts": str(contacts), "calendar": str(calendar)}}
    if run:
        raw["sync"]["run"] = run  # type: ignore[index]
    return Config(raw=raw)


def sync(store: Store, config: Config, **options: object):
    return sync_now(store, config, store.path, **options)  # type: ignore[arg-type]


def picture(store: Store) -> dict[str, object]:
    """What two synced books must agree on: everything but this book's own ids."""
    uid = {c.id: c.uid for c in store.contacts()}
    contacts = sorted(
        (c.uid, c.display_name, c.company, tuple(c.interests), tuple(e.address for e in c.emails),
         tuple((d.label, d.month, d.day, d.year) for d in c.key_dates),
         tuple((ch.kind.value, ch.detail) for ch in c.channels), c.cadence_days, c.notes)
        for c in store.contacts())
    entries = sorted(
        (e.id, tuple(sorted(uid[c] for c in e.contact_ids)), e.kind.value, e.at.isoformat(),
         e.text, e.channel, e.duration_seconds,
         tuple((f.id, f.text, str(f.due), f.done is not None) for f in e.follow_ups))
        for e in store.interactions())
    review = sorted((_shared(s.key, uid), s.status.value) for s in store.review_states().values())
    return {"contacts": contacts, "entries": entries, "review": review}


def _shared(key: str, uid: dict[str, str]) -> str:
    return ":".join(uid.get(p, p) for p in key.split(":"))
