"""Every key binding of the shell, declared once with a description, tooltip and id.

The ids are what users rebind in ``config.toml`` (``[keymap] quick-note = "ctrl+k"``);
the help screen and the command palette are generated from these lists.
"""

from __future__ import annotations

from textual.binding import Binding

APP: list[Binding] = [
    Binding("f1,question_mark", "help", "Help", tooltip="Every key, by where it works",
            id="help"),
    Binding("ctrl+n", "quick_note", "Quick note", priority=True,
            tooltip="A note for the call in progress, from anywhere", id="quick-note"),
    Binding("ctrl+r", "review", "Review", tooltip="Today's suggestions, one by one",
            id="review"),
    Binding("ctrl+z", "undo", "Undo", show=False,
            tooltip="Bring back the contact just deleted", id="undo"),
    Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Leave Nurture", id="quit"),
]

MAIN: list[Binding] = [
    Binding("slash", "filter", "Filter", tooltip="Filter contacts as you type (Esc clears)",
            id="filter"),
    Binding("1", "show_pane('contacts')", "Contacts", show=False,
            tooltip="Go to the contacts pane", id="pane-contacts"),
    Binding("2", "show_pane('timeline')", "Timeline", show=False,
            tooltip="Go to the card and timeline pane", id="pane-timeline"),
    Binding("3", "show_pane('compose')", "Compose pane", show=False,
            tooltip="Go to the compose pane", id="pane-compose"),
    Binding("c", "compose", "Compose", tooltip="Write a note to the selected contact",
            id="compose"),
    Binding("n", "quick_note", "Note", show=False,
            tooltip="Quick note for the selected contact", id="note"),
    Binding("l", "log", "Log", tooltip="Log a call, meeting, email… (then its letter)",
            id="entry-log"),
    Binding("g", "journal", "Journal",
            tooltip="Everyone's timeline of the last days (again: back to the contact)",
            id="journal"),
    Binding("w", "news", "News", tooltip="Recent news matched to your contacts", id="news"),
    Binding("f", "app.search", "Search",
            tooltip="Find words in entries, follow-ups, notes and contact fields", id="search"),
]

CONTACTS: list[Binding] = [
    Binding("a", "add", "Add", tooltip="Add a contact", id="contact-add"),
    Binding("e", "edit", "Edit", tooltip="Edit the selected contact", id="contact-edit"),
    Binding("D,delete", "delete", "Delete", show=False,
            tooltip="Delete the selected contact (ctrl+z undoes)", id="contact-delete"),
    Binding("s", "cycle_sort", "Sort", tooltip="Sort by name, due soonest, last contact",
            id="contact-sort"),
    Binding("escape", "clear_filter", "Clear filter", show=False,
            tooltip="Clear the filter", id="contact-clear-filter"),
]

TIMELINE: list[Binding] = [
    Binding("x,space", "check_off", "Done", tooltip="Check off the selected follow-up",
            id="follow-up-done"),
    Binding("e", "edit", "Edit", tooltip="Edit the selected entry", id="entry-edit"),
    Binding("d,delete", "delete", "Delete", tooltip="Delete the selected entry",
            id="entry-delete"),
]

# Section titles for the help screen, in the order they are shown.
GROUPS: dict[str, list[Binding]] = {
    "Everywhere": APP,
    "Main screen": MAIN,
    "Contacts list": CONTACTS,
    "Timeline": TIMELINE,
}

# The other screens declare their own BINDINGS; help and keymap checks read them there.
_OTHERS = (
    ("Compose", "nurture.tui.widgets.compose", "ComposePane"),
    ("Daily review", "nurture.tui.screens.review", "ReviewScreen"),
    ("Quick note", "nurture.tui.screens.quick_note", "QuickNoteScreen"),
    ("News", "nurture.tui.screens.news", "NewsScreen"),
    ("Search", "nurture.tui.screens.search", "SearchScreen"),
    ("Stats", "nurture.tui.screens.stats", "StatsScreen"),
    ("Cards", "nurture.tui.screens.cards", "CardsScreen"),
    ("Send to many", "nurture.tui.screens.send_many", "SendToMany"),
    ("People to add", "nurture.tui.screens.people_to_add", "PeopleToAdd"),
    ("Import and export", "nurture.tui.screens.transfer", "TransferScreen"),
    ("Snooze", "nurture.tui.screens.snooze", "SnoozePicker"),
    ("Sent how?", "nurture.tui.widgets.sent_picker", "SentPicker"),
    ("What the note says", "nurture.tui.screens.confirm_facts", "ConfirmFacts"),
    ("Choosing a contact", "nurture.tui.screens.contact_picker", "ContactPicker"),
    ("Contact form", "nurture.tui.screens.contact_form", "ContactForm"),
    ("Log an entry", "nurture.tui.screens.entry_form", "KindPicker"),
    ("Entry form", "nurture.tui.screens.entry_form", "EntryForm"),
    ("Add a news item", "nurture.tui.screens.news", "AddNewsItem"),
    ("Questions", "nurture.tui.screens.confirm", "ConfirmScreen"),
    ("Help", "nurture.tui.screens.help", "HelpScreen"),
)


def sections() -> list[tuple[str, list[Binding]]]:
    """Every screen's bindings, titled, in the order the help screen lists them."""
    import importlib

    found = list(GROUPS.items())
    for title, module_name, class_name in _OTHERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        declared = getattr(getattr(module, class_name, None), "BINDINGS", [])
        group = [b for b in declared if isinstance(b, Binding)]
        if group:
            found.append((title, group))
    return found


def binding_ids() -> set[str]:
    """Every id a user may rebind in ``[keymap]``."""
    return {b.id for _, group in sections() for b in group if b.id}


def default_key(binding_id: str) -> str:
    for _, group in sections():
        for binding in group:
            if binding.id == binding_id:
                return binding.key
    return ""
