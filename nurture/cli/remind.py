"""Reminders outside the app: ``nurture digest`` (the review by email) and
``nurture remind install|uninstall|status`` (run the notification or the digest each
morning). ``nurture today --notify`` lives with ``today`` in ``review.py`` and calls
``notify_today`` here."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from nurture.cli.context import Context
from nurture.errors import ValidationError

if TYPE_CHECKING:
    from nurture.rules import DailyReview

TOP = 3  # suggestions named in a notification


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("digest", help="email yourself the morning review")
    p.add_argument("--to", metavar="ADDRESS", help="the recipient (default: [digest] to)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the message instead of sending it")
    p.add_argument("--rules", metavar="PATH", help="the rules file")
    p.set_defaults(handler=cmd_digest)

    p = sub.add_parser("remind", help="run the notification or the digest every morning")
    what = p.add_subparsers(dest="remind_command", metavar="ACTION", required=True)
    q = what.add_parser("install", help="a systemd user timer (or a crontab line)")
    q.add_argument("--at", default="08:30", metavar="HH:MM", help="the time (default 08:30)")
    q.add_argument("--digest", action="store_true",
                   help="send the email digest instead of a desktop notification")
    q.set_defaults(handler=cmd_remind_install)
    q = what.add_parser("uninstall", help="remove the timer or the crontab line")
    q.set_defaults(handler=cmd_remind_uninstall)
    q = what.add_parser("status", help="say what is installed")
    q.set_defaults(handler=cmd_remind_status)


def notification(review: DailyReview) -> tuple[str, str]:
    """(summary, body): the count, and the top suggestions one a line."""
    count = len(review.queue)
    if count == 0:
        return "Nurture: nothing due today", "Enjoy the day."
    summary = f"Nurture: {count} to do today"
    body = [f"• {s.title}" for s in review.queue[:TOP]]
    if count > TOP:
        body.append(f"…and {count - TOP} more: run `nurture`.")
    return summary, "\n".join(body)


def notify_today(ctx: Context, review: DailyReview) -> int:
    """``nurture today --notify``: one notification; without a service, say so once, exit 0."""
    from nurture.remind.notify import notify

    summary, body = notification(review)
    outcome = notify(summary, body)
    if outcome.shown:
        ctx.print(f"{summary} (shown by {outcome.how}).")
    else:
        print(f"nurture: no notification shown: {outcome.how}.", file=ctx.err)
    return 0


def cmd_digest(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.clock import moment
    from nurture.cli.review import _names, build_review, render_queue
    from nurture.remind.digest import build_message, send

    to = args.to or ctx.config.digest.to
    if not to:
        raise ValidationError("to", "give --to ADDRESS, or set [digest] to in config.toml")
    today = ctx.today
    review = build_review(ctx, args.rules, today)
    lines = render_queue(review, today, 0, lambda s: _names(ctx, s), width=72)
    message = build_message(lines, len(review.queue), today, to=to,
                            sender=ctx.config.digest.sender, now=moment(today))
    if args.dry_run:
        ctx.out.write(message.as_string())
        return 0
    how = send(message, ctx.config.digest)
    ctx.print(f"Sent the digest to {message['To']} ({how}).")
    return 0


def _command(ctx: Context, digest: bool) -> list[str]:
    """What the timer runs: this Python, this data file and this config."""
    return [sys.executable, "-m", "nurture", "--db", str(ctx.db_path),
            "--config", str(ctx.config_path), *(["digest"] if digest else ["today", "--notify"])]


def cmd_remind_install(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.remind import schedule

    hour, minute = schedule.parse_time(args.at)
    if args.digest and not ctx.config.digest.to:
        raise ValidationError("digest.to", "set [digest] to in config.toml first, so that the "
                              "morning digest knows where to go")
    ctx.print(schedule.install(schedule.detect(), _command(ctx, args.digest), hour, minute))
    return 0


def cmd_remind_uninstall(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.remind import schedule

    ctx.print(schedule.uninstall(schedule.detect()))
    return 0


def cmd_remind_status(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.remind import schedule

    for line in schedule.status(schedule.detect()):
        ctx.print(line)
    return 0
