"""Reminders outside the app: `today --notify`, `digest`, `remind install|uninstall|status`.

Programs that reach the desktop or send mail are stand-ins written into a
temporary PATH (they record what they were given), except the SMTP test,
which talks to a real SMTP server (aiosmtpd) on 127.0.0.1. The timer is
checked as files in a temporary XDG dir; nothing is installed on the machine.
"""

from __future__ import annotations

import configparser
import os
import stat
import subprocess
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nurture.cli import main
from nurture.remind import schedule
from nurture.remind.notify import gvariant_string


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def program(directory: Path, name: str, script: str) -> Path:
    """A stand-in program on PATH: a shell script."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def book(capsys, monkeypatch):
    """Dan: birthday today, a call every 2 weeks (overdue); Maya: a <b>tag</b> in her name."""
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-22")
    for argv in (["add", "Dan Okafor", "--cadence", "14", "--channel", "phone",
                  "--birthday", "1980-11-22"],
                 ["add", "Maya <b>López</b>", "--cadence", "7"]):
        assert cli(capsys, *argv)[0] == 0
    assert cli(capsys, "log", "Dan", "Talked about the #yankees", "--kind", "call",
               "--at", "2026-11-01 10:00")[0] == 0
    assert cli(capsys, "log", "Maya", "Coffee", "--kind", "meeting",
               "--at", "2026-11-01 10:00")[0] == 0


# ---------------------------------------------------------------- notify


def test_notify_shows_the_count_and_top_suggestions_escaped(capsys, book, tmp_path, monkeypatch):
    log = tmp_path / "notify.log"
    bin_dir = tmp_path / "bin"
    program(bin_dir, "notify-send", f'for a in "$@"; do printf "%s\\n--\\n" "$a"; done > {log}\n')
    monkeypatch.setenv("PATH", str(bin_dir))
    code, out, err = cli(capsys, "today", "--notify")
    assert code == 0, err
    assert out == "Nurture: 3 to do today (shown by notify-send).\n"
    args = log.read_text().split("\n--\n")
    assert args[:4] == ["--app-name=Nurture", "--expire-time=10000", "--",
                        "Nurture: 3 to do today"]
    body = args[4].splitlines()
    assert body[0] == "• Dan Okafor's birthday"
    # The body may be read as markup by the notification server: data is escaped.
    assert "Maya &lt;b&gt;López&lt;/b&gt;" in args[4] and "<b>" not in args[4]
    assert len(body) == 3


def test_notify_without_any_service_says_so_once_and_exits_0(capsys, book, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, err = cli(capsys, "today", "--notify")
    assert code == 0 and out == ""
    assert err == ("nurture: no notification shown: no desktop notification program "
                   "(notify-send or gdbus) found.\n")


def test_notify_when_the_service_refuses(capsys, book, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    program(bin_dir, "notify-send", 'echo "Cannot connect to the session bus" >&2; exit 1\n')
    monkeypatch.setenv("PATH", str(bin_dir))
    code, _, err = cli(capsys, "today", "--notify")
    assert code == 0
    assert err.count("\n") == 1 and "notify-send: Cannot connect to the session bus" in err


def test_gvariant_strings_escape_quotes_backslashes_and_newlines():
    assert gvariant_string("Dan's \\ new\nline") == "'Dan\\'s \\\\ new\\nline'"


# ---------------------------------------------------------------- digest


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def test_digest_dry_run_is_an_rfc5322_message_listing_each_suggestion(capsys, book):
    code, out, err = cli(capsys, "digest", "--to", "me@example.org", "--dry-run")
    assert code == 0, err
    message = parse(out.encode())
    assert message["To"] == "me@example.org"
    assert message["From"].addresses[0].addr_spec == "me@example.org"
    assert parsedate_to_datetime(message["Date"]).date().isoformat() == "2026-11-22"
    assert message["Subject"] == "Nurture: 3 to do on Sun 22 Nov"
    assert message["Message-ID"].endswith("@example.org>")
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    code, today_json, _ = cli(capsys, "today", "--json")
    import json

    for suggestion in json.loads(today_json):
        assert suggestion["title"] in body
        assert " ".join(suggestion["reason"].split()[:6]) in " ".join(body.split())


def test_digest_needs_an_address(capsys, book):
    code, _, err = cli(capsys, "digest", "--dry-run")
    assert code == 1 and "give --to ADDRESS" in err
    code, _, err = cli(capsys, "digest", "--dry-run", "--to", "not an address")
    assert code == 1 and "is not an email address" in err


def test_digest_through_sendmail(capsys, book, tmp_path):
    captured = tmp_path / "sent.eml"
    sendmail = program(tmp_path / "bin", "sendmail", f'echo "$@" > {captured}.args\n'
                                                     f"cat > {captured}\n")
    config = tmp_path / "config.toml"
    config.write_text(f'[digest]\nto = "me@example.org"\nfrom = "nurture@example.org"\n'
                      f'sendmail = "{sendmail}"\n')
    code, out, err = cli(capsys, "--config", str(config), "digest")
    assert code == 0, err
    assert out == f"Sent the digest to me@example.org ({sendmail}).\n"
    assert Path(f"{captured}.args").read_text().split() == ["-t", "-oi"]
    message = parse(captured.read_bytes())
    assert message["From"].addresses[0].addr_spec == "nurture@example.org"
    assert "Dan Okafor's birthday" in message.get_content()


def test_digest_sendmail_failure_is_one_sentence(capsys, book, tmp_path):
    sendmail = program(tmp_path / "bin", "sendmail", 'echo "relay denied" >&2; exit 75\n')
    config = tmp_path / "config.toml"
    config.write_text(f'[digest]\nto = "me@example.org"\nsendmail = "{sendmail}"\n')
    code, _, err = cli(capsys, "--config", str(config), "digest")
    assert code == 1 and err == f"nurture: {sendmail} refused the digest: relay denied\n"


def test_digest_through_a_real_smtp_server(capsys, book, tmp_path):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()  # returns once the server answers
    try:
        config = tmp_path / "config.toml"
        config.write_text(f'[digest]\nto = "me@example.org"\nsmtp_host = "127.0.0.1"\n'
                          f"smtp_port = {port}\nsmtp_starttls = false\n")
        code, out, err = cli(capsys, "--config", str(config), "digest")
    finally:
        controller.stop()
    assert code == 0, err
    assert out == f"Sent the digest to me@example.org (SMTP 127.0.0.1:{port}).\n"
    (message,) = received
    assert message["Subject"] == "Nurture: 3 to do on Sun 22 Nov"
    assert message["X-RcptTo"] == "me@example.org"
    assert "Dan Okafor's birthday" in message.get_payload(decode=True).decode()


def free_port() -> int:
    """A port nobody listens on (the OS's pick, released for the caller)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_digest_smtp_unreachable_is_one_sentence(capsys, book, tmp_path):
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(f'[digest]\nto = "me@example.org"\nsmtp_host = "127.0.0.1"\n'
                      f"smtp_port = {port}\n")
    code, _, err = cli(capsys, "--config", str(config), "digest")
    assert code == 1 and err.startswith(f"nurture: SMTP 127.0.0.1:{port} did not take the digest")


# ---------------------------------------------------------------- remind


class FakeHost(schedule.Host):
    """A machine that records the commands it is asked to run; crontab kept in memory."""

    def __init__(self, unit_dir: Path, *, systemd: bool, crontab: bool = True) -> None:
        super().__init__(systemd=systemd, crontab=crontab, unit_dir=unit_dir)
        self.calls: list[list[str]] = []
        self.table: str | None = "MAILTO=me\n0 1 * * * backup\n"

    def run(self, argv, stdin=None):
        self.calls.append(list(argv))
        if argv[:2] == ["crontab", "-l"]:
            if self.table is None:
                return subprocess.CompletedProcess(argv, 1, "", "no crontab for me\n")
            return subprocess.CompletedProcess(argv, 0, self.table, "")
        if argv[:2] == ["crontab", "-"]:
            self.table = stdin
        out = "active\n" if "is-active" in argv else ""
        return subprocess.CompletedProcess(argv, 0, out, "")


@pytest.fixture
def units(tmp_path) -> Path:
    return tmp_path / "xdg-config" / "systemd" / "user"  # XDG_CONFIG_HOME from conftest


def test_remind_install_writes_a_timer_and_a_service(capsys, units, monkeypatch, db_path):
    assert schedule.systemd_user_dir() == units
    host = FakeHost(units, systemd=True)
    monkeypatch.setattr(schedule, "detect", lambda: host)
    code, out, err = cli(capsys, "remind", "install", "--at", "7:45")
    assert code == 0, err
    assert out.startswith("Installed the systemd user timer nurture-remind.timer (daily at 07:45)")
    timer = configparser.ConfigParser(interpolation=None)
    timer.optionxform = str  # type: ignore[assignment,method-assign]
    timer.read(units / "nurture-remind.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* 07:45:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = configparser.ConfigParser(interpolation=None)
    service.optionxform = str  # type: ignore[assignment,method-assign]
    service.read(units / "nurture-remind.service")
    assert service["Service"]["Type"] == "oneshot"
    exec_start = service["Service"]["ExecStart"]
    assert exec_start.endswith('"today" "--notify"')
    assert f'"--db" "{db_path}"' in exec_start
    assert ["systemctl", "--user", "enable", "--now", "nurture-remind.timer"] in host.calls
    code, out, _ = cli(capsys, "remind", "status")
    assert "nurture-remind.timer (active): daily at 07:45" in out
    code, out, _ = cli(capsys, "remind", "uninstall")
    assert out == "Removed the systemd user timer nurture-remind.timer.\n"
    assert not any(units.iterdir())
    code, out, _ = cli(capsys, "remind", "status")
    assert out.startswith("No reminder is installed.")


def test_remind_install_uses_crontab_without_systemd(capsys, units, monkeypatch, tmp_path):
    host = FakeHost(units, systemd=False)
    monkeypatch.setattr(schedule, "detect", lambda: host)
    config = tmp_path / "config.toml"
    config.write_text('[digest]\nto = "me@example.org"\n')
    code, out, err = cli(capsys, "--config", str(config), "remind", "install", "--digest")
    assert code == 0, err
    assert out == "Added a crontab line (daily at 08:30).\n"
    lines = host.table.splitlines()
    assert lines[:2] == ["MAILTO=me", "0 1 * * * backup"]  # the user's own lines kept
    assert lines[2].startswith("30 8 * * * DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/")
    assert lines[2].endswith(" digest # nurture-remind")
    cli(capsys, "--config", str(config), "remind", "install", "--at", "09:00", "--digest")
    assert [line.split()[:2] for line in host.table.splitlines()][2:] == [["0", "9"]]
    code, out, _ = cli(capsys, "remind", "uninstall")
    assert out == "Removed the crontab line.\n"
    assert host.table == "MAILTO=me\n0 1 * * * backup\n"
    assert not units.exists()


def test_remind_refusals(capsys, units, monkeypatch):
    monkeypatch.setattr(schedule, "detect",
                        lambda: FakeHost(units, systemd=False, crontab=False))
    code, _, err = cli(capsys, "remind", "install", "--at", "25:00")
    assert code == 1 and "'25:00' is not a time of day" in err
    code, _, err = cli(capsys, "remind", "install", "--digest")
    assert code == 1 and "[digest.to]" not in err and "set [digest] to" in err
    code, _, err = cli(capsys, "remind", "install")
    assert code == 1 and "neither systemd nor crontab is available" in err
    assert "today --notify" in err


def test_systemd_quoting_keeps_specifiers_and_variables_literal():
    assert schedule.systemd_quote('/home/a b/100%$HOME"x') == '"/home/a b/100%%$$HOME\\"x"'
    line = schedule.cron_line(["/usr/bin/python3", "-m", "nurture", "--db", "/d/my 50%.json"],
                              6, 5, 1000)
    assert line.startswith("5 6 * * * ") and "'/d/my 50\\%.json'" in line


def test_detect_reads_the_machine_without_changing_it():
    host = schedule.detect()
    assert host.systemd == (Path("/run/systemd/system").is_dir()
                            and any(Path(p, "systemctl").exists()
                                    for p in os.environ["PATH"].split(os.pathsep)))


@given(hour=st.integers(0, 23), minute=st.integers(0, 59), pad=st.booleans())
def test_parse_time_reads_every_time_of_day(hour, minute, pad):
    text = f"{hour:02d}:{minute:02d}" if pad else f"{hour}:{minute:02d}"
    assert schedule.parse_time(text) == (hour, minute)


@given(st.text(max_size=8))
def test_parse_time_refuses_anything_else_with_one_sentence(text):
    import re

    from nurture.errors import ValidationError

    if re.fullmatch(r"\s*([01]?\d|2[0-3]):[0-5]\d\s*", text):
        return
    with pytest.raises(ValidationError, match="is not a time of day"):
        schedule.parse_time(text)


def test_digest_without_sendmail_or_smtp_says_how_to_send(capsys, book, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, err = cli(capsys, "digest", "--to", "me@example.org")
    assert code == 1
    assert err == ("nurture: cannot send the digest: no sendmail found; set [digest] smtp_host "
                   "(or sendmail) in config.toml, or use --dry-run\n")


def test_digest_smtp_login_reads_the_password_from_the_environment(capsys, book, tmp_path,
                                                                   monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[digest]\nto = "me@example.org"\nsmtp_host = "127.0.0.1"\n'
                      'smtp_user = "me"\nsmtp_password_env = "NURTURE_TEST_SMTP_PW"\n')
    monkeypatch.delenv("NURTURE_TEST_SMTP_PW", raising=False)
    code, _, err = cli(capsys, "--config", str(config), "digest")
    assert code == 1 and "$NURTURE_TEST_SMTP_PW is not set" in err


def test_digest_smtp_login_against_a_real_server(capsys, book, tmp_path, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from aiosmtpd.smtp import AuthResult

    received, logins = [], []

    class Keep(Message):
        def handle_message(self, message) -> None:
            received.append(message)

    def authenticator(server, session, envelope, mechanism, data):
        logins.append((mechanism, data.login, data.password))
        return AuthResult(success=data.password == b"s3cret")

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    config = tmp_path / "config.toml"
    config.write_text(f'[digest]\nto = "me@example.org"\nsmtp_host = "127.0.0.1"\n'
                      f"smtp_port = {port}\nsmtp_starttls = false\nsmtp_user = \"me\"\n"
                      f'smtp_password_env = "NURTURE_TEST_SMTP_PW"\n')
    # (A refused login is not tried here: after one, aiosmtpd leaves smtplib waiting for
    # its 30 s timeout.)
    monkeypatch.setenv("NURTURE_TEST_SMTP_PW", "s3cret")
    try:
        code, _, err = cli(capsys, "--config", str(config), "digest")
    finally:
        controller.stop()
    assert code == 0, err
    assert [(login, password) for _, login, password in logins] == [(b"me", b"s3cret")]
    assert len(received) == 1
