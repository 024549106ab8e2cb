"""``nurture search TEXT``: find what you wrote, in entries, follow-ups, notes and fields."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from pendulum.tz import local_timezone

from nurture.cli.context import Context
from nurture.compose.template import clean_value
from nurture.errors import ValidationError

if TYPE_CHECKING:
    from nurture.search import SearchHit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", aliases=["find"],
                       help="find words in entries, follow-ups, notes and contact fields")
    p.add_argument("text", nargs="+", help="every word must match (accents and case ignored)")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="show at most N hits, newest first (0: all; default 50)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(handler=cmd_search)


def hit_json(hit: SearchHit, names: list[str]) -> dict[str, Any]:
    """The object ``nurture search --json`` prints for one hit."""
    return {
        "kind": hit.kind,
        "contact_ids": list(hit.contact_ids),
        "contacts": names,
        "entry_id": hit.entry_id or None,
        "at": hit.at.isoformat() if hit.at else None,
        "field": hit.field,
        "snippet": hit.snippet,
    }


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.search import SearchIndex, query_words

    query = " ".join(args.text)
    if not query_words(query):
        raise ValidationError("search", "give at least one word to look for")
    if args.limit < 0:
        raise ValidationError("limit", "must be 0 (all) or more")
    store = ctx.store
    index = SearchIndex(store.contacts(), store.interactions())
    result = index.search(query, limit=args.limit or None)
    by_id = index.by_id

    def names(hit: SearchHit) -> list[str]:
        return [by_id[c].display_name for c in hit.contact_ids if c in by_id]

    if args.json:
        import orjson

        rows = [hit_json(h, names(h)) for h in result.hits]
        ctx.out.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    if not result.hits:
        ctx.print(f"Nothing matches {clean_value(query)!r}.")
        return 0
    zone = local_timezone()
    for hit in result.hits:
        when = hit.at.in_tz(zone).format("YYYY-MM-DD") if hit.at else " " * 10
        who = clean_value(", ".join(names(hit)))
        where = "entry" if hit.field == "text" else hit.field
        ctx.print(f"{when}  {who} · {where}")
        ctx.print(f"            {hit.snippet}")
    if result.more:
        ctx.print(f"…more match; `nurture search --limit 0 {clean_value(query)}` shows them all.")
    return 0
