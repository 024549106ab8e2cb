"""The ``$EDITOR`` round trip, for the command line (`nurture edit`) and the app (compose).

The text goes through a private temporary file (0600: it holds personal data),
removed afterwards; ``$VISUAL`` wins over ``$EDITOR``, then ``vi``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from nurture.errors import NurtureError


def editor_command() -> str:
    """The user's editor, as a command line."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


def edit_text(text: str, command: str | None = None, *, suffix: str = ".txt",
              prefix: str = "nurture-note-") -> str:
    """Round-trip ``text`` through the editor; raises `NurtureError` if it fails."""
    command = command or editor_command()
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)  # mkstemp: 0600
    path = Path(name)
    try:
        # Editors expect a file to end with a line break; it is taken off again after.
        added = not text.endswith("\n")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n" if added else text)
        try:
            result = subprocess.run([*shlex.split(command), str(path)], check=False)
        except OSError as exc:
            raise NurtureError(f"the editor ({command}) could not be started: "
                               f"{exc.strerror or exc}; the text is unchanged") from None
        if result.returncode != 0:
            raise NurtureError(f"the editor ({command}) exited with status {result.returncode}; "
                               "the text is unchanged")
        edited = path.read_text(encoding="utf-8")
        return edited[:-1] if added and edited.endswith("\n") else edited
    finally:
        path.unlink(missing_ok=True)


def keep_text(text: str, *, prefix: str, suffix: str) -> Path:
    """Save ``text`` to a private file that stays (an edit that could not be applied)."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(name)
