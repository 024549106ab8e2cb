"""The morning review as a plain-text email (RFC 5322), sent through sendmail or SMTP.

The message is built with the standard ``email`` package (which folds and
encodes headers, so a name with accents or a newline cannot break them);
the body is the same lines ``nurture today`` prints.
"""

from __future__ import annotations

import os
import shutil
import smtplib
import subprocess
from collections.abc import Callable, Sequence
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from nurture.config import DigestConfig
from nurture.errors import NurtureError, ValidationError
from nurture.model import validate_email


def _line(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


def subject(count: int, today: date) -> str:
    day = today.strftime("%a %-d %b")
    if count == 0:
        return f"Nurture: nothing due on {day}"
    return f"Nurture: {count} to do on {day}"


def build_message(lines: Sequence[str], count: int, today: date, *, to: str, sender: str,
                  now: datetime) -> EmailMessage:
    """The digest: Date, From, To, Subject, Message-ID and a plain UTF-8 body of ``lines``."""
    to = validate_email(to)
    sender = validate_email(sender or to)
    message = EmailMessage()
    message["From"] = f"Nurture <{sender}>"
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Subject"] = subject(count, today)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    body = "\n".join(_line(line) for line in lines) + "\n\n-- \nSent by `nurture digest`.\n"
    # 8bit, not quoted-printable: the body stays readable in --dry-run and in any mail
    # reader; sendmail and SMTP servers carry 8BITMIME.
    message.set_content(body, subtype="plain", charset="utf-8", cte="8bit")
    return message


Runner = Callable[..., subprocess.CompletedProcess]


def send(message: EmailMessage, config: DigestConfig, *,
         which: Callable[[str], str | None] = shutil.which, run: Runner = subprocess.run,
         smtp: Callable[..., smtplib.SMTP] = smtplib.SMTP) -> str:
    """Send ``message``; returns how (``SMTP host:port`` or the sendmail path)."""
    if config.smtp_host:
        return _send_smtp(message, config, smtp)
    program = config.sendmail or which("sendmail") or ""
    if not program:
        raise NurtureError("cannot send the digest: no sendmail found; set [digest] smtp_host "
                           "(or sendmail) in config.toml, or use --dry-run")
    try:
        done = run([program, "-t", "-oi"], input=message.as_bytes(), capture_output=True,
                   timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NurtureError(f"cannot run {program}: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or b"").decode(errors="replace").strip().splitlines()
        raise NurtureError(f"{program} refused the digest: "
                           f"{_line(said[0]) if said else f'exit {done.returncode}'}")
    return program


def _send_smtp(message: EmailMessage, config: DigestConfig,
               smtp: Callable[..., smtplib.SMTP]) -> str:
    where = f"{config.smtp_host}:{config.smtp_port}"
    password = ""
    if config.smtp_user:
        if not config.smtp_password_env:
            raise ValidationError("digest.smtp_password_env",
                                  "name the environment variable that holds the password")
        password = os.environ.get(config.smtp_password_env, "")
        if not password:
            raise ValidationError("digest.smtp_password_env",
                                  f"${config.smtp_password_env} is not set")
    try:
        with smtp(config.smtp_host, config.smtp_port, timeout=30) as server:
            if config.smtp_starttls:
                server.starttls()
            if config.smtp_user:
                server.login(config.smtp_user, password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise NurtureError(f"SMTP {where} did not take the digest: {_line(str(exc))}") from None
    return f"SMTP {where}"
