"""What each sync item looks like as a file in a vdir, and back.

Contacts are vCard 3.0 (``interop.vcard_out``; read back by ``interop.vcard``).
Timeline entries are ``VJOURNAL``s (the people as ``ATTENDEE``s named by their
vCard UID), follow-ups ``VTODO``s related to their entry (``DUE``, ``STATUS``,
``COMPLETED``, so a task app can check them off), key dates yearly all-day
``VEVENT``s, and review decisions ``VJOURNAL``s of their own. Times are written
in UTC, as every client reads them, with the original offset beside them in an
``X-NURTURE-`` property that is used only while it still names the same moment
(an edit on a phone changes ``DTSTART`` and wins). Items of the folder that are
not Nurture's (a meeting, a to-do made on the phone) are left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, unquote

import pendulum

from nurture import __version__
from nurture import documents as D
from nurture.errors import InputFileError
from nurture.interop.ics import key_date_rule, key_date_start
from nurture.interop.vcard import read_vcard_text
from nurture.interop.vcard_out import contact_to_vcard
from nurture.interop.vtext import unescape
from nurture.sync.items import (
    CONTACT,
    ENTRY,
    FOLLOW_UP,
    KEY_DATE,
    REVIEW,
    BookView,
    Item,
    contact_fields,
)

PRODID = f"-//Nurture//Nurture {__version__}//EN"
_URN = "urn:x-nurture-uid:"


class BadItem(ValueError):
    """A file that cannot be read as the item it claims to be (the message says why)."""


def render(item: Item, view: BookView) -> bytes:
    """The file for ``item`` as this book has it."""
    if item.kind == CONTACT:
        contact = view.contacts[view.id_of[item.uid]]
        return contact_to_vcard(contact, "3.0").encode("utf-8")
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    f = item.fields
    component: icalendar.cal.Component
    if item.kind == ENTRY:
        component = _journal(item.uid, f["at"])
        component.add("summary", _title(f["text"]) or f["kind"])
        component.add("description", f["text"])  # even empty: the text, never the title
        component.add("categories", ["Nurture", f["kind"]])
        _x_out(component, "x-nurture-kind", f["kind"])
        if f["channel"]:
            _x_out(component, "x-nurture-channel", f["channel"])
        if f["duration_seconds"] is not None:
            _x_out(component, "x-nurture-duration", str(f["duration_seconds"]))
        if f["suggestion_key"]:
            _x_out(component, "x-nurture-suggestion", f["suggestion_key"])
        _attendees(component, f["contacts"], view)
    elif item.kind == FOLLOW_UP:
        component = icalendar.Todo()
        component.add("uid", item.uid)
        entry = view.entries.get(_entry_id(f["entry"]) or "")
        component.add("dtstamp", _utc(entry.at) if entry else _utc(pendulum.datetime(2000, 1, 1)))
        component.add("summary", f["text"])
        if f["due"]:
            component.add("due", _day(pendulum.Date.fromisoformat(f["due"])))
        if f["done"]:
            done = _moment_of(f["done"])
            component.add("status", "COMPLETED")
            component.add("completed", _utc(done))
            _x_out(component, "x-nurture-done", f["done"])
        else:
            component.add("status", "NEEDS-ACTION")
        component.add("related-to", f["entry"])
        _x_out(component, "x-nurture-entry", f["entry"])
        _attendees(component, f["contacts"], view)
    elif item.kind == KEY_DATE:
        from nurture.model import KeyDate

        component = icalendar.Event()
        date = KeyDate(label=f["label"], month=f["month"], day=f["day"], year=f["year"],
                       yearly=f["yearly"])
        start = key_date_start(date)
        component.add("uid", item.uid)
        component.add("dtstamp", _utc(pendulum.datetime(start.year, start.month, start.day)))
        component.add("summary", item.label)
        component.add("dtstart", _day(start))
        component.add("dtend", _day(start.add(days=1)))
        rule = key_date_rule(date)
        if rule is not None:
            component.add("rrule", rule)
        component.add("transp", "TRANSPARENT")
        component.add("categories", ["Nurture", "Key date"])
        _x_out(component, "x-nurture-contact", f["contact"])
        _x_out(component, "x-nurture-label", f["label"])
        if f["year"] is None:
            _x_out(component, "x-nurture-no-year", "TRUE")
    elif item.kind == REVIEW:
        component = _journal(item.uid, f["at"])
        component.add("summary", f"Nurture review: {f['status']}")
        component.add("class", "PRIVATE")
        _x_out(component, "x-nurture-review-key", f["key"])
        _x_out(component, "x-nurture-status", f["status"])
        if f["until"]:
            _x_out(component, "x-nurture-until", f["until"])
    else:  # pragma: no cover - the kinds are closed
        raise AssertionError(item.kind)
    cal.add_component(component)
    return bytes(cal.to_ical())


def parse(name: str, data: bytes) -> list[Item]:
    """The Nurture items in one file of a vdir; raises BadItem naming what is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadItem(f"not UTF-8 text (byte {exc.start})") from None
    if name.lower().endswith(".vcf"):
        return _parse_vcard(name, text)
    return _parse_calendar(text)


def _parse_vcard(name: str, text: str) -> list[Item]:
    try:
        result = read_vcard_text(text, name)
    except InputFileError as exc:
        raise BadItem(exc.problem) from None
    items = []
    for incoming in result.incoming:
        contact = incoming.contact
        if not contact.uid:
            raise BadItem("a card without a UID")
        items.append(Item(contact.uid, CONTACT, contact_fields(contact), contact.display_name))
    if not items:
        problems = "; ".join(str(p) for p in result.problems) or "no card in it"
        raise BadItem(problems)
    return items


def _parse_calendar(text: str) -> list[Item]:
    import icalendar

    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise BadItem(f"not iCalendar ({exc})") from None
    items = []
    try:
        for component in cal.walk():
            item = _component(component)
            if item is not None:
                items.append(item)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise BadItem(f"a Nurture item with a bad value ({exc})") from None
    return items


def _component(c: Any) -> Item | None:
    uid = str(c.get("uid", ""))
    if c.name == "VJOURNAL" and "X-NURTURE-KIND" in c:
        at = _moment(c, "dtstart", "x-nurture-at")
        fields = {"contacts": _people(c), "kind": _x(c, "x-nurture-kind"), "at": at,
                  "text": str(c.get("description", "")),
                  "channel": _x(c, "x-nurture-channel"),
                  "duration_seconds": _int(_x(c, "x-nurture-duration") or None),
                  "suggestion_key": _x(c, "x-nurture-suggestion")}
        return Item(uid, ENTRY, fields, f"{fields['kind']} on {at[:10]}")
    if c.name == "VJOURNAL" and "X-NURTURE-REVIEW-KEY" in c:
        until = _x(c, "x-nurture-until")
        fields = {"key": _x(c, "x-nurture-review-key"), "status": _x(c, "x-nurture-status"),
                  "at": _moment(c, "dtstart", "x-nurture-at"),
                  "until": until or None}
        return Item(uid, REVIEW, fields, f"review {fields['status']}: {fields['key']}")
    if c.name == "VTODO" and ("X-NURTURE-ENTRY" in c or _entry_id(str(c.get("related-to", "")))):
        entry = _x(c, "x-nurture-entry") or str(c.get("related-to", ""))
        status = str(c.get("status", "NEEDS-ACTION")).upper()
        done = None
        if status == "COMPLETED" or "COMPLETED" in c:
            done = _moment(c, "completed", "x-nurture-done") if "COMPLETED" in c else (
                _x(c, "x-nurture-done") or pendulum.now("UTC").isoformat())
        due = c.get("due")
        fields = {"entry": entry, "contacts": _people(c), "text": str(c.get("summary", "")),
                  "due": _date_of(due.dt).isoformat() if due is not None else None,
                  "done": done}
        return Item(uid, FOLLOW_UP, fields, f"follow-up: {fields['text']}")
    if c.name == "VEVENT" and "X-NURTURE-CONTACT" in c:
        start = _date_of(c.decoded("dtstart"))
        no_year = _x(c, "x-nurture-no-year").upper() == "TRUE"
        fields = {"contact": _x(c, "x-nurture-contact"), "label": _x(c, "x-nurture-label"),
                  "month": start.month, "day": start.day,
                  "year": None if no_year else start.year, "yearly": "RRULE" in c}
        return Item(uid, KEY_DATE, fields, f"{c.get('summary', '')}")
    return None


def _journal(uid: str, at: str) -> Any:
    """A VJOURNAL at ``at`` (ISO, with its offset): in UTC for every client, the offset kept."""
    import icalendar

    component = icalendar.Journal()
    moment = _moment_of(at)
    component.add("uid", uid)
    component.add("dtstamp", _utc(moment))
    component.add("dtstart", _utc(moment))
    _x_out(component, "x-nurture-at", at)
    return component


def _x_out(component: Any, name: str, value: str) -> None:
    """An X- property: TEXT, escaped like any other (icalendar leaves X- values raw)."""
    import icalendar

    component.add(name, icalendar.vText(value))


def _x(c: Any, name: str) -> str:
    """An X- property's text, unescaped ('' when absent): icalendar reads X- values raw,
    and iCalendar TEXT escapes as vCard text does (RFC 5545 3.3.11, RFC 6350 3.4)."""
    value = c.get(name)
    return unescape(str(value)) if value is not None else ""


def _attendees(component: Any, uids: list[str], view: BookView) -> None:
    import icalendar

    for uid in uids:
        contact = view.contacts.get(view.id_of.get(uid, ""))
        address = icalendar.vCalAddress(_URN + quote(uid, safe=""))
        if contact is not None:
            address.params["cn"] = icalendar.vText(contact.display_name)
        component.add("attendee", address, encode=False)


def _people(c: Any) -> list[str]:
    found = c.get("attendee", [])
    if not isinstance(found, list):
        found = [found]
    return [unquote(str(a)[len(_URN):]) for a in found if str(a).startswith(_URN)]


def _entry_id(uid: str) -> str | None:
    from nurture.sync.items import local_id

    return local_id(uid) if uid else None


def _moment(c: Any, name: str, original: str) -> str:
    """The ISO time of ``name``, in the offset it was written with while it is the same moment."""
    value = c.decoded(name)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif value.tzinfo is None:  # floating time: read as UTC
        value = value.replace(tzinfo=dt.UTC)
    moment = pendulum.instance(value)
    kept = _x(c, original)
    if kept:
        try:
            written = pendulum.parse(kept)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            written = None
        if isinstance(written, pendulum.DateTime) and written == moment:
            return kept
    return D.dt_out(moment.in_timezone("UTC")) or ""


def _moment_of(text: str) -> pendulum.DateTime:
    moment = pendulum.parse(text)
    if not isinstance(moment, pendulum.DateTime):
        raise BadItem(f"{text!r} is not a date and time")
    return moment


def _int(value: Any) -> int | None:
    return int(str(value)) if value is not None and str(value).strip() else None


def _date_of(value: Any) -> pendulum.Date:
    if isinstance(value, dt.datetime):
        return pendulum.date(value.year, value.month, value.day)
    return pendulum.date(value.year, value.month, value.day)


def _utc(moment: pendulum.DateTime) -> dt.datetime:
    moment = moment.in_timezone("UTC")
    return dt.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                       moment.second, tzinfo=dt.UTC)


def _day(day: pendulum.Date) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def _title(text: str, size: int = 80) -> str:
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= size else first[: size - 1] + "…"
