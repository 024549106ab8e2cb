"""Names of a package loaded from its modules when first used (PEP 562).

A command imports only what it runs: ``nurture show`` needs the rules'
configuration, not their engine; ``nurture list`` registers the import
commands without loading the formats.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def exports(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` for ``package``: each name of ``homes`` is imported from the
    module named beside it the first time it is asked for, then kept in the package."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
