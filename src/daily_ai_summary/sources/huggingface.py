"""Hugging Face daily papers: ``GET {url}/api/daily_papers?date=YYYY-MM-DD``.

The date asked for is the day the window covers (``window_start``'s date). HF lists papers per
day of submission to the daily page, so there is no further time filtering; weekends and
holidays may be empty. Score is the paper's upvotes, comments the discussion's comment count.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.base import FetchContext, SourceOptions, SourceResult
from daily_ai_summary.sources.http import Http, first_items, policy_of
from daily_ai_summary.sources.text import clean_title, collapse, parse_iso, truncate

DEFAULT_URL = "https://huggingface.co"
PAPER_PAGE = "https://huggingface.co/papers/{}"
ARXIV_ABS = "https://arxiv.org/abs/{}"


class HuggingFacePapersOptions(SourceOptions):
    type: Literal["huggingface-papers"] = "huggingface-papers"
    url: str | None = Field(None, description=f"the Hugging Face API (default {DEFAULT_URL})")

    @property
    def label(self) -> str:
        return "huggingface papers"


def _authors(paper: dict[str, Any]) -> str | None:
    names = [
        str(a["name"]) for a in paper.get("authors") or [] if isinstance(a, dict) and a.get("name")
    ]
    if not names:
        return None
    return ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")


def item_to_candidate(item: dict[str, Any], label: str) -> Candidate:
    """One daily-papers item as a Candidate (pure)."""
    raw_paper = item.get("paper")
    paper: dict[str, Any] = raw_paper if isinstance(raw_paper, dict) else {}
    paper_id = str(paper.get("id") or "")
    raw_title = str(item.get("title") or paper.get("title") or "")
    summary = str(item.get("summary") or paper.get("summary") or "")
    return Candidate(
        source=label,
        source_type="huggingface-papers",
        id=paper_id,
        title=clean_title(raw_title),
        raw_title=raw_title,
        url=PAPER_PAGE.format(paper_id),
        link=ARXIV_ABS.format(paper_id),
        text=truncate(collapse(summary)),
        score=float(paper.get("upvotes") or 0),
        comments=int(item.get("numComments") or 0),
        created=parse_iso(paper.get("submittedOnDailyAt")) or parse_iso(item.get("publishedAt")),
        author=_authors(paper),
    )


def parse_papers(payload: Any, label: str) -> list[Candidate]:
    if not isinstance(payload, list):
        raise SourceError(f"{label}: expected a JSON array of papers", source=label)
    return [
        item_to_candidate(i, label)
        for i in first_items(payload)
        if isinstance(i, dict) and isinstance(i.get("paper"), dict) and i["paper"].get("id")
    ]


async def fetch(options: HuggingFacePapersOptions, ctx: FetchContext) -> SourceResult:
    label = options.label
    http = Http(ctx.http, source=label, policy=policy_of(ctx))
    day = ctx.window_start.date().isoformat()
    url = (options.url or DEFAULT_URL).rstrip("/") + "/api/daily_papers"
    papers = parse_papers(await http.get_json(url, params={"date": day, "limit": 100}), label)
    warnings = [] if papers else [f"{label}: no papers listed for {day}"]
    papers.sort(key=lambda c: (c.score, c.comments), reverse=True)
    return SourceResult(papers[: options.limit], warnings)
