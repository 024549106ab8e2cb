"""Composing notes: templates and their filling, a sales-pitch check, and mailto links.

Pure logic below the TUI: the only I/O is reading user template files from a
folder the caller names (``nurture.locations.templates_dir()``).
"""

from nurture.compose.fill import (
    ComposedNote,
    choose_template,
    fill,
    join_draft,
    ordinal,
    split_draft,
    template_values,
)
from nurture.compose.pitch import PitchWarning, pitch_warnings
from nurture.compose.registry import TemplateFileError, builtin_templates, load_templates
from nurture.compose.send import SAFE_LENGTH, mailto_url
from nurture.compose.template import PLACEHOLDERS, Template, TemplateSyntaxError, Variant

__all__ = [
    "PLACEHOLDERS",
    "SAFE_LENGTH",
    "ComposedNote",
    "PitchWarning",
    "Template",
    "TemplateFileError",
    "TemplateSyntaxError",
    "Variant",
    "builtin_templates",
    "choose_template",
    "fill",
    "join_draft",
    "load_templates",
    "mailto_url",
    "ordinal",
    "pitch_warnings",
    "split_draft",
    "template_values",
]
