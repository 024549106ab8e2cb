"""Which CSV column means what: Google Contacts, Outlook, LinkedIn, or the user's --map.

Each profile turns a header row into ``{column: Target}``. Google numbers its
repeated fields ("E-mail 2 - Value" with its label in "E-mail 2 - Label");
Outlook has one fixed column per kind of number and address; LinkedIn's
Connections.csv is short and starts with a notes preamble (skipped by the reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nurture.errors import NurtureError
from nurture.model import fold

FIELDS = {
    "name": "the full display name",
    "given_name": "first name", "middle_name": "middle name", "family_name": "last name",
    "prefix": "name prefix (Dr.)", "suffix": "name suffix (Jr.)",
    "nickname": "nickname", "company": "company", "department": "department",
    "title": "job title", "email": "an email address (email:LABEL to label it)",
    "phone": "a phone number (phone:LABEL)", "street": "street (street:LABEL groups an address)",
    "pobox": "PO box", "city": "city", "region": "region or state", "postcode": "postcode",
    "country": "country", "address": "a whole address in one cell",
    "birthday": "birthday", "anniversary": "anniversary", "date": "another date (date:LABEL)",
    "notes": "notes", "tags": "interests, separated by commas or semicolons",
    "url": "a web page", "how_we_met": "how you met", "kind": "relationship kind",
    "cadence": "keep-in-touch cadence (30, 2w, 3m)", "spouse": "spouse's name",
    "children": "children's names, comma-separated", "relation": "a relative (relation:LABEL)",
    "connected_on": "the date you connected (LinkedIn)",
    "custom": "kept with the contact under its label (custom:LABEL)",
    "ignore": "leave the column out",
}
ADDRESS_PARTS = {"street", "pobox", "city", "region", "postcode", "country"}
LABELLED = {"email", "phone", "street", "pobox", "city", "region", "postcode", "country",
            "address", "date", "relation"}


@dataclass(frozen=True, slots=True)
class Target:
    """Where one column's value goes."""

    field: str
    label: str = ""  # a fixed label ("mobile", "work")
    label_column: str = ""  # or the column holding the label (Google's "… - Label")
    group: str = ""  # address parts with the same group form one address


def parse_map(spec: str) -> tuple[str, Target]:
    """``COLUMN=FIELD[:LABEL]`` from ``--map``."""
    column, sep, target = spec.partition("=")
    if not sep or not column.strip() or not target.strip():
        raise NurtureError(f"--map {spec!r}: use COLUMN=FIELD, e.g. --map 'Mobile=phone:mobile'")
    field, _, label = target.strip().partition(":")
    field = field.strip().lower().replace("-", "_")
    if field not in FIELDS:
        raise NurtureError(f"--map {spec!r}: unknown field {field!r}; fields are: "
                           + ", ".join(sorted(FIELDS)))
    label = label.strip()
    group = (label or "mapped") if field in ADDRESS_PARTS else ""
    return column.strip(), Target(field, label, group=group)


# ---------------------------------------------------------------- Google Contacts

_GOOGLE_NUMBERED = re.compile(
    r"^(?P<kind>E-mail|Phone|Address|Website|Event|Relation|Custom Field|Organization) "
    r"(?P<n>\d+) - (?P<part>.+)$")
_GOOGLE_ADDRESS_PART = {"Street": "street", "City": "city", "PO Box": "pobox",
                        "Region": "region", "Postal Code": "postcode", "Country": "country",
                        "Extended Address": "street", "Formatted": "ignore"}
_GOOGLE_SIMPLE = {
    # The export since 2023 ("Google CSV")…
    "First Name": "given_name", "Middle Name": "middle_name", "Last Name": "family_name",
    "Organization Name": "company", "Organization Title": "title",
    "Organization Department": "department", "Labels": "tags",
    # …and the older one ("Google CSV" before 2023, still offered by many tools).
    "Name": "name", "Given Name": "given_name", "Additional Name": "middle_name",
    "Family Name": "family_name", "Group Membership": "tags",
    # Both.
    "Name Prefix": "prefix", "Name Suffix": "suffix", "Nickname": "nickname",
    "Birthday": "birthday", "Notes": "notes",
    "Photo": "ignore", "File As": "ignore",
}


def google(headers: list[str]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for column in headers:
        if column in _GOOGLE_SIMPLE:
            out[column] = Target(_GOOGLE_SIMPLE[column])
            continue
        m = _GOOGLE_NUMBERED.match(column)
        if not m:
            continue
        kind, n, part = m.group("kind"), m.group("n"), m.group("part")
        label_col = next((f"{kind} {n} - {w}" for w in ("Label", "Type")
                          if f"{kind} {n} - {w}" in headers), "")
        if kind == "Organization":
            field = {"Name": "company", "Title": "title", "Department": "department"}.get(part)
            if field and n == "1":
                out[column] = Target(field)
            continue
        if part != "Value" and kind != "Address":
            continue
        if kind == "Address":
            field = _GOOGLE_ADDRESS_PART.get(part)
            if field:
                out[column] = Target(field, label_column=label_col, group=f"google {n}")
            continue
        field = {"E-mail": "email", "Phone": "phone", "Website": "url", "Event": "date",
                 "Relation": "relation", "Custom Field": "custom"}[kind]
        out[column] = Target(field, label_column=label_col)
    return out


# ---------------------------------------------------------------- Outlook

_OUTLOOK_ADDRESS = {"Business": "work", "Home": "home", "Other": "other"}
_OUTLOOK_PARTS = {"Street": "street", "Street 2": "street", "Street 3": "street",
                  "City": "city", "State": "region", "Postal Code": "postcode",
                  "Country/Region": "country", "Country": "country", "Address PO Box": "pobox"}
_OUTLOOK_PHONES = {
    "Mobile Phone": "mobile", "Home Phone": "home", "Home Phone 2": "home",
    "Business Phone": "work", "Business Phone 2": "work", "Company Main Phone": "main",
    "Primary Phone": "", "Other Phone": "other", "Car Phone": "car", "Pager": "pager",
    "Business Fax": "work fax", "Home Fax": "home fax", "Other Fax": "fax",
    "Assistant's Phone": "assistant", "Callback": "callback", "Radio Phone": "radio",
    "ISDN": "isdn", "TTY/TDD Phone": "textphone",
}
_OUTLOOK_SIMPLE = {
    "First Name": "given_name", "Middle Name": "middle_name", "Last Name": "family_name",
    "Title": "prefix", "Suffix": "suffix", "Nickname": "nickname", "Company": "company",
    "Department": "department", "Job Title": "title", "Birthday": "birthday",
    "Anniversary": "anniversary", "Notes": "notes", "Categories": "tags", "Web Page": "url",
    "Personal Web Page": "url", "Spouse": "spouse", "Children": "children",
    "E-mail Address": "email", "E-mail 2 Address": "email", "E-mail 3 Address": "email",
    "E-mail Type": "ignore", "E-mail 2 Type": "ignore", "E-mail 3 Type": "ignore",
    "E-mail Display Name": "ignore", "E-mail 2 Display Name": "ignore",
    "E-mail 3 Display Name": "ignore", "Display Name": "name",
}
# Values Outlook writes into every row; keeping them would say nothing.
OUTLOOK_DEFAULTS = {"normal", "false", "unspecified", "0/0/00", "0.0.00", "00.00.00"}


def outlook(headers: list[str]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for column in headers:
        if column in _OUTLOOK_SIMPLE:
            out[column] = Target(_OUTLOOK_SIMPLE[column])
        elif column in _OUTLOOK_PHONES:
            out[column] = Target("phone", _OUTLOOK_PHONES[column])
        else:
            where, _, part = column.partition(" ")
            if where in _OUTLOOK_ADDRESS and part in _OUTLOOK_PARTS:
                label = _OUTLOOK_ADDRESS[where]
                out[column] = Target(_OUTLOOK_PARTS[part], label, group=label)
    return out


# ---------------------------------------------------------------- Thunderbird

# Thunderbird's "Comma Separated" export; UK builds write County, Post Code
# and Organisation, older ones Zipcode and Address2.
_THUNDERBIRD_SIMPLE = {
    "First Name": "given_name", "Last Name": "family_name", "Display Name": "name",
    "Nickname": "nickname", "Primary Email": "email", "Secondary Email": "email",
    "Job Title": "title", "Department": "department", "Organization": "company",
    "Organisation": "company", "Web Page 1": "url", "Web Page 2": "url",
    "Birth Year": "birth_year", "Birth Month": "birth_month", "Birth Day": "birth_day",
    "Notes": "notes",
}
_THUNDERBIRD_PHONES = {"Work Phone": "work", "Home Phone": "home", "Fax Number": "fax",
                       "Pager Number": "pager", "Mobile Number": "mobile"}
_THUNDERBIRD_PARTS = {"Address": "street", "Address 2": "street", "Address2": "street",
                      "City": "city", "State": "region", "County": "region",
                      "ZipCode": "postcode", "Zipcode": "postcode", "Zip": "postcode",
                      "Post Code": "postcode", "Country": "country"}


def thunderbird(headers: list[str]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for column in headers:
        if column in _THUNDERBIRD_SIMPLE:
            out[column] = Target(_THUNDERBIRD_SIMPLE[column])
        elif column in _THUNDERBIRD_PHONES:
            out[column] = Target("phone", _THUNDERBIRD_PHONES[column])
        else:
            where, _, part = column.partition(" ")
            if where in ("Home", "Work") and part in _THUNDERBIRD_PARTS:
                label = where.lower()
                out[column] = Target(_THUNDERBIRD_PARTS[part], label, group=label)
    return out


# ---------------------------------------------------------------- LinkedIn

_LINKEDIN = {"First Name": "given_name", "Last Name": "family_name", "URL": "url",
             "Email Address": "email", "Company": "company", "Position": "title",
             "Connected On": "connected_on"}


def linkedin(headers: list[str]) -> dict[str, Target]:
    return {c: Target(_LINKEDIN[c]) for c in headers if c in _LINKEDIN}


# ---------------------------------------------------------------- anything else

_GENERIC = {
    "name": "name", "full name": "name", "display name": "name", "contact": "name",
    "first name": "given_name", "given name": "given_name", "firstname": "given_name",
    "last name": "family_name", "surname": "family_name", "family name": "family_name",
    "lastname": "family_name", "middle name": "middle_name", "nickname": "nickname",
    "company": "company", "organization": "company", "organisation": "company",
    "employer": "company", "title": "title", "job title": "title", "position": "title",
    "role": "title", "email": "email", "e-mail": "email", "email address": "email",
    "e-mail address": "email", "phone": "phone", "telephone": "phone", "phone number": "phone",
    "mobile": "phone:mobile", "cell": "phone:mobile", "mobile phone": "phone:mobile",
    "birthday": "birthday", "date of birth": "birthday", "dob": "birthday", "born": "birthday",
    "anniversary": "anniversary", "notes": "notes", "note": "notes", "comments": "notes",
    "tags": "tags", "interests": "tags", "labels": "tags", "categories": "tags",
    "website": "url", "url": "url", "web page": "url", "homepage": "url",
    "street": "street", "address": "address", "city": "city", "town": "city",
    "state": "region", "region": "region", "province": "region", "postcode": "postcode",
    "postal code": "postcode", "zip": "postcode", "zip code": "postcode", "country": "country",
    "how we met": "how_we_met", "how_we_met": "how_we_met", "kind": "kind",
    "relationship": "kind", "cadence": "cadence", "spouse": "spouse", "children": "children",
}


def generic(headers: list[str]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for column in headers:
        spec = _GENERIC.get(" ".join(fold(column).replace("_", " ").split()))
        if spec:
            field, _, label = spec.partition(":")
            group = "generic" if field in ("street", "city", "region", "postcode",
                                           "country") else ""
            out[column] = Target(field, label, group=group)
    return out


PROFILES = {"google": google, "outlook": outlook, "thunderbird": thunderbird,
            "linkedin": linkedin, "generic": generic}
FORMATS = ("auto", "google", "outlook", "thunderbird", "linkedin", "generic")


def detect(headers: list[str]) -> str:
    """Which producer wrote a CSV with these headers."""
    have = set(headers)
    if {"First Name", "Last Name", "Connected On"} <= have:
        return "linkedin"
    if any(_GOOGLE_NUMBERED.match(h) for h in headers) or "Group Membership" in have \
            or {"Given Name", "Family Name"} <= have or "Organization Name" in have:
        return "google"
    if "Primary Email" in have and have & {"Screen Name", "Mobile Number", "Birth Year"}:
        return "thunderbird"
    if {"First Name", "Last Name"} <= have and have & {
            "E-mail Address", "Business Phone", "Mobile Phone", "Home Street", "Job Title"}:
        return "outlook"
    return "generic"
