"""Every path Nurture uses comes from here (platformdirs), overridable for tests and users."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from nurture import fsutil

APP = "nurture"


def data_dir() -> Path:
    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("NURTURE_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP, appauthor=False)


def default_db_path() -> Path:
    """``--db`` wins over ``NURTURE_DB``, which wins over the platform's data dir."""
    override = os.environ.get("NURTURE_DB")
    return Path(override).expanduser() if override else data_dir() / "nurture.json"


def demo_db_path() -> Path:
    """The sample address book lives in its own file, never the user's data file."""
    return data_dir() / "demo" / "nurture-demo.json"


def config_file() -> Path:
    return config_dir() / "config.toml"


def rules_file() -> Path:
    return config_dir() / "rules.toml"


def templates_dir() -> Path:
    return config_dir() / "templates"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and any missing parents) as 0700; personal data lives there."""
    fsutil.ensure_private_dir(path)
    return path
