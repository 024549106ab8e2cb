"""``nurture stats``: the weekly routine against its goal, and where the touches went."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from nurture.cli.context import Context
from nurture.compose.template import clean_value
from nurture.errors import ValidationError

if TYPE_CHECKING:
    from nurture.routine import Stats

BAR_WIDTH = 30


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="your weekly routine: touches a week, streak, drift")
    p.add_argument("--weeks", type=int, default=12, metavar="N",
                   help="how many weeks back, this one included (default 12)")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument("--rules", metavar="PATH",
                   help="the rules file for cadences (default: rules.toml in the config dir)")
    p.set_defaults(handler=cmd_stats)


def compute(ctx: Context, weeks: int, rules: str | None = None) -> Stats:
    from nurture.cli.review import rules_config
    from nurture.routine import statistics

    if not 1 <= weeks <= 520:
        raise ValidationError("weeks", "must be 1 to 520")
    store = ctx.store
    return statistics(store.contacts(), store.interactions(), store.interactions_by_contact(),
                      store.review_states(), rules_config(ctx, rules), ctx.today,
                      weeks=weeks, goal=ctx.config.routine_per_week)


def render(stats: Stats) -> list[str]:
    """The figures as plain lines, a bar chart of touches per week first."""
    from nurture.rules.text import ago, approx, every

    out = [f"Week of {stats.routine.week_of.strftime('%a %-d %b %Y')}: "
           f"{stats.routine.summary()}", "", f"Touches per week (last {stats.weeks})"]
    top = max([w.touches for w in stats.per_week] + [stats.routine.goal, 1])
    for week in stats.per_week:
        bar = "█" * round(week.touches * BAR_WIDTH / top)
        goal = " ✓" if stats.routine.goal and week.touches >= stats.routine.goal else ""
        out.append(f"  {week.week_of.strftime('%d %b')}  {bar:<{BAR_WIDTH}} {week.touches}{goal}")
    if stats.by_channel:
        out += ["", "By channel: " + " · ".join(
            f"{clean_value(k)} {n}" for k, n in stats.by_channel.items())]
    if stats.by_kind:
        out.append("By relationship: " + " · ".join(f"{k} {n}" for k, n in stats.by_kind.items()))
    out += ["", f"Cards sent {stats.cards_sent} · notes sent {stats.notes_sent} · "
                f"gifts given {stats.gifts_given}",
            f"Follow-ups due in these weeks: {stats.follow_ups_on_time} kept on time, "
            f"{stats.follow_ups_late} late, {stats.follow_ups_open} still open"]
    if stats.drifting:
        out += ["", "Drifting furthest past their cadence"]
        width = max(len(clean_value(d.name)) for d in stats.drifting)
        for drift in stats.drifting:
            last = ("never in touch" if drift.days_since is None
                    else f"last touch {ago(drift.days_since)}")
            out.append(f"  {clean_value(drift.name):<{width}}  {approx(drift.days_past)} overdue"
                       f" · {every(drift.cadence_days)} · {last}")
    return out


def cmd_stats(args: argparse.Namespace, ctx: Context) -> int:
    stats = compute(ctx, args.weeks, args.rules)
    if args.json:
        import orjson

        ctx.out.write(orjson.dumps(stats.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for line in render(stats):
        ctx.print(line)
    return 0
