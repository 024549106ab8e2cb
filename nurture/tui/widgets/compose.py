"""The compose pane: a note from a template, edited in place or in $EDITOR, never lost.

One draft per person is kept in the store (saved a second after typing pauses,
through the writer) and comes back when compose is opened for them again.
Marking a note sent logs it on the timeline, closes the suggestion that opened
it and deletes the draft, in one write.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static, TextArea

from nurture import actions
from nurture.actions.clock import moment
from nurture.actions.notes import draft_id
from nurture.editor import edit_text, editor_command
from nurture.errors import NurtureError
from nurture.model import (
    Contact,
    Draft,
    InteractionKind,
    NewsItem,
    Suggestion,
)
from nurture.tui.text import plain, shown
from nurture.tui.widgets.sent_picker import (
    SENT_CHANNELS,
    SentPicker,
)

if TYPE_CHECKING:
    from nurture.actions import NoteSent
    from nurture.compose import Template
    from nurture.tui.app import NurtureApp, StoreChanged

CSS_FILE = Path(__file__).with_suffix(".tcss")


def body_row(text: str) -> int:
    """The line a note's own words start on: past ``Subject:`` and ``Hi Dan,``."""
    lines = text.split("\n")
    row = 0
    if lines and lines[0].startswith("Subject:"):
        row = 1
    while row < len(lines) and not lines[row].strip():
        row += 1
    if row < len(lines) and lines[row].rstrip().endswith(",") and len(lines[row]) < 40:
        row += 1  # the greeting
        while row < len(lines) and not lines[row].strip():
            row += 1
    return min(row, max(len(lines) - 1, 0))


class ComposePane(Vertical):
    """Write a note to one person: template, text, a pitch check, and ways to send it."""

    DEFAULT_CSS = CSS_FILE.read_text(encoding="utf-8")
    SAVE_SECONDS: ClassVar[float] = 1.0
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "sent", "Sent…", tooltip="Log it as sent: card, email, message or call",
                id="compose-sent"),
        Binding("ctrl+l", "copy", "Copy", tooltip="Copy the note to the clipboard",
                id="compose-copy"),
        Binding("ctrl+o", "mail", "Mail", tooltip="Open it in your mail program (mailto:)",
                id="compose-mail"),
        Binding("ctrl+g", "editor", "$EDITOR", tooltip="Edit the note in your $EDITOR",
                id="compose-editor"),
        Binding("ctrl+t", "template", "Template", tooltip="Choose another template",
                id="compose-template"),
        Binding("escape", "leave", "Back", tooltip="Back to their timeline; the draft is kept",
                id="compose-leave"),
    ]
    app: NurtureApp

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.contact: Contact | None = None
        self.suggestion: Suggestion | None = None
        self.news_item: NewsItem | None = None
        self.template_id = ""
        self._templates: dict[str, Template] | None = None
        self._baseline = ""  # text as filled or last saved: anything else is unsaved work
        self._saving = False
        self._quiet = False  # set while we change widgets ourselves

    def compose(self) -> ComposeResult:
        yield Label("", id="compose-to")
        yield TextArea("", id="compose-text", soft_wrap=True, tab_behavior="focus",
                       placeholder="Select a contact and press c to write to them.",
                       disabled=True)
        yield Static("", id="compose-warning")
        with Horizontal(id="compose-bar"):
            yield Select([], prompt="Template", allow_blank=True, id="compose-template",
                         compact=True)
            yield Static("", id="compose-status")

    def on_mount(self) -> None:
        self.query_one("#compose-warning").display = False
        self.set_interval(self.SAVE_SECONDS, self.flush)

    # ------------------------------------------------------------ templates

    @property
    def templates(self) -> dict[str, Template]:
        if self._templates is None:
            from nurture.compose import load_templates

            templates_dir = getattr(self.app, "templates_dir", None)
            if templates_dir is None:
                from nurture import locations

                templates_dir = locations.templates_dir()
            self._templates, problems = load_templates(templates_dir)
            for problem in problems:
                self.notify(problem, title="Template skipped", severity="warning", timeout=8)
        return self._templates

    def _filled(self, template_id: str) -> str:
        from nurture.compose import fill
        from nurture.rules.text import note_topic

        assert self.contact is not None
        timeline = self.app.data.timeline(self.contact.id)
        last_topic = (note_topic(timeline[0]) or None) if timeline and self.suggestion is None \
            else None
        note = fill(self.templates[template_id], self.contact, self._clip_context(),
                    last_topic=last_topic, my_name=self.app.config.my_name)
        return note.text

    def _clip_context(self) -> Suggestion | None:
        if self.suggestion is not None or self.news_item is None or self.contact is None:
            return self.suggestion
        from nurture.compose.fill import news_suggestion
        from nurture.news.match import match_news

        matches = match_news(self.news_item, [self.contact], self.app.config.synonyms)
        interests = matches[0].interests if matches else ()
        return news_suggestion(self.news_item, self.contact, interests, self.app.today)

    # ------------------------------------------------------------ loading

    def load(self, contact: Contact, suggestion: Suggestion | None = None,
             template: str | None = None, news_item: NewsItem | None = None) -> None:
        """Compose to ``contact``: their draft if they have one, else a filled template."""
        from nurture.compose import choose_template

        self.flush(force=True)
        if suggestion is None or suggestion.key != self.app.review_return:
            self.app.review_return = None  # not opened from the review
        self.contact, self.suggestion, self.news_item = contact, suggestion, news_item
        context = self._clip_context()
        wanted = template if template in self.templates else choose_template(context,
                                                                               self.templates)
        self._set_template_choices(wanted)
        self._show_text(self._filled(wanted), wanted)
        self._show_to()
        self._status(f"For: {suggestion.title}" if suggestion else
                     f"Clipping: {news_item.title}" if news_item else "")
        self.query_one(TextArea).disabled = False
        cid = contact.id
        self.app.run_write(lambda store: next((d for d in store.drafts()
                                               if d.contact_id == cid), None),
                           done=self._restore, description="read the draft")

    def _restore(self, draft: Draft | None) -> None:
        if draft is None or self.contact is None or draft.contact_id != self.contact.id:
            return
        if self.edited:  # typing already began; keep both by not replacing it
            self._status("You have an earlier draft for this person; it is kept.")
            return
        if self.suggestion is None and draft.suggestion_key:
            self.suggestion = next((s for s in self.app.suggestions()
                                    if s.key == draft.suggestion_key), None)
        if draft.template in self.templates:
            self._set_template_choices(draft.template)
        self._show_text(draft.text, draft.template)
        when = draft.updated.format("ddd D MMM HH:mm") if draft.updated else "earlier"
        self._status(f"Your draft from {when} is back (ctrl+t starts afresh).")

    def _set_template_choices(self, selected: str) -> None:
        select = self.query_one("#compose-template", Select)
        self._quiet = True
        select.set_options((t.title, t.id) for t in sorted(self.templates.values(),
                                                           key=lambda t: t.title))
        select.value = selected
        self.call_after_refresh(self._unquiet)

    def _unquiet(self) -> None:
        self._quiet = False

    def _show_text(self, text: str, template_id: str) -> None:
        self.template_id = template_id
        self._baseline = text
        text_area = self.query_one(TextArea)
        text_area.load_text(text)
        # Ready to write where the note begins, under the subject and the greeting.
        text_area.move_cursor((body_row(text), 0))
        text_area.scroll_home(animate=False)
        self._check_pitch(text)

    def _show_to(self) -> None:
        assert self.contact is not None
        label = Text.assemble(("To ", "dim"), (shown(self.contact.display_name), "bold"))
        if self.contact.emails:
            label.append(f"  <{shown(self.contact.emails[0].address)}>", style="dim")
        channel = self.contact.preferred_channel()
        if channel is not None:
            label.append(f"  prefers {shown(channel.label())}", style="dim italic")
        self.query_one("#compose-to", Label).update(label)

    def _status(self, text: str) -> None:
        self.query_one("#compose-status", Static).update(plain(text))  # names, file errors

    def on_store_changed(self, message: StoreChanged) -> None:
        """The main screen passes this on: show the person as they are now."""
        if self.contact is not None:
            fresh = self.app.data.by_id.get(self.contact.id)
            if fresh is not None and fresh is not self.contact:
                self.contact = fresh
                self._show_to()

    # ------------------------------------------------------------ editing and saving

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def edited(self) -> bool:
        """Whether the note holds work not yet saved as a draft."""
        return self.contact is not None and self.text != self._baseline

    @on(TextArea.Changed, "#compose-text")
    def _changed(self) -> None:
        self._check_pitch(self.text)

    def _check_pitch(self, text: str) -> None:
        from nurture.compose import pitch_warnings

        warnings = pitch_warnings(text)
        line = self.query_one("#compose-warning", Static)
        line.display = bool(warnings)
        if warnings:
            phrases = ", ".join(f"“{w.phrase}”" for w in warnings[:3])
            line.update(plain(f"This reads a little like a pitch ({phrases}): "
                              f"{warnings[0].why}."))

    @on(Select.Changed, "#compose-template")
    def _template_chosen(self, event: Select.Changed) -> None:
        if self._quiet or self.contact is None or not isinstance(event.value, str):
            return
        if event.value == self.template_id:
            return
        text_area = self.query_one(TextArea)
        # Replaced as an edit, not a reload, so that ctrl+z brings the old text back.
        text_area.replace(self._filled(event.value), (0, 0), text_area.document.end)
        self.template_id = event.value
        text_area.focus()

    def flush(self, *, force: bool = False) -> None:
        """Save the draft if it changed since the last save."""
        if not self.edited or self.contact is None or (self._saving and not force):
            return
        draft = Draft(id=draft_id(self.contact.id), contact_id=self.contact.id,
                      template=self.template_id, text=self.text,
                      suggestion_key=self.suggestion.key if self.suggestion else "")
        self._saving = True
        previous, self._baseline = self._baseline, draft.text

        def saved(result: Draft) -> None:
            self._saving = False
            if self.contact is not None and result.contact_id == self.contact.id:
                self._status("Draft saved.")

        def failed(exc: Exception) -> None:  # the app has said why in a notification
            self._saving = False
            self._baseline = previous  # retried on the next tick
            self._status(f"Draft not saved yet: {exc}")

        self.app.run_write(lambda store: store.save_draft(dataclasses.replace(draft)),
                           done=saved, error=failed, description="save the draft")

    # ------------------------------------------------------------ actions

    def _need_contact(self) -> bool:
        if self.contact is None:
            self.app.bell()
            self.notify("Select a contact and press c first.", timeout=3)
            return False
        return True

    def action_template(self) -> None:
        if self._need_contact():
            select = self.query_one("#compose-template", Select)
            select.focus()
            select.expanded = True

    def action_leave(self) -> None:
        self.flush()
        show_pane = getattr(self.screen, "action_show_pane", None)
        if show_pane is not None:
            show_pane("timeline")
        self.app.return_to_review()  # opened from the review: back there

    def action_copy(self) -> None:
        if self._need_contact():
            from nurture.compose import split_draft

            self.app.copy_to_clipboard(split_draft(self.text)[1].strip() + "\n")
            self.notify("The note is on the clipboard.", timeout=3)

    def action_mail(self) -> None:
        if not self._need_contact():
            return
        from nurture.compose import SAFE_LENGTH, mailto_url, split_draft

        assert self.contact is not None
        # The address may have been edited since compose opened.
        self.contact = self.app.data.by_id.get(self.contact.id, self.contact)
        if not self.contact.emails:
            self.notify(f"No email address for {self.contact.display_name}; copy the note "
                        "instead (ctrl+l).", severity="warning")
            return
        subject, body = split_draft(self.text)
        url = mailto_url(self.contact.emails[0].address, subject, body.strip())
        if len(url) > SAFE_LENGTH:
            # Some mail programs cut long links: the clipboard has the whole note.
            self.app.copy_to_clipboard(body.strip() + "\n")
            self.notify("A long note: it is also on the clipboard, in case your mail "
                        "program cuts it.", timeout=6)
        self.app.open_url(url)
        self._status("Sent it? ctrl+s logs it on the timeline.")

    def action_editor(self) -> None:
        if not self._need_contact():
            return
        from textual.app import SuspendNotSupported

        command = editor_command()
        try:
            with self.app.suspend():
                edited = edit_text(self.text, command)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="warning")
            return
        except (NurtureError, OSError) as exc:
            self.notify(str(exc), title="Editor", severity="error")
            return
        text_area = self.query_one(TextArea)
        if edited != self.text:
            text_area.replace(edited, (0, 0), text_area.document.end)
        text_area.focus()

    def action_sent(self) -> None:
        if not self._need_contact():
            return
        assert self.contact is not None
        if not self.text.strip():
            self.notify("The note is empty.", severity="warning")
            return
        preferred = self.contact.preferred_channel()
        self.app.push_screen(SentPicker(preferred.kind.value if preferred else ""),
                             self._log_sent)

    def _log_sent(self, channel_key: str | None) -> None:
        if channel_key is None or self.contact is None:
            return
        from nurture.compose import split_draft

        kind, channel = SENT_CHANNELS[channel_key][1:]
        if self.template_id == "thank-you":
            kind = InteractionKind.THANK_YOU
        body = split_draft(self.text)[1]
        text = self.text.strip() if channel == "email" else body.strip()
        contact = self.contact
        key = self.suggestion.key if self.suggestion else ""
        previous, self._baseline = self._baseline, self.text  # on the timeline: not a draft

        def failed(_: Exception) -> None:  # the app has said why; the text stays
            self._baseline = previous

        def done(result: NoteSent) -> None:
            what = SENT_CHANNELS[channel_key][0].lower()
            self.notify(f"Logged: {what} to {contact.first_name}.", title="Sent")
            if self.contact is not None and self.contact.id == contact.id:
                self._clear(f"Sent to {contact.display_name} and logged on the timeline.")

        self.app.run_write(partial(actions.mark_sent, contact_id=contact.id, kind=kind,
                                   channel=channel, text=text, at=moment(self.app.today),
                                   suggestion_key=key),
                           done=done, error=failed, description="log the note")

    def _clear(self, status: str) -> None:
        """Back to no one: the pane waits for the next ``c`` (its hint says so)."""
        self.action_leave()  # to the timeline, where the note now is
        self.contact = self.suggestion = self.news_item = None
        self._show_text("", self.template_id)
        self.query_one(TextArea).disabled = True
        self.query_one("#compose-to", Label).update("")
        self._status(status)

