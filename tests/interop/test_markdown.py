"""The one-page dossier."""

from __future__ import annotations

import pendulum

from nurture.interop.markdown import dossier, md
from nurture.model import (
    Channel,
    ChannelKind,
    Contact,
    Email,
    FamilyMember,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    RelationshipKind,
)

TODAY = pendulum.date(2026, 11, 22)


def ana() -> Contact:
    return Contact(id="c-ana", display_name="Ana Lima", company="Acme Corp", title="CTO",
                   kind=RelationshipKind.CLIENT, nickname="Aninha",
                   emails=[Email("ana@example.com", "work")], interests=["golf", "jazz"],
                   key_dates=[KeyDate("birthday", 3, 14, 1985), KeyDate("anniversary", 12, 1),
                              KeyDate("launch", 1, 10, 2026, yearly=False)],
                   family=[FamilyMember("João", "spouse"), FamilyMember("Maya", "child")],
                   how_we_met="Web Summit 2019", cadence_days=30,
                   channels=[Channel(ChannelKind.MESSAGING, "Signal")],
                   notes="# not a heading\nLikes *bold* ideas")


def entries() -> list[Interaction]:
    out = []
    for n in range(7):
        at = pendulum.datetime(2026, 10, 1 + n, 12, tz="UTC")
        out.append(Interaction(id=f"i-{n}", contact_ids=["c-ana"], kind=InteractionKind.CALL,
                               at=at, text=f"call number {n}"))
    out[-1].contact_ids.append("c-ben")
    out[-1].follow_ups = [FollowUp("Send the deck", due=pendulum.date(2026, 11, 30)),
                          FollowUp("Book the dinner", due=pendulum.date(2026, 11, 20)),
                          FollowUp("Done", due=pendulum.date(2026, 11, 1), done=at)]
    return list(reversed(out))  # newest first, as the store gives them


def test_dossier_has_everything_before_a_meeting() -> None:
    text = dossier(ana(), entries(), TODAY, {"c-ben": "Ben Okafor"})
    assert text.startswith("# Ana Lima\n\nCTO at Acme Corp · client\n")
    assert "- **Family:** João (spouse); Maya (child)" in text
    assert "- **Interests:** golf, jazz" in text
    assert "- **How we met:** Web Summit 2019" in text
    assert "- **Best reached by:** messaging (Signal)" in text
    assert "- **Keep in touch:** every 30 days; last contact 2026-10-07 (46 days ago), " \
           "16 days overdue" in text
    dates = text.split("## Key dates")[1].split("##")[0]
    assert dates.index("Anniversary") < dates.index("Birthday")  # soonest first
    assert "- Birthday: 14 March 1985 — next Sun 14 Mar 2027, in 112 days; turns 42" in text
    assert "- Anniversary: 1 December — next Tue 1 Dec 2026, in 9 days" in text
    assert "- Launch: 10 January 2026 (past)" in text
    recent = text.split("## Last interactions")[1].split("##")[0]
    assert recent.count("\n- ") == 5
    assert "- 2026-10-07 · call (with Ben Okafor): call number 6" in recent
    assert "call number 1" not in recent
    follow = text.split("## Open follow-ups")[1].split("##")[0]
    assert follow.index("Book the dinner") < follow.index("Send the deck")
    assert "- [ ] Book the dinner — overdue since 2026-11-20" in follow
    assert "- [ ] Send the deck — due 2026-11-30 (in 8 days)" in follow
    assert "Done" not in follow
    assert "\\# not a heading\nLikes \\*bold\\* ideas" in text


def test_a_planned_entry_is_not_the_last_contact() -> None:
    lunch = Interaction(id="i-plan", contact_ids=["c-ana"], kind=InteractionKind.MEETING,
                        at=pendulum.datetime(2026, 11, 27, 12, tz="UTC"), text="Lunch at Gino's")
    text = dossier(ana(), [lunch, *entries()], TODAY, {"c-ben": "Ben Okafor"})
    assert "last contact 2026-10-07 (46 days ago), 16 days overdue" in text
    planned = text.split("## Planned")[1].split("##")[0]
    assert planned.strip() == "- 2026-11-27 · meeting: Lunch at Gino's"
    recent = text.split("## Last interactions")[1].split("##")[0]
    assert "Gino" not in recent and recent.count("\n- ") == 5
    assert text.index("## Planned") < text.index("## Last interactions")


def test_dossier_of_someone_new() -> None:
    text = dossier(Contact(id="c-x", display_name="Zoë"), [], TODAY)
    assert "Nothing logged yet." in text
    assert "no cadence set; no contact logged yet" in text
    assert "## Key dates" not in text and "## Open follow-ups" not in text


def test_markdown_escaping() -> None:
    assert md("a_b*c [x](y) <b>") == "a\\_b\\*c \\[x\\](y) \\<b\\>"
    assert md("- item\n1. first") == "\\- item\n1\\. first"
