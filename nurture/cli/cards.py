"""``nurture cards``: cards to send soon, their address and state, labels as a PDF;
``nurture gift``: one gift or clipping to many people, logged once; ``nurture gift-idea``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nurture.cli.context import Context
from nurture.compose.template import clean_value
from nurture.errors import ValidationError

if TYPE_CHECKING:
    from nurture.cards import Card
    from nurture.model import Contact
    from nurture.rules import DailyReview


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cards", help="cards to send soon, with address and state; labels")
    p.add_argument("--days", type=int, default=14, metavar="N",
                   help="cards due in the next N days (default 14)")
    p.add_argument("--written", metavar="KEY", help="mark this card written")
    p.add_argument("--posted", metavar="KEY",
                   help="mark this card posted (logs the card on the timeline)")
    p.add_argument("--text", metavar="TEXT", help="with --posted: what the card said")
    p.add_argument("--labels", metavar="FILE.pdf", type=Path,
                   help="write address labels for these cards")
    p.add_argument("--sheet", choices=("a4", "letter"), default="a4",
                   help="label sheet: a4 (3×7, 70×42.3 mm) or letter (3×10, Avery 5160)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--rules", metavar="PATH", help="the rules file")
    p.set_defaults(handler=cmd_cards)

    p = sub.add_parser("gift", help="log one gift or clipping to many people as one entry")
    p.add_argument("text", help="what you sent, e.g. the book's title")
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="everyone with this interest (repeat: every tag must match)")
    p.add_argument("--kind", metavar="KIND", help="everyone of this relationship kind")
    p.add_argument("--who", action="append", default=[], metavar="WHO",
                   help="a person by id or name (repeatable)")
    p.add_argument("--clipping", action="store_true",
                   help="log it as a clipping (an email) rather than a gift")
    p.add_argument("--at", metavar="DATE", help="when it was sent (default: now)")
    p.add_argument("--labels", metavar="FILE.pdf", type=Path, help="labels for all of them")
    p.add_argument("--sheet", choices=("a4", "letter"), default="a4")
    p.add_argument("--dry-run", action="store_true", help="list who it would go to")
    p.set_defaults(handler=cmd_gift)

    p = sub.add_parser("gift-idea", help="note a gift idea for someone (#gift-idea: …)")
    p.add_argument("who")
    p.add_argument("idea")
    p.set_defaults(handler=cmd_gift_idea)


def _review(ctx: Context, rules: str | None, days: int) -> DailyReview:
    from nurture.cli.review import build_review

    if not 0 <= days <= 366:
        raise ValidationError("days", "must be 0 to 366")
    return build_review(ctx, rules, ctx.today, days=days, limit=0)


def card_json(card: Card) -> dict[str, Any]:
    return {"key": card.key, "contact_ids": card.contact_ids, "contacts": card.names,
            "title": card.title, "reason": card.reason, "due": card.due.isoformat(),
            "address": card.address, "missing_address": card.missing_address,
            "state": card.state.value, "gift_ideas": card.gift_ideas, "gifts": card.gifts}


def cmd_cards(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.cards import mark_posted, mark_written
    from nurture.actions.clock import moment
    from nurture.cards import cards
    from nurture.rules.text import day

    review = _review(ctx, args.rules, args.days)
    store = ctx.store
    if args.written or args.posted:
        if args.written:
            mark_written(store, review, args.written, moment(ctx.today))
            ctx.print(f"Written: {clean_value(review.find(args.written).title)}.")
        if args.posted:
            result = mark_posted(store, review, args.posted, args.text or "")
            assert result.log is not None
            ctx.print(f"Posted and logged ({result.log.id}): "
                      f"{clean_value(result.suggestion.title)}.")
        return 0
    found = cards(review.queue, {c.id: c for c in store.contacts()},
                  store.interactions_by_contact(), store.review_states())
    if args.labels is not None:
        _labels(ctx, args.labels, args.sheet,
                [[c.names, *c.address] for c in found if not c.missing_address],
                [c.names for c in found if c.missing_address])
    if args.json:
        import orjson

        rows = [card_json(c) for c in found]
        ctx.out.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    if args.labels is not None:
        return 0
    if not found:
        ctx.print(f"No cards to send in the next {args.days} days.")
        return 0
    for card in found:
        ctx.print(f"{day(card.due)}  [{card.state.value}]  {clean_value(card.title)}")
        ctx.print(f"      {clean_value(card.reason)}")
        if card.missing_address:
            ctx.print("      ⚠ no home address: add one (nurture edit) before posting")
        else:
            ctx.print("      to: " + clean_value(" · ".join(card.address)))
        if card.gift_ideas:
            ctx.print("      gift ideas: " + clean_value("; ".join(card.gift_ideas)))
        if card.gifts:
            ctx.print("      gifts: " + clean_value("; ".join(card.gifts[:3])))
        ctx.print(f"      key: {card.key}")
    return 0


def _labels(ctx: Context, path: Path, sheet: str, labels: list[list[str]],
            missing: list[str]) -> None:
    from nurture.interop.labels import SHEETS, find_font, write_labels

    if not labels:
        raise ValidationError("labels", "nobody here has a postal address: no labels written")
    pages = write_labels(path, labels, sheet)
    ctx.print(f"Wrote {len(labels)} label{'s' * (len(labels) != 1)} on {pages} "
              f"{SHEETS[sheet].name} page{'s' * (pages != 1)} to {path}.")
    if missing:
        ctx.print("No address for " + clean_value(", ".join(missing)) + ".")
    if find_font() is None:
        ctx.print("No Unicode font found: letters outside Latin-1 are shown as '?'.")


def _recipients(ctx: Context, args: argparse.Namespace) -> list[Contact]:
    store = ctx.store
    if not (args.tag or args.kind or args.who):
        raise ValidationError("gift", "say who: --tag, --kind or --who")
    found: dict[str, Contact] = {}
    if args.tag or args.kind:
        for contact in store.contacts(tags=args.tag, kind=args.kind):
            found[contact.id] = contact
    for who in args.who:
        contact = store.resolve(who)
        found[contact.id] = contact
    return sorted(found.values(), key=lambda c: c.display_name.casefold())


def cmd_gift(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.cards import log_to_many
    from nurture.actions.clock import moment
    from nurture.cards import label
    from nurture.model import InteractionKind
    from nurture.shortdates import parse_day

    people = _recipients(ctx, args)
    if not people:
        raise ValidationError("gift", "nobody matches: no one to log it for")
    names = clean_value(", ".join(c.display_name for c in people))
    if args.dry_run:
        ctx.print(f"Would log for {len(people)}: {names}")
        return 0
    at = moment(parse_day(args.at, ctx.today, "at")) if args.at else moment(ctx.today)
    kind = InteractionKind.EMAIL if args.clipping else InteractionKind.GIFT_GIVEN
    entry = log_to_many(ctx.store, [c.id for c in people], kind, args.text, at)
    what = "clipping" if args.clipping else "gift"
    ctx.print(f"Logged one {what} for {len(people)} ({entry.id}): {names}")
    if args.labels is not None:
        labels = [lines for lines in (label(c) for c in people) if lines]
        _labels(ctx, args.labels, args.sheet, labels,
                [c.display_name for c in people if label(c) is None])
    return 0


def cmd_gift_idea(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.cards import record_gift_idea
    from nurture.actions.clock import moment

    contact = ctx.store.resolve(args.who)
    entry = record_gift_idea(ctx.store, contact.id, args.idea, moment(ctx.today))
    ctx.print(f"Noted for {clean_value(contact.display_name)}: {clean_value(entry.text)}")
    return 0
