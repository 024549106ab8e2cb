"""The rules engine: who deserves a touch today, why, and how. Pure logic, no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nurture.lazy import exports

if TYPE_CHECKING:
    from nurture.rules.config import RulesConfig, load_rules
    from nurture.rules.engine import suggest
    from nurture.rules.review import DailyReview, DoneResult

# Imported when first used: `nurture show` needs the configuration, not the engine.
_WHERE = {"RulesConfig": "config", "load_rules": "config", "suggest": "engine",
          "DailyReview": "review", "DoneResult": "review"}


__getattr__ = exports(__name__, _WHERE)


__all__ = ["DailyReview", "DoneResult", "RulesConfig", "load_rules", "suggest"]
