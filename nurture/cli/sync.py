"""``nurture sync``: the book and its CardDAV/CalDAV folders, both ways."""

from __future__ import annotations

import argparse

from nurture.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="sync the book with its vdir folders (CardDAV/CalDAV)")
    p.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
    p.add_argument("-v", "--verbose", action="store_true", help="list every change and conflict")
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.sync.session import sync_now

    report = sync_now(ctx.store, ctx.config, ctx.db_path, dry_run=args.dry_run)
    out = ctx.out
    for line in report.summary():
        print(line, file=out)
    if args.verbose:
        for change in report.changes:
            print(f"  {change}", file=out)
        for conflict in report.conflicts:
            print(f"  {conflict}", file=out)
    for problem in report.problems:
        print(f"  {problem}", file=out)
    for note in report.notes:
        print(note, file=out)
    return 0
