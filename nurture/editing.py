"""A contact as a TOML document a person edits in ``$EDITOR``, and back. Pure; no I/O.

The text is commented so that the format explains itself; reading it back
checks every field and names the one at fault.
"""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w

from nurture.errors import ValidationError
from nurture.model import (
    Address,
    Channel,
    ChannelKind,
    Contact,
    Email,
    FamilyMember,
    KeyDate,
    Phone,
    RelationshipKind,
    format_cadence,
    parse_cadence,
    parse_date_parts,
)

HEADER = """\
# Edit this contact, save and quit. Delete a line to clear it.
# Dates: YYYY-MM-DD, or MM-DD when the year is unknown. Cadence: days, or 2w, 3m, 1y.
# kind: {kinds}
# channels: {channels} (e.g. "messaging:Signal")
"""


def contact_to_toml(contact: Contact) -> str:
    """The editable text of ``contact``."""
    doc: dict[str, Any] = {
        "name": contact.display_name,
        "given_name": contact.given_name,
        "family_name": contact.family_name,
        "nickname": contact.nickname,
        "company": contact.company,
        "title": contact.title,
        "kind": contact.kind.value,
        "cadence": format_cadence(contact.cadence_days),
        "interests": list(contact.interests),
        "channels": [f"{c.kind.value}:{c.detail}" if c.detail else c.kind.value
                     for c in contact.channels],
        "how_we_met": contact.how_we_met,
        "notes": contact.notes,
        "urls": list(contact.urls),
        "emails": [{"address": e.address, "label": e.label} for e in contact.emails],
        "phones": [{"number": p.number, "label": p.label} for p in contact.phones],
        "dates": [{"label": d.label, "date": d.text().removeprefix("--"),
                   "yearly": d.yearly} for d in contact.key_dates],
        "family": [{"name": f.name, "relation": f.relation} for f in contact.family],
        "addresses": [{"label": a.label, "street": a.street, "city": a.city,
                       "region": a.region, "postcode": a.postcode, "country": a.country}
                      for a in contact.addresses],
    }
    header = HEADER.format(kinds=", ".join(k.value for k in RelationshipKind),
                           channels=", ".join(k.value for k in ChannelKind))
    return header + "\n" + tomli_w.dumps(doc, multiline_strings=True)


def apply_toml(contact: Contact, text: str) -> Contact:
    """A copy of ``contact`` with the edited fields; raises ValidationError naming the field."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError("toml", str(exc)) from None
    known = {"name", "given_name", "family_name", "nickname", "company", "title", "kind",
             "cadence", "interests", "channels", "how_we_met", "notes", "urls", "emails",
             "phones", "dates", "family", "addresses"}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise ValidationError(unknown[0], "is not a field of a contact")
    kind = _text(doc, "kind", "other")
    try:
        relationship = RelationshipKind(kind)
    except ValueError:
        raise ValidationError("kind", f"{kind!r} is not one of "
                              + ", ".join(k.value for k in RelationshipKind)) from None
    edited = Contact(
        id=contact.id,
        display_name=_text(doc, "name"),
        given_name=_text(doc, "given_name"),
        family_name=_text(doc, "family_name"),
        nickname=_text(doc, "nickname"),
        company=_text(doc, "company"),
        title=_text(doc, "title"),
        kind=relationship,
        emails=[Email(_text(e, "address", field="emails"), _text(e, "label", field="emails"))
                for e in _tables(doc, "emails")],
        phones=[Phone(_text(p, "number", field="phones"), _text(p, "label", field="phones"))
                for p in _tables(doc, "phones")],
        addresses=[Address(*(_text(a, k, field="addresses") for k in
                             ("label", "street", "city", "region", "postcode", "country")))
                   for a in _tables(doc, "addresses")],
        interests=_strings(doc, "interests"),
        key_dates=[_key_date(d) for d in _tables(doc, "dates")],
        family=[FamilyMember(_text(f, "name", field="family"),
                             _text(f, "relation", "other", field="family"))
                for f in _tables(doc, "family")],
        how_we_met=_text(doc, "how_we_met"),
        channels=[Channel.parse(c) for c in _strings(doc, "channels")],
        cadence_days=parse_cadence(_text(doc, "cadence")),
        notes=_text(doc, "notes"),
        urls=_strings(doc, "urls"),
        uid=contact.uid,
        extra=contact.extra,
        created=contact.created,
        updated=contact.updated,
        revision=contact.revision,
    )
    edited.validate()
    return edited


def _text(doc: dict[str, Any], key: str, default: str = "", *, field: str | None = None) -> str:
    value = doc.get(key, default)
    if not isinstance(value, str):
        raise ValidationError(f"{field}.{key}" if field else key, "must be text in quotes")
    return value.strip()


def _strings(doc: dict[str, Any], key: str) -> list[str]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(key, 'must be a list of texts, e.g. ["a", "b"]')
    return [v.strip() for v in value if v.strip()]


def _tables(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError(key, f"must be a list of [[{key}]] tables")
    return value


def _key_date(table: dict[str, Any]) -> KeyDate:
    label = _text(table, "label", field="dates") or "date"
    year, month, day = parse_date_parts(_text(table, "date", field="dates"), f"dates.{label}")
    yearly = table.get("yearly", True)
    if not isinstance(yearly, bool):
        raise ValidationError(f"dates.{label}.yearly", "must be true or false")
    return KeyDate(label, month, day, year, yearly)
