"""What counts as a touch, and the channel an entry went by: one table for every caller."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nurture.model import Channel, ChannelKind, Contact, InteractionKind
from nurture.touch import CHANNEL_BY_KIND, KIND_BY_CHANNEL, channel_for, kind_for_channel

IK = InteractionKind
PACKAGE = Path(__file__).resolve().parent.parent / "nurture"


def _contact(*kinds: ChannelKind) -> Contact:
    return Contact.new("Ana Lima", channels=[Channel(k, "x") for k in kinds])


@pytest.mark.parametrize(("kind", "channels", "expected"), [
    (IK.CALL, (), "phone"),
    (IK.EMAIL, (ChannelKind.MESSAGING,), "email"),
    (IK.MESSAGE, (ChannelKind.EMAIL, ChannelKind.MESSAGING), "messaging"),
    (IK.MESSAGE, (ChannelKind.SOCIAL,), "social"),
    (IK.MESSAGE, (ChannelKind.PHONE,), "messaging"),
    (IK.MESSAGE, (), "messaging"),
    (IK.NOTE, (ChannelKind.PHONE,), ""),
    (IK.LIFE_EVENT, (), ""),
])
def test_the_channel_an_entry_went_by(kind, channels, expected) -> None:
    assert channel_for(kind, _contact(*channels)) == expected


def test_channel_and_kind_tables_agree_both_ways() -> None:
    for kind, channel in CHANNEL_BY_KIND.items():
        assert kind_for_channel(channel) is kind
    assert kind_for_channel("fax") is IK.NOTE
    assert set(KIND_BY_CHANNEL) == {k.value for k in ChannelKind}


def _is_channel(node: ast.expr) -> bool:
    text = ast.unparse(node)
    return text.startswith("ChannelKind.") or (
        isinstance(node, ast.Constant) and node.value in {c.value for c in ChannelKind})


def _is_kind(node: ast.expr) -> bool:
    return ast.unparse(node).startswith(("InteractionKind.", "IK."))


def test_no_module_keeps_its_own_kind_to_channel_table() -> None:
    """A dict literal mapping entry kinds to channels (or back) lives only in touch.py."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "touch.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Dict) or len(node.keys) < 3:
                continue
            pairs = [(k, v) for k, v in zip(node.keys, node.values, strict=True) if k]
            if sum((_is_kind(k) and _is_channel(v)) or (_is_channel(k) and _is_kind(v))
                   for k, v in pairs) >= 3:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []
