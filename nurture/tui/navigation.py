"""Moving between the app's screens, and the app-wide actions that do it.

A mixin of `NurtureApp`, kept apart so that the app module holds the store and
the writer, and this one where the user goes.
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from nurture.model import NewsItem, Suggestion
    from nurture.tui.screens.main import MainScreen
    from nurture.tui.screens.transfer import Mode


class Navigation(App[int]):
    """Open screens and panes; every ``open_*`` works from any screen."""

    review_return: str | None

    @property
    def main(self) -> MainScreen:
        from nurture.tui.screens.main import MainScreen

        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def _back_to_main(self) -> MainScreen:
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            self.pop_screen()
        return self.main

    def open_contact(self, contact_id: str, *, pane: str = "timeline") -> None:
        """Show ``contact_id`` on the main screen: selected, with card and timeline, the
        keys on ``pane``."""
        self._back_to_main().show_contact(contact_id, pane=pane)

    def open_entry(self, contact_id: str, entry_id: str | None) -> None:
        """Show ``contact_id``'s timeline with the cursor on ``entry_id`` (when given)."""
        from textual.widgets.option_list import OptionDoesNotExist

        from nurture.tui.widgets.timeline import Timeline

        self.open_contact(contact_id)
        if entry_id is None:
            return
        timeline = self.main.query_one(Timeline)
        # Deleted meanwhile: the person's timeline is still the right place.
        with suppress(OptionDoesNotExist):
            timeline.highlighted = timeline.get_option_index(f"i:{entry_id}")

    def open_search(self, query: str = "") -> None:
        from nurture.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen(query))

    def open_cards(self) -> None:
        from nurture.tui.screens.cards import CardsScreen

        if not isinstance(self.screen, CardsScreen):
            self.push_screen(CardsScreen())

    def open_send_to_many(self, selector: str = "") -> None:
        from nurture.tui.screens.send_many import SendToMany

        self.push_screen(SendToMany(selector))

    def open_stats(self) -> None:
        from nurture.tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def open_compose(self, contact_id: str, suggestion: Suggestion | None = None,
                     template: str | None = None, news_item: NewsItem | None = None, *,
                     from_review: bool = False) -> None:
        """Open the compose pane for ``contact_id`` (pre-filled from what opened it);
        ``from_review``: sending or leaving it goes back to the review."""
        self.review_return = suggestion.key if from_review and suggestion else None
        self._back_to_main().show_compose(contact_id, suggestion=suggestion, template=template,
                                          news_item=news_item)

    def return_to_review(self) -> bool:
        """Back to the review if compose was opened from it (on its next waiting row)."""
        key, self.review_return = self.review_return, None
        if key is None:
            return False
        self.open_review(after=key)
        return True

    def open_quick_note(self, contact_id: str | None = None, *,
                        suggestion_key: str = "") -> None:
        """A note for the call in progress: for ``contact_id``, or pick someone first;
        with ``suggestion_key`` (from the review), logging it closes that suggestion."""
        from nurture.tui.screens.quick_note import QuickNoteScreen

        if isinstance(self.screen, QuickNoteScreen):
            return
        self.push_screen(QuickNoteScreen(contact_id, suggestion_key=suggestion_key))

    def open_review(self, after: str | None = None) -> None:
        """The review, on its first waiting row (or the first waiting at or after ``after``)."""
        from nurture.tui.screens.review import ReviewScreen

        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen(after=after))

    def open_news(self) -> None:
        from nurture.tui.screens.news import NewsScreen

        if not isinstance(self.screen, NewsScreen):
            self.push_screen(NewsScreen())

    def open_transfer(self, mode: Mode) -> None:
        """The import (``"import"``) or export (``"export"``) dialog."""
        from nurture.tui.screens.transfer import TransferScreen

        self.push_screen(TransferScreen(mode))

    def open_help(self) -> None:
        from nurture.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # ------------------------------------------------------------ app-wide actions

    def action_help(self) -> None:
        self.open_help()

    def action_quick_note(self) -> None:
        contact_id = None
        if len(self.screen_stack) == 1 or self.screen is self.main:
            contact_id = self.main.selected_contact_id
        self.open_quick_note(contact_id)

    def action_search(self) -> None:
        self.open_search()

    def action_review(self) -> None:
        self.open_review()

    def action_news(self) -> None:
        self.open_news()

    def action_import(self) -> None:
        self.open_transfer("import")

    def action_export(self) -> None:
        self.open_transfer("export")

