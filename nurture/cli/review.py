"""The daily review on the command line: today, done, snooze, dismiss."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pendulum

from nurture import actions, locations
from nurture.actions.clock import moment
from nurture.cli.args import DAYS, whole
from nurture.cli.context import Context
from nurture.errors import InputFileError, ValidationError
from nurture.shortdates import parse_day

if TYPE_CHECKING:
    from nurture.model import Suggestion
    from nurture.rules import DailyReview, RulesConfig


def register(sub: argparse._SubParsersAction) -> None:
    rules_help = "the rules file (default: rules.toml in the config dir)"

    p = sub.add_parser("today", help="who deserves a touch today, and why")
    p.add_argument("--date", metavar="DATE", help="review another day (YYYY-MM-DD)")
    p.add_argument("--days", type=DAYS, default=0, metavar="N",
                   help="also show what falls due in the next N days")
    p.add_argument("--limit", type=whole("limit", 0, 100_000), metavar="N",
                   help="show at most N (0: all; default 50, or [ranking] limit in rules.toml)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--notify", action="store_true",
                   help="show one desktop notification with the count and the top suggestions")
    p.add_argument("--rules", metavar="PATH", help=rules_help)
    p.set_defaults(handler=cmd_today)

    p = sub.add_parser("done", help="mark a suggestion done (optionally logging what you did)")
    p.add_argument("key", help="the suggestion's key, as `nurture today` shows it")
    p.add_argument("--log", metavar="TEXT",
                   help="also log this on the timeline (a call, an email… by the channel)")
    p.add_argument("--rules", metavar="PATH", help=rules_help)
    p.set_defaults(handler=cmd_done)

    p = sub.add_parser("snooze", help="hide a suggestion until a later day")
    p.add_argument("key")
    p.add_argument("--until", required=True, metavar="DATE",
                   help="YYYY-MM-DD, 12-24, friday, tomorrow, or a span such as 3d, 2w, 1m")
    p.add_argument("--rules", metavar="PATH", help=rules_help)
    p.set_defaults(handler=cmd_snooze)

    p = sub.add_parser("dismiss", help="hide a suggestion for good (this occurrence only)")
    p.add_argument("key")
    p.add_argument("--rules", metavar="PATH", help=rules_help)
    p.set_defaults(handler=cmd_dismiss)

    p = sub.add_parser("undo", help="put a suggestion back in the queue (take back done, "
                                    "snooze or dismiss)")
    p.add_argument("key", help="the suggestion's key, as done, snooze or dismiss printed it")
    p.set_defaults(handler=cmd_undo)


# ---------------------------------------------------------------- helpers


def rules_config(ctx: Context, rules: str | None) -> RulesConfig:
    """rules.toml (or the file given) over the defaults; its problems shown as warnings."""
    from nurture.rules import RulesConfig, load_rules

    path = Path(rules).expanduser() if rules else locations.rules_file()
    if rules and not path.is_file():
        raise InputFileError(path, "no such rules file")
    config, problems = load_rules(path, RulesConfig.from_app_config(ctx.config))
    for problem in problems:
        print(f"nurture: warning: {problem}", file=ctx.err)
    return config


def build_review(ctx: Context, rules: str | None, today: pendulum.Date, *, days: int = 0,
                 limit: int | None = None) -> DailyReview:
    """The review for ``today`` from the store, with rules.toml's problems shown as warnings."""
    config = rules_config(ctx, rules)
    if limit is not None:
        if limit < 0:
            raise ValidationError("limit", "must be 0 (all) or more")
        config.daily_limit = limit
    return actions.build_review(ctx.store, config, today, now=moment(today), days=days)


def _names(ctx: Context, suggestion: Suggestion) -> str:
    store = ctx.store
    found = (store.contact(cid) for cid in suggestion.contact_ids)
    return ", ".join(c.display_name for c in found if c is not None)


def as_json(suggestion: Suggestion, names: str) -> dict[str, Any]:
    """The object ``nurture today --json`` prints for one suggestion."""
    return {
        "key": suggestion.key,
        "rule": suggestion.rule,
        "contact": names,
        "contact_id": suggestion.contact_ids[0],
        "contact_ids": list(suggestion.contact_ids),
        "due": suggestion.due.isoformat(),
        "title": suggestion.title,
        "reason": suggestion.reason,
        "channel": suggestion.channel,
        "template": suggestion.template,
        "priority": suggestion.priority,
        "facts": suggestion.facts,
    }


# ---------------------------------------------------------------- commands


def cmd_today(args: argparse.Namespace, ctx: Context) -> int:
    today = parse_day(args.date, ctx.today) if args.date else ctx.today
    review = build_review(ctx, args.rules, today, days=args.days, limit=args.limit)
    if args.notify:
        from nurture.cli.remind import notify_today

        return notify_today(ctx, review)
    if args.json:
        ctx.print_json([as_json(s, _names(ctx, s)) for s in review.queue])
        return 0
    # Wrap to the terminal; piped output gets a fixed width so scripts see the same lines.
    width = shutil.get_terminal_size((100, 24)).columns if ctx.out.isatty() else 100
    for line in render_queue(review, today, args.days, lambda s: _names(ctx, s),
                             width=width):
        ctx.print(line)
    return 0


def render_queue(review: DailyReview, today: pendulum.Date, days: int,
                 names: Callable[[Suggestion], str], *,
                 width: int = 100) -> list[str]:
    """The review as plain lines: overdue, today, then the days ahead; ranked in each."""
    import textwrap  # here: `show` imports this module for the rules' cadences

    width = max(60, min(100, width))
    heading = today.format("dddd D MMMM YYYY")
    if not review.queue:
        ahead = f" or in the next {days} days" if days else ""
        return [f"{heading}: nothing due today{ahead}. Enjoy the day."]
    out = [f"{heading}: {len(review.queue)} to do"]
    groups = (("Overdue", lambda s: s.due < today), ("Today", lambda s: s.due == today),
              (f"Next {days} days", lambda s: s.due > today))
    number = 0
    for label, wanted in groups:
        members = [s for s in review.queue if wanted(s)]
        if not members:
            continue
        out += ["", label]
        for suggestion in members:
            number += 1
            how = " · ".join(p for p in (suggestion.channel, suggestion.rule) if p)
            title = f"{number:>3}. {suggestion.title}"
            if suggestion.due != today:
                title += f" ({suggestion.due.format('ddd D MMM')})"
            gap = max(2, width - len(title) - len(how))
            out.append(f"{title}{' ' * gap}{how}" if len(title) + len(how) + 2 <= width
                       else f"{title}  [{how}]")
            out += textwrap.wrap(suggestion.reason, width=width, initial_indent=" " * 5,
                                 subsequent_indent=" " * 5)
            out.append(f"     key: {suggestion.key}")
    more = review.pending - len(review.queue)
    if more > 0:
        out += ["", f"…and {more} more; `nurture today --limit 0` shows them all."]
    return out


def cmd_done(args: argparse.Namespace, ctx: Context) -> int:
    result = actions.review_done(ctx.store, rules_config(ctx, args.rules), args.key,
                                 today=ctx.today, now=moment(ctx.today), log_text=args.log)
    ctx.print(f"Done: {result.suggestion.title}")
    if result.logged is not None:
        ctx.print(f"Logged {result.logged.kind.value} with {_names(ctx, result.suggestion)} "
                  f"({result.logged.id}).")
    if result.closed is not None:
        ctx.print("Follow-up checked off.")
    return 0


def cmd_snooze(args: argparse.Namespace, ctx: Context) -> int:
    until = parse_day(args.until, ctx.today, "until", after_today=True)
    result = actions.review_snooze(ctx.store, rules_config(ctx, args.rules), args.key, until,
                                   today=ctx.today, now=moment(ctx.today))
    assert result.suggestion is not None
    ctx.print(f"Snoozed until {until.format('ddd D MMM YYYY')}: {result.suggestion.title}")
    return 0


def cmd_dismiss(args: argparse.Namespace, ctx: Context) -> int:
    result = actions.review_dismiss(ctx.store, rules_config(ctx, args.rules), args.key,
                                    today=ctx.today, now=moment(ctx.today))
    suggestion = result.suggestion
    assert suggestion is not None
    again = " It comes back next year." if suggestion.facts.get("yearly") else ""
    ctx.print(f"Dismissed: {suggestion.title}.{again}")
    return 0


def cmd_undo(args: argparse.Namespace, ctx: Context) -> int:
    result = actions.review_undo(ctx.store, args.key.strip())
    ctx.print(f"Back in the queue: {result.key}")
    if result.reopened is not None:
        ctx.print("The follow-up it checked off is open again.")
    return 0
