"""People you mail but do not track yet (found by capture): add one with one key."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from nurture import actions
from nurture.actions.contacts import ContactSaved
from nurture.capture.people import NewPerson
from nurture.model import Contact, Email
from nurture.tui.text import shown
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.tui.app import NurtureApp


def contact_for(person: NewPerson) -> Contact:
    """A new contact from a mail partner: their display name (or address) and their email."""
    return Contact.new(person.name.strip() or person.address, emails=[Email(person.address)])


class PeopleToAdd(Screen[None]):
    """The mail partners capture counted (3 messages or more in 90 days) who are not contacts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a,enter", "add", "Add", tooltip="Add the highlighted person as a contact",
                id="people-add"),
        Binding("escape", "close", "Close", tooltip="Back to the main screen",
                id="people-close"),
    ]
    app: NurtureApp

    def __init__(self, people: list[NewPerson]) -> None:
        super().__init__(id="people-to-add")
        self.people = list(people)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="people-status")
        yield OptionList(id="people-list")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(OptionList).focus()

    def _show(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        for person in self.people:
            line = Text(shown(person.name or person.address), style="bold")
            line.append(f"  {shown(person.address)}" if person.name else "")
            line.append(f"  {person.messages} messages, last {person.last.format('D MMM')}",
                        style="dim")
            options.add_option(Option(line, id=person.address))
        if self.people:
            options.highlighted = 0
        count = len(self.people)
        who = "1 person you mailed 3 times or more in 90 days is not a contact" if count == 1 \
            else f"{count} people you mailed 3 times or more in 90 days are not contacts"
        status = (f"{who}. a adds one." if self.people else
                  "Everyone you mailed 3 times or more in 90 days is a contact already.")
        self.query_one("#people-status", Static).update(status)

    def action_add(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.people:
            return
        person = self.people[options.highlighted]

        def added(result: ContactSaved) -> None:
            self.people = [p for p in self.people if p.address != person.address]
            self.app.notify(f"Added {result.contact.display_name}.", timeout=3)
            self._show()

        self.app.run_write(lambda store: actions.add_contact(store, contact_for(person)),
                           done=added, description=f"add {person.address}")

    def action_close(self) -> None:
        self.dismiss(None)
