"""Errors a user can cause, each with a message meant for a person.

They are caught at the CLI and TUI edges and shown plainly; anything else is a
programming error and is left loud.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class NurtureError(Exception):
    """Base class for every error a user can cause."""


class ValidationError(NurtureError):
    """A value given for a field is not acceptable."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class DataFileError(NurtureError):
    """The data file (or its journal) cannot be used; it is left untouched."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class ReadOnlyBook(DataFileError):
    """The address book was opened read-only (see ``Store.read_only``); nothing was saved."""


class EditConflict(NurtureError):
    """Someone else changed the same field of a record while it was being edited.

    ``fields`` names them in the user's words, ``keys`` as stored (for a caller that
    lets the user insist on theirs: ``Store.save_contact(keep_mine=keys)``);
    ``current`` is the record as it is now.
    """

    def __init__(self, fields: list[str], message: str, *, keys: list[str] | None = None,
                 current: object = None) -> None:
        self.fields = fields
        self.field = fields[0] if fields else ""
        self.keys = keys or []
        self.message = message
        self.current = current
        super().__init__(message)


class NotFound(NurtureError):
    """Nothing matches what the user named."""


class Ambiguous(NurtureError):
    """Several things match what the user named."""

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates = list(candidates)
        listing = "; ".join(self.candidates[:10])
        more = f" (and {len(self.candidates) - 10} more)" if len(self.candidates) > 10 else ""
        super().__init__(f"{query!r} matches {len(self.candidates)} contacts: {listing}{more}")


class InputFileError(NurtureError):
    """A file the user gave us (import, config, rules) has a problem at a known place."""

    def __init__(self, path: Path | str, problem: str, *, line: int | None = None,
                 field: str | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.problem = problem
        where = str(path)
        if line is not None:
            where += f":{line}"
        if field:
            where += f" [{field}]"
        super().__init__(f"{where}: {problem}")
