"""Merge instead of duplicate: match incoming records to contacts, plan, then save once.

``plan_import`` is pure: it decides, for each incoming record, whether it is
new, the same person as someone already in the book (the same UID; else the
same email when no UID contradicts; else the same name when nothing
contradicts), or cannot be placed; ``--dry-run`` prints the plan and a real
import saves ``plan.to_save()`` in one batch. A shared phone, company or
address never makes two records one person. A merge never loses what the
user has: empty fields are filled, lists are joined, and a value that
differs is kept as stored and reported beside the file's (stored values win;
a card's REV is not trusted to say which is newer, since exporters rewrite it).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import pendulum

from nurture.errors import ValidationError
from nurture.interop.report import Fold, ImportPlan, Incoming, Merge, Skip
from nurture.interop.vcard_map import line_name
from nurture.model import Address, Contact, RelationshipKind, fold, new_id, normalize_phone, now


def name_key(text: str) -> str:
    return " ".join(fold(text).replace(",", " ").split())


def uids_of(contact: Contact) -> list[str]:
    """The contact's UID and the UIDs of records merged into it before."""
    extra = contact.extra.get("uids") or []
    return [u for u in [contact.uid, *extra] if u]


class _Index:
    """Who is who, by each identifying key; updated as the plan adds and merges.

    Only identity keys: UID, email, name. A phone number, a company or an
    address is shared by families and colleagues and never says who is who.
    """

    def __init__(self) -> None:
        self.by_uid: dict[str, str] = {}
        self.by_email: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}

    def add(self, c: Contact) -> None:
        for uid in uids_of(c):
            self.by_uid.setdefault(uid, c.id)
        for email in c.emails:
            _push(self.by_email, fold(email.address), c.id)
        _push(self.by_name, name_key(c.display_name), c.id)

    def match(self, c: Contact, book: dict[str, Contact]) -> tuple[list[str], str, list[str]]:
        """Candidate ids, how they were found, and near misses refused (for the report).

        The same UID; else the same email when no UID contradicts; else the
        same name when nothing contradicts (different UIDs, or emails on both
        with none in common).
        """
        for uid in uids_of(c):
            if uid in self.by_uid:
                return [self.by_uid[uid]], "uid", []
        refused: list[str] = []
        found: dict[str, str] = {}
        for email in c.emails:
            for cid in self.by_email.get(fold(email.address), ()):
                if uids_disagree(book[cid], c):
                    refused.append(f"shares {email.address} with {book[cid].display_name}, "
                                   "but their UIDs differ")
                else:
                    found.setdefault(cid, f"email {email.address}")
        if found:
            return list(found), next(iter(found.values())), []
        named = list(dict.fromkeys(self.by_name.get(name_key(c.display_name), ())))
        kept = [cid for cid in named if not different_people(book[cid], c)]
        if len(kept) < len(named) and not kept:
            refused.append(f"same name as {book[named[0]].display_name}, but "
                           + ("their UIDs differ" if uids_disagree(book[named[0]], c)
                              else "their email addresses differ"))
        return kept, "name", list(dict.fromkeys(refused))


def uids_disagree(a: Contact, b: Contact) -> bool:
    """Both carry UIDs and none is shared: two cards of one book, so two people."""
    mine, theirs = set(uids_of(a)), set(uids_of(b))
    return bool(mine and theirs and not mine & theirs)


def different_people(a: Contact, b: Contact) -> bool:
    """Two records that share a name but carry identifiers that disagree.

    Different UIDs, or email addresses on both with none in common: two people
    called John Smith, not one.
    """
    if uids_disagree(a, b):
        return True
    mine = {fold(e.address) for e in a.emails}
    theirs = {fold(e.address) for e in b.emails}
    return bool(mine and theirs and not mine & theirs)


def _push(table: dict[str, list[str]], key: str, cid: str) -> None:
    if key:
        ids = table.setdefault(key, [])
        if cid not in ids:
            ids.append(cid)


def plan_import(incoming: Iterable[Incoming | Contact], existing: Iterable[Contact], *,
                at: pendulum.DateTime | None = None) -> ImportPlan:
    """Decide what an import does, without changing anything.

    Records that match each other (the same person twice in one file) are
    merged by the same rules: each incoming record is matched against the
    book as the plan has left it so far. Every record gets one outcome
    (added, merged, unchanged or skipped), so the counts add up.
    """
    stamp = at or now()
    plan = ImportPlan()
    book: dict[str, Contact] = {}  # id -> contact as the plan has it now
    originals: dict[str, Contact] = {}
    merges: dict[str, Merge] = {}
    added: dict[str, Incoming] = {}
    index = _Index()
    for contact in existing:
        book[contact.id] = contact
        index.add(contact)
    for item in incoming:
        if isinstance(item, Contact):
            item = Incoming(item, "", "")
        record = item.contact
        candidates, how, refused = index.match(record, book)
        if len(candidates) > 1:
            names = ", ".join(f"{book[c].display_name} ({c})" for c in candidates[:5])
            plan.skipped.append(Skip(item.place(), record.display_name,
                                     f"ambiguous: matches several contacts by {how.split()[0]}:"
                                     f" {names}"))
            continue
        if not candidates:
            new = copy.copy(record)
            new.id = new_id("c")
            new.created = new.created or stamp
            new.updated = stamp
            try:
                new.validate()
            except ValidationError as exc:
                plan.skipped.append(Skip(item.place(), record.display_name, f"invalid: {exc}"))
                continue
            book[new.id] = new
            index.add(new)
            added[new.id] = Incoming(new, item.source, item.where, notes=refused)
            continue
        target_id = candidates[0]
        if target_id in added:  # the same person twice in the input
            first = added[target_id]
            changes, conflicts = merge_into(book[target_id], record)
            index.add(book[target_id])
            plan.folded.append(Fold(item.place(), record.display_name, first.contact.display_name,
                                    first.place(), how, changes, conflicts))
            continue
        if target_id not in originals:
            originals[target_id] = book[target_id]
            book[target_id] = copy.deepcopy(book[target_id])
        target = book[target_id]
        changes, conflicts = merge_into(target, record)
        entry = merges.setdefault(target_id, Merge(target, how))
        entry.changes.extend(changes)
        entry.conflicts.extend(conflicts)
        entry.places.append(item.place())
        entry.records.append(Fold(item.place(), record.display_name, target.display_name, "",
                                  how, changes, conflicts))
        index.add(target)
    plan.added = list(added.values())
    for item in plan.added:
        # Given after matching (a made-up UID is no evidence of who is who) and
        # kept from now on, so that an export and its re-import, or a CardDAV
        # sync, update this contact instead of adding another.
        item.contact.uid = item.contact.uid or str(uuid.uuid4())
    for target_id, entry in merges.items():
        if entry.changes:
            entry.contact.updated = stamp
            plan.merged.append(entry)
        else:
            original = originals[target_id]
            for one in entry.records:
                plan.unchanged.append(Incoming(original, "", one.place, matched_by=one.how,
                                               conflicts=one.conflicts))
    return plan


# ---------------------------------------------------------------- field by field

_SCALARS = (("given_name", "given name"), ("family_name", "family name"),
            ("nickname", "nickname"), ("company", "company"), ("title", "title"),
            ("how_we_met", "how you met"))


def merge_into(target: Contact, incoming: Contact) -> tuple[list[str], list[str]]:
    """Fold ``incoming`` into ``target`` in place; returns (changes, conflicts)."""
    changes: list[str] = []
    conflicts: list[str] = []
    if name_key(incoming.display_name) != name_key(target.display_name):
        conflicts.append(f"name {target.display_name!r} (file: {incoming.display_name!r})")
    for attr, label in _SCALARS:
        mine, theirs = getattr(target, attr), getattr(incoming, attr)
        if theirs and not mine:
            setattr(target, attr, theirs)
            changes.append(f"{label} {theirs!r}")
        elif theirs and fold(theirs) != fold(mine):
            conflicts.append(f"{label} {mine!r} (file: {theirs!r})")
    if target.kind is RelationshipKind.OTHER and incoming.kind is not RelationshipKind.OTHER:
        target.kind = incoming.kind
        changes.append(f"kind {incoming.kind.value}")
    if target.cadence_days is None and incoming.cadence_days is not None:
        target.cadence_days = incoming.cadence_days
        changes.append(f"cadence {incoming.cadence_days} days")
    _merge_reach(target.emails, incoming.emails, "email", lambda e: e.address, fold, changes)
    _merge_reach(target.phones, incoming.phones, "phone", lambda p: p.number, normalize_phone,
                 changes)
    places = {_address_key(a) for a in target.addresses}
    for address in incoming.addresses:
        if _address_key(address) not in places:
            target.addresses.append(copy.copy(address))
            places.add(_address_key(address))
            changes.append(f"{address.label or 'an'} address")
    tags = set(target.interests)
    new_tags = [t for t in incoming.interests if t not in tags]
    if new_tags:
        target.interests.extend(new_tags)
        changes.append("interests " + ", ".join(new_tags))
    _merge_dates(target, incoming, changes, conflicts)
    names = {fold(f.name) for f in target.family}
    for member in incoming.family:
        if fold(member.name) not in names:
            target.family.append(copy.copy(member))
            names.add(fold(member.name))
            changes.append(f"{member.relation} {member.name}")
    ways = {(ch.kind, fold(ch.detail)) for ch in target.channels}
    for channel in incoming.channels:
        if (channel.kind, fold(channel.detail)) not in ways:
            target.channels.append(copy.copy(channel))
            ways.add((channel.kind, fold(channel.detail)))
            changes.append(f"channel {channel.label()}")
    for url in incoming.urls:
        if url not in target.urls:
            target.urls.append(url)
            changes.append(f"link {url}")
    note = incoming.notes.strip()
    if note and _squash(note) not in _squash(target.notes):
        target.notes = f"{target.notes.rstrip()}\n\n{note}" if target.notes.strip() else note
        changes.append("notes")
    _merge_uid(target, incoming, changes)
    if _merge_extra(target.extra, incoming.extra):
        changes.append("other card details")
        kept = target.extra.get("vcard")
        if isinstance(kept, list) and all(isinstance(k, str) for k in kept):
            # In the order the reader gives them, so a re-import compares equal.
            target.extra["vcard"] = sorted(kept, key=line_name)
    return changes, conflicts


def _merge_reach(mine: list, theirs: list, noun: str, value_of: Callable[[Any], str],
                 key_of: Callable[[str], str], changes: list[str]) -> None:
    """Emails or phones: new ones are added, a label fills one that had none."""
    have = {key_of(value_of(item)): item for item in mine}
    for item in theirs:
        value = value_of(item)
        known = have.get(key_of(value))
        if known is None:
            mine.append(copy.copy(item))
            have[key_of(value)] = mine[-1]
            changes.append(f"{noun} {value}")
        elif item.label and not known.label:
            known.label = item.label
            changes.append(f"label {item.label!r} for {value}")


def _address_key(address: Address) -> str:
    return _squash(address.one_line())


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", fold(text)).strip()


def _merge_dates(target: Contact, incoming: Contact, changes: list[str],
                 conflicts: list[str]) -> None:
    for date in incoming.key_dates:
        same = [d for d in target.key_dates if fold(d.label) == fold(date.label)]
        exact = [d for d in same if (d.month, d.day) == (date.month, date.day)]
        if exact:
            mine = exact[0]
            if mine.year is None and date.year is not None:
                mine.year = date.year
                changes.append(f"year of {date.label} ({date.year})")
            elif date.year is not None and mine.year != date.year:
                conflicts.append(f"{date.label} {mine.text()} (file: {date.text()})")
        elif same and fold(date.label) in ("birthday", "anniversary"):
            conflicts.append(f"{date.label} {same[0].text()} (file: {date.text()})")
        else:
            target.key_dates.append(copy.copy(date))
            changes.append(f"{date.label} {date.text()}")


def _merge_uid(target: Contact, incoming: Contact, changes: list[str]) -> None:
    if not incoming.uid or incoming.uid in uids_of(target):
        return
    if not target.uid:
        target.uid = incoming.uid
    else:
        # Remember the other UID too, so the next import of that file matches.
        target.extra.setdefault("uids", [])
        target.extra["uids"].append(incoming.uid)
    changes.append("UID")


# Lists in ``extra`` whose places mean something (N's prefix, additional
# names, suffix): filled where empty, never appended to.
_POSITIONAL = {"n"}


def _merge_extra(mine: dict, theirs: dict) -> bool:
    changed = False
    for key, value in theirs.items():
        if key == "uids":
            continue
        if key not in mine:
            mine[key] = copy.deepcopy(value)
            changed = True
        elif key in _POSITIONAL and isinstance(value, list) and isinstance(mine[key], list):
            for i, item in enumerate(value):
                if i >= len(mine[key]):
                    mine[key].append(item)
                    changed = True
                elif item and not mine[key][i]:
                    mine[key][i] = item
                    changed = True
        elif isinstance(value, list) and isinstance(mine[key], list):
            for item in value:
                if item not in mine[key]:
                    mine[key].append(copy.deepcopy(item))
                    changed = True
        elif isinstance(value, dict) and isinstance(mine[key], dict):
            changed = _merge_extra(mine[key], value) or changed
    return changed
