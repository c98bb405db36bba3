"""Write the post's LLM parts: benefits/ramifications per item, and the predictions.

One chat-completions call per consequences item and one for the predictions, all concurrent
under ``asyncio.Semaphore(concurrency)``, all inside one time budget (``llm.Run``). Trending
needs no LLM. Any failed call fails the whole write and cancels the calls still running.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import openai
from pydantic import BaseModel, Field

from daily_ai_summary.models import Candidate, Usage
from daily_ai_summary.writer.llm import Run, Sleep, call, client_timeout
from daily_ai_summary.writer.messages import item_messages, one_line, prediction_messages
from daily_ai_summary.writer.prompt import Prompts, builtin_prompts
from daily_ai_summary.writer.validate import (
    ItemText,
    Predictions,
    PredictionText,
    check_item,
    check_predictions,
)

Progress = Callable[[int, int, str], None]


class WrittenItem(BaseModel):
    candidate: Candidate
    title: str
    benefits: str
    ramifications: str


class WrittenPost(BaseModel):
    items: list[WrittenItem]
    predictions: list[PredictionText]
    usage: Usage
    response_format: str = "json_schema"  # or "json_object" after a fallback
    warnings: list[str] = Field(default_factory=list)


def _label(i: int, c: Candidate) -> str:
    title = one_line(c.title)
    return f"item {i} ({title[:57] + '...' if len(title) > 60 else title!r})"


async def write_post(
    client: openai.AsyncOpenAI,
    model: str,
    consequences: list[Candidate],
    events: list[str],
    *,
    concurrency: int = 4,
    budget_seconds: float = 300,
    on_progress: Progress | None = None,
    today: date | None = None,
    max_tokens: int = 1200,
    request_timeout: float | None = None,
    sleep: Sleep = asyncio.sleep,
    provider: str = "",
    prompts: Prompts | None = None,
) -> WrittenPost:
    """Write every consequences item and the predictions, concurrently, within the budget.

    ``on_progress(done, total, label)`` is called as each call finishes. ``today`` (default:
    the UTC date) is the date predictions must come after. ``request_timeout`` defaults to the
    client's read timeout; each request is also capped by what is left of the budget.
    ``sleep`` is injectable so tests can observe retry waits without spending them.
    ``provider`` (``ProviderSettings.name``) only tunes error messages (GitHub Models hints).
    ``prompts`` (default: the shipped ones) are the blog's prompts (``prompt.load_prompts``).
    Raises ``LLMError`` if any call fails; the other calls are cancelled.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    today = today or datetime.now(UTC).date()
    prompts = prompts or builtin_prompts()
    run = Run(
        client=client,
        model=model,
        semaphore=asyncio.Semaphore(concurrency),
        deadline=time.monotonic() + budget_seconds,
        budget=budget_seconds,
        request_timeout=request_timeout or client_timeout(client),
        max_tokens=max_tokens,
        sleep=sleep,
        provider=provider,
    )
    total = len(consequences) + (1 if events else 0)
    done = 0

    def finished(label: str) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, total, label)

    async def one_item(i: int, c: Candidate) -> WrittenItem:
        label = _label(i, c)
        text = await call(
            run,
            ItemText,
            item_messages(c, json_schema=run.json_schema, prompts=prompts),
            label,
            check_item,
        )
        finished(label)
        return WrittenItem(
            candidate=c, title=c.title, benefits=text.benefits, ramifications=text.ramifications
        )

    async def predictions() -> list[PredictionText]:
        if not events:
            return []
        messages = prediction_messages(
            events,
            [c.title for c in consequences],
            today=today,
            json_schema=run.json_schema,
            prompts=prompts,
        )
        result = await call(
            run, Predictions, messages, "predictions", check_predictions(events, today)
        )
        finished("predictions")
        return result.predictions

    # The predictions answer is the longest: start it first, so when the calls outnumber the
    # bound it is in the first wave rather than alone in the last.
    pred_task = asyncio.create_task(predictions())
    item_tasks = [asyncio.create_task(one_item(i, c)) for i, c in enumerate(consequences, 1)]
    tasks: list[asyncio.Task[Any]] = [*item_tasks, pred_task]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return WrittenPost(
        items=[t.result() for t in item_tasks],
        predictions=pred_task.result(),
        usage=run.usage(),
        response_format="json_schema" if run.json_schema else "json_object",
        warnings=run.warnings,
    )
