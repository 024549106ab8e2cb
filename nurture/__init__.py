"""Nurture: a keyboard-first personal relationship manager for the terminal."""

from nurture.lazy import defer

__version__ = "0.1.0"

# pendulum imports dateutil's parser when it is imported, for the one case of a
# date in no format it knows (``parse(..., strict=False)``, which only
# ``model.parse_instant`` asks for). Loading it costs 6 ms of every command
# (a third of a bare ``python -c pass``); deferred, it loads when first used.
defer("dateutil.parser")
