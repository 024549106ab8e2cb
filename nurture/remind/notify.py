"""One desktop notification through the freedesktop notification service.

``notify-send`` when it is installed, else ``gdbus`` calling
``org.freedesktop.Notifications.Notify`` directly. Notification bodies may
be read as a small subset of HTML by the server, so text from data is
escaped; arguments go to the program as a list, never through a shell.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

APP_NAME = "Nurture"
TIMEOUT_MS = 10_000

Runner = Callable[..., subprocess.CompletedProcess]


@dataclass(slots=True, frozen=True)
class Outcome:
    shown: bool
    how: str  # the program that showed it, or why nothing was shown


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() or c == "\n" else " " for c in text)


def gvariant_string(text: str) -> str:
    """``text`` as a GVariant text-format string literal (what gdbus parses)."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return f"'{escaped}'"


def notify(summary: str, body: str, *, which: Callable[[str], str | None] = shutil.which,
           run: Runner = subprocess.run) -> Outcome:
    """Show one notification; ``Outcome.how`` says which program did, or why none could."""
    summary = _printable(summary)
    body = html.escape(_printable(body), quote=False)
    commands: list[tuple[str, Sequence[str]]] = []
    notify_send = which("notify-send")
    if notify_send:
        commands.append(("notify-send", [notify_send, f"--app-name={APP_NAME}",
                                         f"--expire-time={TIMEOUT_MS}", "--", summary, body]))
    gdbus = which("gdbus")
    if gdbus:
        commands.append(("gdbus", [
            gdbus, "call", "--session", "--dest", "org.freedesktop.Notifications",
            "--object-path", "/org/freedesktop/Notifications",
            "--method", "org.freedesktop.Notifications.Notify",
            gvariant_string(APP_NAME), "0", "''", gvariant_string(summary),
            gvariant_string(body), "[]", "{}", str(TIMEOUT_MS)]))
    if not commands:
        return Outcome(False, "no desktop notification program (notify-send or gdbus) found")
    reasons = []
    for name, argv in commands:
        try:
            done = run(list(argv), capture_output=True, text=True, timeout=15, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"{name}: {exc}")
            continue
        if done.returncode == 0:
            return Outcome(True, name)
        said = (done.stderr or done.stdout or "").strip().splitlines()
        reasons.append(f"{name}: {_printable(said[0]) if said else f'exit {done.returncode}'}")
    return Outcome(False, "no desktop notification service answered (" + "; ".join(reasons)
                   + ")")
