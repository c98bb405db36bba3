"""Data passed between pipeline stages. Pure data: no I/O here.

``Candidate``  one discussion found by a source (collect -> select -> write -> publish)
``SourceReport`` what one source did (fetched, failed, warned) for the job summary
``Usage``      tokens and cost of LLM calls (write -> report)
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Section = Literal["consequences", "trending"]


class Candidate(BaseModel):
    """One discussion, as a source reported it. Every text field is untrusted data."""

    model_config = ConfigDict(frozen=False)

    source: str = Field(
        description="label of the configured source, e.g. 'reddit r/MachineLearning'"
    )
    source_type: str = Field(description="reddit | hackernews | huggingface-papers | arxiv | feed")
    id: str = Field(
        description="stable id within the source (reddit t3 id, HN objectID, arXiv id...)"
    )
    title: str = Field(description="cleaned title ([D]/[R] tags and extra whitespace removed)")
    raw_title: str = ""
    url: str = Field(description="link to the discussion itself (permalink), never empty")
    link: str | None = Field(default=None, description="external link the discussion is about")
    text: str = Field(default="", description="self-text or summary, at most ~1500 characters")
    score: float = 0.0
    comments: int = 0
    created: datetime | None = None
    author: str | None = None
    flair: str | None = None
    stickied: bool = False
    nsfw: bool = False
    removed: bool = False
    rank: float = Field(default=0.0, description="explainable ranking score set by selection")
    rank_reason: str = ""


class SourceReport(BaseModel):
    """What happened to one configured source in this run."""

    source: str
    section: Section
    ok: bool
    fetched: int = 0
    error: str | None = None
    warnings: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    blocked: bool = False  # the service refused this runner (Reddit's 403 without OAuth)
    fallback: bool = False  # read as the section's fallback, because its own sources fell short


class Usage(BaseModel):
    """Token and cost accounting. ``cost_usd`` is None when the model's price is unknown."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None or other.cost_usd is None
            else self.cost_usd + other.cost_usd
        )
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=cost,
        )
