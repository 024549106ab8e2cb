"""The layers below tui/ load without Textual, and plain commands start without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


# What a plain command must not load: the app, the matcher behind its filter, the
# importers, the network, the PDF writer, and the code of other commands.
HEAVY = ("textual", "rich", "rapidfuzz", "vobject", "icalendar", "recurring_ical_events",
         "feedparser", "httpx", "fpdf", "filelock", "nurture.tui", "nurture.capture",
         "nurture.sync", "nurture.interop", "nurture.compose", "nurture.notes",
         "nurture.cli.news", "nurture.cli.capture", "nurture.cli.sync", "nurture.cli.cards")


def _loaded_by(argv: list[str]) -> set[str]:
    code = ("import sys\n"
            "from nurture.cli import main\n"
            "try:\n    code = main(sys.argv[1:])\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print(code, file=sys.stderr)\n"
            "print('\\n'.join(sys.modules))")
    env = {**os.environ, "NURTURE_TODAY": "2025-06-15"}
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                            text=True, env=env)
    assert result.stderr.strip().splitlines()[-1] == "0", result.stderr
    return set(result.stdout.split())


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    from nurture.model import Contact, Interaction
    from nurture.store import open_store

    path = tmp_path_factory.mktemp("book") / "db.json"
    with open_store(path) as store:
        ann = store.save_contact(Contact.new("Ann Lee", interests=["sailing"]))
        store.save_interaction(Interaction.new([ann.id], "call", "hello"))
    return path


@pytest.mark.parametrize("argv", [["list"], ["list", "--tag", "sailing"], ["show", "Ann"],
                                  ["log", "Ann", "lunch"], ["follow-ups"], ["today"]])
def test_a_plain_command_imports_only_what_it_uses(argv, book):
    loaded = _loaded_by(["--db", str(book), *argv])
    assert "nurture.store.storage" in loaded  # the probe really ran the command
    heavy = sorted(m for m in loaded if m.startswith(HEAVY))
    assert heavy == [], f"`nurture {' '.join(argv)}` imported {heavy[:8]}"


@pytest.mark.parametrize("argv", [["list", "--tag", "sailing"], ["show", "Ann"],
                                  ["log", "Ann", "lunch"], ["follow-ups"]])
def test_a_lookup_prints_its_dates_without_pendulums_locale(argv, book):
    # pendulum's ``format`` loads its formatter's locale through importlib.resources
    # (3-5 ms of a command that prints one line): these print by ``wording.stamp``.
    loaded = _loaded_by(["--db", str(book), *argv])
    assert "nurture.store.storage" in loaded
    locales = sorted(m for m in loaded if m.startswith("pendulum.locales.")
                     and m != "pendulum.locales.locale")  # (the class, which pendulum loads)
    assert locales == []


def test_version_reads_no_data_and_imports_no_command():
    loaded = _loaded_by(["--version"])
    assert "nurture.cli" in loaded
    needless = sorted(m for m in loaded if m.startswith(
        ("pendulum", "orjson", "tinydb", "nurture.model", "nurture.store", "nurture.config",
         "nurture.cli.", "platformdirs", *HEAVY)))
    assert needless == []


def test_each_command_is_found_in_the_group_that_registers_it():
    """``COMMANDS`` (which group to import for a command) agrees with the groups."""
    import argparse
    import importlib

    from nurture.cli import COMMANDS, GROUPS

    registered = {}
    for name in GROUPS:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == COMMANDS


@pytest.mark.parametrize(("argv", "groups"), [
    (["--version"], ()),
    ([], ("nurture.cli.app",)),
    (["--db", "show", "list"], ("nurture.cli.contacts",)),
    (["--db=x", "--conf", "today", "show"], ("nurture.cli.contacts",)),
    (["--help", "show"], "all"),
    (["nonsense"], "all"),
])
def test_groups_for_argv(argv, groups):
    from nurture.cli import GROUPS, groups_for

    assert groups_for(argv) == (GROUPS if groups == "all" else groups)


@pytest.mark.parametrize("argv", [["list", "--tag", "sailing"], ["show", "Ann"],
                                  ["log", "Ann", "lunch"], ["follow-ups"], ["today"]])
def test_a_command_does_not_load_what_it_never_uses(argv, book):
    loaded = _loaded_by(["--db", str(book), *argv])
    assert "nurture.store.storage" in loaded and "pendulum" in loaded
    # pendulum imports dateutil's parser for dates in no format it knows, which no
    # command here reads (4-6 ms of each): ``nurture/__init__`` defers it until used.
    assert "dateutil.parser._parser" not in loaded
    # ``string`` compiles its Template pattern when imported (1 ms): ids are drawn
    # from a spelled-out alphabet.
    assert "string" not in loaded


def test_a_deferred_module_runs_once_when_first_used_by_many_threads(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    runs = tmp_path / "runs"
    (package / "slow.py").write_text(
        f"import time\nopen({str(runs)!r}, 'a').write('ran ')\ntime.sleep(0.05)\nVALUE = 42\n")
    code = f"""
import sys, threading
sys.path.insert(0, {str(tmp_path)!r})
from nurture.lazy import defer, load
defer("pkg.slow")
defer("pkg.not_there")  # nothing to defer: no error
defer("no_such_package.module")
from pkg import slow  # bound, not run
import os
print("before", os.path.exists({str(runs)!r}))
seen = []
def use():
    load("pkg.slow")
    seen.append(slow.VALUE)
threads = [threading.Thread(target=use) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print("after", open({str(runs)!r}).read().split(), seen)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    assert out == ["before False", f"after ['ran'] {[42] * 8}"]


@pytest.mark.parametrize("module", ["nurture.interop.ics", "nurture.capture.calendar",
                                    "nurture.sync.files"])
def test_the_calendar_code_loads_dateutils_parser_before_any_thread_uses_it(module):
    # icalendar parses RRULEs with it; Python 3.11's lazy loader races when two threads
    # first use a module, so it is loaded as these modules are imported.
    assert "dateutil.parser._parser" in _modules_after_import([module])
