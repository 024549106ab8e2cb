"""Send to many: everyone with an interest (or of a kind), one gift or clipping logged to
all of them as one entry, and their address labels if wanted.

The people are picked from the snapshot as the user types; the entry is logged
through `nurture.actions.cards.log_to_many`, as ``nurture gift`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, Switch

from nurture.errors import ValidationError
from nurture.model import Contact, InteractionKind, RelationshipKind, normalize_tag, now_on
from nurture.tui.text import shown

if TYPE_CHECKING:
    from nurture.store import Store
    from nurture.tui.app import NurtureApp

SHOWN = 8  # names listed in the preview


def pick(contacts: list[Contact], selector: str) -> list[Contact]:
    """Everyone matching ``selector``: interests (``sailing``, ``#sailing``; every one must
    match) and relationship kinds (``kind:client``)."""
    tags, kinds = [], []
    for word in selector.replace(",", " ").split():
        if word.lower().startswith("kind:"):
            kinds.append(word[5:].lower())
        elif normalize_tag(word):
            tags.append(normalize_tag(word))
    known = {k.value for k in RelationshipKind}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise ValidationError("kind", f"{unknown[0]!r} is not one of {', '.join(sorted(known))}")
    if not tags and not kinds:
        return []
    return [c for c in contacts if all(t in c.interests for t in tags)
            and (not kinds or c.kind.value in kinds)]


class SendToMany(ModalScreen[None]):
    """Pick people by interest, say what was sent, log it once for all."""

    CSS_PATH = "send_many.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Log it", tooltip="Log one entry for everyone listed",
                id="many-send"),
        Binding("escape", "cancel", "Cancel", id="many-cancel"),
    ]
    app: NurtureApp

    def __init__(self, selector: str = "") -> None:
        super().__init__()
        self.selector = selector
        self.people: list[Contact] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="many-box"):
            yield Label("Send to many: one gift or clipping, logged once for all",
                        id="many-title")
            yield Input(self.selector, placeholder="interests, e.g. sailing (kind:client too)",
                        id="many-who")
            yield Static("", id="many-people")
            yield Input(placeholder="what you sent, e.g. the book's title", id="many-what")
            with Horizontal(id="many-options"):
                yield Switch(id="many-clipping")
                yield Label("a clipping (by email), not a gift")
            yield Input(placeholder="labels PDF to write (optional), e.g. ~/labels.pdf",
                        id="many-labels")
            yield Static("", id="many-error")
            yield Label("ctrl+s logs it · Esc cancels", id="many-help")

    def on_mount(self) -> None:
        self.query_one("#many-who", Input).focus()
        self._preview(self.selector)

    @on(Input.Changed, "#many-who")
    def _who_changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, selector: str) -> None:
        error = self.query_one("#many-error", Static)
        try:
            self.people = pick(self.app.data.contacts, selector)
        except ValidationError as exc:
            self.people = []
            error.update(Text(shown(str(exc))))
        else:
            error.update("")
        names = ", ".join(c.display_name for c in self.people[:SHOWN])
        more = f" and {len(self.people) - SHOWN} more" if len(self.people) > SHOWN else ""
        line = (f"{len(self.people)} {'person' if len(self.people) == 1 else 'people'}: "
                f"{names}{more}" if self.people else "nobody yet")
        self.query_one("#many-people", Static).update(Text(shown(line), style="dim"))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["many-who", "many-what", "many-labels"]
        at = order.index(event.input.id or "many-who")
        if at + 1 < len(order):
            self.query_one(f"#{order[at + 1]}", Input).focus()
        else:
            self.action_send()

    def action_send(self) -> None:
        from nurture.actions.cards import log_to_many
        from nurture.cards import label

        error = self.query_one("#many-error", Static)
        what = self.query_one("#many-what", Input).value
        if not self.people:
            error.update("Nobody matches: type an interest such as sailing.")
            return
        if not what.strip():
            error.update("Say what was sent.")
            self.query_one("#many-what", Input).focus()
            return
        clipping = self.query_one("#many-clipping", Switch).value
        labels_path = self.query_one("#many-labels", Input).value.strip()
        kind = InteractionKind.EMAIL if clipping else InteractionKind.GIFT_GIVEN
        people = list(self.people)
        now = now_on(self.app.today)

        def write(store: Store) -> str:
            log_to_many(store, [c.id for c in people], kind, what, now)
            said = f"Logged one {'clipping' if clipping else 'gift'} for {len(people)}."
            if labels_path:
                from nurture.interop.labels import write_labels

                labels = [lines for lines in (label(c) for c in people) if lines]
                if labels:
                    write_labels(Path(labels_path).expanduser(), labels)
                said += f" {len(labels)} labels written to {labels_path}."
            return said

        self.app.run_write(write, done=self._done, description="log the gift")

    def _done(self, said: str) -> None:
        self.notify(said, markup=False)
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
