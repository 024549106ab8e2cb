"""What the main screen does to the book: contacts and timeline entries, with undo.

Every change goes through ``app.run_write``; nothing here touches the file.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from nurture import actions
from nurture.actions.clock import moment
from nurture.model import Contact, Interaction, InteractionKind
from nurture.tui.screens.confirm import ConfirmScreen
from nurture.tui.screens.contact_form import ContactForm
from nurture.tui.screens.entry_form import EntryForm, KindPicker

if TYPE_CHECKING:
    from nurture.actions import ContactDeleted, ContactSaved, EntryDeleted, FollowUpChanged
    from nurture.tui.app import NurtureApp


class BookActions:
    """Mixed into `MainScreen`: add, edit, delete contacts and entries."""

    app: NurtureApp
    selected_contact_id: str | None

    def show_contact(self, contact_id: str, *, pane: str = "timeline") -> None:
        raise NotImplementedError  # provided by the screen

    # ------------------------------------------------------------ contacts

    def add_contact(self) -> None:
        self.app.push_screen(ContactForm(), lambda saved: self._save_contact(saved, added=True))

    def edit_contact(self, contact_id: str) -> None:
        contact = self.app.data.by_id.get(contact_id)
        if contact is not None:
            self.app.push_screen(ContactForm(contact), self._save_contact)

    def _save_contact(self, contact: Contact | None, *, added: bool = False) -> None:
        # The form saved it (merged with any other window's edit) before closing.
        if contact is None:
            return
        is_new = contact.id not in self.app.data.by_id

        def saved(result: ContactSaved) -> None:
            self.show_contact(result.contact.id, pane="contacts")
            self.app.notify(f"{'Added' if result.added else 'Saved'} "
                            f"{result.contact.display_name}.", timeout=3)

        save = actions.add_contact if is_new else actions.edit_contact
        self.app.run_write(partial(save, contact=contact), done=saved,
                           description=f"save {contact.display_name}")

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

    # ------------------------------------------------------------ timeline

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
            self.app.push_screen(EntryForm(self.app.today, entry=entry), self._save_entry)

    def _save_entry(self, entry: Interaction | None) -> None:
        if entry is None:
            return
        self.app.run_write(partial(actions.log_entry, entry=entry),
                           done=lambda _: self.app.notify(f"Logged: {entry.kind.value}.",
                                                          timeout=3),
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
