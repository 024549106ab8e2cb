"""The Stats screen: the weekly routine, touches per week as a chart, where they went, drift.

The figures are `nurture.routine.statistics` (what ``nurture stats`` prints),
computed in a thread worker over the read-only snapshot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Sparkline, Static

from nurture.tui.text import shown
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.routine import Stats
    from nurture.tui.app import NurtureApp, StoreChanged
    from nurture.tui.writer import Snapshot

SPANS = (12, 26, 52)  # weeks shown; w cycles through them
BAR_WIDTH = 30


class StatsScreen(Screen[None]):
    """How the routine is going."""

    CSS_PATH = "stats.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "span", "Weeks", tooltip="Show 12, 26 or 52 weeks", id="stats-weeks"),
        Binding("escape,q", "close", "Close", tooltip="Back to the main screen", id="stats-close"),
    ]
    app: NurtureApp

    def __init__(self) -> None:
        super().__init__(id="stats")
        self.weeks = SPANS[0]
        self.stats: Stats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-routine")
            yield Sparkline([], id="stats-chart")
            yield Static("", id="stats-weeks")
            yield Static("", id="stats-figures")
            yield Static("", id="stats-drift")
        yield Footer()

    def on_mount(self) -> None:
        self._recount()

    def on_store_changed(self, message: StoreChanged) -> None:
        if not message.suggestions_only:
            self._recount()

    def _recount(self) -> None:
        data = self.app.data
        if data.complete:
            self._count(data, self.weeks)

    @work(thread=True, exclusive=True, group="stats")
    def _count(self, data: Snapshot, weeks: int) -> None:
        from nurture.routine import statistics

        entries = {e.id: e for timeline in data.timelines.values() for e in timeline}
        newest = sorted(entries.values(), key=lambda e: e.at.timestamp(), reverse=True)
        rules = self.app._rules
        stats = statistics(data.contacts, newest, data.timelines, data.review, rules,
                           data.today, weeks=weeks, goal=self.app.config.routine_per_week)
        self.app.call_from_thread(self._show, stats)

    def _show(self, stats: Stats) -> None:
        from nurture.rules.text import ago, approx, every

        self.stats = stats
        head = Text(f"Week of {stats.routine.week_of.strftime('%a %-d %b %Y')}: ", style="bold")
        head.append(stats.routine.summary(), style="green" if stats.routine.met else "")
        self.query_one("#stats-routine", Static).update(head)
        self.query_one("#stats-chart", Sparkline).data = [w.touches for w in stats.per_week]
        top = max([w.touches for w in stats.per_week] + [stats.routine.goal, 1])
        weeks = Table.grid(padding=(0, 1))
        weeks.add_column(style="dim")
        weeks.add_column()
        weeks.add_column(justify="right")
        for week in stats.per_week:
            met = stats.routine.goal and week.touches >= stats.routine.goal
            weeks.add_row(week.week_of.strftime("%d %b"),
                          Text("█" * round(week.touches * BAR_WIDTH / top),
                               style="green" if met else "yellow"),
                          Text(f"{week.touches}{' ✓' if met else ''}"))
        self.query_one("#stats-weeks", Static).update(weeks)
        figures = Table.grid(padding=(0, 2))
        figures.add_column(style="bold")
        figures.add_column()
        figures.add_row("By channel", Text(" · ".join(f"{k} {n}" for k, n in
                                                       stats.by_channel.items()) or "—"))
        figures.add_row("By relationship", Text(" · ".join(f"{k} {n}" for k, n in
                                                            stats.by_kind.items()) or "—"))
        figures.add_row("Sent", Text(f"{stats.cards_sent} cards · {stats.notes_sent} notes · "
                                     f"{stats.gifts_given} gifts"))
        figures.add_row("Follow-ups", Text(f"{stats.follow_ups_on_time} kept on time · "
                                           f"{stats.follow_ups_late} late · "
                                           f"{stats.follow_ups_open} still open"))
        self.query_one("#stats-figures", Static).update(figures)
        drift = Table(title="Drifting furthest past their cadence", title_justify="left",
                      show_edge=False, box=None, padding=(0, 2))
        drift.add_column("Who")
        drift.add_column("Overdue", justify="right")
        drift.add_column("Cadence")
        drift.add_column("Last touch")
        for d in stats.drifting:
            drift.add_row(Text(shown(d.name)), Text(approx(d.days_past)),
                          Text(every(d.cadence_days)),
                          Text("never" if d.days_since is None else ago(d.days_since)))
        if not stats.drifting:
            drift.add_row(Text("Nobody: every cadence is kept.", style="dim"))
        self.query_one("#stats-drift", Static).update(drift)

    def action_span(self) -> None:
        self.weeks = SPANS[(SPANS.index(self.weeks) + 1) % len(SPANS)]
        self._recount()

    def action_close(self) -> None:
        self.app.pop_screen()
