"""News and feed commands: news add/list/remove, feeds add/list/remove/fetch."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

import pendulum

from nurture.cli.args import DAYS
from nurture.cli.context import Context
from nurture.safetext import visible
from nurture.wording import stamp

if TYPE_CHECKING:
    from nurture.model import Contact, NewsItem
    from nurture.news.feeds import FeedResult
    from nurture.news.match import NewsMatch


def register(sub: argparse._SubParsersAction) -> None:
    news = sub.add_parser("news", help="news items that can open a conversation")
    news_sub = news.add_subparsers(dest="news_command", metavar="ACTION", required=True)

    p = news_sub.add_parser("add", help="record a news item; prints who it concerns")
    p.add_argument("title")
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="a topic, matched against interests (repeatable)")
    p.add_argument("--url", default="", metavar="U")
    p.add_argument("--company", default="", metavar="C", help="the company it is about")
    p.add_argument("--summary", default="", metavar="S")
    p.set_defaults(handler=cmd_news_add)

    p = news_sub.add_parser("list", aliases=["ls"], help="kept news, newest first, with matches")
    p.add_argument("--days", type=DAYS, metavar="N", help="only the last N days")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_news_list)

    p = news_sub.add_parser("remove", aliases=["rm"], help="forget a news item by its id")
    p.add_argument("item_id", metavar="ID")
    p.set_defaults(handler=cmd_news_remove)

    feeds = sub.add_parser("feeds", help="RSS and Atom feeds that bring news in")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)

    p = feeds_sub.add_parser("add", help="subscribe to a feed (or change its tags/company)")
    p.add_argument("url", metavar="URL")
    p.add_argument("--tag", action="append", default=[], metavar="T",
                   help="a topic given to every item of the feed (repeatable)")
    p.add_argument("--company", default="", metavar="C",
                   help="the company whose news this is (its press room)")
    p.set_defaults(handler=cmd_feeds_add)

    p = feeds_sub.add_parser("list", aliases=["ls"], help="subscribed feeds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_feeds_list)

    p = feeds_sub.add_parser("remove", aliases=["rm"], help="unsubscribe; its items go too")
    p.add_argument("url", metavar="URL")
    p.set_defaults(handler=cmd_feeds_remove)

    p = feeds_sub.add_parser("fetch", help="fetch every feed now")
    p.add_argument("--force", action="store_true",
                   help="also fetch feeds fetched less than 30 minutes ago")
    p.add_argument("--timeout", type=_seconds, default=15.0, metavar="SECONDS",
                   help="how long to wait for a server (default 15)")
    p.set_defaults(handler=cmd_feeds_fetch)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < seconds <= 600:  # also refuses nan
        raise argparse.ArgumentTypeError("the timeout must be more than 0 and at most 600 s")
    return seconds


# ---------------------------------------------------------------- news


def cmd_news_add(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.model import NewsItem
    from nurture.news.feeds import check_url
    from nurture.news.match import match_news

    url = check_url(args.url) if args.url.strip() else ""
    item = NewsItem.new(args.title, url=url, tags=args.tag, company=args.company.strip(),
                        summary=args.summary.strip())
    from nurture.actions.news import add_news_item

    contacts = ctx.store.contacts()
    add_news_item(ctx.store, item)
    matches = match_news(item, contacts, ctx.config.synonyms)
    ctx.print(f"Added {item.id}: {item.title}")
    names = {c.id: c for c in contacts}
    if matches:
        ctx.print("  concerns " + ", ".join(_who(m, names) for m in matches))
    else:
        ctx.print("  concerns nobody yet (no contact shares its tags or company)")
    return 0


def cmd_news_list(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.news.items import item_time
    from nurture.news.match import NewsMatcher

    items = ctx.store.news_items()
    if args.days is not None:
        since = ctx.today.subtract(days=args.days)
        local = pendulum.local_timezone()
        items = [i for i in items
                 if (when := item_time(i)) is None or when.in_tz(local).date() >= since]
    contacts = ctx.store.contacts()
    names = {c.id: c for c in contacts}
    matcher = NewsMatcher(contacts, ctx.config.synonyms)
    if args.json:
        ctx.print_json([_item_json(i, matcher.match(i), names) for i in items])
        return 0
    if not items:
        if sys.stdout.isatty():
            ctx.print("No news. Record some with `nurture news add TITLE --tag T`, "
                      "or subscribe with `nurture feeds add URL`.")
        return 0
    for item in items:
        when = item_time(item)
        day = when.in_tz(pendulum.local_timezone()).format("YYYY-MM-DD") if when else "?"
        tags = " ".join(f"#{t}" for t in item.tags)
        ctx.print(f"{item.id}  {day}  {item.title}" + (f"  {tags}" if tags else ""))
        if item.url:
            ctx.print(f"    {item.url}")
        matches = matcher.match(item)
        if matches:
            ctx.print("    → " + ", ".join(_who(m, names) for m in matches))
    return 0


def cmd_news_remove(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.news import remove_news_item

    item = remove_news_item(ctx.store, args.item_id).item
    ctx.print(f"Removed {item.id}: {item.title}")
    return 0


def _who(match: NewsMatch, contacts: dict[str, Contact]) -> str:
    contact = contacts.get(match.contact_id)
    name = contact.display_name if contact else match.contact_id
    why = [f"#{t}" for t in match.interests]
    if match.company and contact is not None:
        why.append(f"works at {contact.company}")
    return f"{name} ({', '.join(why)})"


def _item_json(item: NewsItem, matches: list[NewsMatch],
               contacts: dict[str, Contact]) -> dict[str, Any]:
    from nurture.documents import news_item_to_doc

    doc = news_item_to_doc(item)
    doc["matches"] = [{"contact_id": m.contact_id,
                       "contact": contacts[m.contact_id].display_name
                       if m.contact_id in contacts else "",
                       "score": m.score, "interests": list(m.interests), "company": m.company}
                      for m in matches]
    return doc


# ---------------------------------------------------------------- feeds


def cmd_feeds_add(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.news import add_feed

    changed = add_feed(ctx.store, args.url, args.tag, args.company)
    feed, known = changed.feed, changed.known
    ctx.print(f"{'Updated' if known else 'Subscribed to'} {feed.url}"
              + "".join(f" #{t}" for t in feed.tags)
              + (f" (company: {feed.company})" if feed.company else ""))
    if not known:
        ctx.print("  fetch it with `nurture feeds fetch`")
    return 0


def cmd_feeds_list(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.documents import feed_to_doc

    feeds = ctx.store.feeds()
    if args.json:
        ctx.print_json([feed_to_doc(f) for f in feeds])
        return 0
    if not feeds and sys.stdout.isatty():
        ctx.print("No feeds yet: subscribe with `nurture feeds add URL --tag T`.")
    for feed in feeds:
        fetched = stamp(feed.last_fetched) if feed.last_fetched else "never"
        tags = " ".join(f"#{t}" for t in feed.tags)
        details = "  ".join(p for p in (feed.title, tags, feed.company and
                                        f"company: {feed.company}") if p)
        ctx.print(f"{feed.url}" + (f"  {details}" if details else ""))
        ctx.print(f"    last fetched: {fetched}"
                  + (f"  last error: {feed.last_error}" if feed.last_error else ""))
    return 0


def cmd_feeds_remove(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.actions.news import remove_feed

    changed = remove_feed(ctx.store, args.url)
    count = changed.items_removed
    ctx.print(f"Removed {changed.feed.url} and its {count} item{'s' * (count != 1)}.")
    return 0


def cmd_feeds_fetch(args: argparse.Namespace, ctx: Context) -> int:
    from nurture.news.feeds import FetchStatus, fetch_all, save_fetch

    feeds = ctx.store.feeds()
    if not feeds:
        ctx.print("No feeds yet: subscribe with `nurture feeds add URL --tag T`.")
        return 0
    show_progress = ctx.err.isatty()

    def progress(done: int, total: int, result: FeedResult) -> None:
        if show_progress:
            # Our own \r and erase-line go raw; the feed's name goes through the sanitiser.
            ctx.err.raw.write("\r\x1b[K")
            ctx.err.write(f"[{done}/{total}] {visible(result.name[:60])}")
            ctx.err.flush()

    now = pendulum.now()
    report = fetch_all(feeds, now=now, progress=progress, force=args.force,
                       timeout=args.timeout)
    if show_progress:
        ctx.err.raw.write("\r\x1b[K")
    merge = save_fetch(ctx.store, report, now=now, keep_days=ctx.config.news_keep_days)
    for failure in report.failed:
        ctx.err.write(visible(f"nurture: {failure.name}: {failure.error}") + "\n")
    counts = [f"{n} {label}" for n, label in (
        (report.count(FetchStatus.FETCHED), "fetched"),
        (report.count(FetchStatus.NOT_MODIFIED), "unchanged"),
        (report.count(FetchStatus.TOO_SOON), "skipped (fetched less than 30 minutes ago)"),
        (len(report.failed), "failed")) if n]
    new = len(merge.new)
    ctx.print(f"{len(feeds)} feed{'s' * (len(feeds) != 1)}: {', '.join(counts)}; "
              f"{new} new item{'s' * (new != 1)}, {len(merge.updated)} updated, "
              f"{len(merge.expired)} expired.")
    # Good feeds landed even when others failed; only a fetch where every
    # feed that was tried failed is an error.
    tried = len(feeds) - report.count(FetchStatus.TOO_SOON)
    return 1 if tried and len(report.failed) == tried else 0

