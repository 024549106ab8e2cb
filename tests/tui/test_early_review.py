"""The morning's review is ready before the timelines are built: the rules read the
heads of the timelines from the derived index, as `nurture today` does, and give the
very review the complete book gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from tui_support import demo_book, ready, real_app, settle

from nurture.tui.app import NurtureApp, StoreChanged
from nurture.tui.screens.review import ReviewScreen


def _review(app: NurtureApp, *, complete: bool) -> list[tuple[str, str, str]]:
    data = app.data
    if complete:  # the rules again, over the complete snapshot's built timelines
        found = app._reviewed(data, data.timelines, data.news, data.review).suggestions
    else:
        found = data.suggestions
    return [(s.key, s.title, s.reason) for s in found]


async def _open(path: Path, **options: object) -> tuple[list[tuple[bool, bool]],
                                                         list[tuple[str, str, str]],
                                                         list[tuple[str, str, str]]]:
    states: list[tuple[bool, bool]] = []

    def hook(message: Message) -> None:
        if isinstance(message, StoreChanged):
            states.append((app.data.complete, app.data.suggestions_ready))

    app = real_app(path, **options)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await ready(pilot)
        await settle(pilot)
        if options.get("review_on_start"):
            assert isinstance(app.screen, ReviewScreen)
        early = _review(app, complete=False)
        again = _review(app, complete=True)
    return states, early, again


async def test_the_review_comes_before_the_timelines_and_is_the_complete_books(
        tmp_path: Path) -> None:
    path = demo_book(tmp_path)
    assert path.with_name(path.name + ".index").exists()  # the demo book was folded
    states, early, again = await _open(path, review_on_start=True)
    assert (False, True) in states  # suggestions on screen, timelines still loading
    assert states.index((False, True)) < states.index((True, True))
    assert early and early == again


@pytest.mark.parametrize("damage", ["no index", "journal"])
async def test_without_a_fresh_index_the_review_waits_for_the_timelines(
        tmp_path: Path, damage: str) -> None:
    from nurture.model import Interaction
    from nurture.store import open_store

    path = demo_book(tmp_path)
    if damage == "no index":
        path.with_name(path.name + ".index").unlink()
    else:  # another process wrote since: the index is laid under the journal's writes
        with open_store(path, backups_keep=0) as store:
            someone = store.contacts()[0]
            store.save_interaction(Interaction.new([someone.id], "meeting", "coffee"))
            store.close(fold=False)
        assert len(path.with_name(path.name + ".journal").read_text().splitlines()) > 1
    states, early, again = await _open(path)
    # Without an index the rules run on the built timelines; with a journal the
    # index answers for everyone the journal does not name.
    assert ((False, True) in states) is (damage == "journal")
    assert early == again and early


async def test_a_write_from_another_program_during_the_early_review_is_reviewed_too(
        tmp_path: Path) -> None:
    """Another program adds someone whose birthday is today while the review is read
    from the index: the early review (of the people already on screen) does not stand
    for the book as it is now; the rules run again and she is in it."""
    from tui_support import TODAY

    from nurture.model import Contact, KeyDate
    from nurture.store import open_store

    path = demo_book(tmp_path)

    class Racing(NurtureApp):
        def _early_review(self, first):  # type: ignore[no-untyped-def]
            with open_store(path, backups_keep=0) as other:
                other.save_contact(Contact.new("Zelda Racewright", key_dates=[
                    KeyDate("birthday", TODAY.month, TODAY.day)]))
                other.close(fold=False)
            super()._early_review(first)

    app = real_app(path, Racing)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        titles = [title for _, title, _ in _review(app, complete=False)]
        assert _review(app, complete=False) == _review(app, complete=True)
    assert any("Zelda" in title for title in titles), titles


async def test_the_rules_run_with_the_collector_paused_and_leave_it_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As `nurture today`: at 50,000 people the collections set off by the rules' objects
    # took the early review from 1.2 s to 1.9-2.8 s (`benchmarks/run_all.py --large`).
    import gc

    from nurture.rules import engine

    seen: list[bool] = []
    real = engine.queue_and_open

    def spy(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "queue_and_open", spy)
    assert gc.isenabled()
    _, early, _ = await _open(demo_book(tmp_path))
    assert early and len(seen) >= 2 and not any(seen)  # the early review, and again
    assert gc.isenabled()
