"""arXiv: new submissions in some categories, from the Atom API.

``GET {url}/api/query?search_query=(cat:cs.LG OR cat:cs.CL) AND submittedDate:[S TO E]
&sortBy=submittedDate&sortOrder=descending&max_results=N`` with S/E as ``YYYYMMDDHHMM`` (GMT).
arXiv asks for at most one request every 3 seconds: list several categories in ONE source
rather than configuring several arxiv sources. arXiv has no votes: score is 0 and selection
ranks these by recency.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta
from typing import Literal

import feedparser
from pydantic import Field, field_validator

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.base import FetchContext, SourceOptions, SourceResult
from daily_ai_summary.sources.http import Http, first_items, policy_of
from daily_ai_summary.sources.text import clean_title, collapse, in_window, truncate

DEFAULT_URL = "https://export.arxiv.org"
ABS = "https://arxiv.org/abs/{}"


class ArxivOptions(SourceOptions):
    type: Literal["arxiv"] = "arxiv"
    url: str | None = Field(None, description=f"the arXiv API (default {DEFAULT_URL})")
    categories: list[str] = Field(
        default_factory=lambda: ["cs.LG"],
        min_length=1,
        description="arXiv categories, read in one request (arXiv allows one every 3 s)",
    )

    @field_validator("categories")
    @classmethod
    def _category_names(cls, value: list[str]) -> list[str]:
        for cat in value:
            if not re.fullmatch(r"[a-z-]+(\.[A-Za-z-]+)?", cat):
                raise ValueError(f"not an arXiv category: {cat!r} (expected e.g. cs.LG)")
        return value

    @property
    def label(self) -> str:
        return "arxiv " + ",".join(self.categories)


def search_query(categories: list[str], start: datetime, end: datetime) -> str:
    """The ``search_query`` for submissions in [start, end) (arXiv's range is inclusive)."""
    last = end - timedelta(minutes=1)
    cats = " OR ".join(f"cat:{c}" for c in categories)
    cats = f"({cats})" if len(categories) > 1 else cats
    return f"{cats} AND submittedDate:[{start:%Y%m%d%H%M} TO {last:%Y%m%d%H%M}]"


def _when(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None


def arxiv_id(entry_id: str) -> str:
    """``http://arxiv.org/abs/2012.11345v1`` -> ``2012.11345``."""
    tail = entry_id.split("/abs/", 1)[-1]
    return re.sub(r"v\d+$", "", tail)


def parse_feed(body: bytes, label: str) -> list[Candidate]:
    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        raise SourceError(f"{label}: the answer is not an Atom feed", source=label)
    out = []
    for e in first_items(feed.entries):
        entry_id = str(e.get("id") or "")
        if "/api/errors" in entry_id:  # arXiv reports a bad query as a feed with one "Error" entry
            raise SourceError(
                f"{label}: arXiv rejected the query: {collapse(e.get('summary', ''))[:200]}",
                source=label,
            )
        pid = arxiv_id(entry_id)
        if not pid:
            continue
        authors = [a.get("name") for a in e.get("authors") or [] if a.get("name")]
        primary = e.get("arxiv_primary_category") or {}
        raw_title = str(e.get("title") or "")
        out.append(
            Candidate(
                source=label,
                source_type="arxiv",
                id=pid,
                title=clean_title(raw_title),
                raw_title=raw_title,
                url=ABS.format(pid),
                link=None,
                text=truncate(collapse(str(e.get("summary") or ""))),
                created=_when(e),
                author=(", ".join(authors[:3]) + (" et al." if len(authors) > 3 else "")) or None,
                flair=primary.get("term") if isinstance(primary, dict) else None,
            )
        )
    return out


async def fetch(options: ArxivOptions, ctx: FetchContext) -> SourceResult:
    label = options.label
    http = Http(ctx.http, source=label, policy=policy_of(ctx))
    url = (options.url or DEFAULT_URL).rstrip("/") + "/api/query"
    params: dict[str, str | int] = {
        "search_query": search_query(options.categories, ctx.window_start, ctx.window_end),
        "sortBy": "submittedDate",
        "sortOrder": "descending",
        "start": 0,
        "max_results": options.limit,
    }
    resp = await http.get_bytes(url, params=params)
    entries = parse_feed(resp.content, label)
    # The query already asks for the window; filter again in case a mirror ignores it.
    kept = [c for c in entries if in_window(c.created, ctx.window_start, ctx.window_end)]
    warnings = []
    if len(kept) < len(entries):
        warnings.append(
            f"{label}: dropped {len(entries) - len(kept)} entries submitted outside the window"
        )
    return SourceResult(kept[: options.limit], warnings)
