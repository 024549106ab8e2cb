"""What went wrong while reading, named by path, in one sentence each. Pure data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Problem:
    """A source (a folder, a file, a message in a file) that could not be used and was skipped."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
