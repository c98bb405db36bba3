"""Shared helpers for tests/sources (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from daily_ai_summary.sources import FetchContext, build_client, fetch_one
from daily_ai_summary.sources.base import Credentials, SourceOptions, SourceResult
from daily_ai_summary.sources.http import HttpPolicy

DATA = Path(__file__).parent / "data"


class Sleeps(list):
    """An injectable sleep that records each wait and barely waits."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0.001)





def day_window(day: datetime) -> tuple[datetime, datetime]:
    start = day.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=UTC)
    return start, start + timedelta(days=1)


def make_ctx(
    http: Any,
    window: tuple[datetime, datetime],
    *,
    is_today: bool = True,
    credentials: Credentials | None = None,
    policy: HttpPolicy | None = None,
) -> FetchContext:
    ctx = FetchContext(http, window[0], window[1], is_today=is_today, credentials=credentials or Credentials())
    if policy is not None:
        ctx.http_policy = policy  # read by sources.http.policy_of
    return ctx


def fetch(
    options: SourceOptions,
    window: tuple[datetime, datetime],
    *,
    fn: Callable[..., Awaitable[SourceResult]] | None = None,
    **ctx_kw: Any,
) -> SourceResult:
    """Run one source against the fake and return its result (or raise its SourceError)."""

    async def go() -> SourceResult:
        async with build_client() as http:
            ctx = make_ctx(http, window, **ctx_kw)
            return await (fn(options, ctx) if fn else fetch_one(options, ctx))

    return asyncio.run(go())


def cassette_body(path: Path, uri_part: str) -> bytes:
    """The recorded response body of the first interaction whose URI contains ``uri_part``."""
    data = json.loads(path.read_text("utf-8"))
    for interaction in data["interactions"]:
        if uri_part in interaction["request"]["uri"]:
            return interaction["response"]["body"]["string"].encode("utf-8")
    raise LookupError(f"{uri_part} not in {path.name}")
