"""Hacker News through Algolia's search API (stories created inside the window).

``GET {url}/api/v1/search_by_date?tags=story&numericFilters=created_at_i>=S,created_at_i<E,
points>=N&hitsPerPage=H[&query=...]``. Algolia has at times rejected the ``points`` filter with
a 400 ("invalid numeric attribute(points)"); we then ask again without it and filter here.
``search_by_date`` is newest-first, so we ask for a deep page and rank by points ourselves.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.base import FetchContext, SourceOptions, SourceResult
from daily_ai_summary.sources.http import Http, HttpStatusError, first_items, policy_of
from daily_ai_summary.sources.text import (
    clean_title,
    from_epoch,
    in_window,
    parse_iso,
    strip_html,
    truncate,
)

DEFAULT_URL = "https://hn.algolia.com"
DISCUSSION = "https://news.ycombinator.com/item?id={}"
HITS_PER_PAGE = 500  # a day has ~1500 stories; a few hundred clear a small points floor
DEFAULT_MIN_POINTS = 10  # server-side floor when the config sets no min-score for this source


class HackerNewsOptions(SourceOptions):
    type: Literal["hackernews"] = "hackernews"
    url: str | None = Field(None, description=f"the Algolia HN Search API (default {DEFAULT_URL})")
    query: str | None = Field(
        None, description='a full-text query, e.g. "LLM"; none: every story of the day'
    )

    @property
    def label(self) -> str:
        return "hackernews" + (f" ({self.query})" if self.query else "")


def hit_to_candidate(hit: dict[str, Any], label: str) -> Candidate:
    """One Algolia hit as a Candidate (pure)."""
    object_id = str(hit.get("objectID") or hit.get("story_id") or "")
    raw_title = str(hit.get("title") or hit.get("story_title") or "")
    tags = hit.get("_tags") or []
    flair = "Ask HN" if "ask_hn" in tags else "Show HN" if "show_hn" in tags else None
    created = from_epoch(hit.get("created_at_i")) or parse_iso(hit.get("created_at"))
    return Candidate(
        source=label,
        source_type="hackernews",
        id=object_id,
        title=clean_title(raw_title),
        raw_title=raw_title,
        url=DISCUSSION.format(object_id),
        link=hit.get("url") or None,
        text=truncate(strip_html(str(hit.get("story_text") or ""))),
        score=float(hit.get("points") or 0),
        comments=int(hit.get("num_comments") or 0),
        created=created,
        author=hit.get("author") or None,
        flair=flair,
    )


def parse_hits(payload: Any, label: str) -> list[Candidate]:
    if not isinstance(payload, dict) or not isinstance(payload.get("hits"), list):
        raise SourceError(
            f"{label}: the answer has no 'hits' list (not an Algolia search result)", source=label
        )
    return [
        hit_to_candidate(h, label)
        for h in first_items(payload["hits"])
        if isinstance(h, dict) and h.get("objectID")
    ]


async def fetch(options: HackerNewsOptions, ctx: FetchContext) -> SourceResult:
    label = options.label
    http = Http(ctx.http, source=label, policy=policy_of(ctx))
    url = (options.url or DEFAULT_URL).rstrip("/") + "/api/v1/search_by_date"
    start, end = int(ctx.window_start.timestamp()), int(ctx.window_end.timestamp())
    min_points = options.min_score if options.min_score is not None else DEFAULT_MIN_POINTS
    window_filter = f"created_at_i>={start},created_at_i<{end}"
    params: dict[str, str | int] = {
        "tags": "story",
        "hitsPerPage": max(HITS_PER_PAGE, options.limit),
    }
    if options.query:
        params["query"] = options.query
    try:
        payload = await http.get_json(
            url, params={**params, "numericFilters": f"{window_filter},points>={min_points:g}"}
        )
    except HttpStatusError as err:
        if err.status != 400 or "points" not in str(err):
            raise
        payload = await http.get_json(url, params={**params, "numericFilters": window_filter})
    hits = [
        c
        for c in parse_hits(payload, label)
        if c.score >= min_points and in_window(c.created, ctx.window_start, ctx.window_end)
    ]
    hits.sort(key=lambda c: (c.score, c.comments), reverse=True)
    return SourceResult(hits[: options.limit])
