"""The contacts pane: a filter box and a virtual list that stays fast at thousands of rows.

The list draws only the rows on screen (Textual's line API); filtering and
sorting work on the snapshot (its matcher, `store.matching`, and its precomputed facts),
never on the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

import pendulum
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from nurture.tui import bindings
from nurture.tui.text import shown as safe_text  # segments bypass markup, not ESC
from nurture.tui.waiting import PREPARING, FilterWait
from nurture.tui.writer import ContactFacts, Snapshot
from nurture.wording import ago, relative_days

if TYPE_CHECKING:
    from nurture.tui.app import NurtureApp
    from nurture.tui.screens.main import MainScreen

SORTS = ("name", "due", "last")
SORT_LABELS = {"name": "name", "due": "due soonest", "last": "longest since contact"}


# ------------------------------------------------------------ pure: sort


def sort_ids(ids: Sequence[str], how: str, facts: dict[str, ContactFacts]) -> list[str]:
    """``ids`` (already in name order) by ``how``: name, due soonest, longest since contact."""
    far = pendulum.date(9999, 12, 31)
    if how == "due":
        return sorted(ids, key=lambda i: facts[i].due or far)
    if how == "last":
        # Never contacted first, then the longest ago.
        return sorted(ids, key=lambda i: last.timestamp() if (last := facts[i].last_at)
                      else float("-inf"))
    return list(ids)


# ------------------------------------------------------------ the virtual list


class ContactList(ScrollView, can_focus=True):
    """One line per contact, drawn on demand: markers, name, and a hint on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "contact-list--cursor", "contact-list--date", "contact-list--overdue",
        "contact-list--follow-up", "contact-list--hint",
    }
    DEFAULT_CSS = """
    ContactList { height: 1fr; overflow-x: hidden; }
    ContactList > .contact-list--cursor { background: $block-cursor-blurred-background; }
    ContactList:focus > .contact-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    ContactList > .contact-list--date { color: $accent; }
    ContactList > .contact-list--overdue { color: $error; text-style: bold; }
    ContactList > .contact-list--follow-up { color: $warning; }
    ContactList > .contact-list--hint { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another contact (``None`` when the list is empty)."""

        def __init__(self, contact_id: str | None) -> None:
            super().__init__()
            self.contact_id = contact_id

    class Chosen(Message):
        """Enter (or a click) on a contact."""

        def __init__(self, contact_id: str) -> None:
            super().__init__()
            self.contact_id = contact_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[str] = []
        self.snapshot = Snapshot()
        self.hint_mode = "name"
        self._announced: str | None = None
        self._styles: dict[str, Style] = {}

    @property
    def selected(self) -> str | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_rows(self, rows: list[str], snapshot: Snapshot, *, keep: str | None = None,
                 hint_mode: str = "name", fallback: int = 0) -> None:
        """Show ``rows`` (contact ids); the cursor stays on ``keep``, else row ``fallback``."""
        self.rows, self.snapshot, self.hint_mode = rows, snapshot, hint_mode
        self.virtual_size = Size(self.size.width, len(rows))
        self.cursor = rows.index(keep) if keep in rows else fallback
        self.refresh()

    def select(self, contact_id: str) -> bool:
        try:
            self.cursor = self.rows.index(contact_id)
        except ValueError:
            return False
        return True

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        if self.is_mounted and self.rows:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True,
                                  immediate=True)
        selected = self.selected
        if selected != self._announced:
            self._announced = selected
            self.post_message(self.Highlighted(selected))

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_jump(self, where: int) -> None:
        self.cursor = where if where >= 0 else len(self.rows) - 1

    def action_choose(self) -> None:
        if self.selected is not None:
            self.post_message(self.Chosen(self.selected))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain >= 2:
                self.action_choose()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    def render_lines(self, crop: Region) -> list[Strip]:
        # Styles are looked up once per paint, not once per row: with a tall list
        # the lookups cost more than drawing the rows.
        get = self.get_component_rich_style
        base = self.rich_style
        cursor = base + get("contact-list--cursor")
        self._styles = {
            "base": base, "cursor": cursor,
            **{f"{name}@{which}": style + get(f"contact-list--{name}", partial=True)
               for name in ("date", "overdue", "follow-up", "hint")
               for which, style in (("base", base), ("cursor", cursor))},
        }
        return super().render_lines(crop)

    @property
    def row_width(self) -> int:
        """The width rows are drawn at: what the scrollbar the rows need leaves.

        From the rows, not from whether the scrollbar shows yet (it comes one layout
        later; a row drawn in between stayed, cut wider, so rows depended on timing).
        """
        width, height = self.size
        if len(self.rows) > height:
            width -= self.styles.scrollbar_size_vertical
        return max(0, width)

    def render_line(self, y: int) -> Strip:
        width = self.row_width
        row = y + self.scroll_offset.y
        styles = self._styles
        base = styles["base"]
        if not 0 <= row < len(self.rows):
            if not self.rows and y == 0:
                text = ("Opening the book…" if self.snapshot.revision < 0  # nothing read yet
                        else "No contacts match." if self.snapshot.contacts
                        else "No contacts yet.")
                return Strip([Segment(set_cell_size(" " + text, width), styles["hint@base"])],
                             width)
            return Strip.blank(width, base)
        contact_id = self.rows[row]
        contact = self.snapshot.by_id.get(contact_id)
        facts = self.snapshot.facts.get(contact_id)
        if contact is None or facts is None:
            return Strip.blank(width, base)
        which = "cursor" if row == self.cursor else "base"
        style = styles[which]
        today = self.snapshot.today

        def marker(on: bool, char: str, name: str) -> Segment:
            return Segment(char, styles[f"{name}@{which}"]) if on else Segment(" ", style)

        markers = [
            marker(facts.upcoming(today), "◆", "date"),
            marker(facts.overdue(today), "!", "overdue"),
            marker(facts.open_follow_ups > 0, "⚑", "follow-up"),
        ]
        hint = safe_text(self._hint(contact.company, facts, today))
        room = width - 6  # markers and padding on both sides
        if cell_len(hint) + 2 > room // 2:
            hint = set_cell_size(hint, max(0, room // 2 - 3)).rstrip() + "…"
        name_width = max(0, room - (cell_len(hint) + 1 if hint else 0))
        segments = [Segment(" ", style), *markers, Segment(" ", style),
                    Segment(set_cell_size(safe_text(contact.display_name), name_width), style)]
        if hint:
            segments += [Segment(" ", style), Segment(hint, styles[f"hint@{which}"]),
                         Segment(" ", style)]
        return Strip(segments).adjust_cell_length(width, style)

    def _hint(self, company: str, facts: ContactFacts, today: pendulum.Date) -> str:
        if self.hint_mode in ("due", "last") and not facts.known:
            return "…"  # the timelines are still loading
        if self.hint_mode == "due":
            if facts.due is None:
                return ""
            return "due " + relative_days(facts.due, today) if facts.due >= today \
                else f"{(today - facts.due).in_days()}d overdue"
        if self.hint_mode == "last":
            if facts.last_at is None:
                return "never"
            return ago(facts.last_at.date(), today)
        return company


# ------------------------------------------------------------ the pane


class FilterInput(Input):
    """The filter box; arrows still move the list underneath."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "list_move(1)", show=False),
        Binding("up", "list_move(-1)", show=False),
    ]

    def action_list_move(self, step: int) -> None:
        self.screen.query_one(ContactList).action_move(step)


class ContactsPane(Vertical):
    """Filter, sort line and the list; add, edit and delete act on the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.CONTACTS]
    DEFAULT_CSS = """
    ContactsPane #filter { display: none; border: none; height: 1; padding: 0 1; }
    ContactsPane.-filtering #filter { display: block; }
    ContactsPane #contacts-status { color: $text-muted; padding: 0 1; width: 1fr; height: 1; }
    """

    app: NurtureApp

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort = "name"
        self.snapshot = Snapshot()
        self._index = FilterWait(self, self.refilter)

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="filter: name, company, interest, email…", id="filter")
        yield Static("", id="contacts-status")
        yield ContactList(id="contact-list")

    @property
    def contact_list(self) -> ContactList:
        return self.query_one(ContactList)

    @property
    def query_text(self) -> str:
        return self.query_one(FilterInput).value

    def update_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # A contact deleted under the cursor leaves it on the row that took its place.
        self.refilter(fallback=self.contact_list.cursor)

    def refilter(self, fallback: int = 0) -> None:
        """Rank (when filtering) or sort the contacts and redraw the list."""
        snapshot = self.snapshot
        query = self.query_text
        if query.strip():
            if not self._index.ready(snapshot.matcher):  # asked again once it is built
                self.query_one("#contacts-status", Static).update(PREPARING)
                return
            # The one matcher (`store.matching`): the picker and `nurture show` agree.
            rows = snapshot.matcher.rank_ids(query)
        else:
            rows = sort_ids([c.id for c in snapshot.contacts], self.sort, snapshot.facts)
        keep = self.contact_list.selected
        self.contact_list.set_rows(rows, snapshot, keep=keep, hint_mode=self.sort,
                                   fallback=fallback)
        self._status(len(rows), len(snapshot.contacts), bool(query.strip()))

    def _status(self, shown: int, total: int, filtering: bool) -> None:
        if filtering:
            text = f"{shown:,} of {total:,} match"
        else:
            text = f"{total:,} contact{'s' if total != 1 else ''} · by {SORT_LABELS[self.sort]}"
        self.query_one("#contacts-status", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.contact_list.focus()

    def start_filter(self) -> None:
        self.add_class("-filtering")
        field = self.query_one(FilterInput)
        field.focus()
        # A name typed fast after the ``/`` goes into the filter, not to the list's keys
        # (e edits the selected person, a adds one) before the focus has moved.
        self.app.type_ahead(field)

    def action_clear_filter(self) -> None:
        self.query_one(FilterInput).value = ""  # Input.Changed refilters
        self.remove_class("-filtering")
        self.contact_list.focus()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refilter()
        self.notify(f"Sorted by {SORT_LABELS[self.sort]}", timeout=2)

    def _main(self) -> MainScreen:
        from nurture.tui.screens.main import MainScreen

        assert isinstance(self.screen, MainScreen)
        return self.screen

    def action_add(self) -> None:
        self._main().add_contact()

    def action_edit(self) -> None:
        if self.contact_list.selected:
            self._main().edit_contact(self.contact_list.selected)

    def action_delete(self) -> None:
        if self.contact_list.selected:
            self._main().delete_contact(self.contact_list.selected)
