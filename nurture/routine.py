"""The weekly routine and the statistics behind it. Pure: entries in, figures out.

A week runs Monday to Sunday. An entry counts on the calendar date of the
offset it was logged with (as in the rules' ``Facts``); entries after today
are plans, not touches. What counts as a touch is ``touch.ROUTINE_KINDS``; an
entry with three people is one touch, and one with nobody on it (a hand edit)
none. How far a relationship drifts comes from the rules' own facts (last
touch, cadence by person or kind), so the Stats screen and the daily review
never disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from nurture.model import (
    Contact,
    Interaction,
    InteractionKind,
    ReviewState,
)
from nurture.touch import ROUTINE_KINDS

IK = InteractionKind
NOTE_KINDS = frozenset({IK.EMAIL, IK.MESSAGE, IK.THANK_YOU})  # "notes sent": written words
DRIFT_SHOWN = 10
# A streak is counted back at most this many weeks ("52+-week streak"): the header
# is recomputed after every write, and a year is as far back as it needs to read.
STREAK_WEEKS = 52


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def _weeks_back(day: date, monday: date) -> int:
    return (monday.toordinal() - week_start(day).toordinal()) // 7


@dataclass(slots=True, frozen=True)
class Routine:
    """This week against the goal, and the run of weeks that met it."""

    goal: int  # touches a week; 0: no goal set
    this_week: int
    streak: int  # weeks met in a row, up to last week, plus this one once it is met
    week_of: date  # this week's Monday
    longer: bool = False  # counting stopped at STREAK_WEEKS: it may go further back

    @property
    def streak_text(self) -> str:
        return f"{self.streak}{'+' if self.longer else ''}-week streak"

    @property
    def met(self) -> bool:
        return self.goal > 0 and self.this_week >= self.goal

    def short(self) -> str:
        """``3/5 this week · 4-week streak``: for a header."""
        if self.goal <= 0:
            return f"{self.this_week} this week"
        streak = f" · {self.streak_text}" if self.streak else ""
        return f"{self.this_week}/{self.goal} this week{streak}"

    def summary(self) -> str:
        """``3 of 5 touches this week · 4-week streak``."""
        if self.goal <= 0:
            return f"{self.this_week} touch{'es' * (self.this_week != 1)} this week"
        streak = self.streak_text if self.streak else "no streak yet"
        return f"{self.this_week} of {self.goal} touches this week · {streak}"


def routine_of(timelines: Mapping[str, Sequence[Interaction]], today: date,
               goal: int) -> Routine:
    """`routine` from each person's timeline, newest first (as the app's snapshot has
    them): each is read from its newest entry back to the oldest week counted, so
    nothing is sorted (the whole timeline's order cost 45 ms of the app's load at
    50,000 entries, and merging the timelines as they were read 65 ms)."""
    monday = week_start(today)
    monday_ord, today_ord = monday.toordinal(), today.toordinal()
    oldest = monday_ord - 7 * (STREAK_WEEKS if goal > 0 else 0)  # its week's Monday
    counts: Counter[int] = Counter()
    shared: set[str] = set()  # an entry with three people is one touch
    touches = ROUTINE_KINDS
    for entries in timelines.values():
        for entry in entries:
            day = entry.at.toordinal()
            if day < oldest - 2:
                break  # local dates run up to two days out of instant order
            if day < oldest or day > today_ord or entry.kind not in touches:
                continue
            if len(entry.contact_ids) > 1:
                if entry.id in shared:
                    continue
                shared.add(entry.id)
            counts[(monday_ord - day + 6) // 7] += 1
    return _counted(goal, counts, 0, monday)


def routine(entries: Iterable[Interaction], today: date, goal: int) -> Routine:
    """The routine from entries newest first (the store's order); reads only as far back
    as the streak goes."""
    monday = week_start(today)
    monday_ord, today_ord = monday.toordinal(), today.toordinal()
    counts: Counter[int] = Counter()
    settled = 0  # weeks 1..settled back are complete and met the goal
    decided = False
    touches = ROUTINE_KINDS
    for entry in entries:
        # Ordinals, not dates: this runs over years of entries after every write.
        day = entry.at.toordinal()
        if day > today_ord or entry.kind not in touches or not entry.contact_ids:
            continue  # a plan, not a touch, or nobody's (a hand-edited record)
        back = (monday_ord - day + 6) // 7  # Monday is day 1 of week 0; Sunday before: 1
        counts[back] += 1
        if goal <= 0:
            if back > 1:
                break  # only this week is wanted
            continue
        # Local dates run up to two days out of instant order, so once an entry of
        # week ``back`` is seen, weeks up to ``back - 2`` can get no more entries.
        while settled < back - 2:
            if counts[settled + 1] < goal:
                decided = True
                break
            settled += 1
            if settled == STREAK_WEEKS:
                break
        if decided or settled == STREAK_WEEKS:
            break
    return _counted(goal, counts, settled, monday)


def _counted(goal: int, counts: Counter[int], settled: int, monday: date) -> Routine:
    """The routine from the touches counted per week back (``counts``), weeks
    1..``settled`` back known to have met the goal."""
    if goal > 0:  # (a run ended by a short week stops here at once)
        while settled < STREAK_WEEKS and counts[settled + 1] >= goal:
            settled += 1  # weeks older than every entry count 0: it ends
    this_week = counts[0]
    streak = settled + (1 if goal > 0 and this_week >= goal else 0)
    return Routine(goal, this_week, streak, monday, longer=settled == STREAK_WEEKS)


@dataclass(slots=True, frozen=True)
class WeekCount:
    week_of: date
    touches: int


@dataclass(slots=True, frozen=True)
class Drift:
    """A relationship past its keep-in-touch cadence."""

    contact_id: str
    name: str
    cadence_days: int
    days_since: int | None  # None: never in touch
    days_past: int


@dataclass(slots=True)
class Stats:
    today: date
    weeks: int
    routine: Routine
    per_week: list[WeekCount]  # oldest first, this week last
    by_channel: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)  # people touched, by relationship
    cards_sent: int = 0
    notes_sent: int = 0
    gifts_given: int = 0
    follow_ups_on_time: int = 0
    follow_ups_late: int = 0
    follow_ups_open: int = 0  # due in the window, past due, not done
    drifting: list[Drift] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["routine"]["week_of"] = self.routine.week_of.isoformat()
        data["routine"]["met"] = self.routine.met
        data["per_week"] = [{"week_of": w.week_of.isoformat(), "touches": w.touches}
                            for w in self.per_week]
        return data


def channel_of(entry: Interaction) -> str:
    """The channel an entry went through, else its kind (a call, a meeting)."""
    return entry.channel or entry.kind.value


def statistics(contacts: Sequence[Contact], entries: Sequence[Interaction],
               timelines: Mapping[str, Sequence[Interaction]],
               review: Mapping[str, ReviewState], rules: Any, today: date, *,
               weeks: int = 12, goal: int = 5) -> Stats:
    """Figures for the last ``weeks`` weeks (this one included); ``entries`` newest first,
    ``timelines`` each contact's, ``rules`` the `RulesConfig` (cadences by kind)."""
    import pendulum

    from nurture.rules.facts import Facts

    monday = week_start(today)
    first = monday - timedelta(weeks=weeks - 1)
    per_week = Counter[int]()
    by_channel: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    kinds = {c.id: c.kind.value for c in contacts}
    stats = Stats(today, weeks, routine(entries, today, goal), [])
    for entry in entries:
        day = entry.at.date()
        if day > today:
            continue
        for follow_up in entry.follow_ups:
            if follow_up.due is None or not first <= follow_up.due <= today:
                continue
            if follow_up.done is None:
                stats.follow_ups_open += 1
            elif follow_up.done.date() <= follow_up.due:
                stats.follow_ups_on_time += 1
            else:
                stats.follow_ups_late += 1
        if day < first or entry.kind not in ROUTINE_KINDS:
            continue
        per_week[_weeks_back(day, monday)] += 1
        by_channel[channel_of(entry)] += 1
        for cid in dict.fromkeys(entry.contact_ids):
            if cid in kinds:
                by_kind[kinds[cid]] += 1
        stats.cards_sent += entry.kind is IK.CARD_SENT
        stats.notes_sent += entry.kind in NOTE_KINDS
        stats.gifts_given += entry.kind is IK.GIFT_GIVEN
    stats.per_week = [WeekCount(monday - timedelta(weeks=back), per_week[back])
                      for back in range(weeks - 1, -1, -1)]
    stats.by_channel = dict(by_channel.most_common())
    stats.by_kind = dict(by_kind.most_common())
    facts = Facts(contacts, timelines, [], review, rules,
                  pendulum.Date(today.year, today.month, today.day))
    drifting = []
    for contact in contacts:
        cadence = facts.cadence_of(contact)
        if not cadence:
            continue
        since = facts.days_since_touch(contact.id)
        if since is None:
            known = contact.created.date() if contact.created else today
            past = (today - known).days - cadence
        else:
            past = since - cadence
        if past > 0:
            drifting.append(Drift(contact.id, contact.display_name, cadence, since, past))
    drifting.sort(key=lambda d: (-d.days_past, d.name))
    stats.drifting = drifting[:DRIFT_SHOWN]
    return stats
