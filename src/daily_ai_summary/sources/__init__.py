"""Sources: the registry of source types and ``collect()``, which fetches them all at once.

    async with build_client() as http:
        ctx = FetchContext(http, window_start, window_end, is_today=True, credentials=creds)
        by_section, reports = await collect([("consequences", RedditOptions(subreddit="...")), ...], ctx)

Adding a source type is one module (options model + ``fetch``) and one line in ``SOURCE_TYPES``
and ``FETCHERS``. ``config.py`` builds a discriminated union on ``type`` over
``SOURCE_TYPES.values()``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate, Section, SourceReport
from daily_ai_summary.sources import arxiv, feed, hackernews, huggingface, reddit
from daily_ai_summary.sources.arxiv import ArxivOptions
from daily_ai_summary.sources.base import Credentials, FetchContext, SourceOptions, SourceResult
from daily_ai_summary.sources.feed import FeedOptions
from daily_ai_summary.sources.hackernews import HackerNewsOptions
from daily_ai_summary.sources.http import HttpPolicy, build_client, policy_of
from daily_ai_summary.sources.huggingface import HuggingFacePapersOptions
from daily_ai_summary.sources.reddit import RedditOptions
from daily_ai_summary.sources.text import clean_title, strip_html

__all__ = [
    "SOURCE_TYPES",
    "ArxivOptions",
    "Credentials",
    "FeedOptions",
    "FetchContext",
    "HackerNewsOptions",
    "HttpPolicy",
    "HuggingFacePapersOptions",
    "RedditOptions",
    "SourceOptions",
    "SourceResult",
    "build_client",
    "clean_title",
    "collect",
    "fetch_one",
    "strip_html",
]

SOURCE_TYPES: dict[str, type[SourceOptions]] = {
    "reddit": RedditOptions,
    "hackernews": HackerNewsOptions,
    "huggingface-papers": HuggingFacePapersOptions,
    "arxiv": ArxivOptions,
    "feed": FeedOptions,
}

Fetch = Callable[[Any, FetchContext], Awaitable[SourceResult]]
FETCHERS: dict[str, Fetch] = {
    "reddit": reddit.fetch,
    "hackernews": hackernews.fetch,
    "huggingface-papers": huggingface.fetch,
    "arxiv": arxiv.fetch,
    "feed": feed.fetch,
}

GRACE = 5.0  # seconds past a source's HTTP budget before collect() gives up on it


async def fetch_one(options: SourceOptions, ctx: FetchContext) -> SourceResult:
    """Fetch one configured source. Raises ``SourceError`` when it fails."""
    try:
        fetch = FETCHERS[options.type]
    except KeyError:
        raise SourceError(f"unknown source type {options.type!r}", source=options.label) from None
    return await fetch(options, ctx)


async def _report(
    section: Section, options: SourceOptions, ctx: FetchContext
) -> tuple[list[Candidate], SourceReport]:
    label = options.label
    started = time.monotonic()
    budget = policy_of(ctx).budget + GRACE
    error: str | None = None
    blocked = False
    result = SourceResult([])
    try:
        result = await asyncio.wait_for(fetch_one(options, ctx), timeout=budget)
    except SourceError as err:
        error = err.message if err.message.startswith(label) else f"{label}: {err.message}"
        blocked = err.blocked
    except TimeoutError:
        error = f"{label}: did not finish within {budget:g}s"
    except Exception as exc:  # noqa: BLE001 - one broken source must not sink the others
        error = f"{label}: unexpected {type(exc).__name__}: {str(exc)[:200]}"
    report = SourceReport(
        source=label,
        section=section,
        ok=error is None,
        fetched=len(result.candidates),
        error=error,
        warnings=list(result.warnings),
        seconds=round(time.monotonic() - started, 3),
        blocked=blocked,
    )
    return result.candidates, report


async def collect(
    plan_sources: Sequence[tuple[Section, SourceOptions]], ctx: FetchContext
) -> tuple[dict[Section, list[Candidate]], list[SourceReport]]:
    """Fetch every source concurrently. Never raises for a failed source: its report says
    ``ok=False`` with the error, and the others still count. Sections keep config order; every
    section named in ``plan_sources`` has a (possibly empty) list."""
    outcomes = await asyncio.gather(
        *(_report(section, opts, ctx) for section, opts in plan_sources)
    )
    by_section: dict[Section, list[Candidate]] = {}
    for (section, _), (candidates, _) in zip(plan_sources, outcomes, strict=True):
        by_section.setdefault(section, []).extend(candidates)
    return by_section, [r for _, r in outcomes]
