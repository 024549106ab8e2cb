"""The timeline pane: one contact's entries newest first, open follow-ups pinned on top.

The same widget shows the journal (everyone's entries of the last days).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pendulum
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from nurture.model import Contact, FollowUp, Interaction
from nurture.tui import bindings
from nurture.tui.text import shown, with_markup
from nurture.tui.widgets.card import ago, until
from nurture.tui.writer import JOURNAL_DAYS, Snapshot

if TYPE_CHECKING:
    from nurture.tui.screens.main import MainScreen

KIND_ICONS = {
    "call": "☎", "meeting": "◉", "email": "✉", "message": "✎", "note": "·",
    "card-sent": "✉", "gift-given": "♦", "gift-received": "♦", "thank-you": "♥",
    "favour": "★", "suggestion": "★", "introduction": "↔", "life-event": "✦", "other": "·",
}


def pinned_follow_ups(entries: list[Interaction]) -> list[tuple[Interaction, FollowUp]]:
    """Open follow-ups of ``entries``, soonest due first (undated last)."""
    found = [(entry, f) for entry in entries for f in entry.open_follow_ups()]
    far = pendulum.date(9999, 12, 31)
    return sorted(found, key=lambda pair: (pair[1].due or far, pair[0].at.timestamp()))


def follow_up_text(entry: Interaction, follow_up: FollowUp, today: pendulum.Date,
                   who: str = "") -> Text:
    text = Text("⚑ ", style="bold yellow")
    if follow_up.due is None:
        text.append("open", style="yellow")
    elif follow_up.due < today:
        text.append(f"overdue since {ago(follow_up.due, today).removesuffix(' ago')}",
                    style="bold red")
    else:
        text.append(f"due {until(follow_up.due, today)}", style="yellow")
    text.append("  " + shown(follow_up.text))
    source = f"from {entry.kind.value} {entry.at.format('D MMM')}"
    text.append(f"  ({shown(who) + ', ' if who else ''}{source})", style="dim")
    return text


def entry_text(entry: Interaction, today: pendulum.Date, names: dict[str, Contact],
               *, journal: bool = False, me: str | None = None) -> RenderableType:
    """Two lines or more: icon, kind, channel, relative and absolute time; then the text."""
    head = Text()
    head.append(f"{KIND_ICONS.get(entry.kind.value, '·')} ", style="bold")
    head.append(entry.kind.value, style="bold")
    if entry.channel and entry.channel != entry.kind.value:  # not "email · email"
        head.append(f" · {shown(entry.channel)}", style="dim")
    if entry.duration_seconds:
        minutes = max(1, round(entry.duration_seconds / 60))
        head.append(f" · {minutes} min", style="dim")
    head.append(f"  {ago(entry.at.date(), today)}", style="cyan")
    head.append(f" · {entry.at.format('ddd D MMM YYYY HH:mm')}", style="dim")
    body = Text()
    others = [names[c].display_name for c in entry.contact_ids if c != me and c in names]
    if others:
        body.append(("" if journal else "with ") + shown(", ".join(others)) + "\n",
                    style="italic")
    if entry.text:  # typed over several lines, shown so
        body.append(shown(entry.text, multiline=True) + "\n")
    for follow_up in entry.follow_ups:
        mark = "☑" if follow_up.done else "☐"
        body.append(f"{mark} {shown(follow_up.text)}\n", style="dim" if follow_up.done else "")
    body.rstrip()
    if not body:
        return head
    # A grid keeps a long line that wraps indented under the entry, as typed lines are.
    grid = Table.grid(padding=0)
    grid.add_column(width=2)
    grid.add_column(ratio=1)
    grid.add_row("", body)
    return Group(head, grid)


class Timeline(OptionList):
    """Entries as options (``i:<id>``), follow-ups as ``f:<entry id>:<follow-up id>``."""

    BINDINGS: ClassVar[list[BindingType]] = [*OptionList.BINDINGS, *bindings.TIMELINE]
    DEFAULT_CSS = """
    Timeline { height: 1fr; max-height: 100%; border: none; padding: 0 1; }
    Timeline:focus { border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.contact_id: str | None = None
        self.journal = False

    def show(self, snapshot: Snapshot, contact_id: str | None, *, journal: bool) -> None:
        """Redraw for one contact (or the journal), keeping the highlighted item if it remains."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        was_at = self.highlighted
        if (contact_id, journal) != (self.contact_id, self.journal):
            keep = None
        self.contact_id, self.journal = contact_id, journal
        today = snapshot.today
        if journal:
            entries = snapshot.journal
            self.border_title = f"Journal · last {JOURNAL_DAYS} days"
        else:
            entries = snapshot.timeline(contact_id) if contact_id else []
            contact = snapshot.by_id.get(contact_id or "")
            self.border_title = (with_markup("Timeline · $name", name=contact.display_name)
                                 if contact else "Timeline")
        options: list[Option | None] = []
        for entry, follow_up in pinned_follow_ups(entries):
            who = ""
            if journal:
                who = ", ".join(snapshot.by_id[c].display_name for c in entry.contact_ids
                                if c in snapshot.by_id)
            options.append(Option(follow_up_text(entry, follow_up, today, who),
                                  id=f"f:{entry.id}:{follow_up.id}"))
        if options and entries:
            options.append(None)
        for entry in entries:
            options.append(Option(entry_text(entry, today, snapshot.by_id, journal=journal,
                                             me=None if journal else contact_id),
                                  id=f"i:{entry.id}"))
        if not options:
            empty = ("Loading the timelines…" if not snapshot.complete else
                     "Nothing in the last days." if journal else
                     "No entries yet. Press l to log a call, a meeting, a note…")
            options.append(Option(Text(empty, style="dim"), id="empty", disabled=True))
        self.set_options(options)
        if keep is not None:
            try:
                index = self.get_option_index(keep)
            except OptionDoesNotExist:  # it was deleted: start from the top
                index = None
            # Something new above it (a note just logged): show that instead.
            if index is not None and (was_at is None or index <= was_at):
                self.highlighted = index
                return
        self.highlighted = 0 if self.option_count and not self.options[0].disabled else None
        self.scroll_home(animate=False, immediate=True)

    @property
    def selected_ids(self) -> tuple[str, str | None] | None:
        """(entry id, follow-up id or None) under the cursor."""
        option = self.highlighted_option
        if option is None or option.id is None or option.id == "empty":
            return None
        parts = option.id.split(":")
        return (parts[1], parts[2]) if parts[0] == "f" else (parts[1], None)

    def _main(self) -> MainScreen:
        from nurture.tui.screens.main import MainScreen

        assert isinstance(self.screen, MainScreen)
        return self.screen

    def action_check_off(self) -> None:
        selected = self.selected_ids
        if selected is None or selected[1] is None:
            self.notify("Move to a ⚑ follow-up at the top to check it off.", timeout=3)
            return
        self._main().check_off(selected[0], selected[1])

    def action_edit(self) -> None:
        if self.selected_ids is not None:
            self._main().edit_entry(self.selected_ids[0])

    def action_delete(self) -> None:
        if self.selected_ids is not None:
            self._main().delete_entry(self.selected_ids[0])
