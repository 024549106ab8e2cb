"""The daily review: today's suggestions one by one, each with its reason.

The queue is fixed when the screen opens (so "4 of 11" means something) and
grows only if new suggestions arrive: one that waited all along past the daily
limit does not join because a row was done (else "1 of 51", and the day's
review never ends). Each row is redrawn from the book after every
change: a row the rules still offer shows today's suggestion (its reason as
true as the rules make it); one with a review state shows what was done; one
the rules no longer offer was closed elsewhere (a call logged, a note sent, a
follow-up checked off, a command in another shell) and shows as done, with no
reason, since the old one may now be false.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, ClassVar
from weakref import WeakKeyDictionary

import pendulum
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from nurture import actions
from nurture.actions.clock import moment
from nurture.model import (
    ReviewState,
    ReviewStatus,
    Suggestion,
)
from nurture.tui.screens.snooze import SnoozePicker
from nurture.tui.text import shown
from nurture.tui.widgets.footer import Footer
from nurture.wording import ago

if TYPE_CHECKING:
    from nurture.model import Contact
    from nurture.store import Store
    from nurture.tui.app import NurtureApp, StoreChanged

OVERDUE_SHOWN = 5  # how many long-unseen people an empty review offers


@dataclass(slots=True)
class TodaysQueue:
    """The day's review queue: made when the review first opens that day, and kept while
    the app runs (leaving the review to write a note and coming back keeps "4 of 11").

    It grows only by suggestions new to the day (a promise made in another shell, a
    follow-up a note picked up) that make the day's list when they appear. One that was
    open all along, past the daily limit or a rule's cap, does not join because a row
    above it was done: else "1 of 51", and the day's review never ends.
    """

    day: pendulum.Date
    rows: list[Suggestion] = field(default_factory=list)
    offered: set[str] = field(default_factory=set)  # every key the rules offered today

    def follow(self, app: NurtureApp) -> None:
        """Bring it up to date with the book: a row the rules still offer shows today's
        suggestion; the new ones join."""
        fresh = {s.key: s for s in app.suggestions()}
        self.rows[:] = [fresh.pop(s.key, s) for s in self.rows]
        self.rows += [s for key, s in fresh.items() if key not in self.offered]
        # Also while the rules re-run: the book then carries their last answer, keys too.
        self.offered |= app.data.open_keys

    def waiting(self, app: NurtureApp) -> int:
        return sum(1 for s in self.rows if _waiting(app, s.key))


_QUEUES: WeakKeyDictionary[NurtureApp, TodaysQueue] = WeakKeyDictionary()


def todays_queue(app: NurtureApp, *, make: bool = False) -> TodaysQueue | None:
    """The day's queue (None when the review was not opened today, unless ``make``)."""
    queue = _QUEUES.get(app)
    if queue is None or queue.day != app.today:
        if not make:
            return None
        queue = _QUEUES[app] = TodaysQueue(app.today)
        queue.follow(app)
    return queue


def follow_the_book(app: NurtureApp) -> None:
    """The app, on each new view of the book: the day's queue follows it, whether the
    review is open or not (so a suggestion that appears while it is closed joins, or
    not, as it would have while open)."""
    queue = todays_queue(app)
    if queue is not None:
        queue.follow(app)


_MARK = {
    ReviewStatus.DONE: ("✓", "done"),
    ReviewStatus.SNOOZED: ("◷", "snoozed"),
    ReviewStatus.DISMISSED: ("✗", "dismissed"),
}
CLOSED = ("✓", "done")  # no longer offered: what it asked for happened


def _status(app: NurtureApp, key: str) -> ReviewState | None:
    state = app.data.review.get(key)
    return state if state is not None and state.hides_on(app.today) else None


def _closed(app: NurtureApp, key: str) -> bool:
    return app.data.suggestions_ready and key not in app.data.open_keys


def _waiting(app: NurtureApp, key: str) -> bool:
    return _status(app, key) is None and not _closed(app, key)


class ReviewScreen(Screen[None]):
    """Today's suggestions as a queue: act on each with one key."""

    CSS_PATH = "review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Next", show=False, tooltip="Next suggestion",
                id="review-next"),
        Binding("k,up", "move(-1)", "Previous", show=False, tooltip="Previous suggestion",
                id="review-previous"),
        Binding("enter", "open_contact", "Open", tooltip="Open this person's card and timeline",
                id="review-open"),
        Binding("c", "compose", "Compose", tooltip="Write a note, pre-filled from the suggestion",
                id="review-compose"),
        Binding("n", "note", "Note", tooltip="A quick note (a call) for this person",
                id="review-note"),
        Binding("d", "mark('done')", "Done", tooltip="Mark this suggestion done",
                id="review-done"),
        Binding("s", "snooze", "Snooze", tooltip="Bring it back tomorrow, next week or on a date",
                id="review-snooze"),
        Binding("x", "mark('dismissed')", "Dismiss", tooltip="Not this time: drop the suggestion",
                id="review-dismiss"),
        Binding("u", "undo", "Undo", id="review-undo",
                tooltip="Put the selected suggestion back in the queue; on a waiting one, "
                        "take back your last decision"),
        Binding("escape,q", "close", "Close", tooltip="Back to the main screen",
                id="review-close"),
    ]
    app: NurtureApp

    def __init__(self, after: str | None = None) -> None:
        super().__init__(id="review")
        self._queue = TodaysQueue(pendulum.date(2000, 1, 1))  # the day's (see on_mount)
        self._overdue: list[str] = []  # contact ids offered when the queue is empty
        self._after = after  # open on the first waiting row at or after this key
        self._decided: list[str] = []  # keys marked here, newest last (what `u` takes back)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-body"):
            yield Static("", id="review-progress")
            yield OptionList(id="review-queue")
            yield Static("", id="review-detail")
        yield Footer()

    def on_mount(self) -> None:
        self._rebuild()
        self._to_waiting(self._after)
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        # Back from a quick note taken on a suggestion: on to the next one still waiting.
        current = self.current
        if current is not None and not self.waiting(current.key):
            self._to_waiting(current.key)

    def on_store_changed(self, message: StoreChanged) -> None:
        self._rebuild()

    # ------------------------------------------------------------ state

    def status(self, key: str) -> ReviewState | None:
        """What was done with suggestion ``key`` today (None while it waits)."""
        return _status(self.app, key)

    def closed(self, key: str) -> bool:
        """Whether the rules no longer offer ``key`` at all (what it asked for happened;
        not merely ranked past the daily limit)."""
        return _closed(self.app, key)

    def waiting(self, key: str) -> bool:
        return _waiting(self.app, key)

    @property
    def queue(self) -> list[Suggestion]:
        """The day's rows (``TodaysQueue``)."""
        return self._queue.rows

    @property
    def reviewed(self) -> int:
        return sum(1 for s in self.queue if not self.waiting(s.key))

    def _rebuild(self) -> None:
        # Recomputed from the book, never patched: the app has brought the day's queue up
        # to date (`follow_the_book`); one is made when the review first opens each day.
        queue = todays_queue(self.app, make=True)
        assert queue is not None
        if queue is not self._queue:  # opened, or open past midnight: the new day's
            self._queue = queue
            self.app.show_header()
        data = self.app.data
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        if self.queue or not (data.suggestions_ready and data.complete):
            self._overdue = []  # (who waited longest is known once the timelines are)
            option_list.set_options(self._option(s) for s in self.queue)
        else:
            self._overdue = most_overdue(self.app, OVERDUE_SHOWN)
            option_list.set_options(self._overdue_option(cid) for cid in self._overdue)
        if option_list.option_count:
            option_list.highlighted = min(highlighted or 0, option_list.option_count - 1)
        self._show_progress()
        self._show_detail()

    def _option(self, suggestion: Suggestion) -> Option:
        state = self.status(suggestion.key)
        title = Text(shown(suggestion.title), style="bold")
        if state is None and not self.closed(suggestion.key):
            mark = Text("•", style="bold")
            title.append("\n")
            title.append(shown(suggestion.reason), style="dim")
        else:
            sign, word = _MARK[state.status] if state is not None else CLOSED
            if state is not None and state.status is ReviewStatus.SNOOZED \
                    and state.until is not None:
                word = f"snoozed to {state.until.format('ddd D MMM')}"
            mark = Text(sign, style="dim")
            dismissed = state is not None and state.status is ReviewStatus.DISMISSED
            title.stylize("dim strike" if dismissed else "dim")
            title.append(f"  ({word})", style="dim italic not strike")
        # A grid keeps a wrapped reason indented under its title.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1)
        grid.add_column(ratio=1)
        grid.add_row(mark, title)
        return Option(grid, id=suggestion.key)

    def _overdue_option(self, contact_id: str) -> Option:
        contact = self.app.data.by_id[contact_id]
        facts = self.app.data.facts.get(contact_id)
        prompt = Text()
        prompt.append(shown(contact.display_name), style="bold")
        if facts is not None and facts.last_at is not None:
            prompt.append(f"  last spoke {ago(facts.last_at.date(), self.app.today)}",
                          style="dim")
        else:
            prompt.append("  nothing logged yet", style="dim")
        return Option(prompt, id=f"contact:{contact_id}")

    def _show_progress(self) -> None:
        progress = self.query_one("#review-progress", Static)
        if not self.app.loaded:
            progress.update("Opening your address book…")
        elif not self.queue and not (self.app.data.suggestions_ready
                                     and self.app.data.complete):
            progress.update("Looking for suggestions…")
        elif not self.queue:
            lead = "Nothing needs you today — enjoy the day."
            if self._overdue:
                lead += " If you have a minute, these people have waited longest:"
            progress.update(lead)
        else:
            total, done = len(self.queue), self.reviewed
            text = f"{done} of {total} reviewed"
            if done == total:
                text += " — all caught up. Thank you!"
            progress.update(text + self._captured())

    def _captured(self) -> str:
        """What capture logged from mail and calendars since yesterday, if anything."""
        from nurture.actions.capture import captured_since

        data = self.app.data
        # The journal: the last two weeks, shared entries once (every timeline, read at
        # each redraw of the review, took 378 ms of the UI thread at 50,000 people).
        counts = captured_since(data.journal, data.today.subtract(days=1))
        if not counts:
            return ""
        parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items())]
        return f"\nCaptured since yesterday: {', '.join(parts)}."

    def _show_detail(self) -> None:
        detail = self.query_one("#review-detail", Static)
        suggestion = self.current
        contact_id = suggestion.contact_ids[0] if suggestion else self._current_overdue()
        contact = self.app.data.by_id.get(contact_id) if contact_id else None
        if contact is None:
            detail.update("")
            return
        text = Text()
        text.append(shown(contact_line(contact)), style="bold")
        facts = self.app.data.facts.get(contact.id)
        if facts is not None and facts.last_at is not None:
            text.append(f"\nLast contact {ago(facts.last_at.date(), self.app.today)}"
                        f" ({facts.last_kind})")
        if suggestion is not None and suggestion.due > self.app.today:
            text.append(f"\nComing up {suggestion.due.format('ddd D MMM')} "
                        f"(in {(suggestion.due - self.app.today).days} days)")
        channel = contact.preferred_channel()
        reach = [channel.label()] if channel else []
        reach += [e.address for e in contact.emails[:1]] + [p.number for p in contact.phones[:1]]
        if reach:
            text.append("\nReach: " + shown(" · ".join(reach)), style="dim")
        detail.update(text)

    # ------------------------------------------------------------ the selection

    @property
    def current(self) -> Suggestion | None:
        """The highlighted suggestion (None on an empty queue)."""
        option = self.query_one(OptionList).highlighted_option
        if option is None or not self.queue:
            return None
        return next((s for s in self.queue if s.key == option.id), None)

    def _current_overdue(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None or not option.id.startswith("contact:"):
            return None
        return option.id.removeprefix("contact:")

    def _contact_id(self) -> str | None:
        suggestion = self.current
        return suggestion.contact_ids[0] if suggestion else self._current_overdue()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_open_contact()

    def _next_waiting(self, after: str) -> None:
        """Move to the next suggestion still waiting, after ``after`` (wrapping round)."""
        keys = [s.key for s in self.queue]
        start = keys.index(after) if after in keys else -1
        for step in range(1, len(keys) + 1):
            key = keys[(start + step) % len(keys)]
            if key != after and self.waiting(key):
                self.query_one(OptionList).highlighted = (start + step) % len(keys)
                return

    def _to_waiting(self, start: str | None) -> None:
        """Highlight the first waiting row at or after ``start`` (from the top: None)."""
        keys = [s.key for s in self.queue]
        if start is not None and start in keys:
            if self.waiting(start):
                self.query_one(OptionList).highlighted = keys.index(start)
            else:
                self._next_waiting(start)
            return
        first = next((i for i, key in enumerate(keys) if self.waiting(key)), None)
        if first is not None:
            self.query_one(OptionList).highlighted = first

    # ------------------------------------------------------------ actions

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_open_contact(self) -> None:
        contact_id = self._contact_id()
        if contact_id:
            self.app.open_contact(contact_id)

    def action_compose(self) -> None:
        contact_id = self._contact_id()
        if contact_id:
            self.app.open_compose(contact_id, suggestion=self.current, from_review=True)

    def action_note(self) -> None:
        contact_id = self._contact_id()
        current = self.current
        if contact_id:
            self.app.open_quick_note(contact_id, suggestion_key=current.key
                                     if current is not None and self.waiting(current.key)
                                     else "")

    def action_mark(self, status: str, until: pendulum.Date | None = None) -> None:
        suggestion = self.current
        if suggestion is None or not self.waiting(suggestion.key):
            self.app.bell()
            return
        key, rules, today = suggestion.key, self.app.rules, self.app.today
        at = moment(today)
        write: Callable[[Store], object]
        if status == ReviewStatus.DONE.value:
            write = partial(actions.review_done, rules=rules, key=key, today=today, now=at)
        elif status == ReviewStatus.SNOOZED.value and until is not None:
            write = partial(actions.review_snooze, rules=rules, key=key, until=until,
                            today=today, now=at)
        else:
            write = partial(actions.review_dismiss, rules=rules, key=key, today=today, now=at)
        self.app.run_write(write, description=f"mark the suggestion {status}")
        self._decided.append(key)
        self._next_waiting(suggestion.key)

    def action_snooze(self) -> None:
        suggestion = self.current
        if suggestion is None:
            self.app.bell()
            return

        def chosen(until: pendulum.Date | None) -> None:
            if until is not None:
                self.query_one(OptionList).highlighted = self.queue.index(suggestion)
                self.action_mark(ReviewStatus.SNOOZED.value, until)

        self.app.push_screen(SnoozePicker(self.app.today), chosen)

    def action_undo(self) -> None:
        """Put the highlighted suggestion back; on a waiting row, take back the last
        decision made here (the cursor goes to it), as one expects of an undo key."""
        suggestion = self.current
        key = suggestion.key if suggestion is not None and suggestion.key in self.app.data.review \
            else None
        if key is None and self._decided:
            # The last decision made here, even if its write is still queued: the undo
            # is queued behind it on the one writer, so it finds it done.
            key = self._decided.pop()
        if key is None:
            self.app.bell()
            return
        with suppress(ValueError):
            self._decided.remove(key)
        keys = [s.key for s in self.queue]
        if key in keys:
            self.query_one(OptionList).highlighted = keys.index(key)
        self.app.run_write(partial(actions.review_undo, key=key),
                           description="put the suggestion back")

    def action_close(self) -> None:
        self.app.pop_screen()


def most_overdue(app: NurtureApp, count: int) -> list[str]:
    """Ids of the people waiting longest: overdue check-ins first, then longest unseen."""
    data, today = app.data, app.today
    far_past = pendulum.date(1, 1, 1)

    def rank(contact: Contact) -> tuple[int, pendulum.Date]:
        facts = data.facts.get(contact.id)
        if facts is None:
            return (2, far_past)
        if facts.due is not None and facts.due < today:
            return (0, facts.due)
        if facts.last_at is not None:
            return (1, facts.last_at.date())
        return (2, far_past)

    waiting = [c for c in data.contacts if rank(c)[0] < 2]
    waiting.sort(key=rank)
    return [c.id for c in waiting[:count]]


def contact_line(contact: Contact) -> str:
    """``Dan Okafor · VP Operations, Harbor Freight Lines``."""
    role = ", ".join(p for p in (contact.title, contact.company) if p)
    return f"{contact.display_name} · {role}" if role else contact.display_name
