"""A note typed during a call: a timer, saved as you type, facts confirmed at the end.

Typing never waits on disk: the text is copied and handed to the writer thread
at most once a second while it changes, so a crash loses a second or two. A
note left unfinished (the app died mid-call) stays in the store and comes back
the next time a note is opened for that person, or at start-up through
`offer_leftover_note`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Label, Select, Static, TextArea

from nurture import actions
from nurture.model import InteractionKind, QuickNote, new_id, now
from nurture.tui.screens.confirm_facts import ConfirmFacts
from nurture.tui.screens.contact_picker import ContactPicker
from nurture.tui.text import plain, shown
from nurture.tui.widgets.card import ContactCard, Row, card_rows
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.actions.facts import ContactFacts
    from nurture.model import Contact, Interaction
    from nurture.notes import Fact
    from nurture.tui.app import NurtureApp, StoreChanged

Clock = Callable[[], pendulum.DateTime]
# A note reopened within this long is the same call going on; after longer (the app
# died, the note waited a day), the call ended at the note's last save.
SAME_CALL = pendulum.duration(minutes=15)

# What a note can be logged as, in the order ctrl+t cycles through them.
KINDS = (InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.MESSAGE,
         InteractionKind.EMAIL, InteractionKind.NOTE)
HINT = ("#interest · “birthday March 14” · “follow up in 2 weeks: send the book” · "
        "“new job at Acme”")


def elapsed(seconds: float) -> str:
    """``04:07`` or ``1:02:03``."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def minutes_phrase(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes}-minute"


def a_or_an(phrase: str) -> str:
    """``a call``, ``an email``, ``an 8-minute call``, ``an 11-minute meeting``."""
    number = phrase.split("-")[0]
    vowel = phrase[:1].lower() in "aeiou" or number.startswith("8") or number in ("11", "18")
    return f"{'an' if vowel else 'a'} {phrase}"


class QuickNoteScreen(Screen[None]):
    """The note for the call in progress."""

    CSS_PATH = "quick_note.tcss"
    SAVE_SECONDS: ClassVar[float] = 1.0
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "finish", "Finish", priority=True,
                tooltip="Log it on the timeline and confirm what the note says",
                id="note-finish"),
        Binding("ctrl+t", "cycle_kind", "Kind", tooltip="Log as a call, meeting, message…",
                id="note-kind"),
        Binding("ctrl+o", "switch_contact", "Someone else",
                tooltip="The note is for someone else: pick them (the text is kept)",
                id="note-who"),
        Binding("escape", "leave", "Later",
                tooltip="Close; the note is kept and comes back next time", id="note-leave"),
    ]
    CARD_MIN_WIDTH: ClassVar[int] = 100  # the person's card beside the note from this wide
    app: NurtureApp

    def __init__(self, contact_id: str | None = None, *, note: QuickNote | None = None,
                 clock: Clock | None = None, suggestion_key: str = "") -> None:
        super().__init__(id="quick-note")
        # Opened from the review on a suggestion: logging the note closes it.
        self.suggestion_key = suggestion_key
        self.clock: Clock = clock or now
        self.contact_id = note.contact_id if note is not None else contact_id
        self.note = note
        self._carried = 0.0  # seconds of the call before this screen took the note up
        self._since: pendulum.DateTime | None = None  # when this screen began counting
        if note is not None:
            self._take_up(note)
        self._dirty = False
        self._saving = False
        self._finishing = False
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="qn-body"):
            with Horizontal(id="qn-head"):
                yield Label("", id="qn-who")
                yield Select([(k.value.replace("-", " ").capitalize(), k) for k in KINDS],
                             value=InteractionKind.CALL, allow_blank=False, id="qn-kind",
                             compact=True)
                yield Label("", id="qn-timer")
            with Horizontal(id="qn-main"):
                with Vertical(id="qn-note"):
                    yield TextArea("", id="qn-text", soft_wrap=True, tab_behavior="focus")
                    yield Static(HINT, id="qn-hint")
                    yield Static("", id="qn-status")
                # Who you are talking to, during the call: interests, family, last topic,
                # open follow-ups.
                yield ContactCard(id="qn-card")
        yield Footer()

    def on_resize(self) -> None:
        self.query_one("#qn-card").display = self.size.width >= self.CARD_MIN_WIDTH

    def _show_card(self) -> None:
        card = self.query_one("#qn-card", ContactCard)
        data = self.app.data
        contact = data.by_id.get(self.contact_id or "")
        facts = data.facts.get(self.contact_id or "")
        if contact is None or facts is None:
            card.update("")
            return
        timeline = data.timeline(contact.id)
        card.show_rows(*call_card_rows(contact, facts, timeline, self.app.today))

    def on_store_changed(self, message: StoreChanged) -> None:
        self._show_card()

    def action_switch_contact(self) -> None:
        self.app.push_screen(ContactPicker("The note is for…"), self._switched)

    def _switched(self, contact_id: str | None) -> None:
        if contact_id is None or contact_id == self.contact_id:
            return
        self.contact_id = contact_id
        if self.note is not None:
            self.note.contact_id = contact_id
            self._dirty = True
            self.flush()
        contact = self.app.data.by_id.get(contact_id)
        self.query_one("#qn-who", Label).update(
            plain(contact.display_name if contact else contact_id, "bold"))
        self._show_card()
        self.query_one(TextArea).focus()

    def on_mount(self) -> None:
        if self.contact_id is None:
            self.app.push_screen(ContactPicker("Quick note for…"), self._picked)
        else:
            self._start()

    def _picked(self, contact_id: str | None) -> None:
        if contact_id is None:
            self.dismiss()
            return
        self.contact_id = contact_id
        self._start()

    def _start(self) -> None:
        assert self.contact_id is not None
        if self.note is None:
            self.note = QuickNote(id=new_id("q"), contact_id=self.contact_id,
                                  started=self.clock())
            self._take_up(self.note)
            # A note left unfinished for this person (the app died mid-call) comes back;
            # the store is asked on the writer, so typing can begin at once.
            contact_id = self.contact_id
            self.app.run_write(lambda store: [q for q in store.quick_notes()
                                              if q.contact_id == contact_id],
                               done=self._resume, description="look for an unfinished note")
        else:
            self._status(f"Your unfinished note from {self._when(self.note.started)} is back.")
        self._show_note()
        contact = self.app.data.by_id.get(self.contact_id)
        name = contact.display_name if contact else self.contact_id
        self.query_one("#qn-who", Label).update(plain(name, "bold"))
        self._show_card()
        self._ticker = self.set_interval(1.0, self.refresh_timer)
        self.set_interval(self.SAVE_SECONDS, self.flush)
        self.query_one(TextArea).focus()

    def _show_note(self) -> None:
        assert self.note is not None
        text_area = self.query_one(TextArea)
        text_area.load_text(self.note.text)
        text_area.move_cursor(text_area.document.end)
        self.query_one("#qn-kind", Select).value = self.note.kind
        self.refresh_timer()

    def _resume(self, leftovers: list[QuickNote]) -> None:
        if not leftovers or self.note is None or not self.app.still_shows(self):
            return
        if self.note.text.strip():
            # Typing began before the answer came: keep both rather than choose.
            self._status("You also have an unfinished note for this person; it is kept.")
            return
        self.note = leftovers[0]
        self._take_up(self.note)
        self._dirty = False
        self._show_note()
        self._status(f"Your unfinished note from {self._when(self.note.started)} is back.")

    def _when(self, moment: pendulum.DateTime) -> str:
        local = moment.in_tz(self.clock().timezone or "UTC")
        if local.date() == self.app.today:
            return local.format("HH:mm")
        return local.format("ddd D MMM HH:mm")

    def _take_up(self, note: QuickNote) -> None:
        """Start the call timer for ``note``, carrying on from an unfinished one."""
        moment = self.clock()
        last = note.updated or note.started
        if moment - last <= SAME_CALL:
            self._carried, self._since = 0.0, note.started
        else:
            self._carried, self._since = max(0.0, (last - note.started).total_seconds()), moment

    @property
    def seconds(self) -> int:
        """How long the call has lasted so far."""
        if self._since is None:
            return 0
        return max(0, int(self._carried + (self.clock() - self._since).total_seconds()))

    def refresh_timer(self) -> None:
        """Show the time since the call began (every second; at once for tests)."""
        if self.note is not None:
            self.query_one("#qn-timer", Label).update(f"⏱ {elapsed(self.seconds)}")

    def _status(self, text: str) -> None:
        self.query_one("#qn-status", Static).update(plain(text))  # may quote an error

    # ------------------------------------------------------------ saving as you type

    @on(TextArea.Changed, "#qn-text")
    def _typed(self) -> None:
        text = self.query_one(TextArea).text
        # Loading a note back fires this too: only a real change is worth a save.
        if self.note is not None and text != self.note.text:
            self.note.text = text
            self._dirty = True

    @on(Select.Changed, "#qn-kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        if self.note is not None and isinstance(event.value, InteractionKind) \
                and event.value is not self.note.kind:
            self.note.kind = event.value
            self._dirty = True

    def flush(self) -> None:
        """Hand the note to the writer if it changed (one write in flight at a time)."""
        if not self._dirty or self._saving or self._finishing or self.note is None:
            return
        if not self.note.text.strip() and self.note.updated is None:
            return  # nothing typed yet: nothing worth keeping
        self._save_now()

    def _save_now(self) -> None:
        # The writer runs writes in the order asked, so a later copy always wins.
        assert self.note is not None
        self._dirty = False
        self._saving = True
        copy = dataclasses.replace(self.note)

        def saved(result: QuickNote) -> None:
            self._saving = False
            if self.app.still_shows(self):
                if self.note is not None:
                    self.note.updated = result.updated
                self._status(f"Saved {self._when(self.clock())}")

        def failed(exc: Exception) -> None:  # the app has said why in a notification
            self._saving = False
            if self.app.still_shows(self):
                self._dirty = True  # tried again on the next tick
                self._status(f"Not saved yet: {exc}")

        self.app.run_write(lambda store: store.save_quick_note(copy), done=saved, error=failed,
                           description="save the note")

    # ------------------------------------------------------------ actions

    def action_cycle_kind(self) -> None:
        select = self.query_one("#qn-kind", Select)
        index = KINDS.index(select.value) if select.value in KINDS else -1
        select.value = KINDS[(index + 1) % len(KINDS)]

    def action_leave(self) -> None:
        note = self.note
        if note is None:
            self.dismiss()
            return
        if not note.text.strip():
            if note.updated is not None:  # saved once, then emptied: nothing to keep
                self.app.run_write(lambda store: store.delete_quick_note(note.id),
                                   description="drop the empty note")
            self.dismiss()
            return
        self._save_now()
        self.app.notify("Your note is kept; open a note for this person to carry on.",
                        title="Note kept")
        self.dismiss()

    def action_finish(self) -> None:
        if self.note is None or self._finishing:
            return
        from nurture.notes import parse_note

        self._typed()  # what is on screen, even if its Changed message is still queued

        found = parse_note(self.note.text, self.app.today,
                           contact=self.app.data.by_id.get(self.note.contact_id))
        seconds = self.seconds
        if len(found):
            self.app.push_screen(ConfirmFacts(found, self._describe(seconds),
                                              self.app.data.by_id.get(self.note.contact_id)),
                                 lambda accepted: self._log(accepted, seconds)
                                 if accepted is not None else None)
        else:
            self._log([], seconds)

    def _describe(self, seconds: int) -> str:
        assert self.note is not None
        contact = self.app.data.by_id.get(self.note.contact_id)
        who = contact.display_name if contact else self.note.contact_id
        what = self.note.kind.value.replace("-", " ")
        if self.note.kind in (InteractionKind.CALL, InteractionKind.MEETING):
            what = f"{minutes_phrase(seconds)} {what}"  # they are logged with a duration
        return f"Logs {a_or_an(what)} with {who}."

    def _log(self, accepted: list[Fact], seconds: int) -> None:
        assert self.note is not None
        self._finishing = True
        note = dataclasses.replace(self.note)
        duration = seconds if note.kind in (InteractionKind.CALL,
                                             InteractionKind.MEETING) else None
        at_end = self.clock()

        def done(result: str) -> None:
            self._finishing = False
            self.app.notify(result, title="Logged")
            if self.app.still_shows(self):
                self.dismiss()

        def failed(_: Exception) -> None:
            # The text stays on screen (and in the store): nothing is lost.
            self._finishing = False

        self.app.run_write(partial(actions.log_quick_note, note=note, accepted=accepted,
                                   duration=duration, at_end=at_end,
                                   suggestion_key=self.suggestion_key),
                           done=lambda result: done(result.summary()), error=failed,
                           description="log the note")


def call_card_rows(contact: Contact, facts: ContactFacts, timeline: list[Interaction],
                   today: pendulum.Date) -> tuple[Text, list[Row]]:
    """The card, with what a call needs most: the last topic and the open follow-ups."""
    from nurture.rules.text import topic
    from nurture.touch import last_touch

    header, rows = card_rows(contact, facts, timeline, today)
    last = last_touch(timeline, today.toordinal())
    about = topic(last) if last is not None else ""
    if about:
        rows.append(("Last topic", Text(shown(about))))
    open_items = [f for entry in timeline for f in entry.open_follow_ups()]
    for n, follow_up in enumerate(open_items[:5]):
        item = Text(f"☐ {shown(follow_up.text)}")
        if follow_up.due is not None:
            item.append(f" (due {follow_up.due.format('D MMM')})", style="dim")
        rows.append(("Open" if n == 0 else "", item))
    return header, rows


def offer_leftover_note(app: NurtureApp) -> None:
    """At start-up: reopen the oldest note left unfinished, if there is one."""
    def found(leftovers: list[QuickNote]) -> None:
        known = [q for q in leftovers if q.contact_id in app.data.by_id]
        if not known or isinstance(app.screen, QuickNoteScreen):
            return
        app.push_screen(QuickNoteScreen(note=known[0]))
        others = sorted({app.data.by_id[q.contact_id].display_name for q in known[1:]
                         if q.contact_id != known[0].contact_id})
        if others:
            app.notify("Unfinished notes also wait for " + ", ".join(others)
                       + ": open a note for them to carry on.", title="Notes", timeout=10)

    app.run_write(lambda store: store.quick_notes(), done=found,
                  description="look for unfinished notes")
