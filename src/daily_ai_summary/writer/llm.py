"""One structured chat-completions call, with its retries, time budget, fallback and usage.

Each call asks for Structured Outputs (``response_format`` ``json_schema``, strict, schema from
the answer model; the full schema for servers that enforce it, see ``schema``). An endpoint
that rejects the full schema gets the strict one; one that rejects ``json_schema`` (older
Azure deployments, some local servers) gets ``json_object`` plus the schema in the prompt, for
the rest of the run; pydantic validates either way.

A rejected answer (or one the review finds problems in) is asked again once, in a fresh
request that states the problems without echoing the answer (``reask``), with a new seed and,
on local servers, another temperature. The best usable answer is kept, with what is still
wrong as notes; only when no answer is usable does the call fail. Refusals, truncation
(``finish_reason == "length"``) and content filters fail at once with a message that says what
to change. Two caps (issue 11): ``MAX_ANSWER_BYTES`` per answer and ``MAX_LLM_CALLS`` per run.

HTTP failures: 429, 5xx, 408/409, timeouts and connection errors are retried with exponential
backoff that honours ``Retry-After``, ``retry-after-ms`` and ``x-ratelimit-reset-*``, but never
past the time budget: when the wait would not fit, the call fails saying so. 401/403 fail at
once (for GitHub Models: ``permissions: models: read``). Usage is counted per call and priced
with ``providers.cost_usd``.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx
import openai
from pydantic import BaseModel, ValidationError

from daily_ai_summary import log as _log
from daily_ai_summary.errors import LLMError
from daily_ai_summary.models import Usage
from daily_ai_summary.providers import cost_usd
from daily_ai_summary.reask import MAX_FEEDBACK_CHARS, ReaskStats, problem_kind, reask_user_message
from daily_ai_summary.writer.schema import response_format, with_schema_hint
from daily_ai_summary.writer.validate import InvalidAnswer

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.chat.completion_create_params import ResponseFormat

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # HTTP attempts per call (1 + 4 retries), within the budget
BACKOFF_BASE = 1.0
BACKOFF_CAP = 20.0
# Caps (issue 11), tested in tests/writer/test_caps.py:
MAX_ANSWER_BYTES = 32_768  # a longer answer is rejected unread: never parsed, kept or echoed
MAX_LLM_CALLS = 60  # chat-completion requests per run: items, re-asks, swaps, predictions, retries
# Sampling on local servers (issue 17): a low temperature first, another one (and a new seed)
# for the re-ask, so that it is not the same draw again. Hosted APIs keep their defaults; their
# re-ask only gets a new seed.
LOCAL_TEMPERATURE = 0.2
REASK_TEMPERATURE = 0.7


def _duration(text: str) -> float | None:
    """OpenAI's ``x-ratelimit-reset-*`` values: ``"1s"``, ``"6m0s"``, ``"20ms"``, ``"1h2m3.5s"``."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(n) * scale[u] for n, u in parts)


def retry_after(
    headers: httpx.Headers | dict[str, str] | None, *, now: float | None = None
) -> float | None:
    """Seconds the server asks us to wait, or None if it does not say."""
    if not headers:
        return None
    h = httpx.Headers(headers)
    if (ms := h.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    if (ra := h.get("retry-after")) is not None:
        try:
            return max(0.0, float(ra))
        except ValueError:
            parsed = email.utils.parsedate_tz(ra)
            if parsed is not None:
                return max(0.0, email.utils.mktime_tz(parsed) - (now or time.time()))
    resets = []
    for kind in ("requests", "tokens"):
        reset = h.get(f"x-ratelimit-reset-{kind}")
        remaining = h.get(f"x-ratelimit-remaining-{kind}")
        if reset is None or (remaining is not None and remaining.strip() not in ("0", "0.0")):
            continue
        if (seconds := _duration(reset)) is not None:
            resets.append(seconds)
    return max(resets) if resets else None


def backoff(attempt: int, *, rng: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter for retry number ``attempt`` (1, 2, ...)."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** (attempt - 1)) * (0.75 + 0.5 * rng())


Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T", bound=BaseModel)


class CallCap:
    """At most ``limit`` chat-completion requests for one run, shared by all its calls, so a
    model or endpoint that keeps failing cannot turn one run into hundreds of paid requests."""

    def __init__(self, limit: int = MAX_LLM_CALLS) -> None:
        self.limit = limit
        self.used = 0

    def take(self, label: str) -> None:
        if self.used >= self.limit:
            raise LLMError(
                f"{label}: not sent; this run reached its cap of {self.limit} LLM requests "
                "(MAX_LLM_CALLS)"
            )
        self.used += 1


@dataclass
class Run:
    client: openai.AsyncOpenAI
    model: str
    semaphore: asyncio.Semaphore
    deadline: float
    budget: float
    request_timeout: float
    max_tokens: int
    sleep: Sleep
    provider: str = ""
    json_schema: bool = True
    full_schema: bool = False  # the endpoint enforces the full schema (endpoint.py)
    local: bool = False  # a local server: our own sampling temperature
    sampling: bool = True  # False once the endpoint rejected temperature or seed
    events: Sequence[str] = ()  # for the full schema's enum
    limit_param: str = "max_tokens"  # reasoning models want "max_completion_tokens"
    language: str = "en"  # the blog's language (BCP 47): answers are validated in it
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    usage_missing: bool = False
    warnings: list[str] = field(default_factory=list)
    cap: CallCap = field(default_factory=CallCap)
    stats: ReaskStats = field(default_factory=ReaskStats)
    on_event: Callable[[str], None] | None = None

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def count(self, completion: Any) -> None:
        self.calls += 1
        u = getattr(completion, "usage", None)
        if u is None:
            self.usage_missing = True
            return
        self.prompt_tokens += u.prompt_tokens or 0
        self.completion_tokens += u.completion_tokens or 0

    def usage(self) -> Usage:
        cost = (
            None
            if self.usage_missing
            else cost_usd(self.model, self.prompt_tokens, self.completion_tokens)
        )
        return Usage(
            calls=self.calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            cost_usd=cost,
        )

    @property
    def is_github_models(self) -> bool:
        host = (self.client.base_url.host or "").lower()
        return self.provider == "github-models" or host == "models.github.ai"

    def redact(self, text: str) -> str:
        # log.scrub (the one redactor): every form of the key, and any credential an endpoint
        # echoes (an Authorization header), before the text is cut to size
        text = _log.scrub(text, _log.secret_forms(self.client.api_key))
        return " ".join(text.split())[:300]

    @property
    def schema_mode(self) -> str:
        if not self.json_schema:
            return "json_object"
        return "full" if self.full_schema else "strict"

    def event(self, message: str) -> None:
        """Say it where people look (the CLI, the job log), not only to a logger (issue 17)."""
        log.info(message)
        if self.on_event:
            self.on_event(message)

    def sampling_params(self, reask: bool) -> dict[str, Any]:
        if not self.sampling:
            return {}
        out: dict[str, Any] = {}
        if reask:
            out["seed"] = random.randrange(1, 2**31)  # noqa: S311 - a sampling seed
        if self.local:
            out["temperature"] = REASK_TEMPERATURE if reask else LOCAL_TEMPERATURE
        return out


def _api_message(exc: openai.APIError) -> str:
    body = exc.body
    if isinstance(body, dict) and isinstance(message := body.get("message"), str):
        return message
    return exc.message or type(exc).__name__


def _wants_max_completion_tokens(exc: openai.BadRequestError) -> bool:
    text = _api_message(exc)
    return "max_tokens" in text and "max_completion_tokens" in text


def _rejects_json_schema(exc: openai.BadRequestError) -> bool:
    text = (_api_message(exc) + " " + str(getattr(exc, "param", "") or "")).lower()
    return "response_format" in text or "json_schema" in text


def _rejects_sampling(exc: openai.BadRequestError) -> bool:
    text = (_api_message(exc) + " " + str(getattr(exc, "param", "") or "")).lower()
    return "temperature" in text or "seed" in text


async def _request(
    run: Run,
    kind: type[BaseModel],
    messages: list[dict[str, str]],
    label: str,
    *,
    reask: bool = False,
) -> Any:
    """One chat completion, retried on transient failures within the budget."""
    attempt = 0
    while True:
        what: str
        hint: float | None = None
        timeout = run.request_timeout
        try:
            async with run.semaphore:  # waiting for a slot is not part of the request timeout
                remaining = run.remaining()
                if remaining <= 0:
                    raise LLMError(f"{label}: the {run.budget:g}s time budget for writing ran out")
                timeout = min(run.request_timeout, remaining)
                use_schema, use_full = run.json_schema, run.full_schema
                sampling = run.sampling_params(reask)
                if not use_schema:
                    messages = with_schema_hint(messages, kind)
                fmt = response_format(
                    kind, json_schema=use_schema, full=use_full, events=run.events
                )
                run.cap.take(label)
                async with asyncio.timeout(timeout + 0.5):  # hard cap, even for a trickling body
                    return await run.client.chat.completions.create(
                        model=run.model,
                        # plain dicts of the documented shapes (TypedDicts to the SDK)
                        messages=cast("list[ChatCompletionMessageParam]", messages),
                        response_format=cast("ResponseFormat", fmt),
                        extra_body={run.limit_param: run.max_tokens, **sampling},
                        timeout=timeout,
                    )
        except openai.BadRequestError as exc:
            if run.limit_param == "max_tokens" and _wants_max_completion_tokens(exc):
                run.limit_param = "max_completion_tokens"
                log.info("the model wants max_completion_tokens instead of max_tokens; switching")
                continue
            if use_schema and use_full and _rejects_json_schema(exc):
                if run.full_schema:
                    run.full_schema = False
                    note = (
                        "the endpoint rejected the full JSON schema "
                        f"({run.redact(_api_message(exc))}); using OpenAI's strict subset"
                    )
                    run.warnings.append(note)
                    run.event(note)
                continue
            if sampling and _rejects_sampling(exc):
                run.sampling = False
                log.info("the endpoint rejected temperature or seed; not sending them again")
                continue
            if use_schema and _rejects_json_schema(exc):
                if run.json_schema:
                    run.json_schema = False
                    note = (
                        "the endpoint rejected json_schema structured outputs "
                        f"({run.redact(_api_message(exc))}); using json_object for the rest of the run"
                    )
                    run.warnings.append(note)
                    log.warning(note)
                continue
            if (getattr(exc, "code", None) or "") == "content_filter":
                raise LLMError(
                    f"{label}: the provider's content filter blocked the prompt "
                    f"({run.redact(_api_message(exc))})"
                ) from None
            raise LLMError(
                f"{label}: the endpoint rejected the request (HTTP 400): {run.redact(_api_message(exc))}"
            ) from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            # settings by placeholder (wording.py): the action's inputs, or the CLI's variables
            if run.is_github_models:
                hint_text = "GitHub Models needs a token that may use it: [[set:github-token]]"
            else:
                hint_text = "check that [[openai-api-key]] is valid for this endpoint"
            raise LLMError(
                f"{label}: the model endpoint refused the credentials (HTTP {exc.status_code}); {hint_text}",
                input_name="github-token" if run.is_github_models else "openai-api-key",
            ) from None
        except openai.NotFoundError as exc:
            raise LLMError(
                f"{label}: model {run.model!r} was not found at {run.client.base_url} "
                f"(HTTP 404: {run.redact(_api_message(exc))})",
                input_name="model",
            ) from None
        except openai.APIStatusError as exc:
            status = exc.status_code
            if status not in (408, 409, 429) and status < 500:
                raise LLMError(
                    f"{label}: the endpoint answered HTTP {status}: {run.redact(_api_message(exc))}"
                ) from None
            what = f"HTTP {status}" + (" (rate limited)" if status == 429 else "")
            what += f": {run.redact(_api_message(exc))}"
            hint = retry_after(exc.response.headers)
        except (openai.APITimeoutError, TimeoutError):
            what = f"the request timed out after {timeout:.1f}s"
        except openai.APIConnectionError as exc:
            what = f"connection failed ({type(exc.__cause__ or exc).__name__})"

        attempt += 1
        if attempt >= MAX_ATTEMPTS:
            raise LLMError(f"{label}: gave up after {attempt} attempts; last error: {what}")
        delay = hint if hint is not None else backoff(attempt)
        remaining = run.remaining()
        if delay >= remaining:
            asked = "the server asked us to wait" if hint is not None else "the next retry is in"
            raise LLMError(
                f"{label}: {what}; {asked} {delay:.1f}s but only {max(remaining, 0):.1f}s of the "
                f"{run.budget:g}s time budget remain"
                + (
                    " (GitHub Models free tier: about 15 requests/min, 150/day)"
                    if run.is_github_models and "429" in what
                    else ""
                )
            )
        log.info("%s: %s; retrying in %.1fs (attempt %d)", label, what, delay, attempt + 1)
        await run.sleep(delay)


def _strip_json_fence(text: str) -> str:
    m = re.fullmatch(r"\s*```(?:json)?\s*\n?(.*?)\n?```\s*", text, re.S)
    return m.group(1) if m else text


def _parse(kind: type[T], content: str, language: str = "en") -> T:
    size = len(content.encode("utf-8", "replace"))
    if size > MAX_ANSWER_BYTES:
        raise InvalidAnswer(
            f"the answer is {size} bytes, over the {MAX_ANSWER_BYTES}-byte cap; it was not read"
        )
    try:
        data = json.loads(_strip_json_fence(content))
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(
            f"the answer is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    try:
        return kind.model_validate(data, context={"language": language})
    except ValidationError as exc:
        raise InvalidAnswer(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "the object"
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}")
    return "; ".join(parts)


Review = Callable[[Any], tuple[list[str], list[str]]]  # answer -> (problems, notes)


@dataclass
class Answer(Generic[T]):
    """A usable answer, and what is still wrong with it (the reviewer sees ``notes``)."""

    value: T
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # found by the review; re-asked once


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_FEEDBACK_CHARS else text[: MAX_FEEDBACK_CHARS - 3] + "..."


async def call(
    run: Run,
    kind: type[T],
    messages: list[dict[str, str]],
    label: str,
    check: Callable[[T], T] | None = None,
    *,
    review: Review | None = None,
    salvage: Callable[[str], tuple[T, list[str]] | None] | None = None,
    attempts: int = 2,
) -> Answer[T]:
    """Ask, check and review; if the answer is unusable or has problems, ask once more in a
    fresh request that states them (never echoing the answer). Returns the best usable answer
    (fewest problems), its remaining problems as notes; failing that, what ``salvage`` can
    keep of a rejected answer. Raises ``LLMError`` when nothing is usable."""
    best: Answer[T] | None = None
    kept: list[str] = []  # the answers' texts, for salvage (under the byte cap only)
    problem = ""
    first_kind = ""
    for attempt in range(1, attempts + 1):
        asked = messages
        if attempt > 1:
            retry = reask_user_message(messages[-1]["content"], problem)
            asked = [*messages[:-1], {"role": "user", "content": retry}]
        completion = await _request(run, kind, asked, label, reask=attempt > 1)
        run.count(completion)
        if not completion.choices:
            raise LLMError(f"{label}: the endpoint returned no choices")
        choice = completion.choices[0]
        message = choice.message
        if getattr(message, "refusal", None):
            raise LLMError(f"{label}: model refused: {run.redact(message.refusal)}")
        if choice.finish_reason == "length":
            cut = LLMError(
                f"{label}: the answer was cut off at the token limit (max_tokens={run.max_tokens}); "
                "raise the max tokens or shorten the prompt (less source text)"
            )
            # A hosted model cut off needs more max tokens. A small local model that ran on
            # (a rationale that never ends) usually finishes at another seed and temperature.
            if not run.local:
                raise cut
            problem = (
                f"the answer ran past the token limit ({run.max_tokens} tokens) without "
                "finishing; keep every text within its word range"
            )
            if attempt == 1:
                first_kind = problem_kind(problem)
            if attempt < attempts:
                run.event(f"{label}: answer rejected ({problem}); asking again in a new request")
                continue
            if best is None and not kept:
                raise cut
            break
        if choice.finish_reason == "content_filter":
            raise LLMError(f"{label}: the provider's content filter stopped the answer")
        content = message.content or ""
        if len(content) <= MAX_ANSWER_BYTES:
            kept.append(content)
        try:
            result = _parse(kind, content, run.language)
            result = check(result) if check else result
            problems, notes = review(result) if review else ([], [])
        except InvalidAnswer as exc:
            problem = str(exc)
        else:
            if best is None or len(problems) < len(best.problems):
                best = Answer(result, notes, problems)
            if not problems:
                break
            problem = "; ".join(problems)
        if attempt == 1:
            first_kind = problem_kind(problem)
        if attempt < attempts:
            run.event(f"{label}: answer rejected ({_clip(problem)}); asking again in a new request")
    if first_kind and attempts > 1:
        worked = best is not None and not best.problems
        run.stats.record(first_kind, worked)
        run.event(f"{label}: the re-ask {'worked' if worked else 'did not work'} ({first_kind})")
    if best is None and salvage is not None:
        saved = [x for x in (salvage(_strip_json_fence(c)) for c in kept) if x is not None]
        if saved:
            value, notes = min(saved, key=lambda x: len(x[1]))  # the fewest events left out
            note = f"the answer was rejected ({_clip(problem)}); kept what was usable"
            best = Answer(value, [note, *notes])
    if best is None:
        twice = "invalid twice" if attempts > 1 else "invalid"
        raise LLMError(f"{label}: the model's answer was {twice}; last problem: {_clip(problem)}")
    best.notes = [*best.problems, *best.notes]
    return best


def client_timeout(client: openai.AsyncOpenAI) -> float:
    t = client.timeout
    if isinstance(t, int | float):
        return float(t)
    if isinstance(t, httpx.Timeout) and t.read is not None:
        return float(t.read)
    return 60.0


async def ask(
    client: openai.AsyncOpenAI,
    model: str,
    kind: type[T],
    messages: list[dict[str, str]],
    *,
    label: str,
    check: Callable[[T], T] | None = None,
    budget_seconds: float = 120.0,
    provider: str = "",
    max_tokens: int = 1200,
    cap: CallCap | None = None,
    language: str = "en",
) -> tuple[T, Usage]:
    """One structured call outside ``write_post`` (revisions use it), with the same request
    retries, answer validation, one re-ask on an invalid answer, and token accounting.

    ``kind`` is the pydantic model the answer must match; ``check`` may reject a parsed answer
    by raising ``ValueError`` (the reason is stated in the re-ask). ``cap`` shares one run's
    ``MAX_LLM_CALLS`` between several calls. ``language`` (the blog's BCP 47 tag) is what the
    answer's paragraphs and dates are checked in. Returns the answer and its usage. Raises
    ``LLMError`` like ``write_post``.
    """

    def checked(result: T) -> T:
        if check is None:
            return result
        try:
            return check(result)
        except ValueError as exc:
            raise InvalidAnswer(str(exc)) from None

    run = Run(
        client=client,
        model=model,
        semaphore=asyncio.Semaphore(1),
        deadline=time.monotonic() + budget_seconds,
        budget=budget_seconds,
        request_timeout=client_timeout(client),
        max_tokens=max_tokens,
        sleep=asyncio.sleep,
        provider=provider,
        cap=cap or CallCap(),
        language=language,
    )
    answer = await call(run, kind, messages, label, checked)
    return answer.value, run.usage()
