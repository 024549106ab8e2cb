"""What every command handler gets: the store, the config and today, opened lazily."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nurture.safetext import SafeStream, json_safe, visible

if TYPE_CHECKING:
    import pendulum

    from nurture.config import Config
    from nurture.store import Store


class Context:
    def __init__(self, db: str | None = None, config: str | None = None,
                 out: TextIO | None = None, err: TextIO | None = None) -> None:
        # (platformdirs, the config's parser and pendulum are imported when first used)
        if db:
            self.db_path = Path(db).expanduser()
        else:
            from nurture import locations

            self.db_path = locations.default_db_path()
        self._config_path = Path(config).expanduser() if config else None
        # Everything printed goes through the one sanitiser: text from data
        # (names, titles, server reasons) never sends a control character.
        self.out = SafeStream(out or sys.stdout)
        self.err = SafeStream(err or sys.stderr)
        self._store: Store | None = None
        self._closed: list[Store] = []  # closed stores, kept: see `nurture.cli.run`
        self._config: Config | None = None

    @property
    def config_path(self) -> Path:
        if self._config_path is None:
            from nurture import locations

            self._config_path = locations.config_file()
        return self._config_path

    @property
    def config(self) -> Config:
        if self._config is None:
            from nurture.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    @property
    def store(self) -> Store:
        if self._store is None:
            from nurture.store import open_store

            self._store = open_store(self.db_path, backups_keep=self.config.backups_keep,
                                     auto_fold=False)
            self._announce(self._store)
        return self._store

    def _announce(self, store: Store) -> None:
        """Say once, on stderr, what the store set aside (a journal) when it opened."""
        for notice in store.take_notices():
            print(f"nurture: warning: {store.path}: {notice}", file=self.err)

    def open_store_at(self, path: Path) -> Store:
        """Use another data file for this run (the demo's)."""
        from nurture.store import open_store

        self.close()  # the previous book, as any command closes it
        self.db_path = path
        self._store = open_store(path, backups_keep=self.config.backups_keep, auto_fold=False)
        self._announce(self._store)
        return self._store

    @property
    def today(self) -> pendulum.Date:
        """Today in the local zone; ``NURTURE_TODAY`` pins it for tests and demos."""
        import pendulum

        pinned = os.environ.get("NURTURE_TODAY")
        if pinned:
            from nurture.errors import ValidationError
            from nurture.model import check_date_parts, shown

            try:
                day = pendulum.Date.fromisoformat(pinned)
            except ValueError:
                raise ValidationError("NURTURE_TODAY",
                                      f"{shown(pinned)} is not a date (YYYY-MM-DD)") from None
            check_date_parts(day.year, day.month, day.day, "NURTURE_TODAY")  # the year range
            return day
        return pendulum.today().date()

    @property
    def now(self) -> pendulum.DateTime:
        """The current instant; with ``NURTURE_TODAY`` pinned, the last moment of that day."""
        import pendulum

        if os.environ.get("NURTURE_TODAY"):
            day = self.today
            zone = pendulum.local_timezone()
            return pendulum.DateTime.create(day.year, day.month, day.day,
                                            tz=zone).end_of("day")
        return pendulum.now()

    def print(self, *parts: object) -> None:
        """One line of output; a newline or control inside a part is shown, not sent."""
        print(*(visible(str(part)) for part in parts), file=self.out)

    def print_json(self, value: object) -> None:
        """``value`` as indented JSON; C1 and bidi controls as \\u escapes (same JSON)."""
        import orjson

        self.out.write(json_safe(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()) + "\n")

    def close(self) -> None:
        """Close the store once the answer is out. A fold of the journal that is due runs
        here when the file is small (milliseconds), else in a detached process, so
        that no command waits for a checkpoint."""
        store, self._store = self._store, None
        if store is None:
            return
        from nurture.store.fold import close_after_answer

        close_after_answer(store, self.config.backups_keep, self.out, self.err)
        self._closed.append(store)  # freed with the context, not while the shell waits
