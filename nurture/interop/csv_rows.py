"""One CSV row onto a Contact, by the targets a profile or ``--map`` gave each column.

Cells that do not fit (a bad date, an email that is not one) are reported
with their line and column and kept in ``extra["csv"]`` under the column's
name, as are columns nothing maps; nothing in the file is silently dropped.
"""

from __future__ import annotations

import re

from nurture.errors import ValidationError
from nurture.interop import vtext as V
from nurture.interop.csv_profiles import OUTLOOK_DEFAULTS, Target
from nurture.interop.report import Problem, Skip
from nurture.interop.textfiles import strip_controls
from nurture.model import (
    Address,
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

GOOGLE_SEP = " ::: "  # Google puts several values in one cell this way
_SYSTEM_GROUPS = {"mycontacts", "my contacts", "starred", "other contacts"}
_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\.?\s+([A-Za-z]+)\.?,?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


# field -> (model class, validator, what it is, Contact attribute)
_REACH = {"email": (Email, validate_email, "an email address", "emails"),
          "phone": (Phone, validate_phone, "a phone number", "phones")}


def parse_csv_date(text: str, *, day_first: bool = False) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) from the forms exports use; None for Outlook's empty date.

    ISO (``1985-03-14``, ``--03-14``), ``3/14/1985`` (month first unless
    ``day_first`` or the first number cannot be a month), ``14.03.1985``
    (always day first), ``14 Mar 2023`` (LinkedIn), ``March 14, 1985``.
    """
    value = text.strip()
    if value.lower() in OUTLOOK_DEFAULTS or value in ("00/00/0000", "0000-00-00"):
        return None
    try:
        return V.parse_vdate(value)
    except ValidationError:
        pass
    m = _NUMERIC.match(value)
    if m:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
        year: int | None = (int(y) if len(y) == 4
                            else 2000 + int(y) if int(y) <= 30 else 1900 + int(y))
        day, month = (a, b) if day_first or sep == "." or a > 12 else (b, a)
        return _checked(year, month, day, text)
    m = _YMD.match(value)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        m = pattern.match(value)
        if m and m.group(month_group).lower() in _MONTHS:
            written: int | None = int(m.group(3)) if m.group(3) else None
            return _checked(written, _MONTHS[m.group(month_group).lower()],
                            int(m.group(day_group)), text)
    raise ValidationError("date", f"{text.strip()!r} is not a date")


def _checked(year: int | None, month: int, day: int, text: str) -> tuple[int | None, int, int]:
    KeyDate("date", month, day, year)  # raises ValidationError with the reason
    return year, month, day


def _label(text: str, field: str) -> str:
    """Google's labels: "* Home" marks the primary one.

    Labels of numbers and addresses are words in lower case ("mobile", "home
    fax"); a date's or a custom field's label is the user's text, kept as it is.
    """
    text = text.strip().lstrip("*").strip()
    return text if field in ("date", "custom", "relation") else text.lower()


class RowReader:
    """Turns rows into contacts for one file's header and targets."""

    def __init__(self, headers: list[str], targets: list[Target | None], fmt: str,
                 source: str, *, day_first: bool = False) -> None:
        self.headers = headers
        self.targets = targets
        self.fmt = fmt
        self.source = source
        self.day_first = day_first
        label_columns = {t.label_column for t in targets if t is not None and t.label_column}
        self.index = {h: i for i, h in reversed(list(enumerate(headers)))}
        self.label_at = {i for i, h in enumerate(headers) if h in label_columns}

    def read(self, row: list[str], line: int) -> tuple[Contact | None, list[Problem]]:
        """The row's contact and problems; None with ``self.skip`` set for a row with no name."""
        self.line = line
        self.problems: list[Problem] = []
        self.skip: Skip | None = None
        removed: list[str] = []
        for i, cell in enumerate(row):
            cleaned, count = strip_controls(cell)
            if count:
                row[i] = cleaned
                removed.append(f"{count} in {self.headers[i] if i < len(self.headers) else i}")
        if removed:
            self.problems.append(Problem(
                self.source, f"line {line}", "control characters (NUL, ESC, …) removed: "
                + ", ".join(removed), skipped=False))
        c = Contact(id="", display_name="")  # the plan gives new contacts an id
        self.c = c
        self.extra: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.addresses: dict[str, Address] = {}
        self.birth: dict[str, tuple[str, int]] = {}  # Thunderbird's three columns
        for i, cell in enumerate(row[:len(self.headers)]):
            value = cell.strip().replace("\r\n", "\n").replace("\r", "\n")
            if not value:
                continue
            target = self.targets[i]
            if target is None:
                if i not in self.label_at and not (
                        self.fmt == "outlook" and value.lower() in OUTLOOK_DEFAULTS):
                    self.extra[self.headers[i]] = value
                continue
            if target.field == "ignore":
                continue
            label = target.label
            if target.label_column:
                at = self.index.get(target.label_column)
                label = _label(row[at], target.field) if at is not None and at < len(row) \
                    else ""
            self._put(target, value, label, i)
        c.addresses = list(self.addresses.values())
        if self.birth:
            self._birth_parts()
        return self._finish(row)

    def _birth_parts(self) -> None:
        """A birthday from separate year, month and day columns (the year may be empty)."""
        year, month, day = (self.birth.get(k, ("", -1)) for k in
                            ("birth_year", "birth_month", "birth_day"))
        column = (day if day[1] >= 0 else month if month[1] >= 0 else year)[1]
        text = f"{year[0]}-{month[0]}-{day[0]}"
        try:
            date = KeyDate("birthday", int(month[0]), int(day[0]),
                           int(year[0]) if year[0] else None)
        except (ValueError, ValidationError):
            self._keep(column, text)
            self._warn(column, f"{text!r} is not a date (year-month-day); kept aside")
            return
        self.c.key_dates.append(date)

    def _warn(self, column: int, message: str) -> None:
        header = self.headers[column]
        self.problems.append(Problem(self.source, f"line {self.line}", message, field=header,
                                     skipped=False))

    def _keep(self, column: int, value: str) -> None:
        header = self.headers[column]
        self.extra[header] = value

    def _put(self, t: Target, value: str, label: str, column: int) -> None:
        c, f = self.c, t.field
        values = [v.strip() for v in value.split(GOOGLE_SEP)] if GOOGLE_SEP in value else [value]
        if f in ("name", "given_name", "middle_name", "family_name", "prefix", "suffix"):
            self.names[f] = " ".join(p for p in (self.names.get(f, ""), value) if p)
        elif f in ("nickname", "company", "title", "how_we_met"):
            setattr(c, f, getattr(c, f) or value)
        elif f == "department":
            c.extra.setdefault("vcard_parts", {})["org_units"] = [value]
        elif f in _REACH:
            make, validate, what, attr = _REACH[f]
            for v in values:
                try:
                    getattr(c, attr).append(make(validate(v), label))
                except ValidationError:
                    self._keep(column, value)
                    self._warn(column, f"{v!r} is not {what}; kept aside")
        elif f in ("street", "pobox", "city", "region", "postcode", "country", "address"):
            self._address(t, value, label)
        elif f in ("birthday", "anniversary", "date"):
            self._date(f if f != "date" else (label or "date"), value, column)
        elif f in ("birth_year", "birth_month", "birth_day"):
            self.birth[f] = (value, column)
        elif f == "connected_on":
            c.how_we_met = c.how_we_met or f"connected on LinkedIn on {value}"
        elif f == "tags":
            for tag in re.split(r"\s*(?:[,;]|:::)\s*", value):
                tag = tag.strip()
                if tag.startswith("*") or fold(tag) in _SYSTEM_GROUPS \
                        or fold(tag).startswith("imported on"):
                    continue
                c.interests.append(tag)
        elif f == "notes":
            c.notes = f"{c.notes}\n\n{value}" if c.notes else value
        elif f == "url":
            c.urls.extend(v for v in values if v not in c.urls)
        elif f == "kind":
            try:
                c.kind = RelationshipKind(value.lower())
            except ValueError:
                self._keep(column, value)
                self._warn(column, f"{value!r} is not a relationship kind "
                                   f"({', '.join(k.value for k in RelationshipKind)}); kept aside")
        elif f == "cadence":
            try:
                c.cadence_days = parse_cadence(value)
            except ValidationError as exc:
                self._keep(column, value)
                self._warn(column, f"{exc.message}; kept aside")
        elif f == "custom":
            self.extra[label or self.headers[column]] = value
        elif f == "spouse":
            c.family.append(FamilyMember(value, "spouse"))
        elif f == "children":
            c.family.extend(FamilyMember(n.strip(), "child") for n in value.split(",")
                            if n.strip())
        elif f == "relation":
            relation = V.related_type(label) if label else "other"
            if relation is None:
                self._keep(column, f"{value} ({label})")
            else:
                c.family.extend(FamilyMember(v, relation) for v in values)

    def _address(self, t: Target, value: str, label: str) -> None:
        group = t.group or label or "address"
        address = self.addresses.get(group)
        if address is None:
            address = self.addresses[group] = Address(label=label)
        address.label = address.label or label
        if t.field in ("street", "pobox", "address"):
            lines = [address.street, value] if t.field != "pobox" else [value, address.street]
            address.street = "\n".join(p for p in lines if p)
        else:
            setattr(address, t.field, value)

    def _date(self, label: str, value: str, column: int) -> None:
        try:
            parts = parse_csv_date(value, day_first=self.day_first)
        except ValidationError as exc:
            self._keep(column, value)
            self._warn(column, f"{exc.message}; kept aside")
            return
        if parts is not None:
            year, month, day = parts
            if fold(label) in ("birthday", "anniversary"):  # Google's "Anniversary"
                label = fold(label)
            self.c.key_dates.append(KeyDate(label, month, day, year))

    def _finish(self, row: list[str]) -> tuple[Contact | None, list[Problem]]:
        c, n = self.c, self.names
        # Without prefix and suffix (kept for the vCard's N): "Gustav Bauer"
        # matches the same man from another source, "Mr. Gustav Bauer Jr." not.
        display = n.get("name") or " ".join(
            p for p in (n.get("given_name"), n.get("middle_name"), n.get("family_name")) if p)
        display = display or c.nickname or c.company or (c.emails[0].address if c.emails else "")
        c.display_name = " ".join(display.split())
        # Faxes and pagers after the numbers a person answers (Outlook lists
        # "Business Fax" before "Business Phone").
        c.phones.sort(key=lambda p: any(w in p.label for w in ("fax", "pager")))
        c.given_name, c.family_name = n.get("given_name", ""), n.get("family_name", "")
        if any(n.get(k) for k in ("prefix", "middle_name", "suffix")):
            c.extra.setdefault("vcard_parts", {})["n"] = [
                n.get("prefix", ""), n.get("middle_name", ""), n.get("suffix", "")]
        if self.extra:
            c.extra["csv"] = {k: v for k, v in self.extra.items() if v}
            if not c.extra["csv"]:
                del c.extra["csv"]
        if not c.display_name:
            # Read well, but no one to add (LinkedIn lists members who hide
            # their name as a row with only a URL): skipped with its reason.
            shown = next((v.strip() for v in row if v.strip()), "")
            self.skip = Skip(f"{self.source}: line {self.line}", shown[:60] or "(empty row)",
                             "no name: no name, company or email in this row")
            return None, self.problems
        try:
            c.validate()
        except ValidationError as exc:  # pragma: no cover - values are checked one by one
            self.problems.append(Problem(self.source, f"line {self.line}", f"{exc}; row skipped"))
            return None, self.problems
        return c, self.problems
