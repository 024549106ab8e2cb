"""What counts as being in touch with someone, and which kind of entry a channel makes.

Below every layer that reads a timeline (rules, compose, interop, actions, the
app, the command line), so that "last contact" means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from nurture.model import Interaction, InteractionKind

IK = InteractionKind

# A jotted note and a life event are *about* the person, not *with* them: they
# neither reset a keep-in-touch cadence nor count as the last contact.
NOT_A_TOUCH = frozenset({IK.NOTE, IK.LIFE_EVENT})

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


def last_touch(timeline: Iterable[Interaction], today_ordinal: int | None = None
               ) -> Interaction | None:
    """The newest touch in ``timeline`` (newest first), skipping plans after ``today``."""
    for entry in timeline:
        if today_ordinal is not None and entry.at.toordinal() > today_ordinal:
            continue
        if is_touch(entry):
            return entry
    return None
