"""Command palette (ctrl+p): jump to any contact by name, and every action of the app."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from nurture.tui.text import plain, shown
from nurture.tui.waiting import POLL
from nurture.tui.widgets.contacts import ContactsPane

if TYPE_CHECKING:
    from nurture.tui.app import NurtureApp

CONTACT_HITS = 8  # contacts offered per query, best first


def actions(app: NurtureApp) -> list[tuple[str, str, Callable[[], object]]]:
    """(name, help, callable) for every action the palette offers."""
    main = app.main

    def on_main(method: str) -> Callable[[], object]:
        def run() -> object:
            app._back_to_main()
            return getattr(main, method)()
        return run

    def on_selection(method: str) -> Callable[[], object]:
        def run() -> object:
            app._back_to_main()
            if main.selected_contact_id is None:
                app.notify("Select a contact first.", timeout=3)
                return None
            return getattr(main, method)(main.selected_contact_id)
        return run

    return [
        ("Daily review", "Today's suggestions, one at a time", app.open_review),
        ("Quick note", "A note for the call in progress", app.action_quick_note),
        ("Add contact", "A new person, in a form", on_main("add_contact")),
        ("Edit contact", "Edit the selected contact", on_selection("edit_contact")),
        ("Delete contact", "Delete the selected contact (undo with ctrl+z)",
         on_selection("delete_contact")),
        ("Log an entry", "A call, meeting, email… with the selected contact",
         on_main("log_entry")),
        ("Compose", "Write a note to the selected contact", on_main("action_compose")),
        ("Journal", "Everyone's timeline of the last days", on_main("action_journal")),
        ("Filter contacts", "Fuzzy filter by name, company, interest, email",
         on_main("action_filter")),
        ("Sort contacts", "Next order: name, due soonest, longest since contact",
         lambda: main.query_one("#contacts-pane", ContactsPane).action_cycle_sort()),
        ("News", "Recent news matched to your contacts", app.open_news),
        ("Search", "Find words in entries, follow-ups, notes and contact fields",
         app.open_search),
        ("Stats", "Your weekly routine: touches a week, streak, drift", app.open_stats),
        ("Cards", "Cards to write and post, with addresses and gift ideas", app.open_cards),
        ("Send to many", "One gift or clipping to everyone with an interest, logged once",
         app.open_send_to_many),
        ("Import contacts", "vCard, CSV (Google, Outlook, LinkedIn) or JSON",
         partial(app.open_transfer, "import")),
        ("Export contacts", "vCard, iCalendar (key dates, follow-ups), Markdown or JSON",
         partial(app.open_transfer, "export")),
        ("Sync now", "The whole book with your phone and computers (see sync in the README)",
         app.sync_now),
        ("Capture now", "Log emails and meetings from your mail and calendars",
         app.capture_now),
        ("People to add", "People you mail often who are not contacts yet (from capture)",
         app.open_people_to_add),
        ("Undo", "Take back the last delete or check-off", app.action_undo),
        ("Reload", "Read changes other programs made to the data file now", app.poll),
        ("Help", "Every key, by where it works", app.open_help),
    ]


class NurtureCommands(Provider):
    """Contacts by name (ranked like the contacts filter) and the app's actions."""

    # Textual types a provider's app as App[object]; the palette only runs in ours.
    app: NurtureApp  # type: ignore[assignment]  # see above

    async def discover(self) -> Hits:
        for name, help_text, run in actions(self.app):
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in actions(self.app):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
        if not query.strip():
            return
        # The people once the filter's index answers at once: asked before (a large book
        # just opened), the UI thread would wait for its build. Textual cancels this
        # search when the query changes.
        while not (data := self.app.data).matcher.answers_now:
            await asyncio.sleep(POLL)
        if not data.contacts:
            return
        for n, contact in enumerate(data.matcher.rank(query, CONTACT_HITS)):
            contact_id = contact.id
            label = f"Open {shown(contact.display_name)}"
            detail = " · ".join(p for p in (contact.company, contact.kind.value) if p)
            # The palette parses a str prompt and help as markup: names and companies
            # go in as Content (the detail under the name, as help would be).
            display = Content.assemble(label, "\n", plain(detail, "dim"))
            # Below a strong action match, above a weak one; best-ranked contact first.
            yield Hit(0.9 - n * 0.05, display, partial(self.app.open_contact, contact_id),
                      text=label)
