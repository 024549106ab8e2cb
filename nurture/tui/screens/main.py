"""The main screen: contacts (left), card and timeline (centre), compose (right).

Wide terminals show the three panes side by side; narrower ones show two
(contacts and one of the others) or one at a time, with tabs to switch.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static, Tab, Tabs

from nurture import actions
from nurture.actions.clock import moment
from nurture.model import Contact, Interaction, InteractionKind
from nurture.tui import bindings
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.contact_form import ContactForm
from nurture.tui.screens.entry_form import EntryForm, KindPicker
from nurture.tui.widgets.card import ContactCard
from nurture.tui.widgets.contacts import ContactList, ContactsPane, FilterInput
from nurture.tui.widgets.footer import Footer
from nurture.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from nurture.actions import ContactDeleted, EntryDeleted, FollowUpChanged
    from nurture.model import NewsItem, Suggestion
    from nurture.tui.app import NurtureApp, StoreChanged

PANES = ("contacts", "timeline", "compose")
THREE_COLUMNS = 140  # from this width all three panes fit side by side
TWO_COLUMNS = 100  # from this width the contacts stay beside the other pane
CARD_DELAY = 0.15  # seconds of typing pause before the card follows the filter


def _compose_pane() -> Widget:
    """The compose pane from the screens package (a hint until it is installed)."""
    try:
        from nurture.tui.widgets.compose import ComposePane
    except ImportError:
        return Static("Compose: select a contact and press c.", id="compose")
    return ComposePane(id="compose")


class MainScreen(Screen[None]):
    """Where the user lives."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.MAIN]
    app: NurtureApp

    def __init__(self) -> None:
        super().__init__(id="main")
        self.selected_contact_id: str | None = None
        self.journal = False
        self.pane = "contacts"
        self.right = "timeline"  # the pane beside the contacts in the two-column layout
        self.columns = 3
        self._card_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(Tab("1 Contacts", id="tab-contacts"), Tab("2 Timeline", id="tab-timeline"),
                   Tab("3 Compose", id="tab-compose"), id="pane-tabs")
        with Horizontal(id="panes"):
            yield ContactsPane(id="contacts-pane")
            with Vertical(id="centre-pane"):
                yield ContactCard(id="card")
                yield Timeline(id="timeline")
            with Vertical(id="compose-pane"):
                yield _compose_pane()
        yield Footer()

    def on_mount(self) -> None:
        self._layout(self.app.size.width)
        self.query_one(ContactList).focus()
        self.query_one(ContactCard).update("Opening your address book…")

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.columns = 3 if width >= THREE_COLUMNS else 2 if width >= TWO_COLUMNS else 1
        self._show(self.pane)

    def _show(self, pane: str) -> None:
        """Mark ``pane`` as the one in use; narrow layouts show only it (and the contacts)."""
        self.pane = pane
        if pane != "contacts":
            self.right = pane
        # One batch: each class changed alone restyles the whole screen.
        classes = {f"-cols-{n}": self.columns == n for n in (1, 2, 3)}
        for name in PANES:
            classes[f"-pane-{name}"] = pane == name
            classes[f"-right-{name}"] = self.right == name
        self.update_classes(classes)
        self.query_one(Tabs).active = f"tab-{pane}"

    # ------------------------------------------------------------ data

    def on_store_changed(self, message: StoreChanged) -> None:
        from nurture.tui.app import StoreChanged

        # Messages go to screens; the compose pane is a widget, so it hears it from here.
        compose = self.query_one("#compose")
        if hasattr(compose, "on_store_changed"):
            compose.post_message(StoreChanged(message.revision, external=message.external,
                                              suggestions_only=message.suggestions_only))
        if message.suggestions_only:
            return  # the panes show nothing the rules compute; the header has the count
        snapshot = self.app.data
        pane = self.query_one(ContactsPane)
        pane.update_snapshot(snapshot)
        # A contact shown before its row arrived (just added, or brought back by undo: the
        # write's callback runs before this message) gets the list's cursor now, so that
        # edit and delete act on the person the card shows.
        if self.selected_contact_id not in snapshot.by_id \
                or not pane.contact_list.select(self.selected_contact_id):
            self.selected_contact_id = pane.contact_list.selected
        self.refresh_contact()

    def refresh_contact(self) -> None:
        """Redraw the card and the timeline for the selection (or the journal)."""
        snapshot = self.app.data
        contact_id = self.selected_contact_id
        contact = snapshot.by_id.get(contact_id or "")
        card = self.query_one(ContactCard)
        card.display = not self.journal  # everyone's entries: one person's card is beside it
        card.show(contact, snapshot.facts.get(contact_id or ""),
                  snapshot.timeline(contact_id or ""), snapshot.today)
        self.query_one(Timeline).show(snapshot, contact_id, journal=self.journal)

    def on_contact_list_highlighted(self, message: ContactList.Highlighted) -> None:
        if message.contact_id == self.selected_contact_id and not self.journal:
            return
        self.selected_contact_id = message.contact_id
        self.journal = False
        if self._card_timer is not None:
            self._card_timer.stop()
            self._card_timer = None
        if isinstance(self.focused, FilterInput):
            # While typing, only the list redraws per key; the card follows a pause.
            self._card_timer = self.set_timer(CARD_DELAY, self.refresh_contact)
        else:
            self.refresh_contact()

    def on_contact_list_chosen(self, message: ContactList.Chosen) -> None:
        self.action_show_pane("timeline")

    def on_tabs_tab_activated(self, message: Tabs.TabActivated) -> None:
        if message.tab.id != self.query_one(Tabs).active:
            return
        pane = (message.tab.id or "tab-contacts").removeprefix("tab-")
        if pane != self.pane:
            self.action_show_pane(pane)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is not self.focused:
            # Stale: focus moved on before this arrived (show_compose focuses the timeline
            # on its way). Following it would hide the pane now focused and lose the focus.
            return
        for name in PANES:
            container = self.query_one(f"#{'centre' if name == 'timeline' else name}-pane")
            if event.widget is container or container in event.widget.ancestors:
                if name != self.pane:
                    self._show(name)
                return

    # ------------------------------------------------------------ navigation

    def show_contact(self, contact_id: str, *, pane: str = "timeline") -> None:
        """Select ``contact_id`` (clearing a filter that hides it) and show ``pane``: the
        timeline, or the contacts list (after add, edit, undo: so that the next ``e``
        edits the person, not an entry)."""
        self._select(contact_id)
        self.action_show_pane(pane)

    def _select(self, contact_id: str) -> None:
        pane = self.query_one(ContactsPane)
        if not pane.contact_list.select(contact_id):
            pane.action_clear_filter()
            pane.refilter()
            pane.contact_list.select(contact_id)
        self.selected_contact_id = contact_id
        self.journal = False
        self.refresh_contact()

    def show_compose(self, contact_id: str, *, suggestion: Suggestion | None = None,
                     template: str | None = None, news_item: NewsItem | None = None) -> None:
        contact = self.app.data.by_id.get(contact_id)
        if contact is None:
            self.notify("That contact no longer exists.", severity="warning")
            return
        self._select(contact_id)
        widget = self.query_one("#compose")
        if hasattr(widget, "load"):
            widget.load(contact, suggestion=suggestion, template=template, news_item=news_item)
        self.action_show_pane("compose")

    @property
    def selected(self) -> str | None:
        return self.selected_contact_id

    # ------------------------------------------------------------ actions

    def action_show_pane(self, pane: str) -> None:
        compose = self.query_one("#compose")
        if pane == "compose" and getattr(compose, "contact", "") is None \
                and self.selected_contact_id in self.app.data.by_id:
            # An empty compose pane would only say "press c": write to the selection.
            self.show_compose(self.selected_contact_id)
            return
        self._show(pane)
        self._pane_widget(pane).focus()

    def _pane_widget(self, pane: str) -> Widget:
        """What takes the keys when ``pane`` is shown."""
        if pane == "contacts":
            return self.query_one(ContactList)
        if pane == "timeline":
            return self.query_one(Timeline)
        compose = self.query_one("#compose")
        return next((w for w in compose.query("*") if w.focusable), compose)

    def on_screen_resume(self) -> None:
        # Back from another screen: the widget that had the keys may have been hidden
        # meanwhile (a narrow layout, a pane switched from the review), leaving none.
        self.call_after_refresh(self._restore_focus)

    def _restore_focus(self) -> None:
        if self.is_current and self.focused is None:
            self._pane_widget(self.pane).focus()

    def action_filter(self) -> None:
        self.action_show_pane("contacts")
        self.query_one(ContactsPane).start_filter()

    def action_compose(self) -> None:
        if self.selected_contact_id is None:
            self.notify("Select a contact first.", timeout=3)
            return
        self.show_compose(self.selected_contact_id)

    def action_quick_note(self) -> None:
        self.app.open_quick_note(self.selected_contact_id)

    def action_log(self) -> None:
        self.log_entry()

    def action_journal(self) -> None:
        self.journal = not self.journal
        self.refresh_contact()
        self.action_show_pane("timeline")

    def action_news(self) -> None:
        self.app.open_news()

    # ------------------------------------------------------------ changing the book
    # Every change goes through ``app.run_write`` and an action; nothing here touches the file.

    # contacts

    def add_contact(self) -> None:
        self.app.push_screen(ContactForm(), lambda saved: self._save_contact(saved, added=True))

    def edit_contact(self, contact_id: str) -> None:
        contact = self.app.data.by_id.get(contact_id)
        if contact is not None:
            self.app.push_screen(ContactForm(contact), self._save_contact)

    def _save_contact(self, contact: Contact | None, *, added: bool = False) -> None:
        """After the form: it saved ``contact`` itself (through add_contact/edit_contact,
        merged with any other window's edit) before closing; show it and say so."""
        if contact is None:
            return
        self.show_contact(contact.id, pane="contacts")
        self.app.notify(f"{'Added' if added else 'Saved'} {contact.display_name}.", timeout=3)

    def delete_contact(self, contact_id: str) -> None:
        contact = self.app.data.by_id.get(contact_id)
        if contact is None:
            return
        entries = len(self.app.data.timeline(contact_id))
        question = f"Delete {contact.display_name}"
        question += f" and {entries} timeline entr{'y' if entries == 1 else 'ies'}?" \
            if entries else "?"

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_write(partial(actions.delete_contact, contact_id=contact_id),
                                   done=self._deleted, description="delete the contact")

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), answered)

    def _deleted(self, result: ContactDeleted) -> None:
        name = result.contact.display_name
        self.app.remember_undo(f"delete {name}",
                               partial(actions.restore_contact, deleted=result.deleted),
                               result.contact.id)
        self.app.notify(f"Deleted {name}. Press {self.app.key_for('undo')} to undo.",
                        timeout=8)

    # timeline entries

    def log_entry(self, kind: InteractionKind | None = None) -> None:
        contact_id = self.selected_contact_id
        contact = self.app.data.by_id.get(contact_id or "")
        if contact is None:
            self.app.notify("Select a contact to log something with them.", timeout=3)
            return

        def picked(chosen: InteractionKind | None) -> None:
            if chosen is not None:
                self.app.push_screen(
                    EntryForm(self.app.today, contact_ids=[contact.id], kind=chosen,
                              title=f"Log a {chosen.value} with {contact.display_name}"),
                    self._save_entry)

        if kind is None:
            self.app.push_screen(KindPicker(), picked)
        else:
            picked(kind)

    def edit_entry(self, entry_id: str) -> None:
        entry = self._entry(entry_id)
        if entry is not None:
            self.app.push_screen(EntryForm(self.app.today, entry=entry),
                                 partial(self._save_entry, before=entry))

    def _save_entry(self, entry: Interaction | None, before: Interaction | None = None) -> None:
        """Save what the entry form gave: a new entry (logged), or ``before`` edited."""
        if entry is None:
            return
        if before is not None and entry == before:
            self.app.notify("Nothing changed.", timeout=3)
            return
        said = f"Logged: {entry.kind.value}." if before is None else \
            f"Saved the {entry.kind.value}."
        self.app.run_write(partial(actions.log_entry, entry=entry),
                           done=lambda _: self.app.notify(said, timeout=3),
                           description="save the entry")

    def delete_entry(self, entry_id: str) -> None:
        entry = self._entry(entry_id)
        if entry is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def deleted(result: EntryDeleted) -> None:
                gone = result.entry
                self.app.remember_undo(f"delete the {gone.kind.value}",
                                       partial(actions.log_entry, entry=gone), None)
                self.app.notify(f"Deleted the {gone.kind.value}. Press "
                                f"{self.app.key_for('undo')} to undo.", timeout=8)

            self.app.run_write(partial(actions.delete_entry, entry_id=entry_id), done=deleted,
                               description="delete the entry")

        summary = entry.text.splitlines()[0][:60] if entry.text else ""
        self.app.push_screen(ConfirmScreen(
            f"Delete this {entry.kind.value} from {entry.at.format('D MMM YYYY')}?"
            + (f"\n“{summary}”" if summary else ""), yes="Delete"), answered)

    def check_off(self, entry_id: str, follow_up_id: str) -> None:
        """Mark one follow-up done, as ``nurture complete`` does."""
        def done(result: FollowUpChanged) -> None:
            self.app.remember_undo("check off", partial(actions.reopen_follow_up,
                                                        follow_up_id=follow_up_id,
                                                        entry_id=entry_id), None)
            self.app.notify(f"Done: {result.follow_up.text}", timeout=3)

        self.app.run_write(partial(actions.check_off, follow_up_id=follow_up_id,
                                   at=moment(self.app.today), entry_id=entry_id),
                           done=done, description="check off the follow-up")

    def _entry(self, entry_id: str) -> Interaction | None:
        snapshot = self.app.data
        for entries in (snapshot.timeline(self.selected_contact_id or ""), snapshot.journal):
            for entry in entries:
                if entry.id == entry_id:
                    return entry
        return None
