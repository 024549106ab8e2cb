"""Add or edit a contact in a modal form that checks each field as you leave it.

The parsing of each field is a plain function (``FIELDS``) built on the model's
validators, so the form and its tests agree on what is accepted.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select

from nurture import actions
from nurture.errors import EditConflict, NurtureError, ValidationError
from nurture.model import (
    Channel,
    ChannelKind,
    Contact,
    Email,
    FamilyMember,
    KeyDate,
    Phone,
    RelationshipKind,
    format_cadence,
    normalize_tag,
    parse_cadence,
    validate_email,
    validate_phone,
)
from nurture.safetext import visible
from nurture.tui.text import plain, with_markup

if TYPE_CHECKING:
    from nurture.actions import ContactSaved
    from nurture.store import Store
    from nurture.tui.app import NurtureApp

# ------------------------------------------------------------ pure: one parser per field


def _items(text: str, separators: str = ",;") -> list[str]:
    return [p.strip() for p in re.split(f"[{separators}]", text) if p.strip()]


def parse_name(text: str) -> str:
    if not text.strip():
        raise ValidationError("name", "a contact needs a name")
    return text.strip()


def parse_emails(text: str) -> list[str]:
    return [validate_email(a) for a in _items(text, ",; ")]


def parse_phones(text: str) -> list[str]:
    return [validate_phone(p) for p in _items(text)]


def parse_interests(text: str) -> list[str]:
    return [t for t in (normalize_tag(p) for p in _items(text)) if t]


def parse_key_date(label: str) -> Callable[[str], KeyDate | None]:
    def parse(text: str) -> KeyDate | None:
        return KeyDate.parse(label, text.strip()) if text.strip() else None
    return parse


def parse_other_dates(text: str) -> list[KeyDate]:
    """``graduation: 2026-06-12 once; name day: 05-20`` (``once`` for a one-off date)."""
    found = []
    for part in _items(text, ";"):
        label, sep, when = part.rpartition(":")
        if not sep or not label.strip():
            raise ValidationError("dates", f"{part!r}: write it as 'label: date'")
        when = when.strip()
        once = when.endswith(" once")
        found.append(KeyDate.parse(label.strip(), when.removesuffix(" once").strip(),
                                   yearly=not once))
    return found


def parse_family(text: str) -> list[FamilyMember]:
    """``Erik (spouse), Liv (child)``; the relation defaults to "other"."""
    found = []
    for part in _items(text):
        m = re.fullmatch(r"(.+?)\s*(?:\(([^()]*)\))?", part)
        assert m is not None  # the pattern matches any non-empty text
        found.append(FamilyMember(m.group(1).strip(), (m.group(2) or "other").strip()))
    return found


def parse_channels(text: str) -> list[Channel]:
    """``phone, messaging:Signal`` — kinds from the model, an optional detail after ':'."""
    found = []
    for part in _items(text):
        kind, _, detail = part.partition(":")
        try:
            found.append(Channel(ChannelKind(kind.strip().lower()), detail.strip()))
        except ValueError:
            kinds = ", ".join(k.value for k in ChannelKind)
            raise ValidationError("channels", f"{kind.strip()!r} is not one of: {kinds}") \
                from None
    return found


# id, label, placeholder, parser, how a contact shows the value
FIELDS: list[tuple[str, str, str, Callable[[str], Any], Callable[[Contact], str]]] = [
    ("name", "Name", "e.g. Maya Lindqvist", parse_name, lambda c: c.display_name),
    ("nickname", "Nickname", "", str.strip, lambda c: c.nickname),
    ("company", "Company", "", str.strip, lambda c: c.company),
    ("title", "Role", "e.g. CTO", str.strip, lambda c: c.title),
    ("emails", "Emails", "e.g. maya@example.com, m@home.example", parse_emails,
     lambda c: ", ".join(e.address for e in c.emails)),
    ("phones", "Phones", "e.g. +46 70 123 4567", parse_phones,
     lambda c: ", ".join(p.number for p in c.phones)),
    ("interests", "Interests", "e.g. sailing, jazz", parse_interests,
     lambda c: ", ".join(c.interests)),
    ("birthday", "Birthday", "e.g. 1984-03-14, or 03-14 without the year",
     parse_key_date("birthday"), lambda c: c.birthday.text().removeprefix("--")
     if c.birthday else ""),
    ("anniversary", "Anniversary", "e.g. 2019-06-01", parse_key_date("anniversary"),
     lambda c: d.text().removeprefix("--") if (d := c.key_date("anniversary")) else ""),
    ("dates", "Other dates", "e.g. graduation: 2026-06-12 once; name day: 05-20",
     parse_other_dates, lambda c: "; ".join(
         f"{d.label}: {d.text().removeprefix('--')}{'' if d.yearly else ' once'}"
         for d in c.key_dates if d.label.casefold() not in ("birthday", "anniversary"))),
    ("family", "Family", "e.g. Erik (spouse), Liv (child)", parse_family,
     lambda c: ", ".join(f"{m.name} ({m.relation})" for m in c.family)),
    ("channels", "Reach by", "e.g. phone, email, card, messaging:Signal", parse_channels,
     lambda c: ", ".join(f"{ch.kind.value}:{ch.detail}" if ch.detail else ch.kind.value
                         for ch in c.channels)),
    ("cadence", "Keep in touch", "every 2w, 3m, 1y, or a number of days", parse_cadence,
     lambda c: format_cadence(c.cadence_days)),
    ("met", "How we met", "", str.strip, lambda c: c.how_we_met),
    ("notes", "Notes", "", str.strip, lambda c: c.notes),
]


def build_contact(values: dict[str, Any], kind: RelationshipKind,
                  original: Contact | None) -> Contact:
    """A new or updated contact from parsed field values; what the form cannot show is kept."""
    contact = Contact.new(values["name"]) if original is None else dataclasses.replace(original)
    old_email_labels = {e.address: e.label for e in contact.emails}
    old_phone_labels = {p.number: p.label for p in contact.phones}
    if original is not None and values["name"] != original.display_name \
            and f"{original.given_name} {original.family_name}".strip() == original.display_name:
        contact.given_name, _, contact.family_name = values["name"].partition(" ")
    contact.display_name = values["name"]
    contact.nickname, contact.company, contact.title = (values["nickname"], values["company"],
                                                        values["title"])
    contact.kind = kind
    contact.emails = [Email(a, old_email_labels.get(a, "")) for a in values["emails"]]
    contact.phones = [Phone(n, old_phone_labels.get(n, "")) for n in values["phones"]]
    contact.interests = values["interests"]
    contact.key_dates = [d for d in (values["birthday"], values["anniversary"]) if d] \
        + values["dates"]
    contact.family = values["family"]
    contact.channels = values["channels"]
    contact.cadence_days = values["cadence"]
    contact.how_we_met, contact.notes = values["met"], values["notes"]
    contact.validate()
    return contact


# ------------------------------------------------------------ the form


class FieldCheck(Validator):
    """Textual's validation, driven by the field's own parser and its message."""

    def __init__(self, parser: Callable[[str], Any]) -> None:
        super().__init__()
        self.parser = parser

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parser(value)
        except ValidationError as exc:
            return self.failure(exc.message, value)
        except NurtureError as exc:
            return self.failure(str(exc), value)
        return self.success()


# Where a field that another window changed meanwhile shows (stored key -> form field).
_FORM_FIELD = {"display_name": "name", "given_name": "name", "family_name": "name",
               "cadence_days": "cadence", "how_we_met": "met", "key_dates:birthday": "birthday",
               "key_dates:anniversary": "anniversary"}


class ContactForm(ModalScreen[Contact | None]):
    """Saves the new or edited contact and dismisses with it as saved, or with None.

    The save merges with whatever another window saved meanwhile; when both changed
    a field, the form stays open with your text, marks the field, and a second save
    keeps yours there.
    """

    app: NurtureApp
    # Typing starts with the name (the first focusable widget is the scrolling form).
    AUTO_FOCUS = "#f-name"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Check and save",
                id="form-save"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="form-cancel"),
    ]
    DEFAULT_CSS = """
    ContactForm { align: center middle; }
    ContactForm > Vertical {
        width: 90; max-width: 100%; height: 90%; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ContactForm .row { height: auto; }
    ContactForm .row Label.field { width: 14; padding-right: 1; text-align: right; }
    ContactForm .row Input, ContactForm .row Select { width: 1fr; }
    ContactForm .error { color: $error; padding-left: 15; display: none; }
    ContactForm .error.-shown { display: block; }
    ContactForm #buttons { height: auto; align: right middle; padding-top: 1; }
    ContactForm #buttons Button { margin-left: 2; }
    """

    def __init__(self, contact: Contact | None = None) -> None:
        super().__init__()
        self.original = contact
        self.values: dict[str, Any] = {}
        self.keep_mine: set[str] = set()  # fields where you chose yours over another edit
        # field id -> (its text in the contact, as the input shows it): an input
        # shows control characters as escapes (Textual would send them to the
        # terminal), and a field left as shown keeps its original text on save.
        self._initial: dict[str, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        contact = self.original
        with Vertical() as box:
            box.border_title = (with_markup("Edit $name", name=contact.display_name)
                                if contact else "New contact")
            with VerticalScroll():
                for field_id, label, placeholder, parser, shown in FIELDS:
                    raw = shown(contact) if contact else ""
                    self._initial[field_id] = (raw, visible(raw))
                    with Horizontal(classes="row"):
                        yield Label(label, classes="field")
                        yield Input(visible(raw), placeholder=placeholder,
                                    id=f"f-{field_id}", validators=[FieldCheck(parser)],
                                    validate_on=["blur", "submitted"], compact=True)
                    yield Label("", id=f"e-{field_id}", classes="error")
                    if field_id == "title":
                        with Horizontal(classes="row"):
                            yield Label("Kind", classes="field")
                            yield Select([(k.value, k) for k in RelationshipKind],
                                         value=contact.kind if contact else
                                         RelationshipKind.OTHER, allow_blank=False,
                                         id="f-kind", compact=True)
            with Horizontal(id="buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def check(self, field_id: str) -> bool:
        """Validate one field, show or clear its message; True when it is valid."""
        field = self.query_one(f"#f-{field_id}", Input)
        result = field.validate(field.value)  # also sets the -invalid class
        error = self.query_one(f"#e-{field_id}", Label)
        if result is None or result.is_valid:
            error.remove_class("-shown")
            return True
        error.update(plain("⚠ " + "; ".join(result.failure_descriptions)))  # quotes input
        error.add_class("-shown")
        return False

    @on(Input.Blurred)
    def _checked_on_leave(self, event: Input.Blurred) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            self.check(event.input.id.removeprefix("f-"))

    @on(Input.Changed)
    def _rechecked_while_wrong(self, event: Input.Changed) -> None:
        # Only a field already marked wrong is re-checked as you type: the mark goes
        # away as soon as it is right, without nagging while a value is half typed.
        if event.input.has_class("-invalid") and event.input.id:
            self.check(event.input.id.removeprefix("f-"))

    @on(Input.Submitted)
    def _next_on_enter(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        bad = [field_id for field_id, *_ in FIELDS if not self.check(field_id)]
        if not bad:
            self.values = {field_id: parser(self._value(field_id))
                           for field_id, _, _, parser, _ in FIELDS}
        if bad:
            self.query_one(f"#f-{bad[0]}", Input).focus()
            self.notify(f"{len(bad)} field{'s' if len(bad) > 1 else ''} to fix before saving.",
                        severity="warning", timeout=4)
            return
        kind = self.query_one("#f-kind", Select).selection
        if not isinstance(kind, RelationshipKind):  # (the select cannot be blank)
            kind = RelationshipKind.OTHER
        try:
            contact = build_contact(self.values, kind, self.original)
        except NurtureError as exc:
            self.notify(str(exc), severity="error")
            return
        base, keep = self.original, frozenset(self.keep_mine)

        def save(store: Store) -> ContactSaved:
            # The same actions as `nurture add` and `nurture edit`, so both make one contact.
            if base is None:
                return actions.add_contact(store, contact)
            return actions.edit_contact(store, contact, base=base, keep_mine=keep)

        self.app.run_write(save, done=self._saved, error=self._not_saved,
                           description=f"save {contact.display_name}")

    def _saved(self, result: ContactSaved) -> None:
        self.dismiss(result.contact)

    def _not_saved(self, exc: Exception) -> None:
        """The form stays open with your text; a field both edits changed is marked."""
        if not isinstance(exc, EditConflict):
            return
        for key in exc.keys:
            field_id = _FORM_FIELD.get(key, "dates" if key.startswith("key_dates:") else key)
            if not self.query(f"#e-{field_id}"):
                continue  # not on the form (kind, imported details): the message names it
            error = self.query_one(f"#e-{field_id}", Label)
            error.update("⚠ changed in another window meanwhile; save again to keep yours, "
                         "Esc to keep theirs")
            error.add_class("-shown")
        self.keep_mine.update(exc.keys)

    def _value(self, field_id: str) -> str:
        """The field's text; one left as it was shown keeps the contact's own text."""
        value = self.query_one(f"#f-{field_id}", Input).value
        raw, displayed = self._initial.get(field_id, ("", ""))
        return raw if value == displayed else value

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
