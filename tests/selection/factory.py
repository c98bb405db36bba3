"""Builders for selection tests: candidates and configs with only what a test cares about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from daily_ai_summary.config import Config, parse_config
from daily_ai_summary.models import Candidate
from tests.config.options import REGISTRY

_ids = count(1)
DAY = datetime(2025, 4, 15, tzinfo=UTC)  # the window of the 2025-04-16 post

ML = "reddit r/MachineLearning"
NEWS = "reddit r/machinelearningnews"


def cand(
    title: str,
    *,
    source: str = ML,
    score: float = 10,
    comments: int = 0,
    url: str | None = None,
    link: str | None = None,
    hour: float = 12,
    **extra,
) -> Candidate:
    n = next(_ids)
    source_type = "feed" if source.startswith("feed") else "reddit"
    return Candidate(
        source=source,
        source_type=source_type,
        id=f"t3_{n:05d}",
        title=title,
        raw_title=extra.pop("raw_title", title),
        url=url or f"https://www.reddit.com/r/x/comments/{n:05d}/slug/",
        link=link,
        score=0 if source_type == "feed" else score,
        comments=0 if source_type == "feed" else comments,
        created=DAY + timedelta(hours=hour),
        **extra,
    )


def config(text: str = "", **counts: int) -> Config:
    """The default config (r/MachineLearning -> consequences, r/machinelearningnews ->
    trending), with ``text`` YAML on top and optional section counts."""
    for section, n in counts.items():
        text += f"{section}:\n  count: {n}\n"
    return parse_config(text, source_types=REGISTRY)
