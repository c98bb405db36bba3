"""Rewrite: the located tasks -> changes, with the model (minimal: only the targeted part).

The model gets only the located part's current text, the reviewer's request (fenced as data,
like the sources) and the item's source excerpt from the PR's metadata; never the front matter
or other sections. Answers are validated by the writer's paragraph rules and re-asked once when
rejected. ``drop`` needs no model; ``replace`` takes the next unused runner-up from the PR's
metadata and writes its paragraphs afresh.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openai
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from daily_ai_summary.context import RunContext
from daily_ai_summary.errors import LLMError
from daily_ai_summary.log import Log
from daily_ai_summary.models import Candidate, Usage
from daily_ai_summary.post import Post, clean_text
from daily_ai_summary.providers import ProviderSettings
from daily_ai_summary.report import candidate_from_meta
from daily_ai_summary.revise.commands import Change, Target, unused_runner_up
from daily_ai_summary.revise.locate import Located
from daily_ai_summary.revise.request import Request, cost_text
from daily_ai_summary.writer import (
    ASK_WORDS,
    MAX_EVENT_CHARS,
    CallCap,
    ItemText,
    PredictionText,
    Prompts,
    answer_when,
    ask,
    builtin_prompts,
    clean_paragraph,
    fence,
    item_messages,
    load_prompts,
)
from daily_ai_summary.writer.messages import language_instruction
from daily_ai_summary.writer.validate import context_language

LLM_CONCURRENCY = 4
LLM_BUDGET = 150.0  # seconds per call, retries included
SOURCE_CHARS = 1500
MAX_TRENDING_CHARS = 200

# --------------------------------------------------------------------------------------
# Prompts and answer models (pure)
# --------------------------------------------------------------------------------------


class Paragraph(BaseModel):
    """One revised benefits or ramifications paragraph."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        description=f"the complete revised paragraph: 2-4 sentences ({ASK_WORDS[0]}-{ASK_WORDS[1]} words) of plain prose"
    )

    @field_validator("text")
    @classmethod
    def _paragraph(cls, v: str, info: ValidationInfo) -> str:
        return clean_paragraph(v, language=context_language(info))


_MARKUP = re.compile(r"https?://|www\.|<|>|\{\{|`|\[|\]|\*\*|__")


class TrendingTitle(BaseModel):
    """One revised trending line: a short plain-text title."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(
        description=f"the revised line: plain text, one line, at most {MAX_TRENDING_CHARS} characters"
    )

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        v = clean_text(v).strip("*_ ")
        if len(v) < 3:
            raise ValueError("is empty or too short")
        if len(v) > MAX_TRENDING_CHARS:
            raise ValueError(f"is longer than {MAX_TRENDING_CHARS} characters")
        if _MARKUP.search(v):
            raise ValueError("must be plain text: no links, HTML, code or Markdown")
        return v


def _one_line(value: object) -> str:
    return clean_text(str(value))


def _nonce(data: str) -> str:
    while True:
        nonce = secrets.token_hex(8)
        if nonce not in data:
            return nonce


def source_block(c: Candidate | None, title: str) -> str:
    """The discussion an item is about, as the model sees it (from the PR's metadata)."""
    if c is None:
        return f"Discussion title: {_one_line(title)}\n(no source excerpt recorded)"
    text = " ".join((c.text or "").split())
    if len(text) > SOURCE_CHARS:
        text = text[:SOURCE_CHARS].rsplit(" ", 1)[0] + " [...]"
    return "\n".join(
        [
            f"Discussion title: {_one_line(c.title)}",
            f"Source: {_one_line(c.source)}",
            f"Engagement: {int(c.score)} points, {c.comments} comments",
            "Text:",
            text or "(no text)",
        ]
    )


def _messages(
    what: str,
    fields: str,
    request: str,
    current: str,
    context: str,
    *,
    today: date | None = None,
    prompts: Prompts | None = None,
) -> list[dict[str, str]]:
    data = (
        f"Reviewer's request:\n{request.strip()}\n\nCurrent text:\n{current}\n\nContext:\n{context}"
    )
    nonce = _nonce(data)
    prompts = prompts or builtin_prompts()
    rules = prompts.render("revise-rules", min_words=ASK_WORDS[0], max_words=ASK_WORDS[1])
    system = prompts.render("revise", what=what, rules=rules, nonce=nonce, fields=fields)
    if today is not None:
        system += f"\nToday is {today.isoformat()}; a prediction's month must be later than today."
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": "Revise the text as requested.\n\n" + fence(data, nonce)},
    ]


def paragraph_messages(
    kind: str,
    current: str,
    request: str,
    source: Candidate | None,
    title: str,
    *,
    prompts: Prompts | None = None,
) -> list[dict[str, str]]:
    """Rewrite one paragraph (``kind`` is benefits or ramifications) of an item."""
    label = "Benefits" if kind == "benefits" else "Ramifications"
    what = f"the '{label}' paragraph of the item about one discussion ({'the concrete good that could follow' if kind == 'benefits' else 'the concrete risks, costs or downsides'})"
    return _messages(
        what,
        'the string field "text"',
        request,
        f"{label}: {current}",
        source_block(source, title),
        prompts=prompts,
    )


def item_revision_messages(
    benefits: str,
    ramifications: str,
    request: str,
    source: Candidate | None,
    title: str,
    *,
    prompts: Prompts | None = None,
) -> list[dict[str, str]]:
    """Rewrite both paragraphs of one item."""
    current = f"Benefits: {benefits}\nRamifications: {ramifications}"
    return _messages(
        "one item about a discussion: a 'benefits' paragraph and a 'ramifications' paragraph",
        'the string fields "benefits" and "ramifications"',
        request,
        current,
        source_block(source, title),
        prompts=prompts,
    )


def prediction_revision_messages(
    event: str,
    when: str,
    rationale: str,
    request: str,
    *,
    today: date,
    prompts: Prompts | None = None,
) -> list[dict[str, str]]:
    """Rewrite one prediction; the event itself is fixed (it comes from the configuration)."""
    current = f"Event: {_one_line(event)}\nWhen: {when}\nRationale: {rationale}"
    return _messages(
        "one prediction of when a future event will happen, with its rationale",
        f'the string fields "event" (copied exactly: {_one_line(event)[:MAX_EVENT_CHARS]}), "when" (a month name and a four-digit year) and "rationale"',
        request,
        current,
        "(the event is fixed; only when and why may change)",
        today=today,
        prompts=prompts,
    )


def trending_messages(
    title: str, request: str, source: Candidate | None, *, prompts: Prompts | None = None
) -> list[dict[str, str]]:
    """Rewrite one trending line (normally the discussion's own title)."""
    return _messages(
        "one line of the 'currently trending topics' list, normally the discussion's own title",
        'the string field "title"',
        request,
        title,
        source_block(source, title),
        prompts=prompts,
    )


# --------------------------------------------------------------------------------------
# Tasks -> changes (the model calls)
# --------------------------------------------------------------------------------------

Ask = Callable[..., Awaitable[tuple[Any, Usage]]]


def _source(meta: dict[str, Any], section: str, title: str) -> Candidate | None:
    for d in meta.get("items" if section == "consequences" else "trending", []):
        if d.get("title") == title:
            return candidate_from_meta(d)
    return None


def _distinct(item: ItemText) -> ItemText:
    if " ".join(item.benefits.lower().split()) == " ".join(item.ramifications.lower().split()):
        raise ValueError("benefits and ramifications are identical; write two different paragraphs")
    return item


class Rewriter:
    """Turns tasks into changes with the model. ``ask`` is ``writer.ask`` bound to a client."""

    def __init__(
        self,
        ask_fn: Ask,
        post: Post,
        meta: dict[str, Any],
        post_date: date,
        prompts: Prompts | None = None,
        language: str = "en",
    ) -> None:
        self.prompts = prompts or builtin_prompts()
        self.language = language  # the blog's (BCP 47): a revised "when" is read in it
        self.ask = ask_fn
        self.post = post
        self.meta = meta
        self.post_date = post_date
        self.taken: set[str | None] = set()  # runner-ups already given to a request in this run
        self.semaphore = asyncio.Semaphore(LLM_CONCURRENCY)

    async def _ask(
        self,
        req: Request,
        kind: type[Any],
        messages: list[dict[str, str]],
        label: str,
        check: Callable[[Any], Any] | None = None,
    ) -> Any:
        async with self.semaphore:
            result, usage = await self.ask(kind, messages, label=label, check=check)
        req.usage = req.usage + usage
        return result

    async def run(self, req: Request) -> None:
        assert req.task is not None
        task = req.task
        if task.action == "drop":
            req.changes = [Change("drop", t) for t in task.targets]
            return
        if task.action == "replace":
            req.changes = [await self._replace(req, t) for t in task.targets]
            return
        request = (
            task.instruction if task.action == "rewrite" else self.prompts.render("regenerate")
        )
        changes = await asyncio.gather(
            *(
                self._rewrite(req, t, request, regenerate=task.action == "regenerate")
                for t in task.targets
            )
        )
        req.changes = [c for c in changes if c is not None]

    async def _replace(self, req: Request, t: Target) -> Change:
        key = "runners_up" if t.section == "consequences" else "trending_runners_up"
        pool = dict(self.meta)
        pool[key] = [
            c
            for c in self.meta.get(key) or []
            if (c.get("url") or c.get("title")) not in self.taken
        ]
        runner = unused_runner_up(pool, key)
        if runner is None:
            what = "discussions" if t.section == "consequences" else "trending topics"
            raise _Refused(
                f"there are no runner-up {what} left to replace {t.describe()} with. Use `drop` instead, or `regenerate`."
            )
        self.taken.add(runner.get("url") or runner.get("title"))
        req.runner_ups[t.key] = runner
        c = candidate_from_meta(runner)
        if t.section == "trending":
            return Change("replace", t, {"title": c.title})
        written = await self._ask(
            req,
            ItemText,
            item_messages(c, prompts=self.prompts),
            f"replacement for item {t.number}",
            _distinct,
        )
        return Change(
            "replace",
            t,
            {
                "title": c.title,
                "benefits": written.benefits,
                "ramifications": written.ramifications,
            },
        )

    async def _rewrite(
        self, req: Request, t: Target, request: str, *, regenerate: bool
    ) -> Change | None:
        post = self.post
        if t.section == "consequences":
            item = post.consequences[t.index]
            source = _source(self.meta, "consequences", item.title)
            if regenerate:
                c = source or Candidate(source="", source_type="", id="", title=item.title, url="")
                written = await self._ask(
                    req,
                    ItemText,
                    item_messages(c, prompts=self.prompts),
                    f"item {t.number}",
                    _distinct,
                )
                values = {"benefits": written.benefits, "ramifications": written.ramifications}
            elif t.field in ("benefits", "ramifications"):
                current = getattr(item, t.field)
                para = await self._ask(
                    req,
                    Paragraph,
                    paragraph_messages(
                        t.field, current, request, source, item.title, prompts=self.prompts
                    ),
                    t.describe(),
                )
                values = {t.field: para.text}
            else:
                written = await self._ask(
                    req,
                    ItemText,
                    item_revision_messages(
                        item.benefits,
                        item.ramifications,
                        request,
                        source,
                        item.title,
                        prompts=self.prompts,
                    ),
                    t.describe(),
                    _distinct,
                )
                values = {"benefits": written.benefits, "ramifications": written.ramifications}
            if t.field in ("benefits", "ramifications"):
                values = {t.field: values[t.field]}
            same = all(getattr(item, k) == v for k, v in values.items())
        elif t.section == "trending":
            line = post.trending[t.index]
            answer = await self._ask(
                req,
                TrendingTitle,
                trending_messages(
                    line.title,
                    request,
                    _source(self.meta, "trending", line.title),
                    prompts=self.prompts,
                ),
                t.describe(),
            )
            values = {"title": answer.title}
            same = answer.title == line.title
        else:
            p = post.predictions[t.index]

            def later(result: PredictionText) -> PredictionText:
                _, year, month = answer_when(result.when, self.language)
                if (year, month) <= (self.post_date.year, self.post_date.month):
                    raise ValueError(
                        f"when: {result.when} is not after the post's month ({self.post_date:%B %Y})"
                    )
                return result

            answer = await self._ask(
                req,
                PredictionText,
                prediction_revision_messages(
                    p.event,
                    p.when,
                    p.rationale,
                    request,
                    today=self.post_date,
                    prompts=self.prompts,
                ),
                t.describe(),
                later,
            )
            values = {"when": answer.when, "rationale": answer.rationale}
            same = (p.when, p.rationale) == (answer.when, answer.rationale)
        return None if same else Change("set", t, values)


class _Refused(Exception):
    pass


async def rewrite_all(requests: list[Request], rewriter: Rewriter) -> None:
    """Run every pending request's model calls concurrently (bounded); a request whose calls
    fail is marked failed, the others go on."""

    async def one(req: Request) -> None:
        try:
            await rewriter.run(req)
        except _Refused as exc:
            req.refuse(str(exc)[0].upper() + str(exc)[1:])
        except LLMError as exc:
            req.fail(f"The model could not do it: {exc}")

    await asyncio.gather(
        *(one(r) for r in requests if r.task is not None and r.status == "pending")
    )


# --------------------------------------------------------------------------------------
# The stage
# --------------------------------------------------------------------------------------


@dataclass
class Rewritten:
    """The requests with their changes (or failures), and what the model calls cost."""

    located: Located
    model: str
    usage: Usage

    @property
    def done(self) -> list[Request]:
        """The requests with changes to publish."""
        return [r for r in self.located.steering.requests if r.status == "done"]


def rewrite(ctx: RunContext, located: Located, *, log: Log) -> Rewritten:
    """Ask the model for every located task (concurrently, bounded); a request whose calls
    fail is marked failed, the others go on. Requests with changes are then ``done``."""
    requests = located.steering.requests
    total = Usage(cost_usd=0.0)
    model = ""
    if any(r.task is not None for r in requests):
        settings = ctx.provider()
        model = settings.model
        with log.group(f"Revise: write with {settings.model} ({settings.name})"):
            asyncio.run(_rewrite(ctx, settings, requests, located.post, located.steering.meta))
            for r in requests:
                total = total + r.usage
            log.info(f"{total.calls} model calls, {total.total_tokens} tokens, {cost_text(total)}")
    for r in requests:
        if r.status == "pending":
            r.status = "done" if r.changes else "unchanged"
    return Rewritten(located, model, total)


async def _rewrite(
    ctx: RunContext,
    settings: ProviderSettings,
    requests: list[Request],
    post: Post,
    meta: dict[str, Any],
) -> None:
    config = ctx.blog_config()
    prompts = load_prompts(Path(ctx.runner.workspace), config.prompts.overrides())
    language = config.language_settings()
    # the blog's language: every system prompt asks for it ('' for English)
    instruction = language_instruction(prompts, language)
    client: openai.AsyncOpenAI = ctx.clients.llm(settings)
    cap = CallCap()  # MAX_LLM_CALLS for the whole revision run, however many commands
    try:

        async def bound(
            kind: type[Any],
            messages: list[dict[str, str]],
            *,
            label: str,
            check: Callable[[Any], Any] | None = None,
        ) -> tuple[Any, Usage]:
            if instruction:
                messages = [
                    {**m, "content": m["content"] + instruction} if m["role"] == "system" else m
                    for m in messages
                ]
            return await ask(
                client,
                settings.model,
                kind,
                messages,
                label=label,
                check=check,
                budget_seconds=LLM_BUDGET,
                provider=settings.name,
                cap=cap,
                language=language.tag,
            )

        day = _post_date(meta, post, ctx.hooks.clock.now().date())
        await rewrite_all(requests, Rewriter(bound, post, meta, day, prompts, language.tag))
    finally:
        await client.close()


def _post_date(meta: dict[str, Any], post: Post, today: date) -> date:
    try:
        return date.fromisoformat(str(meta.get("date")))
    except ValueError:
        return post.date.date() if post.date else today
