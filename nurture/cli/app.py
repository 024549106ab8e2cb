"""The app commands: ``nurture`` / ``nurture app``, ``nurture demo`` and ``nurture note WHO``.

Textual is imported inside the handlers so that the other commands start fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from nurture import locations
from nurture.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="open the app (the default command)")
    _review_flags(p)
    p.set_defaults(handler=cmd_app)

    p = sub.add_parser("demo", help="open the app on a sample address book (never your data)")
    p.add_argument("--keep", action="store_true",
                   help="reopen the sample as you left it instead of rebuilding it for today")
    _review_flags(p)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("note", help="open the app straight into a quick note for WHO")
    p.add_argument("who", help="an id or a name (exact, or a unique part of one)")
    p.set_defaults(handler=cmd_note)


def _review_flags(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--review", dest="review", action="store_true", default=None,
                       help="open the daily review first when there are suggestions")
    group.add_argument("--no-review", dest="review", action="store_false",
                       help="open the contacts first")


def _run(ctx: Context, db_path: Path, **options: Any) -> int:
    from nurture.tui.app import NurtureApp

    config = ctx.config  # read before the app starts so a bad file is a plain message
    ctx.close()  # the app opens the file itself, on its writer thread
    # Only a pinned day (NURTURE_TODAY) is passed: otherwise the app follows midnight.
    today = ctx.today if os.environ.get("NURTURE_TODAY") else None
    app = NurtureApp(db_path, today=today, config=config,
                     rules_path=locations.rules_file(),
                     templates_dir=locations.templates_dir(), **options)
    return int(app.run() or app.return_code or 0)


def cmd_app(args: argparse.Namespace, ctx: Context) -> int:
    return _run(ctx, ctx.db_path, review_on_start=getattr(args, "review", None))


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.demo import demo_path, fresh_demo

    path = demo_path()
    if not (args.keep and path.exists()):
        locations.ensure_private_dir(path.parent)
        fresh_demo(path, ctx.today)
    return _run(ctx, path, review_on_start=args.review)


def cmd_note(args: argparse.Namespace, ctx: Context) -> int:
    # Resolve in the shell first: an unknown or ambiguous name is a plain message, exit 1.
    contact = ctx.store.resolve(args.who)
    return _run(ctx, ctx.db_path, quick_note_for=contact.id, review_on_start=False)
