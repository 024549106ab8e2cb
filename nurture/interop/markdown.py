"""A one-page Markdown dossier to read before meeting someone. Pure: data in, text out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pendulum

from nurture.model import Contact, Interaction, KeyDate, RelationshipKind
from nurture.wording import relative_days

LAST_INTERACTIONS = 5
_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)(\s)", re.MULTILINE)


def md(text: str) -> str:
    """User text made safe inside Markdown: what would format it is escaped, nothing else."""
    return _LINE_START.sub(_escape_start, _INLINE.sub(r"\\\1", text))


def _escape_start(m: re.Match[str]) -> str:
    mark = m.group(2)
    # "1." is escaped as "1\." (a backslash before a digit would show).
    mark = mark[:-1] + "\\." if mark.endswith(".") else "\\" + mark
    return m.group(1) + mark + m.group(3)


def dossier(contact: Contact, interactions: Sequence[Interaction], today: pendulum.Date,
            names: Mapping[str, str] | None = None) -> str:
    """The dossier for ``contact``; ``interactions`` are theirs, newest first.

    ``names`` maps other contact ids to names, to say who else was there.
    """
    names = names or {}
    c = contact
    out = [f"# {md(c.display_name)}", ""]
    role = " at ".join(md(p) for p in (c.title, c.company) if p)
    kind = "" if c.kind is RelationshipKind.OTHER else c.kind.value
    byline = " · ".join(p for p in (role, kind) if p)
    if byline:
        out += [byline, ""]
    facts: list[tuple[str, str]] = []
    if c.nickname:
        facts.append(("Goes by", md(c.nickname)))
    if c.family:
        facts.append(("Family", "; ".join(f"{md(f.name)} ({md(f.relation)})" for f in c.family)))
    if c.interests:
        facts.append(("Interests", ", ".join(md(t) for t in c.interests)))
    if c.how_we_met:
        facts.append(("How we met", md(c.how_we_met)))
    if c.channels:
        facts.append(("Best reached by", ", ".join(md(ch.label()) for ch in c.channels)))
    for email in c.emails:
        facts.append(("Email", md(email.address) + (f" ({md(email.label)})" if email.label
                                                    else "")))
    for phone in c.phones:
        facts.append(("Phone", md(phone.number) + (f" ({md(phone.label)})" if phone.label
                                                   else "")))
    for address in c.addresses:
        label = f" ({md(address.label)})" if address.label else ""
        facts.append(("Address", md(address.one_line()) + label))
    # Entries dated after today are plans (a lunch booked for Friday), not contact;
    # the rules engine counts them the same way.
    past = [e for e in interactions if e.at.date() <= today]
    planned = [e for e in reversed(interactions) if e.at.date() > today]
    facts.append(("Keep in touch", _cadence(c, past, today)))
    out += [f"- **{k}:** {v}" for k, v in facts]
    out.append("")
    if c.key_dates:
        out += ["## Key dates", ""]
        for date in sorted(c.key_dates, key=lambda d: _next_sort(d, today)):
            out.append(f"- {_key_date(date, today)}")
        out.append("")
    if planned:
        out += ["## Planned", ""]
        out += [_entry_line(entry, c.id, names) for entry in planned]
        out.append("")
    out += ["## Last interactions", ""]
    recent = past[:LAST_INTERACTIONS]
    if not recent:
        out.append("Nothing logged yet.")
    out += [_entry_line(entry, c.id, names) for entry in recent]
    out.append("")
    open_items = [(f, e) for e in interactions for f in e.open_follow_ups()]
    if open_items:
        out += ["## Open follow-ups", ""]
        far = pendulum.date(9999, 12, 31)
        for follow_up, _entry in sorted(open_items, key=lambda p: p[0].due or far):
            if follow_up.due is None:
                when = "no due date"
            else:
                when = f"due {follow_up.due.isoformat()} ({relative_days(follow_up.due, today)})"
                if follow_up.due < today:
                    when = f"overdue since {follow_up.due.isoformat()}"
            out.append(f"- [ ] {md(follow_up.text)} — {when}")
        out.append("")
    if c.notes.strip():
        out += ["## Notes", "", md(c.notes.strip()), ""]
    return "\n".join(out).rstrip() + "\n"


def _entry_line(entry: Interaction, contact_id: str, names: Mapping[str, str]) -> str:
    """``- 2026-10-07 · call (with Ben Okafor): text``, the text on one line and shortened."""
    others = [names.get(cid, cid) for cid in entry.contact_ids if cid != contact_id]
    with_ = f" (with {', '.join(md(n) for n in others)})" if others else ""
    text = " ".join(entry.text.split())
    text = text if len(text) <= 200 else text[:199] + "…"
    line = f"- {entry.at.date().isoformat()} · {entry.kind.value}{with_}"
    return f"{line}: {md(text)}" if text else line


def _cadence(c: Contact, interactions: Sequence[Interaction], today: pendulum.Date) -> str:
    every = f"every {c.cadence_days} days" if c.cadence_days else "no cadence set"
    if not interactions:
        return f"{every}; no contact logged yet"
    last = interactions[0].at.date()
    since = (today - last).days
    text = f"{every}; last contact {last.isoformat()} ({relative_days(last, today)})"
    if c.cadence_days and since > c.cadence_days:
        text += f", {since - c.cadence_days} days overdue"
    return text


def _next_sort(date: KeyDate, today: pendulum.Date) -> pendulum.Date:
    return date.next_occurrence(today) or pendulum.date(9999, 12, 31)


def _key_date(date: KeyDate, today: pendulum.Date) -> str:
    label = md(date.label[:1].upper() + date.label[1:])
    head = f"{label}: {date.human()}"
    upcoming = date.next_occurrence(today)
    if upcoming is None:
        return f"{head} (past)"
    when = f"next {upcoming.format('ddd D MMM YYYY')}, {relative_days(upcoming, today)}"
    years = date.years_at(upcoming) if date.yearly else None
    if years:
        when += f"; turns {years}" if date.label.lower() == "birthday" else f"; {years} years"
    return f"{head} — {when}"
