"""The user's settings (``config.toml`` in the config dir) as a typed object.

Each layer reads its own section from ``Config.raw`` with its own parser (the
rules engine reads ``rules.toml`` separately); this module holds what is shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nurture.errors import InputFileError, ValidationError
from nurture.model import validate_email


@dataclass(slots=True)
class CaptureConfig:
    """``[capture]``: where mail and calendars are read from, and your own addresses."""

    maildirs: list[Path] = field(default_factory=list)
    mboxes: list[Path] = field(default_factory=list)
    calendars: list[Path] = field(default_factory=list)  # .ics files or vdir folders
    me: list[str] = field(default_factory=list)

    @property
    def configured(self) -> bool:
        return bool(self.maildirs or self.mboxes or self.calendars)


@dataclass(slots=True)
class DigestConfig:
    """``[digest]``: where the morning email goes and how it is sent."""

    to: str = ""
    sender: str = ""  # ``from``; the recipient when empty
    sendmail: str = ""  # a sendmail-compatible program; found on PATH when empty
    smtp_host: str = ""  # when set, SMTP is used instead of sendmail
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password_env: str = ""  # the name of an environment variable holding the password


@dataclass(slots=True)
class Config:
    review_on_start: bool = True
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    backups_keep: int = 7
    news_fresh_days: int = 7
    news_max_per_day: int = 3
    news_keep_days: int = 60
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    my_name: str = ""  # signs the notes you compose
    capture: CaptureConfig = field(default_factory=CaptureConfig)
    routine_per_week: int = 5  # personal touches a week ([routine] per_week; 0: no goal)
    digest: DigestConfig = field(default_factory=DigestConfig)
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def load_config(path: Path | None) -> Config:
    """Read ``path``; a missing file gives the defaults, a bad one a message naming the field."""
    if path is None or not path.exists():
        return Config(path=path)
    import tomllib  # only when there is a file: most commands run without one

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(path, f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "not UTF-8 text") from None
    config = Config(raw=raw, path=path)
    ui = _table(raw, "ui", path)
    config.review_on_start = _get(ui, "review_on_start", bool, config.review_on_start, path, "ui")
    config.theme = _get(ui, "theme", str, config.theme, path, "ui")
    keymap = _table(raw, "keymap", path)
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str):
            raise InputFileError(path, "a key must be a string such as \"ctrl+n\"",
                                 field=f"keymap.{binding_id}")
    config.keymap = dict(keymap)
    compose = _table(raw, "compose", path)
    config.my_name = _get(compose, "my_name", str, config.my_name, path, "compose")
    routine = _table(raw, "routine", path)
    config.routine_per_week = _get(routine, "per_week", int, config.routine_per_week, path,
                                   "routine")
    if not 0 <= config.routine_per_week <= 1000:
        raise InputFileError(path, f"must be 0 (no goal) to 1000, got {config.routine_per_week}",
                             field="routine.per_week")
    digest = _table(raw, "digest", path)
    d = config.digest
    for key, attr in (("to", "to"), ("from", "sender"), ("sendmail", "sendmail"),
                      ("smtp_host", "smtp_host"), ("smtp_user", "smtp_user"),
                      ("smtp_password_env", "smtp_password_env")):
        setattr(d, attr, _get(digest, key, str, getattr(d, attr), path, "digest"))
    d.smtp_port = _get(digest, "smtp_port", int, d.smtp_port, path, "digest", most=65535)
    d.smtp_starttls = _get(digest, "smtp_starttls", bool, d.smtp_starttls, path, "digest")
    if not 1 <= d.smtp_port <= 65535:
        raise InputFileError(path, f"must be a port (1 to 65535), got {d.smtp_port}",
                             field="digest.smtp_port")
    store = _table(raw, "store", path)
    config.backups_keep = _get(store, "backups_keep", int, config.backups_keep, path, "store")
    news = _table(raw, "news", path)
    config.news_fresh_days = _get(news, "fresh_days", int, config.news_fresh_days, path, "news")
    config.news_max_per_day = _get(news, "max_per_day", int, config.news_max_per_day, path,
                                   "news")
    config.news_keep_days = _get(news, "keep_days", int, config.news_keep_days, path, "news")
    synonyms = _table(news, "synonyms", path)
    for tag, words in synonyms.items():
        if not (isinstance(words, list) and all(isinstance(w, str) for w in words)):
            raise InputFileError(path, "synonyms are a list of strings",
                                 field=f"news.synonyms.{tag}")
    config.synonyms = {str(k): list(v) for k, v in synonyms.items()}
    config.capture = _capture(_table(raw, "capture", path), path)
    return config


def _capture(table: dict[str, Any], path: Path) -> CaptureConfig:
    """Paths with ``~`` expanded; a relative path is relative to the config file."""

    def strings(key: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not (isinstance(value, list) and all(isinstance(v, str) and v.strip()
                                                for v in value)):
            raise InputFileError(path, "must be a list of strings", field=f"capture.{key}")
        return [v.strip() for v in value]

    def paths(key: str) -> list[Path]:
        return [path.parent / Path(v).expanduser() for v in strings(key)]

    me = strings("me")
    for address in me:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise InputFileError(path, exc.message, field="capture.me") from None
    return CaptureConfig(maildirs=paths("maildirs"), mboxes=paths("mboxes"),
                         calendars=paths("calendars"), me=me)


def _table(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise InputFileError(path, "must be a table", field=name)
    return value


def _get(table: dict[str, Any], key: str, kind: type, default: Any, path: Path,
         section: str, most: int | None = None) -> Any:
    """``table[key]`` of type ``kind`` (a whole number from 0 to ``most``, by default a
    count of days), or ``default``; a wrong value is refused naming the field."""
    if key not in table:
        return default
    value = table[key]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise InputFileError(path, f"must be {kind.__name__}, got {value!r}",
                             field=f"{section}.{key}")
    most = _MAX_COUNT if most is None else most
    if kind is int and isinstance(value, int) and not 0 <= value <= most:
        # Counts become days and dates later (keep_days, fresh_days): bound them here,
        # where the file and the field can be named, not in an overflow at fetch time.
        raise InputFileError(path, f"must be a whole number from 0 to {most}, got {value}",
                             field=f"{section}.{key}")
    return value


_MAX_COUNT = 3650
