"""The data model: plain dataclasses and their validation. No I/O.

Dates are `pendulum.Date`, instants are `pendulum.DateTime` with an offset.
Dates that recur yearly (`KeyDate`) keep a nullable year: a birthday is often
known without it.
"""

from __future__ import annotations

import calendar
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

import pendulum

from nurture import lazy
from nurture.errors import ValidationError


class RelationshipKind(StrEnum):
    CLIENT = "client"
    PARTNER = "partner"
    SUPPLIER = "supplier"
    COLLEAGUE = "colleague"
    EMPLOYEE = "employee"
    BOSS = "boss"
    INVESTOR = "investor"
    FRIEND = "friend"
    FAMILY = "family"
    OTHER = "other"


class InteractionKind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    MESSAGE = "message"
    NOTE = "note"
    CARD_SENT = "card-sent"
    GIFT_GIVEN = "gift-given"
    GIFT_RECEIVED = "gift-received"
    THANK_YOU = "thank-you"
    FAVOUR = "favour"
    SUGGESTION = "suggestion"
    INTRODUCTION = "introduction"
    LIFE_EVENT = "life-event"
    OTHER = "other"


class ChannelKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    TEXT = "text"
    CARD = "card"
    MESSAGING = "messaging"
    SOCIAL = "social"
    IN_PERSON = "in-person"


class ReviewStatus(StrEnum):
    DONE = "done"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"


# ---------------------------------------------------------------- helpers

# string.ascii_lowercase + string.digits, spelled out: importing ``string`` compiles
# its Template pattern, 1 ms of every command (nothing else a command loads needs it).
_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# What ``secrets.choice`` uses (the OS's randomness), without importing secrets,
# which loads hashlib, hmac and base64 into every command.
_RANDOM = random.SystemRandom()


def new_id(prefix: str, length: int = 8) -> str:
    """A short random id a person can type, e.g. ``c-k3f9q2xa``."""
    return prefix + "-" + "".join(_RANDOM.choice(_ID_ALPHABET) for _ in range(length))


def now() -> pendulum.DateTime:
    """The current instant in the local zone (the only clock read in the model)."""
    return pendulum.now()


def now_on(today: pendulum.Date) -> pendulum.DateTime:
    """The instant to stamp an action with: now, or noon of ``today`` when that is another
    day (a pinned ``NURTURE_TODAY``, a review of another day), so it counts on that day."""
    stamp = now()
    if stamp.date() == today:
        return stamp
    return pendulum.datetime(today.year, today.month, today.day, 12, tz=stamp.timezone)


class _Unmarked(dict[int, int | None]):
    """A `str.translate` table, filled as characters come, that drops combining marks."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_UNMARKED = _Unmarked()


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching: lower() for ASCII,
    else decomposed (NFKD) without its combining marks and casefolded, all in C (a
    translate table): the one fold of names, for sorting, filtering and the index."""
    if text.isascii():  # nothing to decompose: the same result, 10-20x sooner
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_UNMARKED).casefold()


def normalize_tag(tag: str) -> str:
    """Interests are stored as lower-case tags without a leading '#'."""
    tag = tag.strip().lstrip("#").strip()
    return re.sub(r"\s+", " ", tag).casefold()


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_email(address: str) -> str:
    address = address.strip()
    if not _EMAIL_RE.match(address):
        raise ValidationError("email", f"{address!r} is not an email address")
    return address


def validate_phone(number: str) -> str:
    number = number.strip()
    digits = re.sub(r"\D", "", number)
    if len(digits) < 3 or re.search(r"[^\d\s()+\-./x#*]", number, re.IGNORECASE):
        raise ValidationError("phone", f"{number!r} is not a phone number")
    return number


def normalize_phone(number: str) -> str:
    """Digits only (and a leading +) for matching phone numbers across formats."""
    number = number.strip()
    plus = "+" if number.startswith("+") else ""
    return plus + re.sub(r"\D", "", number)


# Everything a person types as a number or a date goes through the parsers below,
# which bound it: a 5000-digit number or the year 9999 is one sentence here, not an
# overflow somewhere downstream (an export, next year's birthday, a due date).
MIN_YEAR, MAX_YEAR = 1000, 2999  # a year ahead or ten years of cadence stay in range
MAX_TYPED = 64  # longer "numbers" and "dates" are refused before they are parsed
MAX_OFFSET = timedelta(hours=18)  # the widest UTC offset ISO 8601 readers accept


def shown(text: str, limit: int = 24) -> str:
    """``text`` quoted for a message, cut short when long (never 5000 digits)."""
    text = text.strip()
    quoted = repr(text)
    if len(text) <= limit and len(quoted) <= 2 * limit + 2:
        return quoted
    cut = min(len(text), limit)  # escapes (\x1f, \u1680) count as what they print
    while cut > 1 and len(repr(text[:cut])) > 2 * limit + 2:
        cut -= 1
    return repr(text[:cut]) + f"… ({len(text)} characters)"


def _typed(text: str, field_name: str, what: str) -> str:
    if len(text.strip()) > MAX_TYPED:
        raise ValidationError(field_name, f"{shown(text)} is too long to be {what}")
    return text


def parse_whole(text: str, field_name: str, low: int, high: int, unit: str = "") -> int:
    """A whole number from ``low`` to ``high`` typed by a person."""
    _typed(text, field_name, "a number")
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationError(field_name, f"{shown(text)} is not a whole number") from None
    if not low <= value <= high:
        raise ValidationError(field_name, f"{value} is out of range ({low} to {high}"
                                          f"{' ' + unit if unit else ''})")
    return value


_CADENCE_RE = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)
_CADENCE_UNIT = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}
MAX_CADENCE = 3650


def parse_cadence(text: str | int | None, field_name: str = "cadence") -> int | None:
    """Keep-in-touch cadence in days from ``14``, ``2w``, ``3m`` or ``1y``; empty means unset."""
    if text is None:
        return None
    if isinstance(text, int):
        days = text
    else:
        if not text.strip():
            return None
        _typed(text, field_name, "a cadence")
        m = _CADENCE_RE.match(text)
        if not m:
            raise ValidationError(field_name, f"{shown(text)} is not a cadence "
                                              "(use days, or 2w, 3m, 1y)")
        if len(m.group(1)) > 5:
            raise ValidationError(field_name, f"{shown(text)} is out of range "
                                              f"(1 to {MAX_CADENCE} days)")
        days = int(m.group(1)) * _CADENCE_UNIT[m.group(2).lower()]
    if days <= 0 or days > MAX_CADENCE:
        raise ValidationError(field_name, f"{days} days is out of range (1 to {MAX_CADENCE})")
    return days


def format_cadence(days: int | None) -> str:
    if days is None:
        return ""
    for unit, size in (("y", 365), ("m", 30), ("w", 7)):
        if days % size == 0:
            return f"{days // size}{unit}"
    return f"{days}d"


_DATE_RE = re.compile(r"^\s*(?:(\d{4})-?|--)?(\d{1,2})-?(\d{1,2})\s*$")


def parse_date_parts(text: str, field_name: str = "date") -> tuple[int | None, int, int]:
    """Parse ``YYYY-MM-DD``, ``MM-DD``, ``--MM-DD`` or ``--MMDD`` into (year, month, day)."""
    _typed(text, field_name, "a date")
    m = _DATE_RE.match(text)
    if not m:
        raise ValidationError(field_name, f"{shown(text)} is not a date "
                                          "(use YYYY-MM-DD or MM-DD)")
    year = int(m.group(1)) if m.group(1) else None
    month, day = int(m.group(2)), int(m.group(3))
    check_date_parts(year, month, day, field_name)
    return year, month, day


_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def check_date_parts(year: int | None, month: int, day: int, field_name: str = "date") -> None:
    if type(month) is not int or type(day) is not int \
            or (year is not None and type(year) is not int):  # a hand edit: 1990.0, "3"
        raise ValidationError(field_name, "a date's year, month and day are whole numbers, "
                                          f"not {shown(str(year))}-{shown(str(month))}-"
                                          f"{shown(str(day))}")
    if not 1 <= month <= 12:
        raise ValidationError(field_name, f"month {month} is not between 1 and 12")
    # A year-less date is checked against a leap year so that Feb 29 is allowed.
    probe_year = year if year is not None else 2000
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(field_name, f"year {year} is out of range "
                                          f"({MIN_YEAR} to {MAX_YEAR})")
    # A table, not calendar.monthrange (which works out the weekday too: a fifth of the
    # cost of building a contact with a birthday); pendulum's costs 15 µs a date.
    last = _MONTH_DAYS[month] if month != 2 else 28 + calendar.isleap(probe_year)
    if not 1 <= day <= last:
        raise ValidationError(field_name, f"day {day} does not exist in {_month_name(month)}"
                              + (f" {year}" if year is not None else ""))


def parse_date(text: str, field_name: str = "date", *,
               today: pendulum.Date | None = None) -> pendulum.Date:
    """``YYYY-MM-DD``, or ``today``/``tomorrow``/``yesterday`` counted from ``today``."""
    lowered = text.strip().lower()
    if lowered in ("today", "tomorrow", "yesterday"):
        today = today or pendulum.today().date()
        return {"today": today, "tomorrow": today.add(days=1),
                "yesterday": today.subtract(days=1)}[lowered]
    year, month, day = parse_date_parts(text, field_name)
    if year is None:
        raise ValidationError(field_name, f"{shown(text)} needs a year (YYYY-MM-DD)")
    return pendulum.date(year, month, day)


def parse_instant(text: str | None, field_name: str = "at") -> pendulum.DateTime:
    """A date or date-time a person typed (now when empty); a naive one is in the local
    zone, a date alone is noon. Out-of-range years and offsets are one sentence."""
    if not text or not text.strip():
        return now()
    _typed(text, field_name, "a date or time")
    problem = f"{shown(text)} is not a date or time (use YYYY-MM-DD or YYYY-MM-DD HH:MM)"
    zone = pendulum.local_timezone()
    try:
        try:  # ISO 8601 and the common forms
            parsed = pendulum.parse(text, tz=zone, strict=True)
        except ValueError:  # else dateutil's guess, its parser loaded (see nurture/__init__)
            lazy.load("dateutil.parser")
            parsed = pendulum.parse(text, tz=zone, strict=False)
    except (ValueError, OverflowError):  # pendulum's ParserError is a ValueError
        raise ValidationError(field_name, problem) from None
    if isinstance(parsed, pendulum.DateTime):
        try:  # Python refuses offsets of a day or more only when asked for them
            offset = parsed.utcoffset()
        except ValueError:
            offset = MAX_OFFSET * 2
        if offset is not None and abs(offset) > MAX_OFFSET:
            raise ValidationError(field_name, f"the UTC offset in {shown(text)} is out of range "
                                              "(-18:00 to +18:00)")
        when = parsed
    elif isinstance(parsed, pendulum.Date):
        when = pendulum.datetime(parsed.year, parsed.month, parsed.day, 12,
                                 tz=pendulum.local_timezone())
    else:
        raise ValidationError(field_name, problem)
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise ValidationError(field_name, f"year {when.year} is out of range "
                                          f"({MIN_YEAR} to {MAX_YEAR})")
    return when


# English, as everything the app says; spelled out here so that naming a month does
# not load pendulum's locale and formatter (5 ms of `nurture show`).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def _month_name(month: int) -> str:
    return MONTH_NAMES[month - 1]


# ---------------------------------------------------------------- contacts


@dataclass(slots=True)
class Email:
    address: str
    label: str = ""


@dataclass(slots=True)
class Phone:
    number: str
    label: str = ""


@dataclass(slots=True)
class Address:
    """A postal address. ``label`` is ``home`` or ``work`` (or free text)."""

    label: str = "home"
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""

    def lines(self) -> list[str]:
        locality = " ".join(p for p in (self.postcode, self.city) if p)
        if self.region:
            locality = f"{locality}, {self.region}" if locality else self.region
        return [p for p in (*self.street.splitlines(), locality, self.country) if p]

    def one_line(self) -> str:
        return ", ".join(self.lines())


@dataclass(slots=True)
class KeyDate:
    """A date worth remembering: a birthday, an anniversary, "Maya's graduation"."""

    label: str
    month: int
    day: int
    year: int | None = None
    yearly: bool = True

    def __post_init__(self) -> None:
        check_date_parts(self.year, self.month, self.day, self.label or "date")
        if not self.yearly and self.year is None:
            raise ValidationError(self.label or "date", "a one-off date needs a year")

    @classmethod
    def parse(cls, label: str, text: str, *, yearly: bool = True) -> KeyDate:
        year, month, day = parse_date_parts(text, label)
        return cls(label=label, month=month, day=day, year=year, yearly=yearly)

    def on_year(self, year: int) -> pendulum.Date:
        """This date in ``year``; Feb 29 falls on Feb 28 in a common year."""
        day = self.day
        if self.month == 2 and day == 29 and not pendulum.date(year, 1, 1).is_leap_year():
            day = 28
        return pendulum.date(year, self.month, day)

    def next_occurrence(self, today: pendulum.Date) -> pendulum.Date | None:
        """The first occurrence on or after ``today`` (None for a one-off date that has passed)."""
        if not self.yearly:
            assert self.year is not None
            when = pendulum.date(self.year, self.month, self.day)
            return when if when >= today else None
        this_year = self.on_year(today.year)
        return this_year if this_year >= today else self.on_year(today.year + 1)

    def years_at(self, occurrence: pendulum.Date) -> int | None:
        """Age or number of years at ``occurrence`` when the year is known."""
        if self.year is None:
            return None
        return occurrence.year - self.year

    def text(self) -> str:
        """``1985-03-14`` or ``--03-14`` when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        base = f"{self.day} {_month_name(self.month)}"
        return f"{base} {self.year}" if self.year is not None else base


@dataclass(slots=True)
class FamilyMember:
    name: str
    relation: str = "other"  # spouse, partner, child, parent, sibling, other


@dataclass(slots=True)
class Channel:
    """A preferred way to reach someone: ``kind`` from ChannelKind, ``detail`` e.g. "Signal"."""

    kind: ChannelKind
    detail: str = ""

    def label(self) -> str:
        return f"{self.kind.value} ({self.detail})" if self.detail else self.kind.value

    @classmethod
    def parse(cls, text: str) -> Channel:
        """``phone``, ``email``, ``messaging:Signal``…"""
        kind, _, detail = text.partition(":")
        try:
            return cls(ChannelKind(kind.strip().lower()), detail.strip())
        except ValueError:
            choices = ", ".join(k.value for k in ChannelKind)
            raise ValidationError("channel", f"{kind!r} is not one of {choices}") from None


@dataclass(slots=True)
class Contact:
    id: str
    display_name: str
    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    company: str = ""
    title: str = ""
    kind: RelationshipKind = RelationshipKind.OTHER
    emails: list[Email] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    key_dates: list[KeyDate] = field(default_factory=list)
    family: list[FamilyMember] = field(default_factory=list)
    how_we_met: str = ""
    channels: list[Channel] = field(default_factory=list)
    cadence_days: int | None = None
    notes: str = ""
    urls: list[str] = field(default_factory=list)
    uid: str = ""  # the vCard UID this contact was imported from or exported as
    extra: dict[str, Any] = field(default_factory=dict)  # kept for lossless round trips
    created: pendulum.DateTime | None = None
    updated: pendulum.DateTime | None = None
    # The stored revision this object was read at (0: never saved): a save over a
    # newer revision merges or refuses instead of losing the other edit.
    revision: int = 0

    @classmethod
    def new(cls, display_name: str, **fields: Any) -> Contact:
        stamp = now()
        contact = cls(id=new_id("c"), display_name=display_name.strip(), created=stamp,
                      updated=stamp, **fields)
        contact.validate()
        return contact

    def validate(self) -> None:
        if not self.display_name.strip():
            raise ValidationError("name", "a contact needs a name")
        for email in self.emails:
            validate_email(email.address)
        for phone in self.phones:
            validate_phone(phone.number)
        if self.cadence_days is not None:
            parse_cadence(self.cadence_days)
        self.interests = _unique([normalize_tag(t) for t in self.interests if normalize_tag(t)])

    @property
    def first_name(self) -> str:
        if self.nickname:
            return self.nickname
        if self.given_name:
            return self.given_name
        return self.display_name.split()[0] if self.display_name.split() else self.display_name

    def home_address(self) -> Address | None:
        """Where a card or a small gift goes: the home address, else any."""
        for address in self.addresses:
            if address.label.lower() == "home":
                return address
        return self.addresses[0] if self.addresses else None

    def key_date(self, label: str) -> KeyDate | None:
        wanted = fold(label)
        return next((d for d in self.key_dates if fold(d.label) == wanted), None)

    @property
    def birthday(self) -> KeyDate | None:
        return self.key_date("birthday")

    def preferred_channel(self) -> Channel | None:
        return self.channels[0] if self.channels else None

    def search_text(self) -> str:
        """Everything a filter may match, folded: field by field, so that ASCII fields take
        the shortcut and a repeated name is folded once (the same text as folding them
        joined: folding works character by character)."""
        parts = [self.display_name, self.given_name, self.family_name, self.nickname,
                 self.company, self.title, *self.interests, *(e.address for e in self.emails)]
        return " ".join(fold(p) for p in parts if p)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------- timeline


@dataclass(slots=True)
class FollowUp:
    text: str
    due: pendulum.Date | None = None
    done: pendulum.DateTime | None = None
    id: str = field(default_factory=lambda: new_id("f", 6))

    @property
    def is_open(self) -> bool:
        return self.done is None


@dataclass(slots=True)
class Interaction:
    """One entry on the timeline: a call, a lunch with two people, a card sent…"""

    id: str
    contact_ids: list[str]
    kind: InteractionKind
    at: pendulum.DateTime
    text: str = ""
    channel: str = ""
    follow_ups: list[FollowUp] = field(default_factory=list)
    duration_seconds: int | None = None
    suggestion_key: str = ""  # the suggestion this interaction answered, if any
    # Where a captured entry came from ("mail", "calendar"; empty when typed by
    # hand) and the ids it was made from there (Message-IDs, event UIDs), so
    # that capturing again never logs it twice.
    source: str = ""
    source_ids: list[str] = field(default_factory=list)

    @classmethod
    def new(cls, contact_ids: list[str], kind: InteractionKind | str, text: str = "", *,
            at: pendulum.DateTime | None = None, **fields: Any) -> Interaction:
        if not contact_ids:
            raise ValidationError("contact", "an interaction needs at least one contact")
        return cls(id=new_id("i", 10), contact_ids=list(contact_ids),
                   kind=InteractionKind(kind), at=at or now(), text=text, **fields)

    def open_follow_ups(self) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.is_open]


# ---------------------------------------------------------------- review, news, drafts


@dataclass(slots=True)
class Suggestion:
    """A conversation hook from the rules engine; ``reason`` says why in plain words."""

    key: str  # stable: rule, contact, occurrence
    rule: str
    contact_ids: list[str]
    title: str
    reason: str
    due: pendulum.Date
    priority: float
    channel: str = ""
    template: str = ""
    facts: dict[str, Any] = field(default_factory=dict)  # what fired it, for templates


@dataclass(slots=True)
class ReviewState:
    """What the user did with one suggestion occurrence."""

    key: str
    status: ReviewStatus
    at: pendulum.DateTime
    until: pendulum.Date | None = None  # for a snooze

    def hides_on(self, today: pendulum.Date) -> bool:
        if self.status is ReviewStatus.SNOOZED:
            return self.until is not None and today < self.until
        return True


@dataclass(slots=True)
class NewsItem:
    id: str
    title: str
    url: str = ""
    summary: str = ""
    published: pendulum.DateTime | None = None
    added: pendulum.DateTime | None = None
    tags: list[str] = field(default_factory=list)
    company: str = ""
    source: str = "manual"  # "manual" or the feed URL

    @classmethod
    def new(cls, title: str, **fields: Any) -> NewsItem:
        if not title.strip():
            raise ValidationError("title", "a news item needs a title")
        item = cls(id=new_id("n"), title=title.strip(), added=now(), **fields)
        item.tags = _unique([normalize_tag(t) for t in item.tags if normalize_tag(t)])
        return item


@dataclass(slots=True)
class Feed:
    url: str
    tags: list[str] = field(default_factory=list)
    company: str = ""
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    last_fetched: pendulum.DateTime | None = None
    last_error: str = ""


@dataclass(slots=True)
class CaptureMark:
    """What capture read from one source (or one part of one), so a re-run reads only what is new.

    ``values`` belongs to ``nurture.capture.state``, which alone reads and writes it.
    """

    key: str  # e.g. "maildir:/home/sam/Mail/INBOX#07", "mbox:/…", "calendar:/…"
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Draft:
    """A note being composed; persisted so it is never lost."""

    id: str
    contact_id: str
    template: str
    text: str
    suggestion_key: str = ""
    updated: pendulum.DateTime | None = None


@dataclass(slots=True)
class QuickNote:
    """A note typed during a call, saved as it is typed until it is finished."""

    id: str
    contact_id: str
    started: pendulum.DateTime
    text: str = ""
    kind: InteractionKind = InteractionKind.CALL
    updated: pendulum.DateTime | None = None
