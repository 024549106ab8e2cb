"""The layers below tui/ load without Textual, and plain commands start without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

import nurture


def engine_modules() -> list[str]:
    """Every module of the package except the app itself (tui/ and the command that opens it)."""
    import pkgutil

    names = [m.name for m in pkgutil.walk_packages(nurture.__path__, "nurture.")]
    return [n for n in names
            if not n.startswith("nurture.tui") and n != "nurture.cli.app"
            and not n.endswith("__main__")]


def _modules_after_import(names: list[str]) -> set[str]:
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print('\\n'.join(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return set(out.split())


def test_engine_layers_do_not_import_textual():
    modules = engine_modules()
    assert {"nurture.model", "nurture.store.storage", "nurture.cli.contacts"} <= set(modules)
    loaded = _modules_after_import(modules)
    assert set(modules) <= loaded  # the probe really imported every one
    textual = sorted(m for m in loaded if m == "textual" or m.startswith("textual."))
    assert textual == [], f"imported Textual below tui/: {textual[:5]}"


@pytest.mark.parametrize("argv", [["list"], ["--help"]])
def test_plain_commands_do_not_import_textual(argv, tmp_path):
    code = ("import sys, runpy\n"
            f"sys.argv = ['nurture', '--db', {str(tmp_path / 'db.json')!r}, *{argv!r}]\n"
            "from nurture.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "CLEAN"
