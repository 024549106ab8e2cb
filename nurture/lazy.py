"""Names of a package loaded from its modules when first used (PEP 562), and modules
loaded when first used (``defer``).

A command imports only what it runs: ``nurture show`` needs the rules'
configuration, not their engine; ``nurture list`` registers the import
commands without loading the formats.
"""

from __future__ import annotations

import importlib
import sys
import threading
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


def defer(name: str) -> None:
    """Load the module ``name`` when one of its names is first used, not when it is imported
    (the standard library's ``importlib.util.LazyLoader``). Nothing happens if it is
    already loaded or not installed.

    Only for a module that something imports at start-up and most runs never use.
    (On Python 3.11 two threads using it for the first time at once may race, so its
    user loads it first with ``load``.)
    """
    if name in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # its package is not installed
        return
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:  # as the import system binds a loaded submodule; and so ``from parent
        # import child`` finds it there: asking the import system for it again would
        # read its ``__spec__``, which loads it (Python 3.11)
        setattr(sys.modules[parent], child, module)


_LOADING = threading.Lock()


def load(name: str) -> None:
    """Finish loading ``name`` now if ``defer`` deferred it: once, whichever thread asks
    first (Python 3.11's lazy loader is not safe when two threads first use a module)."""
    with _LOADING:
        module = sys.modules.get(name)
        if module is not None:
            _ = module.__name__  # reading any attribute loads a deferred module
