"""The one way text from data reaches the app's screen: as Content, never as markup.

Names, notes, feed titles and server reasons are other people's text. Given
to Textual as a ``str`` (``Static.update``, ``Label``, ``notify``, a border
title, an option or palette prompt) they are parsed as markup: ``[/`` crashes
the app, ``[@click=app.quit]`` runs an action, ``[Video]`` vanishes. And
Textual passes ESC through to the terminal. So every string from data goes
through here:

- :func:`plain` for data alone (optionally in one style);
- :func:`with_markup` where our own markup surrounds data: the data goes in as
  template variables, which Textual substitutes as plain text, never parsed;
- :func:`shown` for a ``str`` that goes into a Rich ``Text`` or an f-string
  that then goes through :func:`plain` (controls shown as escapes).
"""

from __future__ import annotations

from textual.content import Content

from nurture.safetext import visible

# Past these, a field is cut on screen (never in the file): a 100 KB name from a
# hostile vCard would otherwise cost seconds of wrapping on every redraw.
ONE_LINE_LIMIT = 1_000
MULTI_LINE_LIMIT = 20_000


def shown(text: str, *, multiline: bool = False) -> str:
    """``text`` with its control characters shown as escapes (see nurture.safetext).

    A very long field is cut, saying how much is left out.
    """
    limit = MULTI_LINE_LIMIT if multiline else ONE_LINE_LIMIT
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return visible(text, multiline=multiline)


def plain(text: str, style: str = "", *, multiline: bool = False) -> Content:
    """``text`` from data as Content: no markup parsed, controls shown as escapes."""
    return Content.styled(shown(text, multiline=multiline), style)


def with_markup(template: str, **data: str) -> Content:
    """Our ``template`` markup with ``$name`` variables filled from data as plain text.

    ``with_markup("Delete [b]$name[/b]?", name=contact.display_name)``
    """
    return Content.from_markup(template, **{key: shown(value, multiline=True)
                                            for key, value in data.items()})
