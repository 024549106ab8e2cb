"""The one write path: one writer thread for the app's life, jobs in order, rules once a burst."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import pytest
from tui_support import demo_book, ready, real_app, settle, until

from nurture import actions
from nurture.errors import NurtureError
from nurture.model import Interaction, InteractionKind
from nurture.store import Store
from nurture.tui.writer import Writer

DAN = "c-demo0000"


def test_jobs_run_in_the_order_asked_on_one_thread() -> None:
    writer = Writer()
    seen: list[tuple[int, str]] = []
    for n in range(50):
        writer.put(lambda n=n: seen.append((n, threading.current_thread().name)))
    thread = threading.Thread(target=writer.serve, name="the-writer")
    thread.start()
    writer.stop()
    thread.join(5)
    assert [n for n, _ in seen] == list(range(50))
    assert {name for _, name in seen} == {"the-writer"}
    assert not writer.busy


def test_call_answers_the_caller_and_raises_its_error_there() -> None:
    writer = Writer()
    thread = threading.Thread(target=writer.serve)
    thread.start()
    try:
        assert writer.call(lambda: 6 * 7) == 42

        def fails() -> None:
            raise NurtureError("no room on the disk")

        with pytest.raises(NurtureError, match="no room"):
            writer.call(fails)
        assert writer.call(lambda: "still serving") == "still serving"
    finally:
        writer.stop()
        thread.join(5)


def test_idle_work_runs_once_a_burst_and_counts_as_busy() -> None:
    gate = threading.Event()
    ran = threading.Semaphore(0)
    idle: list[int] = []

    def rules() -> None:
        idle.append(len(idle))
        ran.release()

    writer = Writer(when_idle=rules)
    writer.put(gate.wait)  # the burst queues up behind this one
    for _ in range(10):
        writer.put(lambda: None)
    thread = threading.Thread(target=writer.serve)
    thread.start()
    try:
        assert writer.busy
        gate.set()
        assert ran.acquire(timeout=10)
        assert idle == [0]  # one rules run for eleven writes
        writer.put(lambda: None)
        assert ran.acquire(timeout=10)
        assert idle == [0, 1]  # and one for the next write
    finally:
        writer.stop()
        thread.join(5)
    assert not writer.busy


def test_stop_finishes_what_was_asked_before_it() -> None:
    writer = Writer()
    done: list[int] = []
    thread = threading.Thread(target=writer.serve)
    thread.start()
    for n in range(20):
        writer.put(lambda n=n: done.append(n))
    writer.stop()
    thread.join(5)
    assert done == list(range(20))


def _entry(n: int) -> Interaction:
    return Interaction.new([DAN], InteractionKind.NOTE, f"note {n}")


async def test_the_app_writes_through_one_worker_and_never_starts_one_per_write(
        tmp_path: Path) -> None:
    app = real_app(demo_book(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        before = {w for w in app.workers}
        results: list[int] = []
        for n in range(12):
            app.run_write(partial(actions.log_entry, entry=_entry(n)),
                          done=lambda _r, n=n: results.append(n))
        # Nothing was started for the writes: they queue on the one writer.
        assert {w for w in app.workers} == before
        assert [w.name for w in app.workers if w.group == "writer"] == ["writer"]
        assert await until(pilot, lambda: len(results) == 12)
        assert results == list(range(12))  # answered in the order asked
        await settle(pilot)
        store: Store = app.store
        texts = [e.text for e in store.interactions(DAN) if e.text.startswith("note ")]
        assert sorted(texts) == sorted(f"note {n}" for n in range(12))
        assert app.data.suggestions_ready


async def test_a_full_journal_is_folded_when_the_writer_is_idle_not_inside_a_write(
        tmp_path: Path, monkeypatch) -> None:
    from nurture.store import storage
    monkeypatch.setattr(storage, "JOURNAL_MAX_LINES", 5)
    path = demo_book(tmp_path)
    folds: list[int] = []
    app = real_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        checkpoint = app.store.checkpoint

        def counted() -> None:
            folds.append(len(folds))
            checkpoint()

        monkeypatch.setattr(app.store, "checkpoint", counted)
        for n in range(8):
            app.run_write(partial(actions.log_entry, entry=_entry(n)))
        await settle(pilot)
        # One fold for the burst, after it (a write never waited for a fold).
        assert folds == [0]
        journal = path.with_name(path.name + ".journal")
        assert len(journal.read_bytes().splitlines()) <= 1  # the header only
        texts = [e.text for e in app.store.interactions(DAN) if e.text.startswith("note ")]
        assert len(texts) == 8


def test_nothing_is_taken_once_stopped_and_a_waiting_caller_is_never_stranded() -> None:
    # Found in review: a sync worker calling the writer after the app stopped it
    # waited forever, and the process never exited.
    writer = Writer()
    thread = threading.Thread(target=writer.serve)
    thread.start()
    writer.stop()
    thread.join(5)
    with pytest.raises(NurtureError, match="closing"):
        writer.call(lambda: 42)
    with pytest.raises(NurtureError, match="closing"):
        writer.put(lambda: None)

    # A loop that ends on a job's own error answers the callers still waiting.
    broken = Writer()
    gate = threading.Event()
    answers: list[object] = []

    def crash() -> None:
        gate.wait()
        raise RuntimeError("a programming error")

    broken.put(crash)
    caller = threading.Thread(target=lambda: answers.append(
        _outcome(lambda: broken.call(lambda: "never run"))))
    caller.start()
    loop = threading.Thread(target=lambda: _outcome(broken.serve))
    loop.start()
    assert until_true(lambda: broken.busy and len(broken._waiting) == 1)
    gate.set()
    caller.join(5)
    loop.join(5)
    assert not caller.is_alive()
    assert isinstance(answers[0], NurtureError)


def test_stopped_before_it_started_it_runs_nothing() -> None:
    writer = Writer()
    ran: list[int] = []
    writer.put(lambda: ran.append(1))  # the app's load, queued at mount
    writer.stop()  # the user quit before the first frame
    writer.serve()  # the worker starts late: it must not open the book now
    assert ran == []


def _outcome(fn):  # type: ignore[no-untyped-def]
    try:
        return fn()
    except BaseException as exc:  # the outcome is what the test reads
        return exc


def until_true(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    done = threading.Event()
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        done.wait(0.01)
    return False


async def test_the_first_load_puts_the_review_before_the_filter_and_later_writes_do_not(
        tmp_path: Path) -> None:
    import asyncio

    app = real_app(demo_book(tmp_path))
    published: list[tuple[bool, bool]] = []  # (suggestions ready, filter ready) as published
    async with app.run_test(size=(120, 40),
                            message_hook=lambda m: published.append(
                                (m.snapshot.suggestions_ready, m.snapshot.matcher.ready))
                            if type(m).__name__ == "BookPublished" else None) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: app.data.matcher.ready)
        # Ready for a typo too: the first keystroke that needs one builds nothing.
        assert app.data.matcher.prepare()._vocabulary is not None
        # Loading: the suggestions were published before the filter's index was built.
        # The first book published with suggestions came before the filter was ready.
        assert next(ready for suggested, ready in published if suggested) is False
        assert not any(filter_ready for _, filter_ready in published[:2])

        def rename() -> bool:
            store: Store = app.store
            dan = store.contact(DAN)
            assert dan is not None
            dan.display_name = "Daniel Okafor"
            store.save_contact(dan)
            built = app._build().matcher  # the snapshot a write publishes
            return built.ready and built.prepare()._vocabulary is not None

        # After the first load, a write that changed someone publishes a filter ready to
        # use: a keystroke right after an edit builds nothing on the UI thread.
        assert await asyncio.to_thread(app._writer.call, rename)
        await settle(pilot)


async def test_the_first_load_builds_the_filter_before_every_timeline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = real_app(demo_book(tmp_path))
    # (suggestions ready, filter ready) of the writer's latest book when the timelines
    # are read whole
    at_timelines: list[tuple[bool, bool]] = []
    whole = Store.interactions_by_contact

    def read_whole(store: Store) -> dict[str, list[Interaction]]:
        latest = app._latest
        at_timelines.append((latest.suggestions_ready, latest.matcher.ready))
        return whole(store)

    monkeypatch.setattr(Store, "interactions_by_contact", read_whole)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: app.data.complete)
    # The review from the index first, then the filter, then every timeline.
    assert at_timelines[0] == (True, True)


async def test_a_writer_waits_for_a_frame_only_while_the_app_is_running(
        tmp_path: Path) -> None:
    import asyncio

    from nurture.tui.app import BookPublished

    app = real_app(demo_book(tmp_path))
    waits: list[float | None] = []

    class Recording(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout)
            return super().wait(timeout)

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app._painted = Recording()
        await asyncio.to_thread(app._writer.call,
                                lambda: app._publish_and_wait(BookPublished(app.data)))
        assert len(waits) == 1  # running: it waited for the frame (which came)
        app._unmounted = True  # what on_unmount says first: no frame will come
        await asyncio.to_thread(app._writer.call,
                                lambda: app._publish_and_wait(BookPublished(app.data)))
        assert len(waits) == 1  # closing: it did not wait (quitting while loading)
