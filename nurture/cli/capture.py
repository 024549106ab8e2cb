"""capture: emails and meetings with your contacts, read from local mail and calendars."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import pendulum

from nurture.cli.context import Context
from nurture.errors import NurtureError
from nurture.wording import stamp

if TYPE_CHECKING:
    from nurture.capture.run import Plan
    from nurture.model import Contact, Interaction

MAX_PROBLEMS = 50  # listed on stderr unless --verbose; the count is always given


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("capture", help="log emails and meetings with your contacts from your "
                       "Maildir, mbox and calendar files ([capture] in config.toml)")
    p.add_argument("--dry-run", action="store_true", help="show what would be logged; save "
                   "nothing")
    p.add_argument("--since", metavar="DATE",
                   help="only mail and meetings from this day on (YYYY-MM-DD)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list every entry logged and every problem")
    p.add_argument("--suggest", action="store_true", help="also list the people you mailed at "
                   "least 3 times in 90 days who are not contacts yet")
    p.add_argument("--rescan", action="store_true", help="read everything again, e.g. after "
                   "adding contacts (nothing is logged twice)")
    p.set_defaults(handler=cmd_capture)


def cmd_capture(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.capture import capture, summary
    from nurture.model import parse_date

    config = ctx.config.capture
    if not config.configured:
        raise NurtureError(f"nothing to capture from: add a [capture] table with maildirs, "
                           f"mboxes or calendars to {ctx.config_path} (see the README)")
    zone = pendulum.local_timezone()
    since = None
    if args.since:
        day = parse_date(args.since, "since", today=ctx.today)
        since = pendulum.DateTime.create(day.year, day.month, day.day, tz=zone)
    plan = capture(ctx.store, config, now=ctx.now, zone=zone, since=since, rescan=args.rescan,
                   dry_run=True)
    for problem in plan.problems if args.verbose else plan.problems[:MAX_PROBLEMS]:
        print(f"nurture: {problem}", file=ctx.err)
    if not args.verbose and len(plan.problems) > MAX_PROBLEMS:
        print(f"nurture: … and {len(plan.problems) - MAX_PROBLEMS} more problems "
              "(--verbose lists them all)", file=ctx.err)
    names = {c.id: c for c in ctx.store.contacts()}
    if args.dry_run or args.verbose:
        for line in describe_plan(plan, names):
            ctx.print(line)
    if not args.dry_run:
        from nurture.capture.apply import log_plan

        log_plan(ctx.store, plan)  # the plan just shown, as it was shown
    ctx.print(summary(plan, dry_run=args.dry_run))
    if args.suggest:
        for line in suggestions(plan):
            ctx.print(line)
    if plan.problems:
        noun = "source" if len(plan.problems) == 1 else "sources"
        raise NurtureError(f"{len(plan.problems)} {noun} could not be read (listed above); "
                           "everything else was " + ("checked" if args.dry_run else "captured"))
    return 0


def _entry_line(entry: Interaction, names: dict[str, Contact]) -> str:
    who = ", ".join(names[c].display_name if c in names else c for c in entry.contact_ids)
    extra = ""
    if entry.kind.value == "email" and len(entry.source_ids) > 1:
        extra = f"  ({len(entry.source_ids)} messages)"
    elif entry.duration_seconds:
        extra = f"  ({entry.duration_seconds // 60} min)"
    return (f"  {stamp(entry.at)}  {entry.kind.value:<8} {who}: "
            f"{entry.text or '(no subject)'}{extra}")


def describe_plan(plan: Plan, names: dict[str, Contact]) -> list[str]:
    """Every entry the plan logs, oldest first."""
    lines = [_entry_line(e, names) for e in sorted(plan.new, key=lambda e: e.at)]
    lines += [_entry_line(e, names) + "  (joins an entry logged before)"
              for e in sorted(plan.extended, key=lambda e: e.at)]
    return lines


def suggestions(plan: Plan) -> list[str]:
    if not plan.people:
        return ["Nobody new: everyone you mailed 3 times in 90 days is a contact already."]
    lines = ["People you mailed at least 3 times in 90 days who are not contacts:"]
    for person in plan.people:
        name = f"{person.name} <{person.address}>" if person.name else person.address
        lines.append(f"  {person.messages:>4}  {name}  (last {person.last.isoformat()})")
    return lines
