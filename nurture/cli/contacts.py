"""Contact and timeline commands: add, log, follow-up, follow-ups, complete, list, show, delete."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from nurture.errors import EditConflict, NurtureError, ValidationError
from nurture.model import (
    Channel,
    Contact,
    Email,
    FollowUp,
    Interaction,
    InteractionKind,
    KeyDate,
    Phone,
    RelationshipKind,
    format_cadence,
    normalize_tag,
    parse_cadence,
    parse_instant,
)
from nurture.safetext import visible

if TYPE_CHECKING:
    import pendulum

    from nurture.actions.facts import ContactFacts
    from nurture.cli.context import Context

# The actions (and through them the compose, notes and interop code) are
# imported by the handlers that use them, so that `list` and `show` start fast.


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("add", help="add a contact; prints its id")
    p.add_argument("name")
    p.add_argument("--email", action="append", default=[], metavar="E")
    p.add_argument("--phone", action="append", default=[], metavar="P")
    p.add_argument("--company", default="")
    p.add_argument("--title", default="")
    p.add_argument("--nickname", default="")
    p.add_argument("--kind", default="other", choices=[k.value for k in RelationshipKind])
    p.add_argument("--tag", action="append", default=[], metavar="T", help="an interest")
    p.add_argument("--birthday", metavar="DATE", help="YYYY-MM-DD, or MM-DD if the year is unknown")
    p.add_argument("--anniversary", metavar="DATE", help="YYYY-MM-DD or MM-DD")
    p.add_argument("--cadence", metavar="N", help="keep in touch every N days (or 2w, 3m, 1y)")
    p.add_argument("--channel", action="append", default=[], metavar="KIND[:DETAIL]",
                   help="preferred channel, e.g. phone, email, card, messaging:Signal")
    p.add_argument("--met", default="", help="how you met")
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("log", help="add an entry to someone's timeline")
    p.add_argument("who", help="an id or a name (exact, or a unique part of one)")
    p.add_argument("text")
    p.add_argument("--kind", default="note", choices=[k.value for k in InteractionKind])
    p.add_argument("--at", metavar="DATETIME", help="when (default now), e.g. 2026-11-20 14:30")
    p.add_argument("--with", dest="others", action="append", default=[], metavar="WHO",
                   help="someone else who was there (repeatable)")
    p.add_argument("--channel", default="")
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("follow-up", aliases=["fu"], help="note something to do for someone")
    p.add_argument("who")
    p.add_argument("text")
    p.add_argument("--due", required=True, metavar="DATE",
                   help="YYYY-MM-DD, 12-24, friday, tomorrow, or a span such as 3d, 2w")
    p.set_defaults(handler=cmd_follow_up)

    p = sub.add_parser("follow-ups", help="list open follow-ups, soonest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_follow_ups)

    p = sub.add_parser("complete", help="check off a follow-up by its id")
    p.add_argument("follow_up_id")
    p.set_defaults(handler=cmd_complete)

    p = sub.add_parser("list", aliases=["ls"], help="list contacts")
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="only contacts with this interest (repeat: all of them)")
    p.add_argument("--kind", choices=[k.value for k in RelationshipKind])
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one contact with their recent timeline")
    p.add_argument("who")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("edit", help="edit a contact in $EDITOR (as commented TOML)")
    p.add_argument("who")
    p.set_defaults(handler=cmd_edit)

    p = sub.add_parser("delete", help="delete a contact (and the entries that were theirs alone)")
    p.add_argument("who")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(handler=cmd_delete)


# ---------------------------------------------------------------- commands


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import actions

    key_dates = []
    if args.birthday:
        key_dates.append(KeyDate.parse("birthday", args.birthday))
    if args.anniversary:
        key_dates.append(KeyDate.parse("anniversary", args.anniversary))
    contact = Contact.new(  # given and family name: from the name, by add_contact
        args.name,
        nickname=args.nickname,
        company=args.company,
        title=args.title,
        kind=RelationshipKind(args.kind),
        emails=[Email(e) for e in args.email],
        phones=[Phone(p) for p in args.phone],
        interests=[normalize_tag(t) for t in args.tag],
        key_dates=key_dates,
        cadence_days=parse_cadence(args.cadence),
        channels=[Channel.parse(c) for c in args.channel],
        how_we_met=args.met,
    )
    actions.add_contact(ctx.store, contact)
    ctx.print(contact.id)
    return 0


def cmd_log(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import actions
    from nurture.actions.clock import moment

    store = ctx.store
    people = [store.resolve(args.who), *(store.resolve(o) for o in args.others)]
    ids = list(dict.fromkeys(c.id for c in people))
    if not args.text.strip():
        raise ValidationError("text", "say what happened")
    # No --at: now, on the book's day (a pinned NURTURE_TODAY), as the app's "now" is.
    at = parse_instant(args.at) if args.at and args.at.strip() else moment(ctx.today)
    entry = Interaction.new(ids, args.kind, args.text.strip(), at=at, channel=args.channel)
    actions.log_entry(store, entry)
    names = ", ".join(c.display_name for c in people)
    from nurture.wording import stamp

    when = stamp(entry.at)
    ctx.print(f"{entry.id}  {entry.kind.value} with {names} at {when}")
    return 0


def cmd_follow_up(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import actions
    from nurture.actions.clock import moment
    from nurture.shortdates import parse_day

    contact = ctx.store.resolve(args.who)
    due = parse_day(args.due, ctx.today, "due")
    follow_up = FollowUp(args.text.strip(), due)
    if not follow_up.text:
        raise ValidationError("text", "say what to follow up on")
    entry = Interaction.new([contact.id], InteractionKind.NOTE, f"Follow up: {follow_up.text}",
                            at=moment(ctx.today), follow_ups=[follow_up])
    actions.log_entry(ctx.store, entry)
    ctx.print(f"{follow_up.id}  {contact.display_name}: {follow_up.text} (due {due.isoformat()})")
    return 0


def _open_follow_ups(ctx: Context) -> list[tuple[FollowUp, Interaction]]:
    import pendulum

    found = [(f, entry) for entry in ctx.store.entries_with_open_follow_ups()
             for f in entry.open_follow_ups()]
    far = pendulum.date(9999, 12, 31)
    # By instant as a number: comparing aware datetimes asks each zone its offset, in
    # Python, at every comparison (170,000 times for 12,000 follow-ups).
    return sorted(found, key=lambda pair: (pair[0].due or far, pair[1].at.timestamp()))


def cmd_follow_ups(args: argparse.Namespace, ctx: Context) -> int:
    rows = _open_follow_ups(ctx)
    # Only the people named (not every contact built to print a few hundred names).
    names = ctx.store.display_names(c for _, e in rows for c in e.contact_ids)
    if args.json:
        ctx.print_json([{"id": f.id, "text": f.text, "due": f.due.isoformat() if f.due else None,
                         "interaction_id": e.id,
                         "contacts": [names.get(c, c) for c in e.contact_ids]}
                        for f, e in rows])
        return 0
    if not rows:
        ctx.print("No open follow-ups.")
    today = ctx.today
    for follow_up, entry in rows:
        due = follow_up.due.isoformat() if follow_up.due else "no date"
        late = " (overdue)" if follow_up.due and follow_up.due < today else ""
        who = ", ".join(names.get(c, c) for c in entry.contact_ids)
        ctx.print(f"{follow_up.id}  {due}{late}  {who}: {follow_up.text}")
    return 0


def cmd_complete(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import actions
    from nurture.actions.clock import moment

    result = actions.check_off(ctx.store, args.follow_up_id, at=moment(ctx.today))
    ctx.print(f"Done: {result.follow_up.text}")
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    wanted = [normalize_tag(t) for t in args.tag]
    # The store filters the documents before building models: only matches are built.
    contacts = ctx.store.contacts(tags=wanted, kind=args.kind)
    if args.json:
        from nurture.documents import contact_to_doc

        ctx.print_json([contact_to_doc(c) for c in contacts])
        return 0
    lines = []
    for c in contacts:
        role = ", ".join(p for p in (c.title, c.company) if p)
        tags = " ".join(f"#{t}" for t in c.interests)
        lines.append(f"{c.id}  {c.display_name:<28} {c.kind.value:<10} {role:<40} {tags}".rstrip())
    if lines:
        ctx.out.write("\n".join(visible(line) for line in lines) + "\n")
    elif sys.stdout.isatty():
        ctx.print("No contacts match." if wanted or args.kind else
                  "No contacts yet: add one with `nurture add NAME`.")
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    contact = ctx.store.resolve(args.who)
    timeline = ctx.store.interactions(contact.id)
    if args.json:
        from nurture.documents import contact_to_doc, interaction_to_doc

        ctx.print_json({"contact": contact_to_doc(contact),
                        "interactions": [interaction_to_doc(i) for i in timeline]})
        return 0
    from nurture.actions.facts import contact_facts
    from nurture.cli.review import rules_config
    from nurture.touch import done_touches

    done = done_touches(ctx.store.review_states().values(), ctx.today.toordinal())
    facts = contact_facts(contact, timeline, ctx.today,
                          rules_config(ctx, None).cadence_for(contact.kind),
                          done.get(contact.id))
    for line in describe(contact, timeline, ctx.today, facts):
        ctx.print(line)
    return 0


def describe(contact: Contact, timeline: list[Interaction], today: pendulum.Date,
             facts: ContactFacts | None = None) -> list[str]:
    """A person's card as plain lines, for ``nurture show``."""
    from nurture.wording import ago, relative_days

    out = [f"{contact.display_name}  ({contact.id})"]
    role = ", ".join(p for p in (contact.title, contact.company) if p)
    if role:
        out.append(f"  {role}")
    out.append(f"  kind: {contact.kind.value}"
               + (f", keep in touch every {format_cadence(contact.cadence_days)}"
                  if contact.cadence_days else ""))
    if facts is not None:
        # The same last touch and due date as the app's card and the review.
        last = (f"{ago(facts.last_at.date(), today)} ({facts.last_kind})"
                if facts.last_at is not None else "never")
        due = ""
        if facts.due is not None:
            due = (f" · overdue since {facts.due.isoformat()}" if facts.overdue(today)
                   else f" · next due {relative_days(facts.due, today)}")
        out.append(f"  last contact: {last}{due}")
    for email in contact.emails:
        out.append(f"  email: {email.address}" + (f" ({email.label})" if email.label else ""))
    for phone in contact.phones:
        out.append(f"  phone: {phone.number}" + (f" ({phone.label})" if phone.label else ""))
    for address in contact.addresses:
        out.append(f"  {address.label or 'address'}: {address.one_line()}")
    if contact.channels:
        out.append("  prefers: " + ", ".join(ch.label() for ch in contact.channels))
    if contact.interests:
        out.append("  interests: " + ", ".join(f"#{t}" for t in contact.interests))
    for key_date in contact.key_dates:
        upcoming = key_date.next_occurrence(today)
        when = f" — {relative_days(upcoming, today)}" if upcoming is not None else ""
        out.append(f"  {key_date.label}: {key_date.human()}{when}")
    if contact.family:
        out.append("  family: " + ", ".join(f"{f.name} ({f.relation})" for f in contact.family))
    if contact.how_we_met:
        out.append(f"  met: {contact.how_we_met}")
    if contact.notes:
        out.append(f"  notes: {contact.notes}")
    open_items = [f for entry in timeline for f in entry.open_follow_ups()]
    if open_items:
        out.append("Open follow-ups:")
        out.extend(f"  [{f.id}] {f.text}" + (f" (due {f.due.isoformat()})" if f.due else "")
                   for f in open_items)
    if timeline:
        out.append("Recent:")
        for entry in timeline[:5]:
            origin = f"  (from {entry.source})" if entry.source else ""
            out.append(f"  {entry.at.date().isoformat()}  {entry.kind.value:<12} {entry.text}"
                       f"{origin}")
    return out


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import actions
    from nurture.editing import apply_toml, contact_to_toml
    from nurture.editor import edit_text, keep_text

    ctx.store.check_writable()  # before the editor: an edit that cannot be saved is wasted
    contact = ctx.store.resolve(args.who)
    original = text = contact_to_toml(contact)
    prefix = f"nurture-{contact.id}-"
    while True:
        try:
            text = edit_text(text, suffix=".toml", prefix=prefix)
        except NurtureError as exc:
            if text == original:
                raise
            kept = keep_text(text, prefix=prefix, suffix=".toml")
            raise NurtureError(f"{exc}; your edit is kept in {kept}") from None
        if text == original:
            ctx.print("No changes.")
            return 0
        try:
            edited = apply_toml(contact, text)
        except ValidationError as exc:
            if sys.stdin.isatty():
                answer = input(f"{exc}. Edit again? [Y/n] ").strip().lower()
                if answer in ("", "y", "yes"):
                    continue
            kept = keep_text(text, prefix=prefix, suffix=".toml")
            raise ValidationError(exc.field, f"{exc.message}; your edit is kept in {kept}"
                                  ) from None
        break
    try:
        # Merged with whatever another window or command saved meanwhile.
        saved = actions.edit_contact(ctx.store, edited, base=contact).contact
    except EditConflict as exc:
        keep = sys.stdin.isatty() and input(
            f"{exc.message[0].upper()}{exc.message[1:]}. Keep yours for "
            f"{' and '.join(exc.fields)}? [y/N] ").strip().lower() in ("y", "yes")
        if not keep:
            kept = keep_text(text, prefix=prefix, suffix=".toml")
            raise EditConflict(exc.fields, f"{exc.message}; your edit is kept in {kept}",
                               keys=exc.keys) from None
        saved = actions.edit_contact(ctx.store, edited, base=contact,
                                     keep_mine=exc.keys).contact
    ctx.print(f"Saved {saved.display_name}.")
    return 0


def cmd_delete(args: argparse.Namespace, ctx: Context) -> int:
    from nurture import actions

    contact = ctx.store.resolve(args.who)
    if not args.yes:
        if not sys.stdin.isatty():
            raise ValidationError("delete", "pass --yes to delete without a terminal to ask in")
        answer = input(f"Delete {contact.display_name} and their own timeline entries? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            ctx.print("Nothing deleted.")
            return 0
    removed = actions.delete_contact(ctx.store, contact.id).deleted
    ctx.print(f"Deleted {contact.display_name} ({len(removed.interactions)} timeline entries).")
    return 0

