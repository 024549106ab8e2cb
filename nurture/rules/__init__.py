"""The rules engine: who deserves a touch today, why, and how. Pure logic, no I/O."""

from nurture.rules.config import RulesConfig, load_rules
from nurture.rules.engine import suggest
from nurture.rules.review import DailyReview, DoneResult

__all__ = ["DailyReview", "DoneResult", "RulesConfig", "load_rules", "suggest"]
