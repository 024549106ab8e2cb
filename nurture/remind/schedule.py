"""Run a reminder each morning: a systemd user timer, or a crontab line without systemd.

The unit files are written under ``$XDG_CONFIG_HOME/systemd/user``; the
crontab line carries a marker comment so that it can be found and removed.
Everything that touches the machine (``systemctl``, ``crontab``) goes through
a `Host`, so tests look at files and commands without installing anything.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nurture.errors import NurtureError, ValidationError

UNIT = "nurture-remind"
MARKER = "# nurture-remind"
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(text: str) -> tuple[int, int]:
    """``08:30`` → (8, 30)."""
    m = _TIME_RE.match(text.strip())
    if not m:
        raise ValidationError("at", f"{text!r} is not a time of day (HH:MM, e.g. 08:30)")
    return int(m.group(1)), int(m.group(2))


def systemd_quote(arg: str) -> str:
    """One ExecStart argument: double-quoted, with ``%`` and ``$`` not expanded."""
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def unit_files(command: Sequence[str], hour: int, minute: int) -> dict[str, str]:
    """The service (runs ``command`` once) and the timer (daily at hour:minute)."""
    exec_start = " ".join(systemd_quote(a) for a in command)
    service = (f"[Unit]\nDescription=Nurture: the morning reminder\n\n"
               f"[Service]\nType=oneshot\nExecStart={exec_start}\n")
    timer = (f"[Unit]\nDescription=Nurture: the morning reminder, daily at "
             f"{hour:02d}:{minute:02d}\n\n"
             f"[Timer]\nOnCalendar=*-*-* {hour:02d}:{minute:02d}:00\nPersistent=true\n\n"
             f"[Install]\nWantedBy=timers.target\n")
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def cron_line(command: Sequence[str], hour: int, minute: int, uid: int) -> str:
    """A crontab line; the session bus is named so that a notification can reach the desktop."""
    words = " ".join(shlex.quote(a) for a in command).replace("%", "\\%")
    bus = f"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{uid}/bus"
    return f"{minute} {hour} * * * {bus} {words} {MARKER}"


def systemd_user_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


@dataclass
class Host:
    """The machine: whether systemd runs it, and how programs are run on it."""

    systemd: bool
    crontab: bool
    unit_dir: Path = field(default_factory=systemd_user_dir)

    def run(self, argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60,
                              check=False)


def detect() -> Host:
    """systemd when it booted this machine (sd_booted: /run/systemd/system) and systemctl
    is there; crontab when that program is."""
    systemd = Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None
    return Host(systemd=systemd, crontab=shutil.which("crontab") is not None)


def _check(done: subprocess.CompletedProcess, what: str) -> None:
    if done.returncode != 0:
        said = (done.stderr or done.stdout or "").strip().splitlines()
        raise NurtureError(f"{what} failed: {said[0] if said else f'exit {done.returncode}'}")


def _crontab(host: Host) -> list[str]:
    done = host.run(["crontab", "-l"])
    # "no crontab for user" is exit 1 with nothing installed: an empty table.
    return done.stdout.splitlines() if done.returncode == 0 else []


def install(host: Host, command: Sequence[str], hour: int, minute: int) -> str:
    """Install (or replace) the daily reminder; returns a sentence saying what was done."""
    if host.systemd:
        host.unit_dir.mkdir(parents=True, exist_ok=True)
        for name, text in unit_files(command, hour, minute).items():
            (host.unit_dir / name).write_text(text, encoding="utf-8")
        _check(host.run(["systemctl", "--user", "daemon-reload"]), "systemctl daemon-reload")
        _check(host.run(["systemctl", "--user", "enable", "--now", f"{UNIT}.timer"]),
               "systemctl enable")
        return (f"Installed the systemd user timer {UNIT}.timer (daily at {hour:02d}:{minute:02d})"
                f" in {host.unit_dir}.")
    if host.crontab:
        lines = [line for line in _crontab(host) if MARKER not in line]
        lines.append(cron_line(command, hour, minute, os.getuid()))
        _check(host.run(["crontab", "-"], stdin="\n".join(lines) + "\n"), "crontab")
        return f"Added a crontab line (daily at {hour:02d}:{minute:02d})."
    raise NurtureError("neither systemd nor crontab is available; run this each morning "
                       "yourself: " + " ".join(shlex.quote(a) for a in command))


def uninstall(host: Host) -> str:
    removed = []
    timer = host.unit_dir / f"{UNIT}.timer"
    if timer.exists() or (host.unit_dir / f"{UNIT}.service").exists():
        if host.systemd:
            host.run(["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"])
        for name in (f"{UNIT}.timer", f"{UNIT}.service"):
            (host.unit_dir / name).unlink(missing_ok=True)
        if host.systemd:
            host.run(["systemctl", "--user", "daemon-reload"])
        removed.append(f"the systemd user timer {UNIT}.timer")
    if host.crontab:
        lines = _crontab(host)
        kept = [line for line in lines if MARKER not in line]
        if len(kept) != len(lines):
            _check(host.run(["crontab", "-"], stdin="\n".join(kept) + "\n" if kept else ""),
                   "crontab")
            removed.append("the crontab line")
    if not removed:
        return "No reminder was installed."
    return "Removed " + " and ".join(removed) + "."


def status(host: Host) -> list[str]:
    """What is installed, one line each."""
    found = []
    timer = host.unit_dir / f"{UNIT}.timer"
    service = host.unit_dir / f"{UNIT}.service"
    if timer.exists():
        when = re.search(r"^OnCalendar=\*-\*-\* (\d\d:\d\d)", timer.read_text(), re.MULTILINE)
        runs = re.search(r"^ExecStart=(.*)$", service.read_text(), re.MULTILINE) \
            if service.exists() else None
        state = ""
        if host.systemd:
            active = host.run(["systemctl", "--user", "is-active", f"{UNIT}.timer"])
            state = f" ({active.stdout.strip() or 'unknown'})"
        found.append(f"systemd user timer {timer}{state}: daily at "
                     f"{when.group(1) if when else '?'}, runs {runs.group(1) if runs else '?'}")
    if host.crontab:
        for line in _crontab(host):
            if MARKER in line:
                found.append(f"crontab: {line}")
    return found or ["No reminder is installed. `nurture remind install` adds one."]
