"""The Search screen: type words, see every entry, follow-up, note and field that holds them.

The index (``nurture.search``) is built in a thread worker from the read-only
snapshot, again when the book changes; each query runs in another worker, the
latest one winning. Enter opens the hit on the person's timeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pendulum.tz import local_timezone
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from nurture.tui.text import shown
from nurture.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from nurture.search import SearchHit, SearchIndex, SearchResult
    from nurture.tui.app import NurtureApp, StoreChanged
    from nurture.tui.writer import Snapshot

LIMIT = 200  # hits shown; the status line says when there are more


class SearchScreen(Screen[None]):
    """Search everything written in the book."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "Results", show=False,
                tooltip="From the search box to the results", id="search-results"),
        Binding("escape", "close", "Close", tooltip="Back to the main screen", id="search-close"),
    ]
    app: NurtureApp

    def __init__(self, query: str = "") -> None:
        super().__init__(id="search")
        self.initial = query
        self.index: SearchIndex | None = None
        self.indexed_revision = -2
        self.hits: list[SearchHit] = []
        self.searched = ""  # the query the list shows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial, placeholder="Words to find in entries, follow-ups, notes, "
                    "contact fields (Enter: open the first hit)", id="search-input")
        yield Static("", id="search-status")
        yield OptionList(id="search-hits")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        self._reindex()

    def on_store_changed(self, message: StoreChanged) -> None:
        if not message.suggestions_only:
            self._reindex()

    # ------------------------------------------------------------ index and query

    def _reindex(self) -> None:
        data = self.app.data
        if data.revision == self.indexed_revision or not data.complete:
            return
        self.query_one("#search-status", Static).update("Reading the book…")
        self._build(data)

    @work(thread=True, exclusive=True, group="search-index")
    def _build(self, data: Snapshot) -> None:
        from nurture.search import SearchIndex

        entries = {e.id: e for timeline in data.timelines.values() for e in timeline}
        index = SearchIndex(data.contacts, entries.values())
        self.app.call_from_thread(self._indexed, index, data.revision)

    def _indexed(self, index: SearchIndex, revision: int) -> None:
        self.index, self.indexed_revision = index, revision
        self._run(self.query_one("#search-input", Input).value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._run(event.value)

    def _run(self, query: str) -> None:
        if self.index is None:
            return
        self._search(self.index, query)

    @work(thread=True, exclusive=True, group="search-query")
    def _search(self, index: SearchIndex, query: str) -> None:
        result = index.search(query, limit=LIMIT)
        self.app.call_from_thread(self._show, query, result)

    def _show(self, query: str, result: SearchResult) -> None:
        if query != self.query_one("#search-input", Input).value:
            return  # a newer query is on its way
        self.searched, self.hits = query, result.hits
        options = [Option(self._hit_text(hit), id=str(n)) for n, hit in enumerate(self.hits)]
        hits = self.query_one("#search-hits", OptionList)
        hits.set_options(options)
        if options:
            hits.highlighted = 0
        status = self.query_one("#search-status", Static)
        if not query.split():
            status.update(Text("Type words to find; every word must match, accents and "
                               "case ignored.", style="dim"))
        elif not self.hits:
            status.update(Text.assemble("Nothing matches ", (shown(query), "bold"), "."))
        else:
            count = f"{len(self.hits)}{'+' if result.more else ''}"
            status.update(f"{count} hit{'s' * (len(self.hits) != 1)}, newest first")

    def _hit_text(self, hit: SearchHit) -> Text:
        by_id = self.app.data.by_id
        names = ", ".join(by_id[c].display_name for c in hit.contact_ids if c in by_id)
        zone = local_timezone()
        when = hit.at.in_tz(zone).format("D MMM YYYY") if hit.at else ""
        where = "entry" if hit.field == "text" else hit.field
        head = Text.assemble((shown(names), "bold"), (f"  {when} · {shown(where)}", "dim"))
        # Piece by piece, so that control characters shown as escapes keep the marks
        # on the matched words.
        body, done = Text("  "), 0
        for start, end in hit.spans:
            body.append(shown(hit.snippet[done:start]))
            body.append(shown(hit.snippet[start:end]), style="reverse")
            done = end
        body.append(shown(hit.snippet[done:]))
        return Text("\n").join([head, body])

    # ------------------------------------------------------------ actions

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self.hits:
            self._open(self.hits[0])

    @on(OptionList.OptionSelected, "#search-hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(self.hits[int(event.option.id or 0)])

    def _open(self, hit: SearchHit) -> None:
        if hit.contact_ids[0] not in self.app.data.by_id:
            self.notify("That contact no longer exists.", severity="warning")
            return
        self.app.open_entry(hit.contact_ids[0], hit.entry_id or None)

    def action_to_results(self) -> None:
        hits = self.query_one("#search-hits", OptionList)
        if hits.option_count:
            hits.focus()

    def action_close(self) -> None:
        self.app.pop_screen()
