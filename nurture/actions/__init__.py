"""The application layer: every user-level operation, once.

The command line and the app both call these functions with the open `Store`
(the app from its one writer thread); neither edits the store or decides what
an action means. Each returns a small result saying what changed, so the app
can redraw exactly that and the command line can say it.
"""

from nurture.actions.contacts import (
    ContactDeleted,
    ContactSaved,
    add_contact,
    delete_contact,
    edit_contact,
    restore_contact,
)
from nurture.actions.notes import NoteLogged, NoteSent, log_quick_note, mark_sent
from nurture.actions.review import (
    ReviewChanged,
    ReviewDone,
    build_review,
    review_dismiss,
    review_done,
    review_snooze,
    review_undo,
)
from nurture.actions.timeline import (
    EntryDeleted,
    EntrySaved,
    FollowUpChanged,
    check_off,
    delete_entry,
    log_entry,
    reopen_follow_up,
)
from nurture.actions.transfer import export_book, import_book

__all__ = [
    "ContactDeleted", "ContactSaved", "EntryDeleted", "EntrySaved", "FollowUpChanged",
    "NoteLogged", "NoteSent", "ReviewChanged", "ReviewDone", "add_contact", "build_review",
    "check_off", "delete_contact", "delete_entry", "edit_contact", "export_book",
    "import_book", "log_entry", "log_quick_note", "mark_sent", "reopen_follow_up",
    "restore_contact", "review_dismiss", "review_done", "review_snooze", "review_undo",
]
