"""Write the post's LLM parts: benefits/ramifications per item, and the predictions.

One chat-completions call per consequences item and one for the predictions, all concurrent
under ``asyncio.Semaphore(concurrency)``, all inside one time budget (``llm.Run``). Trending
needs no LLM.

Degrade instead of failing (issue 17, and issue 11's poisoned items): a failed call never
cancels the others; an item that cannot be written is replaced by the next runner-up at its
place, or left out (``degrade.fill_section``); an answer with problems left after its re-ask is
kept with notes; predictions keep the events that have a usable answer. Each of these is a
``Degradation`` in the result, for the PR body, the job summary and the CLI. The write fails
only when a section has nothing usable, or on what every call shares (credentials, model).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import openai
from pydantic import BaseModel, Field

from daily_ai_summary.degrade import Degradation, fill_section
from daily_ai_summary.i18n import Language
from daily_ai_summary.models import Candidate, Usage
from daily_ai_summary.quality import grounding
from daily_ai_summary.writer.llm import CallCap, Run, Sleep, call, client_timeout
from daily_ai_summary.writer.messages import item_messages, one_line, prediction_messages
from daily_ai_summary.writer.prompt import Prompts, builtin_prompts
from daily_ai_summary.writer.review import (
    item_review,
    predictions_review,
    salvage_predictions,
    source_text,
)
from daily_ai_summary.writer.validate import (
    ItemText,
    Predictions,
    PredictionText,
    check_item,
    check_predictions,
)

Progress = Callable[[int, int, str], None]
ENGLISH_LANGUAGE = Language()


class WrittenItem(BaseModel):
    candidate: Candidate
    title: str
    benefits: str
    ramifications: str
    grounding: float | None = None  # share of the source's names and numbers used (quality.py)


class WrittenPost(BaseModel):
    items: list[WrittenItem]
    predictions: list[PredictionText]
    usage: Usage
    response_format: str = "json_schema"  # or "json_object" after a fallback
    warnings: list[str] = Field(default_factory=list)
    degradations: list[Degradation] = Field(default_factory=list)
    used_runners_up: list[Candidate] = Field(default_factory=list)
    reasks_succeeded: dict[str, int] = Field(default_factory=dict)  # by kind (reask.py)
    reasks_failed: dict[str, int] = Field(default_factory=dict)
    schema_mode: str = "strict"  # full | strict | json_object


def _label(i: int, c: Candidate) -> str:
    title = one_line(c.title)
    return f"item {i} ({title[:57] + '...' if len(title) > 60 else title!r})"


def _notes_kind(notes: list[str]) -> str:
    """Kind "length" when every note is a paragraph kept slightly outside the asked range."""
    return "length" if all(n.endswith("; kept") for n in notes) else "best-usable"


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
    forecast_history: str = "",
    max_jump_years: float = 5,
    runners_up: Sequence[Candidate] = (),
    full_schema: bool = False,
    local: bool = False,
    on_event: Callable[[str], None] | None = None,
    cap: CallCap | None = None,
    language: Language = ENGLISH_LANGUAGE,
) -> WrittenPost:
    """Write every consequences item and the predictions, concurrently, within the budget.

    ``on_progress(done, total, label)`` is called as each call finishes. ``today`` (default:
    the UTC date) is the date predictions must come after. ``request_timeout`` defaults to the
    client's read timeout; each request is also capped by what is left of the budget.
    ``sleep`` is injectable so tests can observe retry waits without spending them.
    ``provider`` (``ProviderSettings.name``) only tunes error messages (GitHub Models hints).
    ``prompts`` (default: the shipped ones) are the blog's prompts (``prompt.load_prompts``).
    ``forecast_history`` (the blog's own recent forecasts) goes to the predictions call, which
    must justify a "when" more than ``max_jump_years`` from their median.
    ``language`` (config ``language:``) is the language the model writes in and the answers
    are checked in.

    ``runners_up`` replace items that cannot be written; ``on_event`` hears every rejection
    and re-ask as it happens; ``full_schema`` sends the full JSON schema (endpoints that
    enforce it, see ``endpoint.py``); ``local`` sets our own sampling temperature; ``cap``
    shares a run's ``MAX_LLM_CALLS``. Raises ``LLMError`` only when a section has nothing
    usable, or for failures every call shares (credentials, unknown model).
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
        full_schema=full_schema,
        local=local,
        events=tuple(events),
        cap=cap or CallCap(),
        on_event=on_event,
        language=language.tag,
    )
    total = len(consequences) + (1 if events else 0)
    done = 0
    item_notes: dict[int, list[str]] = {}

    def finished(label: str) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, total, label)

    async def one_item(i: int, c: Candidate, swap: bool) -> WrittenItem:
        label = _label(i, c) + (" (runner-up)" if swap else "")
        answer = await call(
            run,
            ItemText,
            item_messages(c, json_schema=run.json_schema, prompts=prompts, language=language),
            label,
            check_item,
            review=item_review(c, prompts, language.tag),
            attempts=1 if swap else 2,  # a runner-up gets one more call, not two
        )
        text = answer.value
        item_notes[i] = answer.notes
        finished(label)
        return WrittenItem(
            candidate=c,
            title=c.title,
            benefits=text.benefits,
            ramifications=text.ramifications,
            grounding=grounding(source_text(c), [text.benefits, text.ramifications]),
        )

    async def predictions() -> tuple[list[PredictionText], list[str]]:
        if not events:
            return [], []
        messages = prediction_messages(
            events,
            [c.title for c in consequences],
            today=today,
            json_schema=run.json_schema,
            prompts=prompts,
            history=forecast_history,
            max_jump_years=max_jump_years,
            language=language,
        )
        answer = await call(
            run,
            Predictions,
            messages,
            "predictions",
            check_predictions(events, today, language.tag),
            review=predictions_review(prompts, language.tag),
            salvage=salvage_predictions(events, today, language.tag),
        )
        finished("predictions")
        return list(answer.value.predictions), answer.notes

    # The predictions answer is the longest: it takes the first slot, so when the calls
    # outnumber the bound it is in the first wave rather than alone in the last. (The items'
    # task only creates the item calls, which run after the predictions call has its slot.)
    items_task = asyncio.create_task(fill_section(consequences, runners_up, one_item))
    pred_task = asyncio.create_task(predictions())
    tasks = (items_task, pred_task)
    try:
        # A failed call never cancels the others: both sections finish, then errors count.
        await asyncio.wait(tasks)
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    errors = [e for e in (t.exception() for t in tasks) if e is not None]  # all retrieved
    if errors:
        raise errors[0]
    filled = items_task.result()
    preds, pred_notes = pred_task.result()
    degradations = list(filled.degradations)
    kept_at = {i: n for i, n in item_notes.items() if n}
    for i in sorted(kept_at):
        degradations.append(
            Degradation(
                kind=_notes_kind(kept_at[i]),
                where=f"item {i}",
                detail="kept with notes: " + "; ".join(kept_at[i]),
            )
        )
    if pred_notes:
        left_out = any("left out" in n for n in pred_notes)
        degradations.append(
            Degradation(
                kind="prediction-missing" if left_out else _notes_kind(pred_notes),
                where="predictions",
                detail="; ".join(pred_notes),
            )
        )
    for w in run.warnings:
        degradations.append(Degradation(kind="fallback", where="the endpoint", detail=w))
    return WrittenPost(
        items=filled.results,
        predictions=preds,
        usage=run.usage(),
        response_format="json_schema" if run.json_schema else "json_object",
        warnings=run.warnings,
        degradations=degradations,
        used_runners_up=filled.used_runners_up,
        reasks_succeeded=dict(run.stats.succeeded),
        reasks_failed=dict(run.stats.failed),
        schema_mode=run.schema_mode,
    )
