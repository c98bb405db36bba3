"""The boundary every source implements.

A source type is a module in this package with
  * an options model (subclass of ``SourceOptions``) - what the config file may say about it;
  * ``async def fetch(options, ctx) -> SourceResult``.
``sources/__init__.py`` registers them by ``type``; ``config.py`` builds its discriminated union
from that registry, so adding a source is adding one module and one registry line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from pydantic import BaseModel, ConfigDict, Field

from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.tokens import TokenCache

if TYPE_CHECKING:
    from daily_ai_summary.sources.http import HttpPolicy


def kebab(name: str) -> str:
    return name.replace("_", "-")


class SourceOptions(BaseModel):
    """Options shared by every source. Config keys are kebab-case (``min-score``)."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=kebab, populate_by_name=True, frozen=True
    )

    type: str = Field(description="the source type")
    url: str | None = Field(
        None,
        description="the service's address: point the source at a mirror, a proxy or a test server",
    )
    min_score: float | None = Field(
        None, description="this source's minimum score (overrides selection.min-score)"
    )
    limit: int = Field(50, description="at most this many items from this source")

    @property
    def label(self) -> str:
        """Human label for logs, the job summary and ``Candidate.source``."""
        return self.type


@dataclass
class Credentials:
    """Secrets a source may use. Never logged."""

    reddit_client_id: str = ""
    reddit_client_secret: str = ""
    # one OAuth token per run, shared by every source that uses these credentials
    tokens: TokenCache = field(default_factory=TokenCache, repr=False, compare=False)


@dataclass
class FetchContext:
    """Everything a source needs for one run. Clients are passed in, never global."""

    http: httpx.AsyncClient
    window_start: datetime  # inclusive, UTC
    window_end: datetime  # exclusive, UTC
    is_today: bool  # False for a backfill: sources that cannot look back must warn
    credentials: Credentials = field(default_factory=Credentials)
    http_policy: HttpPolicy | None = None
    now: datetime | None = (
        None  # the run's "now" (UTC); None: the wall clock  # retries and budgets; None: sources.http's default
    )


@dataclass
class SourceResult:
    candidates: list[Candidate]
    warnings: list[str] = field(default_factory=list)
