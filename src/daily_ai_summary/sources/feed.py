"""Any RSS or Atom feed (blogs, news sites, a subreddit's ``.rss``).

Entries are kept when their published (else updated) time falls in the window. An entry with
no date at all is kept only for today's run (we cannot tell which day it belongs to) and
skipped, with a warning, for a past date.

Feeds carry no votes or comment counts: every candidate has score 0 and comments 0, so
selection ranks feed items by recency. Give a feed its own ``min-score: 0`` if the global
min-score would otherwise drop it.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

import feedparser
from pydantic import Field

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.base import FetchContext, SourceOptions, SourceResult
from daily_ai_summary.sources.http import Http, first_items, is_html, policy_of
from daily_ai_summary.sources.text import clean_title, in_window, strip_html, truncate


class FeedOptions(SourceOptions):
    type: Literal["feed"] = "feed"
    url: str = Field(description="the RSS or Atom feed's address")

    @property
    def label(self) -> str:
        host = urlsplit(self.url).hostname or self.url
        return f"feed {host.removeprefix('www.')}"


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def entry_to_candidate(entry: feedparser.FeedParserDict, label: str) -> Candidate | None:
    """One feed entry as a Candidate, or None when it has no link to point at (pure)."""
    link = str(entry.get("link") or "")
    if not link:
        return None
    raw_title = str(entry.get("title") or "")
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "")
    tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
    return Candidate(
        source=label,
        source_type="feed",
        id=str(entry.get("id") or link),
        title=clean_title(raw_title) or link,
        raw_title=raw_title,
        url=link,
        link=None,
        text=truncate(strip_html(str(summary))),
        created=_when(entry),
        author=entry.get("author") or None,
        flair=tags[0] if tags else None,
    )


def parse_feed(body: bytes, label: str) -> list[Candidate]:
    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        why = type(feed.get("bozo_exception")).__name__ if feed.get("bozo_exception") else "unknown"
        raise SourceError(f"{label}: the answer is not an RSS or Atom feed ({why})", source=label)
    return [
        c
        for c in (entry_to_candidate(e, label) for e in first_items(feed.entries))
        if c is not None
    ]


async def fetch(options: FeedOptions, ctx: FetchContext) -> SourceResult:
    label = options.label
    http = Http(ctx.http, source=label, policy=policy_of(ctx))
    resp = await http.get_bytes(options.url)
    if is_html(resp) and b"<rss" not in resp.content[:2000] and b"<feed" not in resp.content[:2000]:
        raise SourceError(
            f"{label}: {options.url.split('?')[0]} answered with an HTML page, not a feed",
            source=label,
        )
    entries = parse_feed(resp.content, label)
    kept: list[Candidate] = []
    undated = 0
    for c in entries:
        if c.created is None:
            undated += 1
            if ctx.is_today:
                kept.append(c)
        elif in_window(c.created, ctx.window_start, ctx.window_end):
            kept.append(c)
    warnings = []
    if undated and not ctx.is_today:
        warnings.append(
            f"{label}: skipped {undated} entries without a date (cannot tell if they belong to "
            f"{ctx.window_start:%Y-%m-%d})"
        )
    kept.sort(key=lambda c: c.created or ctx.window_end, reverse=True)
    return SourceResult(kept[: options.limit], warnings)
