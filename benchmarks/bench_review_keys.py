"""Keys it takes to review 10 mixed suggestions in the app, beyond the text typed.

Drives the real app (real rules engine) over the demo book with a Pilot, as a
person would: open the review, and for each of the first 10 suggestions do
what it asks (a note to write is composed and marked sent; a call is noted in a
quick note; a follow-up is done; a long-unseen friend is snoozed a week), then
count every key pressed that is not part of typed text. After each suggestion
the script checks that the review is showing the next waiting row, and at the
end that every row acted on is closed and the count is right.

Baseline: ctrl+r and one key per suggestion, the least any review can take.

Target (issue 10): at most 25 keys for 10 suggestions.

    python benchmarks/bench_review_keys.py [--count 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pendulum
from textual.worker import WorkerCancelled

from nurture.config import Config
from nurture.demo import build_demo
from nurture.model import Suggestion
from nurture.store import open_store

TODAY = pendulum.date(2026, 11, 22)
WRITE = {"news", "life-event", "thank-you", "key-date"}  # a note to send
CALL = {"cadence", "check-in"}  # a conversation: noted during the call


class Counter:
    """Presses keys through the Pilot, counting those that are not typed text."""

    def __init__(self, pilot) -> None:  # type: ignore[no-untyped-def]
        self.pilot = pilot
        self.keys = 0

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot)

    async def type(self, text: str) -> None:
        await self.pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(3):
        while app.busy:  # the writer (never ends) is done with what was asked
            await pilot.pause(0.01)
        others = [w for w in app.workers if w.group != "writer"]
        for worker in others:  # one replaced by a newer one (exclusive) never completes
            with suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()


async def wait_for(pilot, condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"the app never got there (on {pilot.app.screen!r})")


def plan(suggestion: Suggestion) -> str:
    if suggestion.rule in WRITE:
        return "compose"
    if suggestion.rule in CALL:
        return "note"
    if suggestion.rule == "dormant":
        return "snooze"
    return "done"


async def run(path: Path, count: int) -> tuple[int, list[str]]:
    from nurture.tui.app import NurtureApp
    from nurture.tui.screens.confirm_facts import ConfirmFacts
    from nurture.tui.screens.review import ReviewScreen
    from nurture.tui.widgets.sent_picker import SentPicker

    app = NurtureApp(path, today=TODAY, config=Config(), review_on_start=False)
    done: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.loaded and app.data.suggestions_ready)
        keys = Counter(pilot)
        await keys.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for _ in range(count):
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen)
                           and app.data.suggestions_ready)
            review = app.screen
            assert isinstance(review, ReviewScreen)
            current = review.current
            assert current is not None and review.waiting(current.key), \
                "the review is not on a waiting suggestion"
            what = plan(current)
            done.append(f"{what:<8} {current.title}")
            if what == "compose":
                await keys.press("c")
                await keys.press("ctrl+s")  # sent how?
                await wait_for(pilot, lambda: isinstance(app.screen, SentPicker))
                await keys.press("e")  # by email: logged, and back to the review
            elif what == "note":
                await keys.press("n")
                await keys.type("Caught up; all well with the family")
                await keys.press("ctrl+s")
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmFacts | ReviewScreen))
                if isinstance(app.screen, ConfirmFacts):
                    await keys.press("enter")
            elif what == "snooze":
                await keys.press("s", "w")
            else:
                await keys.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_for(pilot, lambda: app.data.suggestions_ready)
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        closed = sum(1 for s in review.queue[:count] if not review.waiting(s.key))
        assert closed == count, f"only {closed} of {count} rows closed"
    return keys.keys, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.json"
        store = open_store(path, backups_keep=0)
        build_demo(store, TODAY)
        store.close()
        keys, done = asyncio.run(run(path, args.count))
    for line in done:
        print(f"  {line}")
    print(f"review of {args.count} suggestions: {keys} keys beyond typed text "
          f"(target <= 25; baseline: {args.count + 1}, ctrl+r and one key per suggestion)")


if __name__ == "__main__":
    main()
