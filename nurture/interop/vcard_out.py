"""Contacts out as vCard 3.0 or 4.0: one .vcf file, or a vdir of ``UID.vcf`` files.

Values are encoded here by the RFC rules (text escaped, URIs not); vobject
assembles each line, quotes its parameters and folds it at 75 octets without
splitting a UTF-8 sequence. Lines are written in the contact's order (VERSION
first, each X-ABLabel after its property) rather than vobject's alphabetical
one, so that the order of dates and family survives a round trip. Lines kept
from an import (``extra["vcard"]``) are written back as they came.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from nurture import __version__
from nurture.interop import vtext as V
from nurture.interop.report import ExportReport
from nurture.interop.textfiles import ensure_private_dir, fsync_dir, write_private
from nurture.model import Contact, KeyDate, RelationshipKind, fold, format_cadence

if TYPE_CHECKING:
    from vobject.base import ContentLine

VERSIONS = ("3.0", "4.0")
PRODID = f"-//Nurture//Nurture {__version__}//EN"
# UIDs for contacts that never had one are derived from the contact's id, so
# that exporting twice gives the same UID even before it is saved.
UID_NAMESPACE = uuid.UUID("6f1c3a52-8d0e-4c55-9a77-2b2f4e0c9d11")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,120}$")


def stable_uid(contact: Contact) -> str:
    """The contact's UID, or the one it will keep (derived from its id)."""
    if contact.uid:
        return contact.uid
    return str(uuid.uuid5(UID_NAMESPACE, contact.id) if contact.id else uuid.uuid4())


def vdir_filename(uid: str) -> str:
    """``UID.vcf`` when the UID is a safe file name, else a hash of it (as vdirsyncer does)."""
    if _SAFE_NAME.match(uid):
        return f"{uid}.vcf"
    return hashlib.sha1(uid.encode("utf-8")).hexdigest() + ".vcf"


class _CardWriter:
    def __init__(self, contact: Contact, version: str) -> None:
        from vobject.base import ContentLine, VObjectError, textLineToContentLine

        self.c = contact
        self.v = version
        self.lines: list = []
        self._line = ContentLine
        self._parse = textLineToContentLine
        self.kept = []
        for text in _strings(contact.extra.get("vcard")):
            try:
                self.kept.append(_for_version(self._parse(text), version))
            except (VObjectError, UnicodeError, LookupError, ValueError):
                # Only an edited JSON import can put an unreadable line here;
                # writing it would break the card for every reader.
                continue
        taken = {ln.group.lower() for ln in self.kept if ln.group}
        self._groups = (f"item{n}" for n in range(1, 10**6) if f"item{n}" not in taken)

    def add(self, name: str, value: str, params: list[list[str]] | None = None,
            group: str | None = None) -> None:
        # types-vobject types ContentLine's params as a dict; vobject takes parseLine's
        # list of lists (and builds the dict itself).
        line = self._line(name, params or [], value, group, encoded=True)  # type: ignore[arg-type]  # see above
        self.lines.append(line)

    def labelled(self, name: str, value: str, label: str, types: list[str] | None,
                 base: list[str] | None = None) -> None:
        """A property whose label is TYPE values when it can be, else an X-ABLabel."""
        base = list(base or [])
        if types is not None:
            values = base + [self._case(t) for t in types]
            self.add(name, value, [["TYPE", *values]] if values else [])
            return
        group = next(self._groups)
        self.add(name, value, [["TYPE", *base]] if base else [], group)
        self.add("X-ABLABEL", V.escape(label), group=group)

    def _case(self, token: str) -> str:
        return token.upper() if self.v == "3.0" else token.lower()

    # ------------------------------------------------------------ the card

    def build(self) -> str:
        c = self.c
        self.add("VERSION", self.v)
        self.add("PRODID", PRODID)
        self.add("UID", V.escape(stable_uid(c)))
        self.add("FN", V.escape(c.display_name))
        parts = c.extra.get("vcard_parts")
        parts = parts if isinstance(parts, dict) else {}
        prefix, additional, suffix = [*_strings(parts.get("n")), "", "", ""][:3]
        family, given = c.family_name, c.given_name
        n_params: list[list[str]] = []
        if not (family or given or prefix or additional or suffix) and c.display_name \
                and fold(c.display_name) != fold(c.company):
            # Readers sort and show by N; one written from the display name,
            # marked so that our own import does not take it for parts the
            # contact never had (an organisation keeps the empty N Apple uses).
            *first, last = c.display_name.split()
            family, given = (last, " ".join(first)) if first else ("", last)
            n_params = [[V.DERIVED_N, "TRUE"]]
        self.add("N", V.structured_out([family, given, additional, prefix, suffix]), n_params)
        nicknames = [n for n in [c.nickname, *_strings(parts.get("nicknames"))] if n]
        if nicknames:
            self.add("NICKNAME", ",".join(V.escape(n) for n in nicknames))
        units = _strings(parts.get("org_units"))
        if c.company or units:
            self.add("ORG", V.structured_out([c.company, *units]))
        if c.title:
            self.add("TITLE", V.escape(c.title))
        internet = ["INTERNET"] if self.v == "3.0" else []
        for email in c.emails:
            self.labelled("EMAIL", V.escape(email.address), email.label,
                          V.types_for_label(email.label, V.EMAIL_TYPE_WORDS), internet)
        for phone in c.phones:
            self.labelled("TEL", V.escape(phone.number), phone.label,
                          V.types_for_label(phone.label, V.TEL_WORD_TYPES))
        for address in c.addresses:
            value = V.structured_out(["", "", address.street, address.city, address.region,
                                      address.postcode, address.country])
            self.labelled("ADR", value, address.label,
                          V.types_for_label(address.label, V.ADR_TYPE_WORDS))
        self._dates()
        self._family()
        if c.interests:
            self.add("CATEGORIES", ",".join(V.escape(t) for t in c.interests))
        if c.notes:
            self.add("NOTE", V.escape(c.notes))
        self._urls()
        self._nurture()
        if c.updated is not None:
            self.add("REV", c.updated.in_timezone("UTC").format("YYYYMMDD[T]HHmmss[Z]"))
        out = io.StringIO()
        out.write("BEGIN:VCARD\r\n")
        for line in [*self.lines, *self.kept]:
            # encoded=True and no behaviour: vobject writes the value as given.
            line.serialize(out, lineLength=75, validate=False)
        out.write("END:VCARD\r\n")
        return out.getvalue()

    def _dates(self) -> None:
        birthday_done = anniversary_done = False
        for date in self.c.key_dates:
            label = fold(date.label)
            if date.yearly and label == "birthday" and not birthday_done:
                birthday_done = True
                value, params = V.vdate_out(date.year, date.month, date.day, self.v)
                self.add("BDAY", value, params)
            elif date.yearly and label == "anniversary" and not anniversary_done:
                anniversary_done = True
                self._anniversary(date)
            else:
                self._abdate(date, date.label)

    def _anniversary(self, date: KeyDate) -> None:
        value, params = V.vdate_out(date.year, date.month, date.day, self.v)
        if self.v == "4.0":
            self.add("ANNIVERSARY", value, params)
            return
        # 3.0 has no anniversary: Apple's labelled date, which Apple and
        # sabre/vobject read; X-ANNIVERSARY for Evolution and Thunderbird.
        self._abdate(date, "_$!<Anniversary>!$_", escape_label=False)
        if date.year is not None:
            self.add("X-ANNIVERSARY", value)

    def _abdate(self, date: KeyDate, label: str, *, escape_label: bool = True) -> None:
        value, params = V.vdate_out(date.year, date.month, date.day, "3.0", apple=True)
        if not date.yearly:
            params.append(["X-NURTURE-ONCE", "TRUE"])
        group = next(self._groups)
        self.add("X-ABDATE", value, params, group)
        self.add("X-ABLABEL", V.escape(label) if escape_label else label, group=group)

    def _family(self) -> None:
        for member in self.c.family:
            relation = member.relation
            name = V.escape(member.name)
            if self.v == "4.0" and relation in V.RELATED_TYPES_40:
                self.add("RELATED", name, [["TYPE", V.RELATED_TYPES_40[relation]],
                                           ["VALUE", "text"]])
                continue
            label = V.APPLE_RELATED.get(relation)
            group = next(self._groups)
            if self.v == "4.0":
                self.add("RELATED", name, [["VALUE", "text"]], group)
            else:
                self.add("X-ABRELATEDNAMES", name, group=group)
            self.add("X-ABLABEL", label if label else V.escape(relation), group=group)

    def _urls(self) -> None:
        """Links in the contact's order; one kept as written (a social profile, a
        labelled link) goes out as that line, in its place among the others."""
        as_written: dict[str, object] = {}
        for line in list(self.kept):
            if line.name not in ("X-SOCIALPROFILE", "URL"):
                continue
            url = V.unescape(line.value).strip()
            if line.name == "URL" or url.startswith(("http://", "https://")):
                self.kept.remove(line)
                if url in self.c.urls:
                    as_written.setdefault(url, line)
                # else: the user removed that link since the import
        for url in self.c.urls:
            if url in as_written:
                self.lines.append(as_written[url])
            else:
                self.add("URL", url.replace("\n", " "))

    def _nurture(self) -> None:
        c = self.c
        if c.kind is not RelationshipKind.OTHER:
            self.add("X-NURTURE-KIND", c.kind.value)
        if c.how_we_met:
            self.add("X-NURTURE-HOW-WE-MET", V.escape(c.how_we_met))
        for channel in c.channels:
            self.add("X-NURTURE-CHANNEL", V.structured_out([channel.kind.value,
                                                            channel.detail]))
        if c.cadence_days is not None:
            self.add("X-NURTURE-CADENCE", format_cadence(c.cadence_days))


def _for_version(line: ContentLine, version: str) -> ContentLine:
    """A kept line with parameters the version can carry.

    vobject writes named parameters only, so bare ones (from lines kept by an
    older import) become TYPE values; in 4.0, which has no ENCODING, inline
    base64 data becomes a ``data:`` URI.
    """
    for single in line.singletonparams:
        word = single.upper()
        if word in ("B", "BASE64"):
            line.params["ENCODING"] = ["b"]
        elif word not in ("8BIT", "7BIT", "QUOTED-PRINTABLE"):
            line.params.setdefault("TYPE", []).append(single)
    line.singletonparams = []
    encoding = [v.lower() for v in line.params.get("ENCODING", ())]
    if version == "4.0" and encoding in (["b"], ["base64"]):
        kind = next((t.lower() for t in line.params.get("TYPE", ()) if "/" not in t), "")
        top = {"PHOTO": "image", "LOGO": "image", "SOUND": "audio"}.get(line.name,
                                                                       "application")
        media = f"{top}/{kind or ('jpeg' if top == 'image' else 'octet-stream')}"
        line.params.pop("ENCODING")
        line.params.pop("TYPE", None)
        line.value = f"data:{media};base64,{line.value}"
    return line


def _strings(value: object) -> list[str]:
    """The strings of a list kept in ``extra`` (which a JSON import could have bent)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def contact_to_vcard(contact: Contact, version: str = "3.0") -> str:
    """One contact as a vCard (CRLF line ends, folded)."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version!r} (use 3.0 or 4.0)")
    return _CardWriter(contact, version).build()


def is_vdir_target(target: Path) -> bool:
    """A folder (existing, or named without a .vcf suffix) means a vdir."""
    if target.is_dir():
        return True
    return target.suffix.lower() not in (".vcf", ".vcard")


def write_vcards(contacts: list[Contact], target: Path, version: str = "3.0",
                 *, vdir: bool | None = None) -> ExportReport:
    """Write ``contacts`` to one .vcf file or a vdir; files are private (0600)."""
    vdir = is_vdir_target(target) if vdir is None else vdir
    cards = [(stable_uid(c), contact_to_vcard(c, version)) for c in contacts]
    if not vdir:
        write_private(target, "".join(text for _, text in cards).encode("utf-8"))
        return ExportReport(str(target), f"vCard {version}", len(cards))
    ensure_private_dir(target)
    names = set()
    for uid, text in cards:
        name = vdir_filename(uid)
        names.add(name)
        write_private(target / name, text.encode("utf-8"), sync_dir=False)
    fsync_dir(target)
    others = [p for p in target.glob("*.vcf") if p.name not in names]
    report = ExportReport(str(target), f"vCard {version}", len(cards), files=len(cards))
    if others:
        report.notes.append(f"{len(others)} other .vcf files in the folder were left alone.")
    return report
