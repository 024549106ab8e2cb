"""One vCard's content lines onto a Contact, keeping what has no field.

Lines with no field in the model (IMPP, GENDER, ROLE, photos, X- properties
of other programs…) go to ``extra["vcard"]`` as they were written, so an
export gives them back; the parts of mapped properties that the model cannot
hold (a name prefix, an organisation's departments, extra nicknames) go to
``extra["vcard_parts"]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from nurture.errors import ValidationError
from nurture.interop import vtext as V
from nurture.interop.report import Problem, Skip
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
    fold,
    parse_cadence,
    validate_email,
    validate_phone,
)

if TYPE_CHECKING:
    from nurture.interop.vcard import Line, RawCard

R = TypeVar("R")

# Properties that describe the file rather than the person; we write our own.
DROPPED = {"VERSION", "PRODID", "REV", "LABEL", "X-ABLABEL"}
DATE_LABELS = {"BDAY": "birthday", "ANNIVERSARY": "anniversary", "X-ANNIVERSARY": "anniversary",
               "X-MS-ANNIVERSARY": "anniversary", "X-EVOLUTION-ANNIVERSARY": "anniversary",
               # Windows Address Book writes X-WAB-WEDDING_ANNIVERSARY; vobject
               # reads the underscore as a dash.
               "X-WAB-WEDDING-ANNIVERSARY": "anniversary"}
SPOUSE_PROPS = {"X-SPOUSE", "X-EVOLUTION-SPOUSE", "X-KADDRESSBOOK-X-SPOUSENAME",
                "X-MS-SPOUSE", "X-WAB-SPOUSE-NAME"}
PHOTO_PROPS = {"PHOTO", "LOGO"}
NURTURE_ONCE = "X-NURTURE-ONCE"


@dataclass(slots=True)
class Mapped:
    contact: Contact | None = None
    problems: list[Problem] = field(default_factory=list)
    skip: Skip | None = None


# vCard 2.1's bare parameters that say how a value is encoded, not what it is.
_ENCODING_WORDS = {"BASE64": "b", "B": "b"}
_DROPPED_WORDS = {"8BIT", "7BIT", "QUOTED-PRINTABLE"}
_DATA_URI = re.compile(r"^data:([\w.+-]+)/([\w.+-]+)(;[^,]*)?;base64,(.*)$",
                       re.IGNORECASE | re.DOTALL)


_MAGIC = (("/9j/", "JPEG"), ("iVBORw0KGgo", "PNG"), ("R0lGOD", "GIF"))


def _image_type(data: str) -> str:
    start = data.lstrip()[:12]
    return next((kind for magic, kind in _MAGIC if start.startswith(magic)), "")


def raw_line(line: Line) -> str:
    """A content line as text again (unfolded, one canonical form), for ``extra``.

    vCard 2.1's bare parameters become 3.0's named ones (``PHOTO;JPEG;BASE64``
    is ``PHOTO;ENCODING=b;TYPE=JPEG``), since no writer carries bare ones
    over; a 4.0 ``data:`` URI becomes the same form, so that a photo reads
    the same from either version and the export writes what each version
    can carry.
    """
    from vobject.base import dquoteEscape

    out = f"{line.group}." if line.group else ""
    out += line.name
    params = {k: list(v) for k, v in line.params.items() if k != "CHARSET"}
    value = line.value
    for single in line.singletonparams:
        word = single.upper()
        if word in _ENCODING_WORDS:
            params["ENCODING"] = [_ENCODING_WORDS[word]]
        elif word not in _DROPPED_WORDS:
            params.setdefault("TYPE", []).append(single)
    if [v.upper() for v in params.get("ENCODING", ())] in (["BASE64"], ["B"]):
        params["ENCODING"] = ["b"]
    if params.get("ENCODING") == ["b"] and line.name in ("PHOTO", "LOGO") \
            and not params.get("TYPE"):
        # Apple's Address Book writes PHOTO;BASE64 without a type: named from
        # the data, as a 4.0 data: URI must name it.
        kind = _image_type(value)
        if kind:
            params["TYPE"] = [kind]
    data = _DATA_URI.match(value) if not params.get("ENCODING") else None
    if data:
        params["ENCODING"] = ["b"]
        if data.group(2).lower() != "octet-stream":
            params["TYPE"] = [data.group(2).upper()]
        params.pop("MEDIATYPE", None)
        value = data.group(4)
    if params.get("ENCODING") == ["b"]:
        # Folded base64 keeps the indent of its continuation lines (Apple's
        # Address Book indents by two); base64 has no spaces of its own.
        value = re.sub(r"\s+", "", value)
    for key in sorted(params):
        values = params[key]
        out += (f";{key}=" + ",".join(dquoteEscape(v.replace('"', "'")) for v in values)
                if values else f";{key}")
    if "\n" in value or "\r" in value:  # a quoted-printable value decoded to real newlines
        value = value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f"{out}:{value}"


def _tel_uri_number(value: str) -> str:
    """The number of a tel: URI (RFC 3966), its extension written as " x102"."""
    number, *params = value.split(";")
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "ext" and val.strip():
            number += f" x{val.strip()}"
    return number


def line_name(text: str) -> str:
    """The property name of a kept line (without its group), the order kept lines sort in."""
    head = re.split(r"[;:]", text, maxsplit=1)[0]
    return head.rsplit(".", 1)[-1].lower()


class _CardReader:
    def __init__(self, card: RawCard, source: str, keep_photos: bool) -> None:
        self.card = card
        self.source = source
        self.keep_photos = keep_photos
        self.problems: list[Problem] = []
        self.kept: list[str] = []
        self.parts: dict[str, list[str]] = {}
        # Each group's X-ABLabel as written (Apple's built-ins still marked).
        self.labels = {ln.group.lower(): V.unescape(ln.value).strip() for ln in card.lines
                       if ln.name == "X-ABLABEL" and ln.group}
        self.used_groups: set[str] = set()
        self.kept_groups: set[str] = set()
        self.c = Contact(id="", display_name="")  # the plan gives new contacts an id
        self.family_names: set[str] = set()
        self.date_keys: set[tuple[str, int, int, int | None]] = set()

    # ------------------------------------------------------------ helpers

    def warn(self, line: Line, message: str) -> None:
        self.problems.append(Problem(self.source, self.card.where(line.number), message,
                                     field=line.name, skipped=False))

    def keep(self, line: Line) -> None:
        self.kept.append(raw_line(line))
        if line.group:
            self.kept_groups.add(line.group.lower())

    def label(self, line: Line, words: dict[str, str], ignored: set[str]) -> str:
        """The group's X-ABLabel if any, else the TYPE words."""
        if line.group and line.group.lower() in self.labels:
            self.used_groups.add(line.group.lower())
            return V.apple_label(self.labels[line.group.lower()])
        return V.label_from_types(V.types_of(line.params, line.singletonparams), words, ignored)

    def text(self, line: Line) -> str:
        return V.unescape(line.value).strip()

    # ------------------------------------------------------------ the card

    def read(self) -> Mapped:
        names: dict[str, str] = {}
        kind = ""
        for line in self.card.lines:
            name = line.name
            if name == "VERSION" and line.value.strip() not in ("2.1", "3.0", "4.0"):
                self.warn(line, f"unknown vCard version {line.value.strip()!r}; read as 3.0")
            if line.controls:
                self.warn(line, f"{line.controls} control character"
                                f"{'s' if line.controls != 1 else ''} (NUL, ESC, …) removed")
            if line.replaced:
                self.warn(line, f"{line.replaced} byte{'s' if line.replaced != 1 else ''} not in "
                                "the line's charset, shown as �")
            if name in DROPPED:
                continue
            if name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
                kind = self.text(line).lower()
                if kind not in ("individual", "group"):
                    self.keep(line)
                continue
            try:
                self._property(line, names)
            except Exception as exc:  # one odd line must not cost the card
                # A value no handler foresaw: the line is kept as written and
                # named, so the card (and the file) still imports.
                self.warn(line, f"cannot use this value ({type(exc).__name__}: "
                                f"{str(exc)[:80]}); kept on the card as it was")
                self.keep(line)
        where = self.card.where()
        if kind == "group":
            label = names.get("FN") or "a group"
            return Mapped(skip=Skip(f"{self.source}: {where}", label,
                                    "a contact group, not a person"),
                          problems=self.problems)
        if not self._name(names):
            self.problems.append(Problem(self.source, where,
                                         "no name (no FN, N, ORG or EMAIL); card skipped"))
            return Mapped(problems=self.problems)
        self._finish()
        try:
            self.c.validate()
        except ValidationError as exc:  # pragma: no cover - values are checked one by one
            self.problems.append(Problem(self.source, where, f"{exc}; card skipped"))
            return Mapped(problems=self.problems)
        return Mapped(self.c, self.problems)

    def _property(self, line: Line, names: dict[str, str]) -> None:
        name = line.name
        handler = _HANDLERS.get(name)
        if handler is not None:
            handler(self, line, names)
        elif name in DATE_LABELS:
            self._date(line, DATE_LABELS[name])
        elif name in SPOUSE_PROPS:
            self._family(line, self.text(line), "spouse")
        elif name in PHOTO_PROPS and not self.keep_photos:
            return
        else:
            self.keep(line)

    def _name(self, names: dict[str, str]) -> bool:
        c = self.c
        display = names.get("FN", "")
        if not display:
            parts = self.parts.get("n", ["", "", ""])
            display = " ".join(p for p in (parts[0], c.given_name, parts[1], c.family_name,
                                           parts[2]) if p)
        display = display or c.company or (c.emails[0].address if c.emails else "")
        c.display_name = " ".join(display.split())
        return bool(c.display_name)

    def _finish(self) -> None:
        c = self.c
        # An X-ABLabel whose property we kept stays with it; the others were used.
        for line in self.card.lines:
            if line.name == "X-ABLABEL" and line.group:
                group = line.group.lower()
                if group in self.kept_groups or group not in self.used_groups:
                    self.kept.append(raw_line(line))
        if self.kept:
            # In the order an export writes them (by property name), so that
            # import, export, import gives the same list.
            c.extra["vcard"] = sorted(self.kept, key=line_name)
        parts = {k: v for k, v in self.parts.items() if any(v)}
        if parts:
            c.extra["vcard_parts"] = parts

    # ------------------------------------------------------------ properties

    def _fn(self, line: Line, names: dict[str, str]) -> None:
        if "FN" not in names:
            names["FN"] = self.text(line)
        else:
            self.keep(line)

    def _n(self, line: Line, names: dict[str, str]) -> None:
        if line.params.get(V.DERIVED_N):
            return  # Nurture wrote it from the name; the contact had no parts of its own
        family, given, additional, prefix, suffix = V.structured(line.value, 5, " ")[:5]
        self.c.family_name, self.c.given_name = family, given
        self.parts["n"] = [prefix, additional, suffix]

    def _nickname(self, line: Line, names: dict[str, str]) -> None:
        nicks = V.text_list(line.value)
        if nicks and not self.c.nickname:
            self.c.nickname, nicks = nicks[0], nicks[1:]
        self.parts.setdefault("nicknames", []).extend(nicks)

    def _org(self, line: Line, names: dict[str, str]) -> None:
        if self.c.company:
            self.keep(line)
            return
        parts = V.structured(line.value, 1)
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        self.c.company = parts[0]
        self.parts["org_units"] = parts[1:]

    def _title(self, line: Line, names: dict[str, str]) -> None:
        if self.c.title:
            self.keep(line)
        else:
            self.c.title = self.text(line)

    def _email(self, line: Line, names: dict[str, str]) -> None:
        self._reach(line, "mailto:", validate_email, "an email address", Email,
                    self.c.emails, V.EMAIL_TYPE_WORDS, V.EMAIL_IGNORED)

    def _tel(self, line: Line, names: dict[str, str]) -> None:
        self._reach(line, "tel:", validate_phone, "a phone number", Phone,
                    self.c.phones, V.TEL_TYPE_WORDS, V.TEL_IGNORED)

    def _reach(self, line: Line, scheme: str, validate: Callable[[str], object], what: str,
               make: Callable[[str, str], R], into: list[R],
               words: dict[str, str], ignored: set[str]) -> None:
        """An email address or a phone number with its label; a preferred one goes first."""
        value = self.text(line)
        if value.lower().startswith(scheme):  # 4.0 allows a URI (mailto:, tel:)
            value = value[len(scheme):]
            if scheme == "tel:":
                value = _tel_uri_number(value)
        try:
            validate(value)
        except ValidationError:
            self.warn(line, f"{value!r} is not {what}; kept on the card as it was")
            self.keep(line)
            return
        found = make(value, self.label(line, words, ignored))
        if V.is_preferred(line.params, V.types_of(line.params, line.singletonparams)):
            into.insert(0, found)
        else:
            into.append(found)

    def _adr(self, line: Line, names: dict[str, str]) -> None:
        box, extended, street, city, region, code, country = V.structured(line.value, 7)[:7]
        label = self.label(line, V.ADR_TYPE_WORDS, V.ADR_IGNORED)
        # The model has street lines only; a PO box and an extended address
        # become lines of their own so that nothing printed on a label is lost.
        lines = "\n".join(p for p in (box, extended, street) if p)
        self.c.addresses.append(Address(label, lines, city, region, code, country))

    def _url(self, line: Line, names: dict[str, str]) -> None:
        url = self.text(line)
        if url and url not in self.c.urls:
            self.c.urls.append(url)
        label = self.labels.get(line.group.lower(), "") if line.group else ""
        if label and V.apple_label(label) != "homepage":
            # A labelled link ("BLOG", "PROFILE") has no field for its label:
            # the line is kept with it, and the export writes it back as it was.
            self.keep(line)
        elif line.group:
            self.used_groups.add(line.group.lower())

    def _x_socialprofile(self, line: Line, names: dict[str, str]) -> None:
        # Kept as written (its network type has no field) and listed with the
        # URLs; the export writes the line back instead of a plain URL.
        self.keep(line)
        url = self.text(line)
        if url.startswith(("http://", "https://")) and url not in self.c.urls:
            self.c.urls.append(url)

    def _categories(self, line: Line, names: dict[str, str]) -> None:
        # Google (and Android, "My Contacts") list system groups among the categories.
        self.c.interests.extend(t for t in V.text_list(line.value)
                                if fold(t) not in ("mycontacts", "my contacts", "starred"))

    def _note(self, line: Line, names: dict[str, str]) -> None:
        note = V.unescape(line.value).strip()
        if note:
            self.c.notes = f"{self.c.notes}\n\n{note}" if self.c.notes else note

    def _uid(self, line: Line, names: dict[str, str]) -> None:
        uid = self.text(line)
        if uid and not self.c.uid:
            self.c.uid = uid

    def _x_abdate(self, line: Line, names: dict[str, str]) -> None:
        label = ""
        if line.group and line.group.lower() in self.labels:
            label = V.apple_label(self.labels[line.group.lower()])
            self.used_groups.add(line.group.lower())
        self._date(line, label or "date")

    def _date(self, line: Line, label: str) -> None:
        value_type = [v.lower() for v in V.param_values(line.params, "VALUE")]
        if "text" in value_type:
            self.warn(line, f"{self.text(line)!r} is free text, not a date; kept as it was")
            self.keep(line)
            return
        omit = next(iter(line.params.get("X-APPLE-OMIT-YEAR") or ()), None)
        try:
            year, month, day = V.parse_vdate(V.unescape(line.value), omit)
            once = bool(line.params.get(NURTURE_ONCE)) and year is not None
            date = KeyDate(label, month, day, year, yearly=not once)
        except ValidationError as exc:
            value = repr(line.value.strip())
            what = exc.message if value in exc.message else f"{value} is not a date ({exc.message})"
            self.warn(line, f"{what}; kept on the card as it was")
            self.keep(line)
            return
        key = (fold(date.label), date.month, date.day, date.year)
        if key not in self.date_keys:
            self.date_keys.add(key)
            self.c.key_dates.append(date)

    def _related(self, line: Line, names: dict[str, str]) -> None:
        value = self.text(line)
        value_type = [v.lower() for v in V.param_values(line.params, "VALUE")]
        looks_uri = ":" in value.split()[0] if value else False
        if "uri" in value_type or ("text" not in value_type and looks_uri):
            self.keep(line)  # a link to another card, not a name we can show
            return
        if line.group and line.group.lower() in self.labels:
            relation = V.family_relation(self.labels[line.group.lower()])
            self.used_groups.add(line.group.lower())
        else:
            types = [t for t in V.types_of(line.params, line.singletonparams) if t != "pref"]
            relation = V.related_type(types[0]) if types else "other"
        if relation is None:
            self.keep(line)
            if line.group:
                self.used_groups.discard(line.group.lower())
            return
        self._family(line, value, relation)

    def _x_abrelatednames(self, line: Line, names: dict[str, str]) -> None:
        label = self.labels.get(line.group.lower(), "") if line.group else ""
        relation = V.family_relation(label)
        if relation is None:
            self.keep(line)
            return
        if line.group:
            self.used_groups.add(line.group.lower())
        self._family(line, self.text(line), relation)

    def _family(self, line: Line, name: str, relation: str) -> None:
        if not name:
            return
        key = fold(name)
        if key not in self.family_names:  # a set: 4,000 RELATED lines stay linear
            self.family_names.add(key)
            self.c.family.append(FamilyMember(name, relation))

    # ------------------------------------------------------------ Nurture's own

    def _x_nurture_kind(self, line: Line, names: dict[str, str]) -> None:
        try:
            self.c.kind = RelationshipKind(self.text(line).lower())
        except ValueError:
            self.warn(line, f"{self.text(line)!r} is not a relationship kind; ignored")

    def _x_nurture_how_we_met(self, line: Line, names: dict[str, str]) -> None:
        self.c.how_we_met = self.text(line)

    def _x_nurture_channel(self, line: Line, names: dict[str, str]) -> None:
        # Written as KIND;DETAIL, but a server may store the value as text and escape the
        # separator (Radicale writes "phone\;"): the kind never holds a semicolon, so the
        # first one, escaped or not, ends it.
        kind, _, detail = V.unescape(line.value).partition(";")
        try:
            self.c.channels.append(Channel(ChannelKind(kind.lower()), detail))
        except ValueError:
            self.warn(line, f"{kind!r} is not a channel; ignored")

    def _x_nurture_cadence(self, line: Line, names: dict[str, str]) -> None:
        try:
            self.c.cadence_days = parse_cadence(self.text(line))
        except ValidationError as exc:
            self.warn(line, f"{exc.message}; ignored")


# Property name -> handler. An explicit table, not getattr on the property's
# name: a card may carry any name (Lotus Notes writes NAME), and no helper of
# the reader may ever be called as a handler.
_HANDLERS = {
    "FN": _CardReader._fn, "N": _CardReader._n, "NICKNAME": _CardReader._nickname,
    "ORG": _CardReader._org, "TITLE": _CardReader._title, "EMAIL": _CardReader._email,
    "TEL": _CardReader._tel, "ADR": _CardReader._adr, "URL": _CardReader._url,
    "X-SOCIALPROFILE": _CardReader._x_socialprofile,
    "CATEGORIES": _CardReader._categories, "NOTE": _CardReader._note,
    "UID": _CardReader._uid, "X-ABDATE": _CardReader._x_abdate,
    "RELATED": _CardReader._related, "X-ABRELATEDNAMES": _CardReader._x_abrelatednames,
    "X-NURTURE-KIND": _CardReader._x_nurture_kind,
    "X-NURTURE-HOW-WE-MET": _CardReader._x_nurture_how_we_met,
    "X-NURTURE-CHANNEL": _CardReader._x_nurture_channel,
    "X-NURTURE-CADENCE": _CardReader._x_nurture_cadence,
}


def card_to_contact(card: RawCard, source: str, *, keep_photos: bool = True) -> Mapped:
    """A Contact from one RawCard, with problems; or a Skip for a group card."""
    for problem in card.problems:
        problem.source = source
    try:
        mapped = _CardReader(card, source, keep_photos).read()
    except Exception as exc:  # at worst this card is reported
        mapped = Mapped(problems=[Problem(
            source, card.where(), f"cannot read this card ({type(exc).__name__}: "
            f"{str(exc)[:80]}); card skipped")])
    mapped.problems[:0] = card.problems
    return mapped
