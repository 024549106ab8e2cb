"""The News view: recent items, the people each concerns, a clipping note one key away.

Matching runs in a thread worker over the read-only snapshot, and fetching
feeds in another (network, never the writer thread, never the UI thread); only
saving what was fetched goes through the writer.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

import pendulum
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from nurture.actions.news import add_news_item, remove_news_item
from nurture.errors import NurtureError
from nurture.model import Contact, NewsItem
from nurture.news.items import web_link
from nurture.tui.text import plain, shown
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.news.feeds import FeedResult, FetchReport
    from nurture.news.items import NewsMerge
    from nurture.news.match import NewsMatch
    from nurture.tui.app import NurtureApp, StoreChanged


def why(match: NewsMatch, contact: Contact | None) -> str:
    """``#yankees, works at Acme`` — why an item concerns someone."""
    reasons = [f"#{t}" for t in match.interests]
    if match.company and contact is not None and contact.company:
        reasons.append(f"works at {contact.company}")
    return ", ".join(reasons)


def fetch_summary(report: FetchReport, merge: NewsMerge) -> str:
    """One line, as the CLI prints it: what each feed did and what changed."""
    from nurture.news.feeds import FetchStatus

    counts = [f"{n} {label}" for n, label in (
        (report.count(FetchStatus.FETCHED), "fetched"),
        (report.count(FetchStatus.NOT_MODIFIED), "unchanged"),
        (report.count(FetchStatus.TOO_SOON), "skipped (fetched in the last 30 minutes)"),
        (len(report.failed), "failed")) if n]
    total, new = len(report.results), len(merge.new)
    return (f"{total} feed{'s' * (total != 1)}: {', '.join(counts)}; "
            f"{new} new item{'s' * (new != 1)}, {len(merge.updated)} updated, "
            f"{len(merge.expired)} expired.")


class NewsScreen(Screen[None]):
    """Recent news with the contacts each item concerns."""

    CSS_PATH = "news.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "move(1)", "Next", show=False, tooltip="Next item", id="news-next"),
        Binding("k", "move(-1)", "Previous", show=False, tooltip="Previous item",
                id="news-previous"),
        Binding("c", "compose", "Clip to…",
                tooltip="A clipping note to the person it concerns most (1-9: to that one)",
                id="news-compose"),
        Binding("o", "open_link", "Open link", tooltip="Open the article in the browser",
                id="news-open"),
        Binding("f", "fetch", "Fetch feeds", tooltip="Fetch every subscribed feed now",
                id="news-fetch"),
        Binding("a", "add", "Add", tooltip="Add a news item by hand", id="news-add"),
        Binding("delete", "remove", "Remove", show=False, tooltip="Remove the selected item",
                id="news-remove"),
        Binding("escape,q", "close", "Close", tooltip="Back to the main screen", id="news-close"),
        *(Binding(str(n), f"compose({n - 1})", f"Clip to #{n}", show=False)
          for n in range(1, 10)),
    ]
    app: NurtureApp

    def __init__(self) -> None:
        super().__init__(id="news")
        self.matches: dict[str, list[NewsMatch]] = {}
        self.items: list[NewsItem] = []
        self.fetching = False
        self.last_fetch = ""  # the report of the last fetch, kept under the status line

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="news-body"):
            with Horizontal(id="news-top"):
                yield Static("", id="news-status")
                yield ProgressBar(id="news-progress", show_eta=False)
            with Horizontal(id="news-panes"):
                yield OptionList(id="news-items")
                with Vertical(id="news-detail"):
                    yield Static("", id="news-article")
                    yield Label("Concerns", id="news-concerns")
                    yield OptionList(id="news-matches")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#news-progress").display = False
        self._rebuild()
        self.query_one("#news-items", OptionList).focus()

    def on_store_changed(self, message: StoreChanged) -> None:
        self._rebuild()

    # ------------------------------------------------------------ data

    def _rebuild(self) -> None:
        self.items = list(self.app.data.news)
        self._match(self.items, self.app.data.contacts, self.app.config.synonyms)
        self._show_items()

    @work(thread=True, exclusive=True, group="news-match")
    def _match(self, items: list[NewsItem], contacts: list[Contact],
               synonyms: dict[str, list[str]]) -> None:
        from nurture.news.match import match_all

        found = match_all(items, contacts, synonyms)
        self.app.call_from_thread(self._matched, found)

    def _matched(self, found: dict[str, list[NewsMatch]]) -> None:
        self.matches = found
        self._show_items()

    def _show_items(self) -> None:
        option_list = self.query_one("#news-items", OptionList)
        highlighted = option_list.highlighted
        option_list.set_options(self._item_option(item) for item in self.items)
        if self.items:
            option_list.highlighted = min(highlighted or 0, len(self.items) - 1)
        self._show_status()
        self._show_detail()

    def _item_option(self, item: NewsItem) -> Option:
        from nurture.news.items import item_time

        when = item_time(item)
        line = [when.in_tz(pendulum.local_timezone()).format("D MMM") if when else "",
                "added by hand" if item.source == "manual" else ""]
        names = [self.app.data.by_id[m.contact_id].display_name
                 for m in self.matches.get(item.id, []) if m.contact_id in self.app.data.by_id]
        about = Text(" · ".join(p for p in line if p), style="dim")
        if names:
            who = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
            about.append(f"  → {shown(who)}", style="italic")
        # A grid keeps the wrapped lines of a long title or list of people aligned.
        grid = Table.grid()
        grid.add_column(ratio=1)
        grid.add_row(Text(shown(item.title), style="bold"))
        grid.add_row(Padding(about, (0, 0, 0, 2)))
        return Option(grid, id=item.id)

    def _show_status(self) -> None:
        if self.fetching:
            return
        status = self.query_one("#news-status", Static)
        if not self.items:
            line = ("No news yet. Press a to add an item by hand, or f to fetch your "
                    "feeds (subscribe with `nurture feeds add URL --tag T`).")
        else:
            concerned = sum(1 for item in self.items if self.matches.get(item.id))
            count = len(self.items)
            line = f"{count} item{'s' * (count != 1)}, {concerned} concerning your people"
        # The last fetch names feeds and quotes servers' reasons: plain text.
        status.update(plain(line + (f"\nLast fetch: {self.last_fetch}" if self.last_fetch
                                    else ""), multiline=True))

    @property
    def current(self) -> NewsItem | None:
        option = self.query_one("#news-items", OptionList).highlighted_option
        return next((i for i in self.items if option is not None and i.id == option.id), None)

    def _show_detail(self) -> None:
        item = self.current
        article = self.query_one("#news-article", Static)
        people = self.query_one("#news-matches", OptionList)
        if item is None:
            article.update("")
            people.clear_options()
            return
        text = Text(shown(item.title), style="bold")
        if item.url:
            text.append(f"\n{shown(item.url)}", style="underline")
        tags = " ".join(f"#{t}" for t in item.tags)
        extra = " · ".join(p for p in (tags, item.company) if p)
        if extra:
            text.append(f"\n{shown(extra)}", style="dim")
        if item.summary:
            text.append(f"\n\n{shown(item.summary, multiline=True)}")
        article.update(text)
        options = []
        for n, match in enumerate(self.matches.get(item.id, []), start=1):
            contact = self.app.data.by_id.get(match.contact_id)
            if contact is None:
                continue
            prompt = Text.assemble((f"{n} " if n < 10 else "  ", "bold"),
                                   shown(contact.display_name),
                                   (f"  {shown(why(match, contact))}", "dim"))
            options.append(Option(prompt, id=contact.id))
        people.set_options(options)
        if not options:
            people.set_options([Option(Text("nobody yet: no contact shares its tags or "
                                            "company", style="dim"), disabled=True)])

    @on(OptionList.OptionHighlighted, "#news-items")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#news-items")
    def _item_chosen(self) -> None:
        people = self.query_one("#news-matches", OptionList)
        if self.current is not None and self.matches.get(self.current.id):
            people.highlighted = 0
            people.focus()

    @on(OptionList.OptionSelected, "#news-matches")
    def _person_chosen(self, event: OptionList.OptionSelected) -> None:
        item = self.current
        if item is not None and event.option.id:
            self.app.open_compose(event.option.id, news_item=item)

    # ------------------------------------------------------------ actions

    def action_move(self, step: int) -> None:
        items = self.query_one("#news-items", OptionList)
        items.focus()
        if step > 0:
            items.action_cursor_down()
        else:
            items.action_cursor_up()

    def action_compose(self, index: int = 0) -> None:
        item = self.current
        found = self.matches.get(item.id, []) if item is not None else []
        people = [m.contact_id for m in found if m.contact_id in self.app.data.by_id]
        if item is None or index >= len(people):
            self.app.bell()
            if item is not None and not people:
                self.notify("This item concerns none of your contacts.", severity="warning")
            return
        self.app.open_compose(people[index], news_item=item)

    def action_open_link(self) -> None:
        item = self.current
        if item is None or not item.url:
            self.app.bell()
            return
        link = web_link(item.url)
        if not link:  # only http(s) goes to the browser: never javascript: or file:
            self.notify(f"Not opened: {item.url[:80]} is not a web address.",
                        severity="warning")
            return
        self.app.open_url(link)

    def action_add(self) -> None:
        def added(item: NewsItem | None) -> None:
            if item is not None:
                self.app.run_write(partial(add_news_item, item=item),
                                   done=lambda _: self._select(item.id),
                                   description="add the news item")

        self.app.push_screen(AddNewsItem(), added)

    def _select(self, item_id: str) -> None:
        index = next((n for n, i in enumerate(self.items) if i.id == item_id), None)
        if index is not None:
            self.query_one("#news-items", OptionList).highlighted = index

    def action_remove(self) -> None:
        item = self.current
        if item is None:
            return
        self.app.run_write(partial(remove_news_item, item_id=item.id),
                           done=lambda _: self.notify(f"Removed “{item.title}”."),
                           description="remove the news item")

    def action_close(self) -> None:
        self.app.pop_screen()

    # ------------------------------------------------------------ fetching

    def action_fetch(self) -> None:
        if self.fetching:
            self.notify("Already fetching.")
            return
        self.fetching = True
        self.query_one("#news-status", Static).update("Fetching feeds…")
        # The list of feeds is read on the writer, like every store call.
        self.app.run_write(lambda store: store.feeds(), done=self._fetch_feeds,
                           description="read the feeds")

    def _fetch_feeds(self, feeds: list) -> None:
        if not feeds:
            self.fetching = False
            self.last_fetch = ("no feeds yet: subscribe with `nurture feeds add URL --tag T`, "
                               "then press f.")
            self._show_status()
            return
        bar = self.query_one("#news-progress", ProgressBar)
        bar.update(total=len(feeds), progress=0)
        bar.display = True
        self._fetch(feeds, pendulum.now())

    @work(thread=True, exclusive=True, group="news-fetch")
    def _fetch(self, feeds: list, now: pendulum.DateTime) -> None:
        from nurture.news.feeds import fetch_all

        app = self.app

        def progress(done: int, total: int, result: FeedResult) -> None:
            if app.is_running:
                app.call_from_thread(self._progress, done, total, result.name)

        # Quitting mid-fetch stops every fetch at once instead of waiting on slow servers.
        report = fetch_all(feeds, now=now, progress=progress,
                           cancelled=lambda: not app.is_running)
        if app.is_running:
            app.call_from_thread(self._save_fetch, report, now)

    def _progress(self, done: int, total: int, name: str) -> None:
        self.query_one("#news-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#news-status", Static).update(
            plain(f"Fetching feeds… {done} of {total}: {name[:50]}"))

    def _save_fetch(self, report: FetchReport, now: pendulum.DateTime) -> None:
        from nurture.news.feeds import save_fetch

        keep_days = self.app.config.news_keep_days

        self.app.run_write(
            lambda store: save_fetch(store, report, now=now, keep_days=keep_days),
            done=lambda merge: self._fetched(report, merge), error=self._not_saved,
            description="save the fetched news")

    def _not_saved(self, _: Exception) -> None:  # the app has said why in a notification
        self.fetching = False
        if self.app.still_shows(self):
            self.query_one("#news-progress").display = False
            self._show_status()

    def _fetched(self, report: FetchReport, merge: NewsMerge) -> None:
        self.fetching = False
        if not self.app.still_shows(self):
            return
        self.query_one("#news-progress").display = False
        summary = fetch_summary(report, merge)
        failures = [f"{r.name}: {r.error}" for r in report.failed]
        self.last_fetch = summary + "".join(f"\n  ✗ {line}" for line in failures)
        self._show_status()
        self.notify(summary, title="Feeds", severity="warning" if failures else "information")


class AddNewsItem(ModalScreen[NewsItem | None]):
    """A news item typed in by hand: a title, and optionally a link, tags and a company."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="news-item-cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="news-item-save"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="news-form"):
            yield Label("Add a news item", id="news-form-title")
            yield Input(placeholder="Title (required)", id="news-title")
            yield Input(placeholder="Link: https://…", id="news-url")
            yield Input(placeholder="Tags, comma-separated: yankees, baseball", id="news-tags")
            yield Input(placeholder="Company it is about", id="news-company")
            yield Input(placeholder="A line of summary", id="news-summary")
            yield Static("Enter on the last field or ctrl+s saves; Esc cancels.",
                         id="news-form-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "news-summary":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        from nurture.news.feeds import check_url

        def value(name: str) -> str:
            return self.query_one(f"#news-{name}", Input).value.strip()

        try:
            url = check_url(value("url")) if value("url") else ""
            tags = [t.strip() for t in value("tags").split(",") if t.strip()]
            item = NewsItem.new(value("title"), url=url, tags=tags, company=value("company"),
                                summary=value("summary"))
        except NurtureError as exc:
            self.query_one("#news-form-error", Static).update(plain(str(exc), "bold red"))
            return
        self.dismiss(item)

    def action_cancel(self) -> None:
        self.dismiss(None)
