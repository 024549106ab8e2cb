"""Model objects to plain JSON documents and back, losslessly. Pure; no I/O.

The store writes these documents and the JSON export prints them, so both stay
readable by a person. Written out by hand (not ``dataclasses.asdict``) because
loading 200,000 interactions must stay fast.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pendulum

from nurture.errors import ValidationError
from nurture.model import (
    Address,
    CaptureMark,
    Channel,
    ChannelKind,
    Contact,
    Draft,
    Email,
    FamilyMember,
    Feed,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    NewsItem,
    Phone,
    QuickNote,
    RelationshipKind,
    ReviewState,
    ReviewStatus,
)

Doc = dict[str, Any]

_from_iso_date = pendulum.Date.fromisoformat
_zones: dict[Any, pendulum.FixedTimezone] = {}

# Enum members by value: a dict lookup is several times cheaper than calling the
# enum (which loading 50,000 entries does 50,000 times); an unknown value still
# goes to the enum, which refuses it as before.
_INTERACTION_KINDS = {k.value: k for k in InteractionKind}
_RELATIONSHIP_KINDS = {k.value: k for k in RelationshipKind}
_CHANNEL_KINDS = {k.value: k for k in ChannelKind}


def _interaction_kind(value: Any) -> InteractionKind:
    kind = _INTERACTION_KINDS.get(value) if type(value) is str else None
    return kind if kind is not None else InteractionKind(value)


def _relationship_kind(value: Any) -> RelationshipKind:
    kind = _RELATIONSHIP_KINDS.get(value) if type(value) is str else None
    return kind if kind is not None else RelationshipKind(value)


def _channel_kind(value: Any) -> ChannelKind:
    kind = _CHANNEL_KINDS.get(value) if type(value) is str else None
    return kind if kind is not None else ChannelKind(value)


def _from_iso_datetime(value: str) -> pendulum.DateTime:
    """Parse ISO 8601 into a pendulum DateTime whose zone is pendulum's own.

    ``DateTime.fromisoformat`` alone keeps the standard library's ``timezone``,
    which pendulum drops on ``copy.deepcopy``; building the value directly with
    a cached ``FixedTimezone`` costs about 1 µs (``replace`` costs 3).
    """
    parsed = datetime.fromisoformat(value)
    offset = parsed.utcoffset()
    if offset is None:
        return pendulum.DateTime(parsed.year, parsed.month, parsed.day, parsed.hour,
                                 parsed.minute, parsed.second, parsed.microsecond)
    zone = _zones.get(offset)
    if zone is None:
        zone = _zones[offset] = pendulum.FixedTimezone(int(offset.total_seconds()))
    return pendulum.DateTime(parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute,
                             parsed.second, parsed.microsecond, tzinfo=zone, fold=parsed.fold)


def dt_out(value: pendulum.DateTime | None) -> str | None:
    return value.isoformat() if value is not None else None


def dt_in(value: str | None) -> pendulum.DateTime | None:
    if not value:
        return None
    parsed = _from_iso_datetime(value)
    if parsed.tzinfo is None:  # never store a naive instant; assume the local zone
        parsed = pendulum.instance(parsed, tz=pendulum.local_timezone())
    return parsed


def instant(value: str) -> float:
    """The POSIX time of a stored instant: ``dt_in(value).timestamp()``, without building
    the pendulum DateTime (ordering a timeline needs only this)."""
    parsed = datetime.fromisoformat(value)
    zone = parsed.tzinfo
    if zone is None or zone.utcoffset(None).microseconds:  # type: ignore[union-attr]
        # The local zone (dt_in assumes it), or an offset with a fraction dt_in drops.
        stamp = dt_in(value)
        if stamp is None:
            raise ValueError(f"no instant in {value!r:.40}")
        return stamp.timestamp()
    return parsed.timestamp()


def local_day(value: str) -> int | None:
    """The day ordinal of a stored instant on its own calendar (``dt_in(value).toordinal()``),
    or None when that depends on the machine's zone (no offset: ``dt_in`` assumes the
    local one) or on ``dt_in``'s rounding (an offset with a fraction of a second)."""
    parsed = datetime.fromisoformat(value)
    zone = parsed.utcoffset()
    if zone is None or zone.microseconds:
        return None
    return parsed.toordinal()


def date_out(value: pendulum.Date | None) -> str | None:
    return value.isoformat() if value is not None else None


def date_in(value: str | None) -> pendulum.Date | None:
    return _from_iso_date(value) if value else None


# ---------------------------------------------------------------- contacts


def contact_to_doc(c: Contact) -> Doc:
    doc: Doc = {
        "id": c.id,
        "display_name": c.display_name,
        "given_name": c.given_name,
        "family_name": c.family_name,
        "nickname": c.nickname,
        "company": c.company,
        "title": c.title,
        "kind": c.kind.value,
        "emails": [{"address": e.address, "label": e.label} for e in c.emails],
        "phones": [{"number": p.number, "label": p.label} for p in c.phones],
        "addresses": [
            {"label": a.label, "street": a.street, "city": a.city, "region": a.region,
             "postcode": a.postcode, "country": a.country}
            for a in c.addresses
        ],
        "interests": list(c.interests),
        "key_dates": [
            {"label": d.label, "month": d.month, "day": d.day, "year": d.year,
             "yearly": d.yearly}
            for d in c.key_dates
        ],
        "family": [{"name": f.name, "relation": f.relation} for f in c.family],
        "how_we_met": c.how_we_met,
        "channels": [{"kind": ch.kind.value, "detail": ch.detail} for ch in c.channels],
        "cadence_days": c.cadence_days,
        "notes": c.notes,
        "urls": list(c.urls),
        "uid": c.uid,
        "extra": c.extra,
        "created": dt_out(c.created),
        "updated": dt_out(c.updated),
        "rev": c.revision,
    }
    return doc


def _check_types(d: Doc) -> None:
    """Refuse values of the wrong type that would decode fine and fail later (a hand edit)."""
    cadence = d.get("cadence_days")
    if cadence is not None and (not isinstance(cadence, int) or isinstance(cadence, bool)):
        raise ValidationError("cadence_days",
                              f"must be a whole number or empty (null), not {cadence!r}")
    for key in ("interests", "urls"):
        value = d.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(key, "must be a list of texts")
    for key in ("display_name", "company", "title", "notes"):
        if not isinstance(d.get(key, ""), str):
            raise ValidationError(key, "must be text")


_TEXT = frozenset({str})


def contact_from_doc(d: Doc) -> Contact:
    get = d.get
    name, company, title, notes = d["display_name"], get("company", ""), get("title", ""), \
        get("notes", "")
    interests, urls, cadence = get("interests", ()), get("urls", ()), get("cadence_days")
    # The usual record passes these tests of exact types (a fifth of the cost of the
    # full ones); anything else is tested in full, which names the field at fault.
    if not (type(name) is str and type(company) is str and type(title) is str
            and type(notes) is str and (cadence is None or type(cadence) is int)
            and type(interests) is list and (not interests or set(map(type, interests)) <= _TEXT)
            and type(urls) is list and (not urls or set(map(type, urls)) <= _TEXT)):
        _check_types(d)
    created = dt_in(created_text := get("created"))
    # Positional, in the order of Contact's fields (tests/store/test_roundtrip.py holds
    # the two together): keywords cost a sixth of building 50,000 contacts.
    return Contact(
        d["id"],  # id
        name,  # display_name
        get("given_name", ""),  # given_name
        get("family_name", ""),  # family_name
        get("nickname", ""),  # nickname
        company,  # company
        title,  # title
        _relationship_kind(get("kind", "other")),  # kind
        [Email(e["address"], e.get("label", "")) for e in get("emails", ())],  # emails
        [Phone(p["number"], p.get("label", "")) for p in get("phones", ())],  # phones
        [  # addresses
            Address(a.get("label", "home"), a.get("street", ""), a.get("city", ""),
                    a.get("region", ""), a.get("postcode", ""), a.get("country", ""))
            for a in get("addresses", ())
        ],
        list(interests),  # interests
        [  # key_dates
            KeyDate(k["label"], k["month"], k["day"], k.get("year"), k.get("yearly", True))
            for k in get("key_dates", ())
        ],
        [FamilyMember(f["name"], f.get("relation", "other")) for f in get("family", ())],
        get("how_we_met", ""),  # how_we_met
        [Channel(_channel_kind(ch["kind"]), ch.get("detail", ""))  # channels
         for ch in get("channels", ())],
        cadence,  # cadence_days
        notes,  # notes
        list(urls),  # urls
        get("uid", ""),  # uid
        # A deep copy: the model may be edited while the document stays in the store.
        copy.deepcopy(extra) if (extra := get("extra")) else {},  # extra
        created,  # created
        # Usually the same instant as created (never edited): the same (immutable) value.
        created if (updated := get("updated")) == created_text else dt_in(updated),  # updated
        rev if type(rev := get("rev", 0)) is int else 0,  # revision
    )


# ---------------------------------------------------------------- timeline


def follow_up_to_doc(f: FollowUp) -> Doc:
    return {"id": f.id, "text": f.text, "due": date_out(f.due), "done": dt_out(f.done)}


def follow_up_from_doc(d: Doc) -> FollowUp:
    return FollowUp(text=d["text"], due=date_in(d.get("due")), done=dt_in(d.get("done")),
                    id=d.get("id") or FollowUp("").id)


def interaction_to_doc(i: Interaction) -> Doc:
    return {
        "id": i.id,
        "contact_ids": list(i.contact_ids),
        "kind": i.kind.value,
        "at": i.at.isoformat(),
        "text": i.text,
        "channel": i.channel,
        "follow_ups": [follow_up_to_doc(f) for f in i.follow_ups],
        "duration_seconds": i.duration_seconds,
        "suggestion_key": i.suggestion_key,
        "source": i.source,
        "source_ids": list(i.source_ids),
    }


def _people(d: Doc) -> list[str]:
    ids = d["contact_ids"]
    if not isinstance(ids, list) or not all(isinstance(c, str) for c in ids):
        raise ValidationError("contact_ids", f"must be a list of contact ids, not {ids!r:.80}")
    return ids


def _no_empty_date(at: object) -> None:
    if not at:
        raise ValidationError("at", "is empty: every entry has a date and time")


def check_interaction(d: Doc) -> tuple[float, list[str]]:
    """An entry's instant and people, with every field `interaction_from_doc` would refuse
    checked on the way (and nothing more: a hypothesis test holds the two together), so
    that a review building only the entries its rules read refuses the records a full
    read refuses. Raises what building it raises."""
    ids = _people(d)
    d["id"]  # required, as building the entry requires it
    _interaction_kind(d["kind"])
    at = d["at"]
    _no_empty_date(at)
    for f in d.get("follow_ups", ()):
        f["text"]  # required
        if due := f.get("due"):
            _from_iso_date(due)
        if done := f.get("done"):
            datetime.fromisoformat(done)
    iter(d.get("source_ids", ()))
    return instant(at), ids


def interaction_from_doc(d: Doc) -> Interaction:
    ids = _people(d)
    _no_empty_date(d["at"])
    at = dt_in(d["at"])
    assert at is not None  # only an empty date reads as none
    # Positional, in the order of Interaction's fields (tests/store/test_roundtrip.py
    # holds the two together): keywords cost a tenth of loading 50,000 entries.
    return Interaction(
        d["id"],  # id
        list(ids),  # contact_ids
        _interaction_kind(d["kind"]),  # kind
        at,  # at
        d.get("text", ""),  # text
        d.get("channel", ""),  # channel
        [follow_up_from_doc(f) for f in d.get("follow_ups", ())],  # follow_ups
        d.get("duration_seconds"),  # duration_seconds
        d.get("suggestion_key", ""),  # suggestion_key
        d.get("source", ""),  # source
        list(d.get("source_ids", ())),  # source_ids
    )


# ---------------------------------------------------------------- review, news, drafts


def review_state_to_doc(s: ReviewState) -> Doc:
    return {"key": s.key, "status": s.status.value, "at": s.at.isoformat(),
            "until": date_out(s.until)}


def review_state_from_doc(d: Doc) -> ReviewState:
    at = dt_in(d["at"])
    assert at is not None
    return ReviewState(key=d["key"], status=ReviewStatus(d["status"]), at=at,
                       until=date_in(d.get("until")))


def news_item_to_doc(n: NewsItem) -> Doc:
    return {"id": n.id, "title": n.title, "url": n.url, "summary": n.summary,
            "published": dt_out(n.published), "added": dt_out(n.added), "tags": list(n.tags),
            "company": n.company, "source": n.source}


def news_item_from_doc(d: Doc) -> NewsItem:
    return NewsItem(id=d["id"], title=d["title"], url=d.get("url", ""),
                    summary=d.get("summary", ""), published=dt_in(d.get("published")),
                    added=dt_in(d.get("added")), tags=list(d.get("tags", ())),
                    company=d.get("company", ""), source=d.get("source", "manual"))


def feed_to_doc(f: Feed) -> Doc:
    return {"url": f.url, "tags": list(f.tags), "company": f.company, "title": f.title,
            "etag": f.etag, "last_modified": f.last_modified,
            "last_fetched": dt_out(f.last_fetched), "last_error": f.last_error}


def feed_from_doc(d: Doc) -> Feed:
    return Feed(url=d["url"], tags=list(d.get("tags", ())), company=d.get("company", ""),
                title=d.get("title", ""), etag=d.get("etag", ""),
                last_modified=d.get("last_modified", ""),
                last_fetched=dt_in(d.get("last_fetched")), last_error=d.get("last_error", ""))


def capture_mark_to_doc(m: CaptureMark) -> Doc:
    return {"key": m.key, "values": m.values}


def capture_mark_from_doc(d: Doc) -> CaptureMark:
    values = d.get("values", {})
    if not isinstance(values, dict):
        raise ValidationError("values", "must be an object")
    return CaptureMark(key=d["key"], values=values)


def draft_to_doc(x: Draft) -> Doc:
    return {"id": x.id, "contact_id": x.contact_id, "template": x.template, "text": x.text,
            "suggestion_key": x.suggestion_key, "updated": dt_out(x.updated)}


def draft_from_doc(d: Doc) -> Draft:
    return Draft(id=d["id"], contact_id=d["contact_id"], template=d.get("template", ""),
                 text=d.get("text", ""), suggestion_key=d.get("suggestion_key", ""),
                 updated=dt_in(d.get("updated")))


def quick_note_to_doc(q: QuickNote) -> Doc:
    return {"id": q.id, "contact_id": q.contact_id, "started": q.started.isoformat(),
            "text": q.text, "kind": q.kind.value, "updated": dt_out(q.updated)}


def quick_note_from_doc(d: Doc) -> QuickNote:
    started = dt_in(d["started"])
    assert started is not None
    return QuickNote(id=d["id"], contact_id=d["contact_id"], started=started,
                     text=d.get("text", ""), kind=InteractionKind(d.get("kind", "call")),
                     updated=dt_in(d.get("updated")))
