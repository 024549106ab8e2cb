"""The weekly routine (touches a week, streak) and `nurture stats`, on explicit dates."""

from __future__ import annotations

import json
from datetime import date

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nurture.cli import main
from nurture.model import Contact, FollowUp, Interaction, InteractionKind, RelationshipKind
from nurture.routine import routine, routine_of, statistics, week_start
from nurture.rules import RulesConfig

TODAY = date(2026, 11, 25)  # a Wednesday; the week began Mon 23 Nov
IK = InteractionKind


def at(day: date, hour: int = 12, tz: str = "UTC") -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, hour, tz=tz)


def entry(day: date, kind: IK = IK.CALL, who: tuple[str, ...] = ("c-a",), n: int = 0,
          **fields) -> Interaction:
    return Interaction(id=f"i-{day}-{kind}-{n}", contact_ids=list(who), kind=kind, at=at(day),
                       **fields)


def newest_first(entries: list[Interaction]) -> list[Interaction]:
    return sorted(entries, key=lambda e: e.at.timestamp(), reverse=True)


def weeks_of(counts: list[int]) -> list[Interaction]:
    """``counts[k]`` calls on the Tuesday ``k`` weeks before this week."""
    monday = week_start(TODAY)
    found = []
    for back, count in enumerate(counts):
        day = date.fromordinal(monday.toordinal() - 7 * back + 1)
        found += [entry(day, n=n) for n in range(count)]
    return newest_first(found)


def test_week_starts_on_monday():
    assert week_start(TODAY) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday


@pytest.mark.parametrize(("counts", "this_week", "streak"), [
    ([0, 5, 5, 4, 5], 0, 2),  # this week not yet met: it does not break the run
    ([5, 5, 5, 4, 5], 5, 3),  # met this week too
    ([6, 2, 5, 5], 6, 1),  # last week missed
    ([0], 0, 0),
    ([1, 5, 5, 5, 5, 5, 5, 5, 5], 1, 8),  # the run goes back to the first entry
])
def test_streak_counts_weeks_met_in_a_row(counts, this_week, streak):
    found = routine(weeks_of(counts), TODAY, 5)
    assert (found.this_week, found.streak, found.week_of) == (this_week, streak, date(2026, 11, 23))
    assert found.met == (this_week >= 5)


def test_a_streak_is_counted_back_a_year_at_most():
    found = routine(weeks_of([5] + [5] * 60), TODAY, 5)
    assert (found.streak, found.longer) == (53, True)
    assert found.summary() == "5 of 5 touches this week · 53+-week streak"
    exact = routine(weeks_of([0] + [5] * 51), TODAY, 5)
    assert (exact.streak, exact.longer) == (51, False)


def test_notes_life_events_gifts_received_and_plans_are_not_touches():
    entries = newest_first([entry(TODAY, IK.NOTE), entry(TODAY, IK.LIFE_EVENT),
                            entry(TODAY, IK.GIFT_RECEIVED), entry(date(2026, 11, 27)),
                            entry(TODAY, IK.CARD_SENT), entry(TODAY, IK.INTRODUCTION)])
    assert routine(entries, TODAY, 5).this_week == 2


def test_a_touch_counts_on_the_date_of_its_own_offset():
    # 23:30 on Sunday in New York is Monday in UTC: it belongs to last week.
    late = Interaction(id="i-ny", contact_ids=["c-a"], kind=IK.CALL,
                       at=pendulum.datetime(2026, 11, 22, 23, 30, tz="America/New_York"))
    assert routine([late], TODAY, 1).this_week == 0
    assert routine([late], TODAY, 1).streak == 1


def test_summary_wording():
    assert routine(weeks_of([3, 5]), TODAY, 5).summary() == \
        "3 of 5 touches this week · 1-week streak"
    assert routine(weeks_of([1]), TODAY, 0).summary() == "1 touch this week"
    assert routine([], TODAY, 5).summary() == "0 of 5 touches this week · no streak yet"


@settings(max_examples=100, deadline=None)
@given(counts=st.lists(st.integers(0, 4), max_size=10), goal=st.integers(1, 4),
       hours=st.lists(st.integers(0, 23), min_size=40, max_size=40))
def test_streak_matches_a_week_by_week_count(counts, goal, hours):
    monday = week_start(TODAY)
    found = []
    for back, count in enumerate(counts):
        for n in range(count):
            day = date.fromordinal(monday.toordinal() - 7 * back + (n * 3) % 7)
            if day <= TODAY:
                found.append(Interaction(id=f"i-{back}-{n}", contact_ids=["c"], kind=IK.CALL,
                                         at=at(day, hours[(back * 4 + n) % 40],
                                               tz="Pacific/Kiritimati" if n % 2 else
                                               "Pacific/Pago_Pago")))
    entries = newest_first(found)
    weekly = [0] * (len(counts) + 2)
    for e in entries:
        weekly[(monday.toordinal() - week_start(e.at.date()).toordinal()) // 7] += 1
    expected = 0
    for back in range(1, len(weekly)):
        if weekly[back] < goal:
            break
        expected += 1
    expected += weekly[0] >= goal
    assert routine(entries, TODAY, goal).streak == expected


def people() -> list[Contact]:
    created = pendulum.datetime(2025, 1, 1, tz="UTC")
    return [Contact(id="c-a", display_name="Ana", kind=RelationshipKind.CLIENT,
                    cadence_days=14, created=created),
            Contact(id="c-b", display_name="Ben", kind=RelationshipKind.FRIEND, created=created),
            Contact(id="c-c", display_name="Cleo", kind=RelationshipKind.FRIEND,
                    cadence_days=30, created=created)]


def test_statistics_by_week_channel_kind_follow_ups_and_drift():
    done = pendulum.datetime(2026, 11, 10, tz="UTC")
    entries = newest_first([
        entry(TODAY, IK.CALL, ("c-a", "c-b"), channel="phone"),
        entry(date(2026, 11, 17), IK.CARD_SENT, ("c-b",), channel="card"),
        entry(date(2026, 11, 16), IK.EMAIL, ("c-b",)),
        entry(date(2026, 11, 16), IK.NOTE, ("c-b",),
              follow_ups=[FollowUp("send deck", due=date(2026, 11, 9), done=done, id="f-late"),
                          FollowUp("call back", due=date(2026, 11, 20), done=done, id="f-ok"),
                          FollowUp("ask", due=date(2026, 11, 24), id="f-open"),
                          FollowUp("later", due=date(2026, 12, 5), id="f-future")]),
        entry(date(2026, 9, 1), IK.GIFT_GIVEN, ("c-c",)),
    ])
    timelines = {c: [e for e in entries if c in e.contact_ids] for c in ("c-a", "c-b", "c-c")}
    stats = statistics(people(), entries, timelines, {}, RulesConfig(), TODAY, weeks=3, goal=2)
    assert [(w.week_of.isoformat(), w.touches) for w in stats.per_week] == [
        ("2026-11-09", 0), ("2026-11-16", 2), ("2026-11-23", 1)]
    assert stats.by_channel == {"phone": 1, "card": 1, "email": 1}
    assert stats.by_kind == {"friend": 3, "client": 1}
    assert (stats.cards_sent, stats.notes_sent, stats.gifts_given) == (1, 1, 0)
    assert (stats.follow_ups_on_time, stats.follow_ups_late, stats.follow_ups_open) == (1, 1, 1)
    # Cleo: every 30 days, last touch 1 Sep (85 days ago). Ana was called today.
    first = stats.drifting[0]
    assert (first.name, first.days_since, first.days_past) == ("Cleo", 85, 55)
    assert "Ana" not in [d.name for d in stats.drifting]
    assert stats.routine.streak == 1 and stats.routine.this_week == 1


# ---------------------------------------------------------------- the CLI


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def book(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("NURTURE_TODAY", "2026-11-25")
    config = tmp_path / "config.toml"
    config.write_text("[routine]\nper_week = 2\n")
    for argv in (["add", "Ana Lima", "--cadence", "1w", "--kind", "client"],
                 ["add", "Ben Okafor\x1b[31m", "--kind", "friend"]):
        assert cli(capsys, *argv)[0] == 0
    for who, kind, when in (("Ana", "call", "2026-11-24 10:00"),
                            ("Ben", "email", "2026-11-18 10:00"),
                            ("Ben", "card-sent", "2026-11-17 10:00"),
                            ("Ana", "meeting", "2026-10-01 10:00"),
                            ("Ana", "note", "2026-11-24 11:00")):
        assert cli(capsys, "log", who, "hello", "--kind", kind, "--at", when)[0] == 0
    return config


def test_cli_stats_text(capsys, book):
    code, out, err = cli(capsys, "--config", str(book), "stats", "--weeks", "3")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Week of Mon 23 Nov 2026: 1 of 2 touches this week · 1-week streak"
    assert lines[3].startswith("  09 Nov") and lines[3].endswith(" 0")
    assert lines[4].startswith("  16 Nov  " + "█" * 30) and lines[4].endswith(" 2 ✓")
    assert "By relationship: friend 2 · client 1" in out
    assert "Cards sent 1 · notes sent 1 · gifts given 0" in out
    assert "\x1b" not in out


def test_cli_stats_json(capsys, book):
    code, out, _ = cli(capsys, "--config", str(book), "stats", "--json", "--weeks", "10")
    assert code == 0
    data = json.loads(out)
    assert data["routine"] == {"goal": 2, "this_week": 1, "streak": 1, "longer": False,
                               "week_of": "2026-11-23", "met": False}
    assert len(data["per_week"]) == 10 and data["per_week"][-1] == {
        "week_of": "2026-11-23", "touches": 1}
    assert sum(w["touches"] for w in data["per_week"]) == 4
    assert data["drifting"] == []  # Ana (every week) was called yesterday


def test_cli_stats_bad_weeks_and_bad_goal(capsys, book, tmp_path):
    code, _, err = cli(capsys, "stats", "--weeks", "0")
    assert code == 1 and "weeks: must be 1 to 520" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[routine]\nper_week = -1\n")
    code, _, err = cli(capsys, "--config", str(bad), "stats")
    assert code == 1 and "[routine.per_week]" in err


def test_entries_out_of_instant_order_across_a_week_boundary():
    # Sunday 23:00 in Pago Pago (-11) is later, as an instant, than Monday 01:00 in
    # Kiritimati (+14) the next day: the store hands the older week's entry first.
    sunday = Interaction(id="i-sun", contact_ids=["c"], kind=IK.CALL,
                         at=pendulum.datetime(2026, 11, 15, 23, tz="Pacific/Pago_Pago"))
    monday = Interaction(id="i-mon", contact_ids=["c"], kind=IK.CALL,
                         at=pendulum.datetime(2026, 11, 16, 1, tz="Pacific/Kiritimati"))
    entries = newest_first([sunday, monday])
    assert [e.id for e in entries] == ["i-sun", "i-mon"]
    assert routine(entries, TODAY, 1).streak == 2


# Nobody on an entry: a hand-edited record (the model refuses it), in no one's timeline.
_people = st.lists(st.sampled_from(["c-a", "c-b", "c-c", "c-d"]), min_size=0, max_size=3)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 420), st.integers(0, 23),
                          st.sampled_from(["UTC", "Asia/Tokyo", "Pacific/Kiritimati",
                                           "Pacific/Pago_Pago", "America/Denver"]),
                          _people, st.sampled_from([IK.CALL, IK.NOTE, IK.EMAIL])),
                max_size=60),
       st.integers(0, 3))
def test_the_routine_from_each_persons_timeline_is_the_routine_of_the_whole_timeline(
        rows: list[tuple[int, int, str, list[str], IK]], goal: int) -> None:
    # The app's snapshot has each person's timeline, newest first: read person by
    # person, it must count as the whole timeline in the store's order does (a shared
    # entry once, plans and notes not at all, local dates as logged).
    entries = [Interaction(id=f"i-{n:03}", contact_ids=who, kind=kind,
                           at=at(date.fromordinal(TODAY.toordinal() - days), hour, tz))
               for n, (days, hour, tz, who, kind) in enumerate(rows)]
    order = sorted(entries, key=lambda e: (-e.at.timestamp(), e.id))
    timelines: dict[str, list[Interaction]] = {}
    for e in order:
        for person in dict.fromkeys(e.contact_ids):
            timelines.setdefault(person, []).append(e)
    assert routine_of(timelines, TODAY, goal) == routine(order, TODAY, goal)


def test_a_long_streak_is_counted_from_the_timelines_as_from_the_whole_timeline() -> None:
    entries = weeks_of([2] * 60)
    timelines = {"c-a": newest_first(entries)}
    assert routine_of(timelines, TODAY, 2) == routine(newest_first(entries), TODAY, 2)
    assert routine_of(timelines, TODAY, 2).longer


def test_an_entry_logged_far_east_counts_in_its_week_though_a_newer_one_is_older_locally():
    # Local dates run up to two days out of instant order: an entry made on Monday of
    # the oldest week counted, at UTC+14, is older (as an instant) than one made on the
    # Sunday before at UTC-11. Reading a timeline must not stop at the Sunday one.
    oldest = date.fromordinal(week_start(TODAY).toordinal() - 7 * 52)
    sunday_west = Interaction(id="i-west", contact_ids=["c-a"], kind=IK.CALL,
                              at=pendulum.datetime(oldest.year, oldest.month, oldest.day,
                                                   tz="Pacific/Pago_Pago").subtract(hours=1))
    monday_east = Interaction(id="i-east", contact_ids=["c-a"], kind=IK.CALL,
                              at=pendulum.datetime(oldest.year, oldest.month, oldest.day,
                                                   0, 30, tz="Pacific/Kiritimati"))
    assert sunday_west.at > monday_east.at  # newer instant, earlier local date
    assert sunday_west.at.toordinal() < oldest.toordinal() == monday_east.at.toordinal()
    entries = newest_first([*weeks_of([1] * 52), sunday_west, monday_east])
    whole = routine(entries, TODAY, 1)
    assert whole.longer and whole.streak == 53  # 52 weeks back, and this one
    assert routine_of({"c-a": entries}, TODAY, 1) == whole
