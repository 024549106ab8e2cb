"""The layers below tui/ load without Textual, and plain commands start without it."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE = ["nurture.model", "nurture.documents", "nurture.store", "nurture.config",
        "nurture.cli", "nurture.demo"]
OPTIONAL = ["nurture.rules", "nurture.notes", "nurture.compose", "nurture.interop",
            "nurture.news"]


def _modules_after_import(names: list[str]) -> set[str]:
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "print('\\n'.join(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    return set(out.split())


def test_engine_layers_do_not_import_textual():
    import importlib.util

    present = [n for n in OPTIONAL if importlib.util.find_spec(n) is not None]
    loaded = _modules_after_import(PURE + present)
    assert "nurture.model" in loaded  # the probe really imported something
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
