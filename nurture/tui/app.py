"""The Textual application: the store, the one writer, navigation between screens.

Contract with the screens (review, compose, quick note, news, import/export):

- ``app.store`` is the `Store`, opened on the writer thread (the first frame
  paints before the file is read); ``app.data`` is the latest `Snapshot`, the
  read-only view every pane draws from; ``app.today``, ``app.config``.
- ``app.run_write(fn, done=..., error=..., description=...)`` runs ``fn(store)``
  on the one writer thread, which answers with one typed message per outcome
  (`WriteFinished`, `WriteFailed`; `BookPublished` for loads, reloads and the
  rules' results; `Problem`); the app then posts `StoreChanged` to every screen
  on the stack and runs ``done(result)`` on the UI thread. A `NurtureError` (or a disk
  error) becomes a notification, never a traceback, and then ``error(exc)`` on
  the UI thread, so a screen can keep the user's text and try again.
- ``app.suggestions()``, ``app.open_contact()``, ``app.open_compose()``,
  ``app.open_quick_note()``, ``app.open_review()``, ``app.open_news()``,
  ``app.open_transfer()``.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pendulum
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message

from nurture.config import Config
from nurture.errors import NurtureError
from nurture.model import Suggestion
from nurture.rules import RulesConfig, load_rules
from nurture.tui import bindings
from nurture.tui.text import shown
from nurture.tui.writer import Snapshot, SnapshotBuilder, Writer

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.dom import DOMNode
    from textual.notifications import SeverityLevel
    from textual.widgets import Input

    from nurture.capture.people import NewPerson
    from nurture.model import NewsItem, ReviewState
    from nurture.store import Store
    from nurture.tui.screens.main import MainScreen
    from nurture.tui.screens.transfer import Mode

T = TypeVar("T")
log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # how often another process's writes are looked for
PAINT_WAIT = 2.0  # seconds the writer waits at most for a new book to be painted


class StoreChanged(Message, bubble=False):
    """The book changed (our write, or another process's): redraw from ``app.data``."""

    def __init__(self, revision: int, *, external: bool = False,
                 suggestions_only: bool = False) -> None:
        super().__init__()
        self.revision = revision
        self.external = external  # another process wrote the file
        self.suggestions_only = suggestions_only  # same book, the rules' results arrived


def _nurture_commands() -> type[Provider]:
    """The palette's provider, loaded when the palette first opens (as Textual's own is)."""
    from nurture.tui.commands import NurtureCommands

    return NurtureCommands


class BookPublished(Message):
    """From the writer thread: a new view of the book (a load, a reload, the rules' results)."""

    def __init__(self, snapshot: Snapshot, *, external: bool = False,
                 suggestions_only: bool = False, loaded: bool = False) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.external = external  # another process wrote the file
        self.suggestions_only = suggestions_only
        self.loaded = loaded  # the first view: the store is open


class WriteFinished(Message):
    """From the writer thread: write ``job`` succeeded with ``result`` (and the book after it)."""

    def __init__(self, job: int, result: object, snapshot: Snapshot | None) -> None:
        super().__init__()
        self.job = job
        self.result = result
        self.snapshot = snapshot  # None when the write changed nothing


class WriteFailed(Message):
    """From the writer thread: write ``job`` failed; ``reason`` is for the user."""

    def __init__(self, job: int, reason: str, error: Exception) -> None:
        super().__init__()
        self.job = job
        self.reason = reason
        self.error = error


class TaskProgress(Message):
    """From a background task (sync, capture): what it is doing now; "" when it ended."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class TaskEnded(Message):
    """From a background task: its outcome, one notification (a title and lines)."""

    def __init__(self, title: str, lines: list[str], severity: SeverityLevel) -> None:
        super().__init__()
        self.title = title
        self.lines = lines
        self.severity = severity


class PeopleFound(Message):
    """From capture: the people you mail who are not contacts."""

    def __init__(self, people: list[NewPerson]) -> None:
        super().__init__()
        self.people = people


class Problem(Message):
    """From the writer thread: something the user should know (a rules.toml problem, a
    reload that failed); the app goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class NurtureApp(App[int]):
    """Nurture: keep in touch with the people who matter."""

    TITLE = "Nurture"
    # Absolute, so that subclasses (test harnesses) elsewhere find the same sheet.
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    BINDINGS: ClassVar[list[BindingType]] = [*bindings.APP]
    COMMANDS = {*App.COMMANDS, _nurture_commands}

    def __init__(self, db_path: Path, *, today: pendulum.Date | None = None,
                 config: Config | None = None, rules_path: Path | None = None,
                 review_on_start: bool | None = None, quick_note_for: str | None = None,
                 templates_dir: Path | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.config = config or Config()
        self._pinned_today = today is not None
        self.today: pendulum.Date = today or pendulum.today().date()
        self.rules_path = rules_path
        self.templates_dir = templates_dir
        self.review_on_start = (self.config.review_on_start if review_on_start is None
                                else review_on_start)
        self._doing = ""  # what a background task (sync, capture) is doing, for the header
        self.people_to_add: list[NewPerson] | None = None  # from the last capture
        self.quick_note_for = quick_note_for
        self.data = Snapshot(today=self.today)
        self.loaded = False
        self._store: Store | None = None
        self._writer = Writer(when_idle=self._idle_job)
        self._painted = threading.Event()  # set after the frame that shows a new book
        self._unmounted = False  # nothing more will be painted
        self._rules = RulesConfig.from_app_config(self.config)
        self._polling = False
        self._started = False  # the review-on-start decision is taken once
        self._at_work = False  # a key or click came before that decision
        self._type_ahead: Input | None = None  # a field about to take the focus
        self._selects_again = False  # its select-on-focus, paused while typed ahead
        self._latest: Snapshot | None = None  # the writer thread's newest snapshot
        self._builder = SnapshotBuilder()
        self._undo: list[tuple[str, Callable[[Store], Any], str | None]] = []
        # What to run on the UI thread when write job N ends (callables never leave it).
        self._jobs: dict[int, tuple[Callable[[Any], None] | None,
                                    Callable[[Exception], None] | None]] = {}
        self._next_job = 0
        # The suggestion compose was opened for from the review: it goes back there after.
        self.review_return: str | None = None

    # ------------------------------------------------------------ the store

    @property
    def rules(self) -> RulesConfig:
        """The rules the review runs (rules.toml over the defaults), for the review's actions."""
        return self._rules  # the defaults until rules.toml is read

    @property
    def store(self) -> Store:
        """The open store; only after the first `StoreChanged` (``app.loaded``)."""
        if self._store is None:
            raise RuntimeError("the store is still loading; wait for StoreChanged")
        return self._store

    def get_default_screen(self) -> MainScreen:
        from nurture.tui.screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        self._apply_config()
        self.show_header()
        # Read the file only once the first frame is painted: loading a large book
        # is Python work that shares the interpreter with the UI thread.
        self._writer.put(self._open_and_publish)
        self.call_after_refresh(self.run_worker, self._writer.serve, name="writer",
                                group="writer", thread=True)
        self.set_interval(POLL_SECONDS, self.poll)

    def _apply_config(self) -> None:
        theme = self.config.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(f"config: unknown theme {theme!r}; using {self.theme}. Known: "
                        + ", ".join(sorted(self.available_themes)), severity="warning")
        if self.config.keymap:
            unknown = sorted(set(self.config.keymap) - bindings.binding_ids())
            if unknown:
                self.notify("config [keymap]: unknown binding id " + ", ".join(unknown)
                            + " (see the help screen for ids)", severity="warning")
            self.set_keymap({k: v for k, v in self.config.keymap.items() if k not in unknown})

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification, from the app or any widget, as plain text.

        Messages quote names, titles and error reasons from data, so they are
        never parsed as markup (``markup`` is accepted and ignored) and their
        control characters are shown, not sent.
        """
        super().notify(shown(message, multiline=True), title=shown(title), severity=severity,
                       timeout=timeout, markup=False)

    def key_for(self, binding_id: str) -> str:
        """The key a binding is on now (the user's keymap wins)."""
        key = self._keymap.get(binding_id) or bindings.default_key(binding_id)
        return self.get_key_display(Binding(key.split(",")[0], ""))

    def _open_and_publish(self) -> None:
        from nurture.store import open_store

        try:
            # The journal is folded when the writer is idle, not inside a write.
            self._store = open_store(self.db_path, backups_keep=self.config.backups_keep,
                                     auto_fold=False)
            self._announce(self._store)
            self._rules = self._load_rules()
            self._builder = SnapshotBuilder(
                self._rules.cadence_for if self._rules is not None else None,
                per_week=self.config.routine_per_week)
            # People first, so a large book is browsable while the timelines load;
            # the timelines wait for that first view to be painted, or building
            # them (pure Python) would hold the interpreter while the list draws.
            first = self._builder.contacts_only(self._store, self.today)
            self._publish_and_wait(BookPublished(first, loaded=True))
            # The morning's review next, from the derived index as `nurture today`
            # reads it; without a fresh index the rules run once the timelines are
            # built (the idle job).
            if self._early_review(first):
                # Then the filter's index, before every timeline: typing a name is
                # what comes next more often than opening an old entry, and a
                # keystroke before the index waits for it (at 50,000 people it came
                # 1.4 s after the timelines, 9 s after start).
                first.matcher.prepare(typos=True)
            self._publish_and_wait(BookPublished(self._build()))
        except (NurtureError, OSError) as exc:
            # Without its file the app has nothing to show: leave with the reason,
            # as the command line would (exit 1), the file untouched.
            self.call_from_thread(self.exit, None, 1, f"nurture: {exc}")

    def _publish_and_wait(self, message: BookPublished) -> None:
        """Writer thread: publish a book, then wait (briefly) for the frame that shows it.

        Building what comes next is pure Python that holds the interpreter; started
        at once, it would slow the UI thread's drawing of what was just published
        (at 5k people the review's count came 30 ms after it was published).
        """
        self._painted.clear()
        # Closing (or closed: the message is refused): no frame will come to wait for.
        if self.post_message(message) and not self._unmounted:
            self._painted.wait(PAINT_WAIT)

    def _announce(self, store: Store) -> None:
        """Writer thread: say once what the store set aside, and that a book is read-only."""
        for notice in store.take_notices():
            self.call_from_thread(self.notify, f"{store.path}: {notice}",
                                  title="Journal set aside", severity="warning", timeout=30)
        if store.read_only:
            self.call_from_thread(self.notify, f"{store.path} is open read-only because "
                                  f"{store.read_only}; changes cannot be saved.",
                                  title="Read-only", severity="warning", timeout=15)

    def _load_rules(self) -> RulesConfig:
        rules, problems = load_rules(self.rules_path, RulesConfig.from_app_config(self.config))
        for problem in problems:  # the built-in rules still run; say what was skipped
            self.post_message(Problem(problem))
        return rules

    def _reviewed(self, snapshot: Snapshot, timelines: Any, news: list[NewsItem],
                  review: dict[str, ReviewState]) -> Snapshot:
        """``snapshot`` with the day's suggestions, the rules run over ``timelines``."""
        from nurture.rules.engine import queue_and_open
        from nurture.rules.facts import Facts
        from nurture.store.memory import collector_paused

        # As `nurture today` (`actions.build_review`): the rules make tens of thousands of
        # short-lived objects, and each batch of them set off a collection, the older ones
        # walking all the app holds that is not frozen (at 50,000 people the early review
        # took 1.9-2.8 s with it, 1.0-1.2 s without).
        with collector_paused():
            facts = Facts(snapshot.contacts, timelines, news, review, self._rules,
                          snapshot.today)
            shown, _, open_keys = queue_and_open(facts, self._rules.daily_limit)
        return dataclasses.replace(snapshot, news=news, review=review, suggestions=shown,
                                   suggestions_ready=True, open_keys=open_keys)

    def _early_review(self, first: Snapshot) -> bool:
        """Writer thread: the review of the book being opened, before its timelines are
        built: the rules read the heads of the timelines from the derived index
        (``store.heads``), building a few hundred entries where the timelines are
        50,000. The snapshot built next keeps these suggestions (the same revision).
        Whether it was published (not without a fresh index)."""
        assert self._store is not None
        timelines = self._store.indexed_timelines()
        if timelines is None:
            return False
        try:
            # Of ``first``'s revision: if another program wrote meanwhile, the next
            # snapshot is of a later one, and the rules run again on it.
            self._latest = self._reviewed(first, timelines, self._store.news_items(),
                                          self._store.review_states())
        except NurtureError:  # changed while read, say: the complete book's rules will tell
            return False
        self._publish_and_wait(BookPublished(self._latest, suggestions_only=True))
        return True

    def _build(self) -> Snapshot:
        """Writer thread: a fresh snapshot (the last suggestions carried over until rerun)."""
        assert self._store is not None
        before = self._latest
        # The rules' last answer is carried until they run again, but not past midnight:
        # yesterday's reasons are a day out ("due tomorrow" is due today), and a review
        # opened on it would take yesterday's rows as today's.
        if before is not None and before.today == self.today:
            self._latest = self._builder.build(self._store, self.today, before.suggestions,
                                               before.open_keys)
        else:
            self._latest = self._builder.build(self._store, self.today)
        if before is not None and not before.complete and before.suggestions_ready \
                and (before.revision, before.today) == (self._latest.revision,
                                                        self._latest.today):
            # The early review was of this very book: its suggestions stand.
            self._latest = dataclasses.replace(self._latest, suggestions_ready=True,
                                               open_keys=before.open_keys)
        if before is not None and before.matcher.ready:
            # Once the filter was ready, a write that changed someone publishes a ready
            # one too (only the first load puts the review before it).
            self._latest.matcher.prepare(typos=True)
        return self._latest

    def _idle_job(self) -> None:
        """Writer thread, when no other job waits: the rules, the filter's index, then a
        fold that is due (nobody waits for these; a write asked meanwhile runs right after)."""
        self._suggest_job()
        if self._latest is not None:
            # Here, not at the first keystroke (a keystroke before this waits for it),
            # nor at the first typo (loading the fuzzy matcher took 11 ms of a keystroke).
            self._latest.matcher.prepare(typos=True)
        store = self._store
        if store is not None and not store.read_only and store.fold_due():
            try:
                store.checkpoint()
            except (NurtureError, OSError) as exc:  # the journal keeps every write
                self.post_message(Problem(f"Could not fold the journal into the file: {exc}"))

    def _suggest_job(self) -> None:
        """Writer thread, when no other job waits: the rules on the newest snapshot."""
        latest = self._latest
        if latest is None or latest.suggestions_ready:
            return
        self._latest = self._reviewed(latest, latest.timelines, latest.news, latest.review)
        message = BookPublished(self._latest, suggestions_only=True)
        if self._latest.matcher.ready:
            self.post_message(message)
        else:  # the filter's index is built next: the review's count is drawn first
            self._publish_and_wait(message)

    def run_write(self, fn: Callable[[Store], T], *, done: Callable[[T], None] | None = None,
                  error: Callable[[Exception], None] | None = None,
                  description: str = "") -> None:
        """Run ``fn(store)`` on the writer thread; ``done(result)`` back on the UI thread.

        When ``fn`` fails with a user error or a disk error, a notification says
        why and then ``error(exc)`` runs on the UI thread (``done`` does not).
        The writer answers with a `WriteFinished` or `WriteFailed` naming the job;
        ``done`` and ``error`` wait here, on the UI thread, for it. Nothing waits
        for the disk: the job is queued on the one writer thread.
        """
        self._next_job += 1
        job = self._next_job
        self._jobs[job] = (done, error)
        try:
            self._writer.put(partial(self._apply_write, job, fn, description))
        except NurtureError as exc:  # the app is closing: nobody is left to tell
            self._jobs.pop(job, None)
            log.warning("%s: %s", description or "write", exc)

    @property
    def busy(self) -> bool:
        """Whether a write, a reload or the rules are still running on the writer."""
        return self._writer.busy

    def _apply_write(self, job: int, fn: Callable[[Store], Any], description: str) -> None:
        try:
            if self._store is None:
                raise NurtureError("The data file is not open.")
            result = fn(self._store)
        except (NurtureError, OSError) as exc:
            # A disk error (full, permissions) is the user's to fix, not a crash.
            text = str(exc) if isinstance(exc, NurtureError) \
                else f"Could not {description or 'save'}: {exc}"
            self.post_message(WriteFailed(job, text, exc))
            return
        self.post_message(WriteFinished(job, result, self._build() if self._changed() else None))

    def _changed(self) -> bool:
        latest = self._latest
        assert self._store is not None
        return latest is None or self._store.revision != latest.revision \
            or self.today != latest.today

    def poll(self) -> None:
        """Look for another process's writes (on the writer thread) and reload if any."""
        if not self.loaded or self._polling:
            return
        self._polling = True
        if not self._pinned_today:
            self.today = pendulum.today().date()
        self._writer.put(self._refresh_job)

    def _refresh_job(self) -> None:
        try:
            assert self._store is not None
            self._store.refresh()
            if self._changed():
                self.post_message(BookPublished(self._build(), external=True))
        except NurtureError as exc:
            self.post_message(Problem(str(exc)))
        finally:
            self._polling = False

    # ------------------------------------------------------------ on the UI thread

    def _show(self, snapshot: Snapshot, *, external: bool = False,
              suggestions_only: bool = False) -> None:
        from nurture.tui.screens.review import follow_the_book

        self.data = snapshot
        follow_the_book(self)  # the day's review queue, if it was opened today
        self.show_header()
        for screen in self.screen_stack:
            screen.post_message(StoreChanged(self.data.revision, external=external,
                                             suggestions_only=suggestions_only))

    def _say(self, reason: str) -> None:
        # A write retried every second (a draft on a full disk) says why once, not each time.
        if not any(n.message == shown(reason, multiline=True)
                   for n in self._notifications):
            self.notify(reason, title="Not saved", severity="error", timeout=8)

    def on_book_published(self, message: BookPublished) -> None:
        self._show(message.snapshot, external=message.external,
                   suggestions_only=message.suggestions_only)
        self.call_after_refresh(self._painted.set)
        if message.loaded:
            self.loaded = True
            if self.quick_note_for:
                self.open_quick_note(self.quick_note_for)
        self._maybe_start()

    def still_shows(self, node: DOMNode) -> bool:
        """Whether ``node`` is still on a screen, so a write's answer may touch it.

        Not when the app is closing (its screens are taken down while the writer
        finishes), nor while ``node``'s screen is being removed: its widgets go
        one by one while it is still attached (Textual 8 names that ``_pruning``).
        """
        return self.is_running and node.is_attached and not node._pruning

    def on_write_finished(self, message: WriteFinished) -> None:
        done, _ = self._jobs.pop(message.job, (None, None))
        if not self.is_running:
            return  # closing: the write is on disk; nobody is left to show it to
        if message.snapshot is not None:
            self._show(message.snapshot)
        if done is not None:
            done(message.result)
        self._maybe_start()

    def on_write_failed(self, message: WriteFailed) -> None:
        _, error = self._jobs.pop(message.job, (None, None))
        if not self.is_running:
            log.warning("%s", message.reason)  # closing: no screen left to say it on
            return
        self._say(message.reason)
        if error is not None:
            error(message.error)

    def on_problem(self, message: Problem) -> None:
        self._say(message.reason)

    def type_ahead(self, field: Input) -> None:
        """Until ``field`` has the focus, the letters typed go into it.

        Textual moves the focus after the events already queued, and a key's bindings
        are looked up once it has passed the old focus: letters typed fast after the
        key that opened a field (or pasted) ran the bindings of what had the focus."""
        self._type_ahead = field
        self._selects_again = False

    async def on_event(self, event: events.Event) -> None:
        # A large book shows its people before the review is ready: someone who started
        # typing (a name in the filter, say) would have their next keys land in the
        # review opened over them, where d, s and x mark a suggestion.
        if not self._started and isinstance(event, (events.Key, events.MouseDown)) \
                and not event.is_forwarded:
            self._at_work = True
        if self._type_ahead is not None and self._typed_ahead(event):
            return
        await super().on_event(event)

    def _typed_ahead(self, event: events.Event) -> bool:
        """Whether ``event`` was a letter put into the field `type_ahead` waits on."""
        field = self._type_ahead
        assert field is not None
        if isinstance(event, events.MouseDown) or (
                isinstance(event, events.Key) and (
                    self.focused is field or not field.is_attached
                    or field.screen is not self.screen)):
            # The field has the focus, or a click chose another place: keys are theirs.
            self._type_ahead = None
            if self._selects_again:
                field.select_on_focus = True
            return False
        if not (isinstance(event, events.Key) and event.is_forwarded and event.is_printable
                and event.character):
            return False
        # Back from the old focus, before its bindings are looked up.
        if field.select_on_focus:
            # As once focused: its text all selected, the first letter replaces it; and
            # what was typed is not selected when the focus comes.
            field.value, field.select_on_focus, self._selects_again = "", False, True
        field.insert_text_at_cursor(event.character)
        return True

    def _maybe_start(self) -> None:
        if self.loaded and not self._started and (self.data.suggestions_ready
                                                  or not self.review_on_start):
            self._start_screens()

    def _start_screens(self) -> None:
        """Once: the review first when asked for, then a note left unfinished, on top."""
        from nurture.tui.screens.quick_note import offer_leftover_note

        self._started = True
        self._start_background()
        if self.quick_note_for:
            return  # `nurture note WHO` asked for one person's note; it is open
        if self.review_on_start and self.suggestions():
            if self._at_work:  # not over what they are doing: told, it waits for them
                self.notify(f"Today's review is ready: {self.key_for('review')} opens it.",
                            title="Review", timeout=10)
            else:
                self.open_review()
        # After the review, so that a call cut short (the app died) is what shows first.
        offer_leftover_note(self)

    # ------------------------------------------------------------ background tasks

    def write_in_worker(self, fn: Callable[[Store], T]) -> T:
        """From a worker thread: ``fn(store)`` on the writer thread, the new book published
        and the rules run again; its result (its error raised here)."""
        return self._writer.call(partial(self._write_and_publish, fn))

    def _write_and_publish(self, fn: Callable[[Store], T]) -> T:
        if self._store is None:
            raise NurtureError("The data file is not open.")
        result = fn(self._store)
        if self._changed():
            self.post_message(BookPublished(self._build()))
        return result

    def _start_background(self) -> None:
        """Once loaded: capture when [capture] is set, sync when [sync] on_start is."""
        from nurture.sync.session import settings_from_config

        if self.config.capture.configured:
            self.capture_now()
        try:
            sync_on_start = settings_from_config(self.config).on_start
        except NurtureError as exc:
            self.notify(str(exc), title="Sync", severity="error", timeout=10)
            return
        if sync_on_start:
            self.sync_now()

    def sync_now(self) -> None:
        """Sync the book with its folders in the background ("Sync now" in the palette)."""
        self._background("Syncing", self._sync_worker)

    def capture_now(self) -> None:
        """Log mail and meetings from [capture] in the background ("Capture now")."""
        self._background("Capturing mail and meetings", self._capture_worker)

    def _background(self, what: str, worker: Callable[[], None]) -> None:
        if self._doing:
            self.notify(f"{self._doing} — {what.lower()} waits until it is done.", timeout=4)
            return
        self._doing = f"{what}…"
        self.show_header()
        self.run_worker(worker, name=what, group="background", thread=True)

    def _sync_worker(self) -> None:
        from nurture.actions.sync import sync

        def say(text: str) -> None:
            self.post_message(TaskProgress(f"Syncing: {text}…"))

        try:
            report = sync(self.write_in_worker, self.config, self.db_path, progress=say)
        except (NurtureError, OSError) as exc:
            self.post_message(TaskEnded("Sync failed", [str(exc)], "error"))
            return
        lines = [*report.summary(), *(str(c) for c in report.conflicts), *report.problems]
        trouble = report.conflicts or report.problems
        self.post_message(TaskEnded("Synced", lines, "warning" if trouble else "information"))

    def _capture_worker(self) -> None:
        from nurture.actions.capture import capture, summary

        zone = pendulum.local_timezone()
        # As `nurture capture`: now, or the end of a pinned day.
        now = pendulum.now() if not self._pinned_today else pendulum.DateTime.create(
            self.today.year, self.today.month, self.today.day, tz=zone).end_of("day")
        try:
            plan = self.write_in_worker(partial(capture, config=self.config.capture, now=now,
                                                zone=zone))
        except (NurtureError, OSError) as exc:
            self.post_message(TaskEnded("Capture failed", [str(exc)], "error"))
            return
        self.post_message(PeopleFound(plan.people))
        lines = [summary(plan, dry_run=False), *(str(p) for p in plan.problems[:5])]
        if len(plan.problems) > 5:
            lines.append(f"… and {len(plan.problems) - 5} more (nurture capture -v lists them)")
        self.post_message(TaskEnded("Captured", lines,
                                    "warning" if plan.problems else "information"))

    def on_people_found(self, message: PeopleFound) -> None:
        self.people_to_add = message.people

    def open_people_to_add(self) -> None:
        """The people capture found you mail but do not track; one key adds one."""
        from nurture.tui.screens.people_to_add import PeopleToAdd

        if self.people_to_add is None:
            self.notify("Capture has not run yet: Capture now first (needs [capture] in "
                        "config.toml).", timeout=6)
            return
        self.push_screen(PeopleToAdd(self.people_to_add))

    def on_task_progress(self, message: TaskProgress) -> None:
        self._doing = message.text
        self.show_header()

    def on_task_ended(self, message: TaskEnded) -> None:
        self._doing = ""
        self.show_header()
        self.notify("\n".join(message.lines), title=message.title, severity=message.severity,
                    timeout=12 if message.severity != "information" else 6)

    def on_unmount(self) -> None:
        from nurture.store.fold import close_after_answer

        self._unmounted = True
        self._painted.set()  # a writer waiting for a paint that will not come
        self._writer.stop()
        if self._store is not None:
            close_after_answer(self._store, self.config.backups_keep)

    def suggestions(self) -> list[Suggestion]:
        """Today's open suggestions (the rules run on the writer after each change)."""
        return self.data.suggestions

    def show_header(self) -> None:
        """The header's line again: the day, the suggestions waiting, the week, a task."""
        self.sub_title = self._header_text()

    def _header_text(self) -> str:
        day = self.today.format("ddd D MMMM YYYY")
        if self._store is not None and self._store.read_only:
            day += " · read-only"
        if not self.loaded and self.data.revision < 0:
            return f"{day} · opening {self.db_path.name}…"
        if not self.data.suggestions_ready:
            return f"{day} · looking for suggestions…"
        from nurture.tui.screens.review import todays_queue

        # Once the review was opened today, what its queue has waiting (a row done does not
        # pull in the suggestion past the daily limit, so neither does this count).
        queue = todays_queue(self)
        count = len(self.data.suggestions) if queue is None else queue.waiting(self)
        routine = f" · {self.data.routine.short()}" if self.data.routine is not None else ""
        task = f" · {self._doing}" if self._doing else ""
        return f"{day} · {count} suggestion{'s' if count != 1 else ''}{routine}{task}"

    # ------------------------------------------------------------ where the user goes

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

    # ------------------------------------------------------------ undo

    def remember_undo(self, label: str, fn: Callable[[Store], Any],
                      contact_id: str | None) -> None:
        """Let the undo key run ``fn`` (then show ``contact_id``) to take back ``label``."""
        self._undo.append((label, fn, contact_id))
        del self._undo[:-20]

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo.", timeout=3)
            return
        label, fn, contact_id = self._undo.pop()

        def undone(_: Any) -> None:
            self.notify(f"Undone: {label}.", timeout=3)
            if contact_id is not None:
                self.open_contact(contact_id, pane="contacts")

        self.run_write(fn, done=undone, description=f"undo {label}")
