"""Sources that reach the past: the plan for a post a year back (2025-12-04, covering
2025-12-03) asks Hacker News (Algolia numericFilters on created_at_i), arXiv (submittedDate
range) and Hugging Face papers (?date=) for exactly that day, and keeps only that day.

The payloads are our own, in the recorded shapes (../shared/fixtures has none that old): each
API serves stories of the day before, the day itself and the day after, so a source that
ignored the date would bring in the neighbours."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from daily_ai_summary.pipeline import collect, make_plan
from daily_ai_summary.sources.base import Credentials
from daily_ai_summary.sources.http import build_client
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.sources_fake import hf_paper, hn_hit

NOW = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
POST_DATE = date(2025, 12, 4)
DAY = datetime(2025, 12, 3, tzinfo=UTC)  # the day the post covers
NEIGHBOURS = {"before": DAY - timedelta(days=1), "on": DAY, "after": DAY + timedelta(days=1)}


def config(url: str) -> str:
    return f"""\
consequences:
  count: 1
  sources:
    - type: hackernews
      query: AI
      min-score: 10
      url: {url}
trending:
  count: 3
  sources:
    - type: arxiv
      categories: [cs.LG]
      url: {url}
    - type: huggingface-papers
      url: {url}
"""


def test_a_post_a_year_back_gets_that_days_stories_from_each_dated_source(tmp_path: Path, fake) -> None:
    for n, (name, start) in enumerate(NEIGHBOURS.items()):
        fake.add_hn_hits([hn_hit(id=4600000 + n, title=f"AI story on HN {name}", points=120, num_comments=40,
                                 created_at_i=int((start + timedelta(hours=12)).timestamp()), url=f"https://example.org/{name}")])
        fake.add_arxiv_entries([{"id": f"2512.0000{n}", "title": f"arXiv paper {name}", "summary": "s",
                                 "published": start + timedelta(hours=9), "categories": ["cs.LG"]}])
        fake.add_hf_papers(start.date(), [hf_paper(id=f"2512.1000{n}", title=f"HF paper {name}", summary="s",
                                                   day=start.date(), upvotes=30)])
    fake.now = NOW
    repo = make_blog(tmp_path / "blog", fake.url)
    (repo / ".github" / "daily-ai-summary.yml").write_text(config(fake.url))

    plan = make_plan(repo, date_input=POST_DATE.isoformat(), now=NOW)
    assert (plan.window_start, plan.window_end, plan.is_today) == (DAY, DAY + timedelta(days=1), False)

    async def go():
        async with build_client() as http:
            return await collect(plan, http, Credentials())

    found, reports = asyncio.run(go())
    assert all(r.ok for r in reports), [r.error for r in reports]
    titles = sorted(c.title for cs in found.values() for c in cs)
    assert titles == ["AI story on HN on", "HF paper on", "arXiv paper on"]

    (hn,) = fake.calls("GET", "/api/v1/search_by_date")
    start, end = int(DAY.timestamp()), int((DAY + timedelta(days=1)).timestamp())
    assert hn.arg("numericFilters").startswith(f"created_at_i>={start},created_at_i<{end}")
    (arxiv,) = fake.calls("GET", "/api/query")
    assert "submittedDate:[202512030000 TO 202512032359]" in arxiv.arg("search_query")
    (hf,) = fake.calls("GET", "/api/daily_papers")
    assert hf.arg("date") == "2025-12-03"
