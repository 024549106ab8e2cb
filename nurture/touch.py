"""What counts as being in touch with someone, and which kind of entry a channel makes.

Below every layer that reads a timeline (rules, compose, interop, actions, the
app, the command line), so that "last contact" means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from nurture.model import (
    Contact,
    FollowUp,
    Interaction,
    InteractionKind,
    ReviewState,
    ReviewStatus,
)

IK = InteractionKind
T = TypeVar("T")

# A jotted note and a life event are *about* the person, not *with* them: they
# neither reset a keep-in-touch cadence nor count as the last contact.
NOT_A_TOUCH = frozenset({IK.NOTE, IK.LIFE_EVENT})

# The weekly routine counts the touches *you* made: a gift received is contact, but not
# one of yours, and "other" says too little to count towards a goal.
ROUTINE_KINDS = frozenset(k for k in IK if k not in NOT_A_TOUCH | {IK.GIFT_RECEIVED, IK.OTHER})

# The entry a note sent (or a suggestion done) by this channel logs.
KIND_BY_CHANNEL: dict[str, InteractionKind] = {
    "phone": IK.CALL,
    "email": IK.EMAIL,
    "text": IK.MESSAGE,
    "messaging": IK.MESSAGE,
    "social": IK.MESSAGE,
    "card": IK.CARD_SENT,
    "in-person": IK.MEETING,
}

# The channel an entry of this kind went by, when the user did not say.
CHANNEL_BY_KIND: dict[InteractionKind, str] = {
    IK.CALL: "phone",
    IK.EMAIL: "email",
    IK.MESSAGE: "messaging",
    IK.MEETING: "in-person",
    IK.CARD_SENT: "card",
}


def is_touch(entry: Interaction) -> bool:
    """Whether ``entry`` was contact with the person (a call, a card, a favour…)."""
    return entry.kind not in NOT_A_TOUCH


def kind_for_channel(channel: str, default: InteractionKind = IK.NOTE) -> InteractionKind:
    """The kind of entry a contact by ``channel`` is (``phone`` → a call)."""
    return KIND_BY_CHANNEL.get(channel, default)


# The channels a message (a text, Signal, a DM) can go by.
MESSAGE_CHANNELS = ("text", "messaging", "social")


def channel_for(kind: InteractionKind, contact: Contact | None = None) -> str:
    """The channel an entry of ``kind`` went by when the user did not say ("" if none
    follows): a message goes by the person's own messaging channel when they have one."""
    if kind is IK.MESSAGE and contact is not None:
        for channel in contact.channels:
            if channel.kind.value in MESSAGE_CHANNELS:
                return channel.kind.value
    return CHANNEL_BY_KIND.get(kind, "")


def last_touch(timeline: Iterable[Interaction], today_ordinal: int | None = None
               ) -> Interaction | None:
    """The newest touch in ``timeline`` (newest first), skipping plans after ``today``."""
    for entry in timeline:
        if today_ordinal is not None and entry.at.toordinal() > today_ordinal:
            continue
        if is_touch(entry):
            return entry
    return None


class _Later(Generic[T]):
    """What a review reads of a record for everyone, with the record itself built when
    first read (the few whose suggestion is shown), then kept."""

    __slots__ = ("_load", "_value")

    def __init__(self, load: Callable[[], T] | None, value: T | None) -> None:
        self._load = load
        self._value = value

    def _built(self) -> T:
        if self._value is None:
            assert self._load is not None
            self._value, self._load = self._load(), None
        return self._value


class Seen(_Later[Interaction]):
    """An entry of a review's window: its id and kind, which the rules weigh for everyone,
    and the entry itself, built when first read (the few whose suggestion is shown)."""

    __slots__ = ("id", "kind")

    def __init__(self, entry_id: str, kind: InteractionKind,
                 load: Callable[[], Interaction] | None = None,
                 entry: Interaction | None = None) -> None:
        super().__init__(load, entry)
        self.id = entry_id
        self.kind = kind

    @classmethod
    def of(cls, entry: Interaction) -> Seen:
        """An entry already built."""
        return cls(entry.id, entry.kind, entry=entry)

    @property
    def entry(self) -> Interaction:
        return self._built()

    def __repr__(self) -> str:
        return f"Seen({self.id!r}, {self.kind.value!r})"


# (place on the timeline, 0 the newest; day ordinal; the entry), newest first.
Recent = list[tuple[int, int, Seen]]


class Promise(_Later[tuple[Interaction, FollowUp]]):
    """An open follow-up as a review weighs it: its id, its due day (an ordinal; None when
    no date was set), the day its entry was logged, and the entry's people in order. The
    entry and the follow-up are built when first read (the few whose suggestion is shown):
    a command's review reads the rest from the derived index."""

    __slots__ = ("due", "id", "logged", "people")

    def __init__(self, follow_up_id: str, due: int | None, logged: int, people: list[str],
                 load: Callable[[], tuple[Interaction, FollowUp]] | None = None,
                 built: tuple[Interaction, FollowUp] | None = None) -> None:
        super().__init__(load, built)
        self.id = follow_up_id
        self.due = due
        self.logged = logged
        self.people = people

    @property
    def entry(self) -> Interaction:
        return self._built()[0]

    @property
    def follow_up(self) -> FollowUp:
        return self._built()[1]

    def __repr__(self) -> str:
        return f"Promise({self.id!r}, due={self.due}, logged={self.logged})"


def promises_of(entry: Interaction) -> list[Promise]:
    """The open follow-ups of a built entry, in its order."""
    logged = entry.at.toordinal()
    people = list(dict.fromkeys(entry.contact_ids))
    return [Promise(f.id, None if f.due is None else f.due.toordinal(), logged, people,
                    built=(entry, f))
            for f in entry.follow_ups if f.done is None]


def head_of(timeline: Iterable[Interaction], today: int, start: int
            ) -> tuple[Interaction | None, Recent]:
    """What a review reads of one timeline (newest first): its newest touch on or before
    day ``today`` (``last_touch``), and its entries from day ``start`` to ``today``.

    Only the head of the timeline is walked. Entries come newest instant first, but
    their own calendar days can be up to two days out of that order (offsets run
    from -23:59 to +23:59), so the walk stops two days past ``start``."""
    last = None
    recent: Recent = []
    for place, entry in enumerate(timeline):
        when = entry.at.toordinal()
        if when > today:
            continue  # a plan, not a touch
        if last is None and is_touch(entry):
            last = entry
        if when < start - 2:
            if last is not None:
                break
            continue
        if when >= start:
            recent.append((place, when, Seen.of(entry)))
    return last, recent


@dataclass(slots=True)
class Heads:
    """``head_of`` for many people, keyed by contact id. ``last_entry`` may build each
    entry when read (``store.views.LazyEntries``): ``last_kind`` and ``last_touch``
    say what the rules ask of everyone without building it."""

    last_entry: MutableMapping[str, Interaction] = field(default_factory=dict)
    last_touch: dict[str, int] = field(default_factory=dict)  # its day ordinal
    last_kind: dict[str, InteractionKind] = field(default_factory=dict)
    recent: dict[str, Recent] = field(default_factory=dict)

    def add(self, contact_id: str, last: Interaction | None, recent: Recent) -> None:
        """One person's ``head_of``."""
        if last is not None:
            self.last_entry[contact_id] = last
            self.last_touch[contact_id] = last.at.toordinal()
            self.last_kind[contact_id] = last.kind
        if recent:
            self.recent[contact_id] = recent


def heads_of(timelines: Mapping[str, Iterable[Interaction]], people: Iterable[str],
             today: int, start: int) -> Heads:
    """``head_of`` for each of ``people``."""
    heads = Heads()
    for contact_id in people:
        heads.add(contact_id, *head_of(timelines.get(contact_id, ()), today, start))
    return heads


def due_ordinal(cadence: int, last_touch: int | None, created: int | None,
                today: int) -> tuple[int, bool]:
    """When a keep-in-touch of every ``cadence`` days falls due (a day ordinal), and whether
    it has no anchor at all (no touch, no date added: due today, every day).

    Counted from the last touch; someone never in touch from the day they were added.
    The one computation behind the cadence rule, the contact list's ``!`` and the card.
    """
    if last_touch is not None:
        return last_touch + cadence, False
    if created is not None:
        return min(created, today) + cadence, False
    return today, True


def done_touches(review: Iterable[ReviewState], today: int) -> dict[str, int]:
    """For each contact, the newest day (ordinal, up to ``today``) a suggestion about them
    was marked done: "done" without logging still means the user got in touch."""
    found: dict[str, int] = {}
    for state in review:
        if state.status is not ReviewStatus.DONE:
            continue
        parts = state.key.split(":")
        when = state.at.toordinal()
        if len(parts) >= 3 and when <= today and when > found.get(parts[1], 0):
            found[parts[1]] = when
    return found
