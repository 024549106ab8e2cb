"""The command line. ``nurture`` alone opens the app.

Each command group lives in its own module with a ``register(subparsers)``
function. Modules import only what parsing needs at the top: heavy libraries
(Textual, vobject, httpx…) are imported inside the handlers so that commands
other than the app start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from nurture import __version__
from nurture.cli.context import Context
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


class _Parser(argparse.ArgumentParser):
    """argparse, but with the program's name on every usage error (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nurture", description="Keep in touch with the people who matter.")
    parser.add_argument("--version", action="version", version=f"nurture {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="the data file (default: $NURTURE_DB, else the user data dir)")
    parser.add_argument("--config", metavar="PATH", help="the config file (config.toml)")
    parser.set_defaults(handler=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in GROUPS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency inside the module
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        # A number or a date given as an option is checked while parsing (``cli.args``).
        args = parser.parse_args(argv)
        if args.handler is None:
            # The app is the default command.
            args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "app"])
    except NurtureError as exc:
        print(f"nurture: {exc}", file=sys.stderr)
        return 1
    if args.handler is None:
        parser.print_help()
        return 2
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
    finally:
        ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
