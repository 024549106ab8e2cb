"""The command line. ``nurture`` alone opens the app.

Each command group lives in its own module with a ``register(subparsers)``
function. Only the group of the command being run is imported (``COMMANDS``
says which), and modules import only what parsing needs at the top: heavy
libraries (Textual, pendulum's parser, vobject, httpx…) are imported inside the
handlers, so that ``nurture --version`` and ``nurture show`` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from typing import Any

from nurture import __version__
from nurture.errors import NurtureError

# Command-group modules, in the order their commands appear in --help.
GROUPS = (
    "nurture.cli.contacts",
    "nurture.cli.review",
    "nurture.cli.interop",
    "nurture.cli.news",
    "nurture.cli.sync",
    "nurture.cli.capture",
    "nurture.cli.search",
    "nurture.cli.routine",
    "nurture.cli.remind",
    "nurture.cli.cards",
    "nurture.cli.app",
)

# Each command (and alias) -> the group that registers it, so that a command
# imports its own group only (a test checks this against what they register).
COMMANDS = {
    **dict.fromkeys(("add", "log", "follow-up", "fu", "follow-ups", "complete", "list", "ls",
                     "show", "edit", "delete"), "nurture.cli.contacts"),
    **dict.fromkeys(("today", "done", "snooze", "dismiss", "undo"), "nurture.cli.review"),
    **dict.fromkeys(("export", "import"), "nurture.cli.interop"),
    **dict.fromkeys(("news", "feeds"), "nurture.cli.news"),
    "sync": "nurture.cli.sync",
    "capture": "nurture.cli.capture",
    **dict.fromkeys(("search", "find"), "nurture.cli.search"),
    "stats": "nurture.cli.routine",
    **dict.fromkeys(("remind", "digest"), "nurture.cli.remind"),
    **dict.fromkeys(("cards", "gift", "gift-idea"), "nurture.cli.cards"),
    **dict.fromkeys(("app", "demo", "note"), "nurture.cli.app"),
}
_VALUED = ("--db", "--config")  # the options before the command that take a value


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it ($COLUMNS, else the
    terminal, else 80), without importing shutil (and bz2, lzma) at every start."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help, as wide as the terminal (argparse builds one of these for every
    option it is given, and its own asks shutil for the width)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         width if width is not None else _columns() - 2)


class _Parser(argparse.ArgumentParser):
    """argparse, but with the program's name on every usage error (exit 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def build_parser(groups: Sequence[str] = GROUPS) -> argparse.ArgumentParser:
    parser = _Parser(prog="nurture", description="Keep in touch with the people who matter.")
    parser.add_argument("--version", action="version", version=f"nurture {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="the data file (default: $NURTURE_DB, else the user data dir)")
    parser.add_argument("--config", metavar="PATH", help="the config file (config.toml)")
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in groups:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency inside the module
                raise
            continue
        module.register(sub)
    return parser


def groups_for(argv: Sequence[str]) -> tuple[str, ...]:
    """The command groups that parsing ``argv`` needs: the named command's own, none for
    ``--version``, the app's when no command is named; every group for ``--help`` and for
    anything unsure (an unknown command), so that argparse's answer is always the same."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help") or word == "--":
            return GROUPS
        if word.startswith("--") and "=" not in word and len(word) > 2 \
                and any(option.startswith(word) for option in _VALUED):
            next(words, None)  # its value (argparse also takes an unambiguous prefix)
            continue
        if word.startswith("-"):
            if word == "--version" or (len(word) > 3 and "--version".startswith(word)):
                return ()
            continue
        group = COMMANDS.get(word)
        return (group,) if group is not None else GROUPS
    return ("nurture.cli.app",)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(groups_for(argv))
    try:
        # A number or a date given as an option is checked while parsing (``cli.args``).
        args = parser.parse_args(argv)
        if args.handler is None:
            # The app is the default command.
            args = parser.parse_args([*argv, "app"])
    except NurtureError as exc:
        print(f"nurture: {exc}", file=sys.stderr)
        return 1
    if args.handler is None:
        parser.print_help()
        return 2
    from nurture.cli.context import Context

    ctx = Context(db=args.db, config=args.config)
    try:
        return int(args.handler(args, ctx) or 0)
    except NurtureError as exc:
        print(f"nurture: {exc}", file=ctx.err)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `nurture list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:  # the output, say, on a full disk (the book's own are sentences)
        with contextlib.suppress(OSError, ValueError):
            print(f"nurture: could not finish: {exc.strerror or exc}", file=ctx.err)
        return 1
    finally:
        ctx.close()


def run() -> None:
    """The ``nurture`` command (and ``python -m nurture``): `main`, then leave at once.

    By then the answer is out and the store is closed (its file and lock let go,
    every write durable). Tearing the heap down one object at a time, as the
    interpreter's own exit does, only keeps the shell waiting: 16 ms for the
    store of a 5,000-person book, ten times that at 50,000. So the streams are
    flushed and the process ends, unless another thread is still running (the
    interpreter would wait for it) or a profiler or a coverage tracer is on (it
    writes its results at exit), in which case it exits as usual.
    """
    code = main()
    if threading.active_count() > 1 or sys.gettrace() is not None \
            or sys.getprofile() is not None:
        sys.exit(code)  # a thread to wait for, or a profiler or coverage to write out
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or it is closed
            pass
        except OSError as exc:  # a full disk under `nurture list > file`: not a success
            code = code or 1
            with contextlib.suppress(OSError):
                os.write(2, f"nurture: the output could not be written ({exc.strerror})\n"
                         .encode())
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
