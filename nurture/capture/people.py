"""Who an address is: one of your contacts, you, or someone you are not tracking yet. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pendulum

from nurture.capture.mail import is_noreply
from nurture.capture.state import RECENT_DAYS, Correspondent
from nurture.model import Contact

SUGGEST_AT_LEAST = 3


def fold_address(address: str) -> str:
    """Addresses compare without case (the local part is case-blind in practice)."""
    return address.strip().lower()


class AddressBook:
    """Contacts by email address, and your own addresses."""

    def __init__(self, contacts: Iterable[Contact], me: Iterable[str]) -> None:
        self.me = frozenset(fold_address(a) for a in me)
        self.by_address: dict[str, list[str]] = {}
        for contact in contacts:
            for email in contact.emails:
                address = fold_address(email.address)
                if address and address not in self.me:
                    ids = self.by_address.setdefault(address, [])
                    if contact.id not in ids:
                        ids.append(contact.id)

    def contacts_among(self, addresses: Iterable[str]) -> list[str]:
        """The contacts (ids, in order of first mention) one of these addresses belongs to."""
        found: dict[str, None] = {}
        for address in addresses:
            for contact_id in self.by_address.get(address, ()):
                found[contact_id] = None
        return list(found)


@dataclass(slots=True, frozen=True)
class NewPerson:
    """Someone you exchanged mail with and do not track: a contact to add."""

    address: str
    name: str
    messages: int
    last: pendulum.Date


def remember(recent: dict[str, Correspondent], addresses: Iterable[tuple[str, str]],
             day: int, today: int) -> None:
    """Count one message on ``day`` (an ordinal) with each of ``addresses`` ((address,
    display name) pairs), when it is within the last 90 days of ``today``."""
    if not today - RECENT_DAYS <= day <= today:
        return
    for address, name in addresses:
        if is_noreply(address):
            continue
        who = recent.setdefault(address, Correspondent())
        who.days.append(day)
        if name:
            who.name = name


def forget_old(recent: dict[str, Correspondent], today: pendulum.Date) -> None:
    """Keep the last 90 days only."""
    oldest = today.toordinal() - RECENT_DAYS
    for address in list(recent):
        days = [d for d in recent[address].days if d >= oldest]
        if days:
            recent[address].days = days
        else:
            del recent[address]


def new_people(recent: dict[str, Correspondent], book: AddressBook,
               today: pendulum.Date) -> list[NewPerson]:
    """Addresses with at least 3 messages in 90 days, not yours and not a contact's; most first."""
    oldest = today.toordinal() - RECENT_DAYS
    found = []
    for address, who in recent.items():
        if address in book.me or address in book.by_address:
            continue
        days = [d for d in who.days if d >= oldest]
        if len(days) >= SUGGEST_AT_LEAST:
            last = pendulum.Date.fromordinal(max(days))
            found.append(NewPerson(address, who.name, len(days), last))
    return sorted(found, key=lambda p: (-p.messages, p.address))
