"""Where templates come from: the built-ins shipped with Nurture, then the user's folder.

A user template is one TOML file in ``templates_dir()`` (see
the README (Composing a note)). A file with a mistake is reported with its path and
the field at fault and skipped; the other files still load. A user file with a
built-in's id replaces that built-in.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from nurture.compose.template import Template, TemplateSyntaxError, Variant
from nurture.errors import InputFileError, NurtureError

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_FIELDS = {"id", "title", "description", "subject", "body", "requires", "variant"}
_VARIANT_FIELDS = {"subject", "body", "requires"}
_MAX_BYTES = 64 * 1024  # a note template, not a novel


class TemplateFileError(NurtureError):
    """A template file with a mistake in ``field`` (None: the file as a whole)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@functools.cache
def builtin_templates() -> dict[str, Template]:
    """The templates shipped with Nurture (read once; a broken one is a bug, so it raises)."""
    out: dict[str, Template] = {}
    folder = resources.files("nurture.compose") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            template = template_from_toml(entry.read_text(encoding="utf-8"),
                                          entry.name[:-5], source="built-in")
            out[template.id] = template
    return out


def load_templates(user_dir: Path | None) -> tuple[dict[str, Template], list[str]]:
    """Built-in and user templates by id, and a message for each user file that was skipped."""
    templates = dict(builtin_templates())
    problems: list[str] = []
    if user_dir is None or not user_dir.is_dir():
        return templates, problems
    for path in sorted(user_dir.glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            raw = path.read_bytes()
            if len(raw) > _MAX_BYTES:
                raise TemplateFileError(None, f"is larger than {_MAX_BYTES // 1024} KB")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateFileError(None, "is not UTF-8 text") from None
            template = template_from_toml(text, path.stem, source=str(path))
        except OSError as exc:
            problems.append(str(InputFileError(path, f"cannot be read ({exc.strerror})")))
            continue
        except TemplateFileError as exc:
            problems.append(str(InputFileError(path, exc.message, field=exc.field)))
            continue
        templates[template.id] = template
    return templates, problems


def template_from_toml(text: str, default_id: str, *, source: str) -> Template:
    """One template from the text of a TOML file; raises ``TemplateFileError`` naming the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateFileError(None, f"is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        known = ", ".join(sorted(_FIELDS))
        raise TemplateFileError(unknown[0], f"is not a template field (known: {known})")
    template_id = _string(data, "id", default_id.lower())
    if not _ID.match(template_id):
        raise TemplateFileError("id", f"{template_id!r} must be lower-case letters, digits "
                                "and dashes")
    title = _string(data, "title", template_id.replace("-", " ").capitalize())
    subject = _string(data, "subject", "")
    if "variant" in data:
        if "body" in data or "requires" in data:
            raise TemplateFileError("body", "give either a top-level body or [[variant]] "
                                    "tables, not both")
        tables = data["variant"]
        if not isinstance(tables, list) or not tables or \
                not all(isinstance(t, dict) for t in tables):
            raise TemplateFileError("variant", "must be one or more [[variant]] tables")
    elif "body" in data:
        tables = [{k: data[k] for k in ("body", "requires") if k in data}]
    else:
        raise TemplateFileError("body", "is missing: a template needs a body (or [[variant]] "
                                "tables)")
    variants = tuple(_variant(table, index, subject, len(tables) > 1 or "variant" in data)
                     for index, table in enumerate(tables, start=1))
    return Template(id=template_id, title=title, variants=variants,
                    description=_string(data, "description", ""), source=source)


def _variant(table: dict[str, Any], index: int, subject: str, numbered: bool) -> Variant:
    prefix = f"variant[{index}]." if numbered else ""
    unknown = sorted(set(table) - _VARIANT_FIELDS)
    if unknown:
        raise TemplateFileError(prefix + unknown[0], "is not a variant field (known: body, "
                                "requires, subject)")
    body = _string(table, "body", None, prefix)
    requires = table.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise TemplateFileError(prefix + "requires", "must be a list of placeholder names")
    try:
        return Variant.make(body.strip("\n"), _string(table, "subject", subject, prefix),
                            tuple(requires))
    except TemplateSyntaxError as exc:
        field, _, message = str(exc).partition(": ")
        raise TemplateFileError(prefix + field, message) from None


def _string(data: dict[str, Any], key: str, default: str | None, prefix: str = "") -> str:
    if key not in data:
        if default is None:
            raise TemplateFileError(prefix + key, "is missing")
        return default
    value = data[key]
    if not isinstance(value, str):
        raise TemplateFileError(prefix + key, f"must be text, got {value!r}")
    return value
