"""The rules engine: who deserves a touch today, why, and how. Pure logic, no I/O."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nurture.rules.config import RulesConfig, load_rules
    from nurture.rules.engine import suggest
    from nurture.rules.review import DailyReview, DoneResult

# Imported when first used: `nurture show` needs the configuration, not the engine.
_WHERE = {"RulesConfig": "config", "load_rules": "config", "suggest": "engine",
          "DailyReview": "review", "DoneResult": "review"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = ["DailyReview", "DoneResult", "RulesConfig", "load_rules", "suggest"]
