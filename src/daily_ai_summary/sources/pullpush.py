"""Reddit's past through the PullPush archive: a subreddit's submissions between two instants.

Reddit's listings have no date parameter and reach back about a month (a top-of-year listing
holds few posts of any one day), so a Reddit source with ``archive: pullpush`` reads a date
older than that from ``{archive-url}/reddit/search/submission/?subreddit=&after=&before=``
(epoch seconds; ``sort_type=score``, ``size`` up to 100). Its items are archived ``t3`` data,
read by the same parser as a listing, and labelled "(PullPush archive)", which the PR body and
job summary show next to each item. The archive is a volunteer service: when it fails, the
Reddit source says so in a warning and falls back to the listing (``reddit.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.base import FetchContext, SourceResult
from daily_ai_summary.sources.http import Http, policy_of
from daily_ai_summary.sources.text import in_window

ARCHIVE_LABEL = "PullPush archive"
MAX_SIZE = 100  # PullPush's page size cap


Parse = Callable[[dict[str, Any], str], Candidate]  # reddit.post_to_candidate


def parse_search(payload: Any, label: str, parse: Parse) -> list[Candidate]:
    """The ``data`` array of a PullPush search as Candidates (pure)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise SourceError(f"{label}: the archive's answer has no 'data' list", source=label)
    return [parse(p, label) for p in payload["data"] if isinstance(p, dict)]


async def fetch_archive(
    *,
    subreddit: str,
    archive_url: str,
    label: str,
    limit: int,
    min_score: float | None,
    ctx: FetchContext,
    parse: Parse,
) -> SourceResult:
    """The window's submissions of ``subreddit``, best first. Raises ``SourceError``."""
    archived = f"{label} ({ARCHIVE_LABEL})"
    http = Http(ctx.http, source=archived, policy=policy_of(ctx))
    params: dict[str, str | int] = {
        "subreddit": subreddit,
        "after": int(ctx.window_start.timestamp()),
        "before": int(ctx.window_end.timestamp()),
        "size": min(MAX_SIZE, max(limit, 1) * 2),
        "sort": "desc",
        "sort_type": "score",
    }
    resp = await http.request(
        "GET", archive_url.rstrip("/") + "/reddit/search/submission/", params=params
    )
    found = parse_search(http.json_of(resp), archived, parse)
    kept = [c for c in found if in_window(c.created, ctx.window_start, ctx.window_end)]
    if min_score is not None:  # the source's own min-score, as the listing's items get it
        kept = [c for c in kept if c.score >= min_score]
    kept.sort(key=lambda c: c.score, reverse=True)
    note = f"{label}: {ctx.window_start:%Y-%m-%d} is older than Reddit's listings reach; read from the {ARCHIVE_LABEL}"
    return SourceResult(kept[:limit], [note])
