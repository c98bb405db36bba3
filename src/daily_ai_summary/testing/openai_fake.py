"""An OpenAI-compatible chat-completions server for tests, the demo and benchmarks.

    with OpenAIFake() as fake:
        client = openai.AsyncOpenAI(base_url=fake.base_url, api_key="test")
        fake.queue(Reply.rate_limited(retry_after=1), Reply.refusal())
        ...

``POST /chat/completions`` (also under ``/v1`` and ``/inference``, GitHub Models' prefix)
validates a request the way the real API does - model, messages, ``response_format`` shape,
strict ``json_schema`` rules, the word "json" for ``json_object`` - and answers 400/401/404 with
OpenAI's error body ``{"error": {"message", "type", "param", "code"}}`` when it is wrong.

A valid request gets a real-shaped ``chat.completion`` (``choices[].message.{role, content,
refusal}``, ``finish_reason``, ``usage`` with the ``*_tokens_details`` objects, field names as
in the recorded SSE in ``shared/fixtures/openai``). Its content comes from ``SampleWriter``: a
deterministic writer that fills the requested JSON schema with plausible paragraphs built from
the prompt (the item's title, source and engagement; the events to predict). It is labelled
sample text by its own blandness, not by magic: it never calls a model.

Scripting: ``queue()`` replies (refusal, length stop, content filter, raw content, any JSON,
429 with ``Retry-After``, 5xx, delays, dropped connections), optionally only for a request whose
prompt contains some text; ``reject_json_schema=True`` answers json_schema requests with the
real "not supported with this model" 400; ``reject_max_tokens=True`` answers ``max_tokens``
like a reasoning model (o1/o3/gpt-5) does; ``latency`` delays every answer (benchmarks);
``api_key`` makes other keys fail with 401. ``requests`` / ``max_in_flight`` come from
``FakeServer``; ``chat_bodies()`` and ``completions`` give what was asked and answered.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from daily_ai_summary.i18n import TABLE

from . import openai_fake_languages as languages
from .server import FakeServer, Request, Response

CHAT_PATH = r"(?:/v1|/inference)?/chat/completions"
MODELS_PATH = r"(?:/v1|/inference)?/models"
ROLES = ("system", "assistant", "user", "function", "tool", "developer")
FORMAT_TYPES = ("json_object", "json_schema", "text")
JSON_SCHEMA_UNSUPPORTED = (
    "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this "
    "model. Learn more about supported models at the Structured Outputs guide: "
    "https://platform.openai.com/docs/guides/structured-outputs"
)


def error_body(
    message: str,
    *,
    type: str = "invalid_request_error",  # noqa: A002 - OpenAI's field name
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """OpenAI's error envelope."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


@dataclass
class Reply:
    """One scripted answer. Build them with the class methods."""

    kind: str = "sample"  # sample | content | refusal | length | content_filter | error | drop
    content: str | None = None
    refusal_text: str | None = None
    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    match: str | None = None  # only for a request whose messages contain this text

    @classmethod
    def sample(cls, *, delay: float = 0.0, match: str | None = None) -> Reply:
        """What the fake would answer anyway (the sample writer), e.g. after a ``delay``."""
        return cls("sample", delay=delay, match=match)

    @classmethod
    def text(cls, content: str, *, match: str | None = None, delay: float = 0.0) -> Reply:
        """Raw message content with ``finish_reason: stop`` (malformed JSON, prose...)."""
        return cls("content", content=content, match=match, delay=delay)

    @classmethod
    def json(cls, data: Any, *, match: str | None = None, delay: float = 0.0) -> Reply:
        """Any JSON as the message content (e.g. one that violates the schema)."""
        return cls("content", content=json.dumps(data), match=match, delay=delay)

    @classmethod
    def refusal(
        cls, text: str = "I'm sorry, I can't assist with that request.", *, match: str | None = None
    ) -> Reply:
        return cls("refusal", refusal_text=text, match=match)

    @classmethod
    def length(cls, *, match: str | None = None) -> Reply:
        """The answer stops at the token limit: cut-off JSON, ``finish_reason: length``."""
        return cls("length", match=match)

    @classmethod
    def content_filter(cls, *, match: str | None = None) -> Reply:
        return cls("content_filter", match=match)

    @classmethod
    def error(
        cls,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",  # noqa: A002
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
        match: str | None = None,
        delay: float = 0.0,
    ) -> Reply:
        body = error_body(message, type=type, param=param, code=code)
        return cls(
            "error", status=status, body=body, headers=headers or {}, match=match, delay=delay
        )

    @classmethod
    def rate_limited(
        cls,
        *,
        retry_after: float | None = 1,
        headers: dict[str, str] | None = None,
        match: str | None = None,
    ) -> Reply:
        """429 as OpenAI sends it; ``retry_after`` becomes the ``Retry-After`` header."""
        h = dict(headers or {})
        if retry_after is not None:
            h.setdefault("Retry-After", f"{retry_after:g}")
        return cls.error(
            429,
            "Rate limit reached for requests. Please try again later.",
            type="requests",
            code="rate_limit_exceeded",
            headers=h,
            match=match,
        )

    @classmethod
    def server_error(cls, status: int = 500, *, match: str | None = None) -> Reply:
        return cls.error(
            status,
            "The server had an error while processing your request. Sorry about that!",
            type="server_error",
            match=match,
        )

    @classmethod
    def drop(cls, *, match: str | None = None) -> Reply:
        """Close the connection without answering."""
        return cls("drop", match=match)


class OpenAIFake(FakeServer):
    """A fake OpenAI-compatible endpoint on 127.0.0.1 (see the module docstring)."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        reject_json_schema: bool = False,
        reject_max_tokens: bool = False,
        api_key: str | None = None,
        models: list[str] | None = None,
        writer: SampleWriter | None = None,
        name: str = "openai-fake",
        max_concurrent: int | None = None,
        owned_by: str = "fake",
    ) -> None:
        super().__init__(name)
        # GET /models' owned_by: what local servers say about themselves ("llamacpp" for
        # llama.cpp's llama-server, "library" for Ollama, "vllm" for vLLM).
        self.owned_by = owned_by
        self.latency = latency
        self.reject_json_schema = reject_json_schema
        self.reject_max_tokens = reject_max_tokens
        self.api_key = api_key
        self.models = models
        self.writer = writer or SampleWriter()
        self.completions: list[dict[str, Any]] = []  # every chat.completion sent back
        self._replies: list[Reply] = []
        self._reply_lock = threading.Lock()
        self._ids = itertools.count(1)
        # A rate limiter like GitHub Models' free tier (5 concurrent requests): a request over
        # the limit gets 429 with Retry-After at once. None: no limit.
        self.max_concurrent = max_concurrent
        self.rejected = 0  # requests answered 429 by the limiter
        self.peak_chat_in_flight = 0
        self._chat_in_flight = 0
        self.add_route("POST", CHAT_PATH, self._chat)
        self.add_route("GET", MODELS_PATH, self._list_models)

    @property
    def base_url(self) -> str:
        """What to give ``openai.AsyncOpenAI(base_url=...)``."""
        return self.url + "/v1"

    def queue(self, *replies: Reply) -> None:
        """The next valid chat requests get these answers, in order (``match`` permitting)."""
        with self._reply_lock:
            self._replies.extend(replies)

    def pending(self) -> list[Reply]:
        with self._reply_lock:
            return list(self._replies)

    def chat_bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies of every chat-completions request received, in arrival order."""
        return [r.json() for r in self.calls("POST", r"/chat/completions$")]

    # -- handlers ------------------------------------------------------------------------
    def _list_models(self, req: Request) -> Response:
        problem = self._check_auth(req)  # OpenAI's GET /v1/models needs the key as well
        if problem:
            return problem
        names = self.models or ["gpt-4o-mini", "openai/gpt-4o-mini"]
        data = [
            {"id": n, "object": "model", "created": 0, "owned_by": self.owned_by} for n in names
        ]
        return Response.json({"object": "list", "data": data})

    def _chat(self, req: Request) -> Response:
        problem = self._check_auth(req)
        if problem:
            return problem
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return _bad(
                "We could not parse the JSON body of your request. (HINT: This likely means you "
                "aren't using your HTTP library correctly.)"
            )
        problem = self._validate(body)
        if problem:
            return problem
        if self.max_concurrent is not None:
            return self._limited(body)
        return self._answer(body)

    def _limited(self, body: dict[str, Any]) -> Response:
        with self._reply_lock:
            if self._chat_in_flight >= self.max_concurrent:  # type: ignore[operator]
                self.rejected += 1
                limited = Reply.rate_limited(retry_after=1)
                return Response.json(limited.body, 429, headers=limited.headers)
            self._chat_in_flight += 1
            self.peak_chat_in_flight = max(self.peak_chat_in_flight, self._chat_in_flight)
        try:
            answer = self._answer(body)
            time.sleep(answer.delay)  # in flight while "generating"
            answer.delay = 0.0
            return answer
        finally:
            with self._reply_lock:
                self._chat_in_flight -= 1

    def _answer(self, body: dict[str, Any]) -> Response:
        reply = self._next_reply(body)
        delay = self.latency + reply.delay
        if reply.kind == "drop":
            return Response(drop=True, delay=delay)
        if reply.kind == "error":
            return Response.json(reply.body, reply.status, headers=reply.headers, delay=delay)
        completion = self._completion(body, reply)
        with self._reply_lock:
            self.completions.append(completion)
        return Response.json(completion, headers=_ok_headers(), delay=delay)

    def _check_auth(self, req: Request) -> Response | None:
        auth = req.header("authorization") or ""
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return Response.json(
                error_body(
                    "You didn't provide an API key. You need to provide your API key in an "
                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                ),
                401,
            )
        if self.api_key is not None and token.strip() != self.api_key:
            return Response.json(
                error_body("Incorrect API key provided.", code="invalid_api_key"), 401
            )
        return None

    def _validate(self, body: dict[str, Any]) -> Response | None:
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return _bad("you must provide a model parameter")
        if self.models is not None and model not in self.models:
            return Response.json(
                error_body(
                    f"The model `{model}` does not exist or you do not have access to it.",
                    code="model_not_found",
                ),
                404,
            )
        messages = body.get("messages")
        if messages is None:
            return _bad(
                "Missing required parameter: 'messages'.",
                param="messages",
                code="missing_required_parameter",
            )
        if not isinstance(messages, list) or not messages:
            return _bad(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, "
                "but got an empty array instead.",
                param="messages",
                code="empty_array",
            )
        for i, m in enumerate(messages):
            if not isinstance(m, dict) or m.get("role") not in ROLES:
                role = m.get("role") if isinstance(m, dict) else m
                return _bad(
                    f"Invalid value: '{role}'. Supported values are: 'system', 'assistant', "
                    "'user', 'function', 'tool', and 'developer'.",
                    param=f"messages[{i}].role",
                    code="invalid_value",
                )
            content = m.get("content")
            if not isinstance(content, str | list) and not (
                content is None and m["role"] == "assistant"
            ):
                return _bad(
                    f"Invalid type for 'messages[{i}].content': expected one of a string or "
                    f"array of objects, but got {_json_type(content)} instead.",
                    param=f"messages[{i}].content",
                    code="invalid_type",
                )
        if self.reject_max_tokens and "max_tokens" in body:
            return _bad(
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead.",
                param="max_tokens",
                code="unsupported_parameter",
            )
        for key in ("max_tokens", "max_completion_tokens"):
            value = body.get(key)
            if value is not None and (not isinstance(value, int) or value < 1):
                return _bad(
                    f"Invalid '{key}': integer below minimum value. Expected a value >= 1, "
                    f"but got {value!r} instead.",
                    param=key,
                    code="integer_below_min_value",
                )
        return self._validate_format(body.get("response_format"), messages)

    def _validate_format(self, fmt: Any, messages: list[dict[str, Any]]) -> Response | None:
        if fmt is None:
            return None
        if not isinstance(fmt, dict) or fmt.get("type") not in FORMAT_TYPES:
            kind = fmt.get("type") if isinstance(fmt, dict) else fmt
            return _bad(
                f"Invalid value: '{kind}'. Supported values are: 'json_object', 'json_schema', "
                "and 'text'.",
                param="response_format.type",
                code="invalid_value",
            )
        if fmt["type"] == "json_object":
            if not any("json" in _text(m).lower() for m in messages):
                return _bad(
                    "'messages' must contain the word 'json' in some form, to use "
                    "'response_format' of type 'json_object'.",
                    param="messages",
                )
            return None
        if fmt["type"] != "json_schema":
            return None
        if self.reject_json_schema:
            return _bad(JSON_SCHEMA_UNSUPPORTED)
        spec = fmt.get("json_schema")
        if not isinstance(spec, dict):
            return _bad(
                "Missing required parameter: 'response_format.json_schema'.",
                param="response_format.json_schema",
                code="missing_required_parameter",
            )
        name = spec.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", name):
            return _bad(
                "Missing required parameter: 'response_format.json_schema.name'."
                if name is None
                else "Invalid 'response_format.json_schema.name': string does not match "
                "pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                param="response_format.json_schema.name",
            )
        schema = spec.get("schema")
        if spec.get("strict") and schema is not None:
            problem = strict_schema_problem(schema)
            if problem:
                return _bad(
                    f"Invalid schema for response_format '{name}': {problem}",
                    param="response_format",
                )
        return None

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        prompt = "\n".join(_text(m) for m in body["messages"])
        with self._reply_lock:
            for i, reply in enumerate(self._replies):
                if reply.match is None or reply.match in prompt:
                    return self._replies.pop(i)
        return Reply.sample()

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        finish = "stop"
        content: str | None
        refusal = None
        if reply.kind == "refusal":
            content, refusal = None, reply.refusal_text
        elif reply.kind == "content":
            content = reply.content
        elif reply.kind == "content_filter":
            content, finish = None, "content_filter"
        else:
            content = json.dumps(self.writer.answer(body), ensure_ascii=False)
            if reply.kind == "length":
                limit = body.get("max_tokens") or body.get("max_completion_tokens") or 16
                content, finish = content[: max(1, min(len(content) - 1, limit * 4 // 3))], "length"
        prompt_tokens = estimate_tokens(body["messages"])
        completion_tokens = math.ceil(len(content or refusal or "") / 4)
        return {
            "id": f"chatcmpl-fake{next(self._ids):06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": refusal,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }


def strict_schema_problem(schema: Any) -> str | None:
    """What OpenAI's strict mode would reject in ``schema`` (the subset we know), or None."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        got = schema.get("type") if isinstance(schema, dict) else type(schema).__name__
        return f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{got}\"'."

    def walk(node: Any, path: tuple[str, ...]) -> str | None:
        if isinstance(node, list):
            for i, item in enumerate(node):
                if found := walk(item, (*path, str(i))):
                    return found
            return None
        if not isinstance(node, dict):
            return None
        if node.get("type") == "object" or "properties" in node:
            ctx = repr(path)
            if node.get("additionalProperties") is not False:
                return (
                    f"In context={ctx}, 'additionalProperties' is required to be supplied and "
                    "to be false."
                )
            props = list(node.get("properties", {}))
            required = node.get("required")
            missing = [p for p in props if not isinstance(required, list) or p not in required]
            if missing:
                return (
                    f"In context={ctx}, 'required' is required to be supplied and to be an "
                    f"array including every key in properties. Missing '{missing[0]}'."
                )
        for key, value in node.items():
            if isinstance(value, dict | list) and (found := walk(value, (*path, key))):
                return found
        return None

    return walk(schema, ())


def estimate_tokens(messages: list[dict[str, Any]]) -> int:
    """About four characters a token, plus a few per message (deterministic)."""
    return sum(math.ceil(len(_text(m)) / 4) + 4 for m in messages) + 3


def _text(message: Any) -> str:
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _json_type(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a decimal",
        dict: "an object",
        type(None): "null",
    }.get(type(value), "a value")


def _bad(message: str, *, param: str | None = None, code: str | None = None) -> Response:
    return Response.json(error_body(message, param=param, code=code), 400)


def _ok_headers() -> dict[str, str]:
    return {
        "openai-processing-ms": "1",
        "x-ratelimit-limit-requests": "10000",
        "x-ratelimit-remaining-requests": "9999",
        "x-ratelimit-reset-requests": "6ms",
    }


# --------------------------------------------------------------------------------------------
# The sample writer


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_BENEFITS = [
    "The thread about {topic} on {source} gives practitioners a concrete case to study "
    "instead of a vague trend. If the approach holds up when others reproduce it, teams "
    "working on similar problems could reuse it directly, spend less time on trial and error, "
    "and compare their own measurements against the figures shared there. With {comments} "
    "comments so far, readers are already testing how far it carries.",
    "If the claims in {topic} survive scrutiny, smaller labs and independent developers get a "
    "cheaper path to results that used to need large budgets. Because the discussion on "
    "{source} lays out the method in the open, others can adapt it to their own data, report "
    "back, and build a shared understanding of where it works best, as the {comments} "
    "comments already start to do.",
    "{topic} points to a practical improvement that engineers can try in their own pipelines "
    "this week. Clear write-ups like this one on {source} shorten the gap between research "
    "and production, help educators explain the idea with a real example, and give "
    "reviewers a reference point when similar claims appear later.",
]

_RAMIFICATIONS = [
    "The evidence behind {topic} is still thin: a single write-up on {source} is not an "
    "independent replication, and early numbers often shrink under different data or "
    "hardware. Teams that adopt it too quickly may build on results that do not generalise, "
    "and the attention it draws can crowd out quieter work that tackles the same problem "
    "more carefully.",
    "Wider use of what {topic} describes would also spread its failure modes. Methods that "
    "look cheap in a demo can hide costs in maintenance, evaluation and energy, and the "
    "{comments} comments on {source} show that experienced readers still disagree about "
    "the trade-offs. Misreading those limits could lead to brittle systems in settings where "
    "errors are expensive.",
    "{topic} also raises questions that the discussion on {source} leaves open, such as who "
    "can verify the claims, how the results depend on the data used, and what happens when "
    "the technique is misused. Without careful benchmarks and honest reporting of negative "
    "results, the excitement could outrun what the work actually shows.",
]

_RATIONALES = [
    "Progress toward {event} depends on steady gains in model capability, compute and "
    "funding, and all three are still growing. Today's discussions, such as {context}, show "
    "how quickly new methods move from papers into practice, but the remaining obstacles in "
    "reliability and evaluation suggest that the milestone is years away rather than months.",
    "The timeline for {event} reflects both the pace of current research and the slower work "
    "of making systems dependable, regulated and affordable. Threads like {context} show "
    "rapid iteration, yet each step still needs independent validation, which is why this "
    "estimate leaves room for setbacks as well as breakthroughs.",
    "Reaching {event} needs more than bigger models: it needs agreement on how to measure it, "
    "hardware supply that keeps up, and institutions willing to deploy the result. Work such "
    "as {context} narrows the technical gap a little at a time, so a date this far out "
    "balances visible momentum against the many open problems.",
    "Forecasts of {event} have slipped before, and the people in {context} are candid about "
    "what still breaks. Funding and talent keep flowing into the field, though, and each "
    "generation of tools shortens the next research cycle, which argues for a date within a "
    "few decades rather than a century.",
]


class SampleWriter:
    """Deterministic answers that satisfy the requested schema, composed from the prompt."""

    def answer(self, body: dict[str, Any]) -> Any:
        messages = body.get("messages", [])
        schema = _requested_schema(body.get("response_format"), messages)
        user = "\n".join(
            _text(m) for m in messages if isinstance(m, dict) and m.get("role") == "user"
        )
        system = "\n".join(
            _text(m) for m in messages if isinstance(m, dict) and m.get("role") == "system"
        )
        facts = _facts(user, system)
        if schema is None:
            return {"text": self.paragraph("benefits", facts)}
        return self.fill(schema, schema, facts, "")

    def fill(
        self, node: dict[str, Any], root: dict[str, Any], facts: dict[str, Any], name: str
    ) -> Any:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = root
            for part in ref[2:].split("/"):
                target = target.get(part, {})
            return self.fill(target, root, facts, name)
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return {k: self.fill(v, root, facts, k) for k, v in node.get("properties", {}).items()}
        if kind == "array":
            events = facts["events"] or ["the next major AI milestone"]
            return [
                self.fill(node.get("items", {}), root, {**facts, "event": e, "index": i}, name)
                for i, e in enumerate(events)
            ]
        if kind in ("integer", "number"):
            return 1
        if kind == "boolean":
            return True
        return self.paragraph(name, facts)

    def paragraph(self, name: str, facts: dict[str, Any]) -> str:
        seed = _hash(f"{facts['title']}|{facts.get('event', '')}|{name}")
        if name == "event":
            return str(facts.get("event", "the next major AI milestone"))
        lang = facts.get("language", "en")
        if name == "when":
            today: date = facts["today"]
            year, month = today.year + 3 + seed % 20, seed % 12 + 1
            return (
                TABLE[lang].when(year, month) if lang in TABLE else f"{_MONTHS[month - 1]} {year}"
            )
        if name == "rationale":
            # A different template for each event, as a model writes different reasons.
            base = _hash(f"{facts['title']}|{name}")
            rationales = languages.RATIONALES.get(lang, _RATIONALES)
            template = rationales[(base + int(facts.get("index", 0))) % len(rationales)]
            return template.format(event=facts.get("event", "it"), context=facts["context"])
        by_language = (
            languages.RAMIFICATIONS if name.startswith("ramification") else languages.BENEFITS
        )
        templates = by_language.get(lang) or (
            _RAMIFICATIONS if name.startswith("ramification") else _BENEFITS
        )
        template = templates[seed % len(templates)]
        return template.format(
            topic=facts["topic"], source=facts["source"], comments=facts["comments"]
        )


def _requested_schema(fmt: Any, messages: list[Any]) -> dict[str, Any] | None:
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema")
        return schema if isinstance(schema, dict) else None
    # json_object: the schema, if any, is in the prompt after "JSON Schema:"
    for m in messages:
        text = _text(m)
        at = text.find("JSON Schema:")
        if at >= 0:
            start = text.find("{", at)
            try:
                schema, _ = json.JSONDecoder().raw_decode(text[start:])
            except ValueError:
                continue
            if isinstance(schema, dict):
                return schema
    return None


def _field(text: str, name: str) -> str | None:
    m = re.search(rf"^{name}:[ \t]*(.+)$", text, re.MULTILINE)
    return m.group(1).strip() if m else None


def _plain(text: str, max_words: int = 14) -> str:
    """A title made safe to quote: no markup, links or braces; at most ``max_words`` words."""
    text = re.sub(r"https?://\S+|www\.\S+", "", text)
    text = re.sub(r"<[^<>]*>", "", text)
    text = re.sub(r"[<>{}`#*_|\\\[\]]", " ", text)
    words = text.split()
    out = " ".join(words[:max_words]) + (" ..." if len(words) > max_words else "")
    return out.strip(" -.") or "this discussion"


def _facts(user: str, system: str) -> dict[str, Any]:
    title = _field(user, "Title") or ""
    source = _plain(_field(user, "Source") or "the forum", 6)
    engagement = _field(user, "Engagement") or ""
    comments = re.search(r"(\d+) comments", engagement)
    today_match = re.search(r"Today is (\d{4}-\d{2}-\d{2})", system)
    today = date.fromisoformat(today_match.group(1)) if today_match else datetime.now(UTC).date()
    head = user.split("<<<DATA", 1)[0]
    events = [m.group(1).strip() for m in re.finditer(r"^\d+\.\s+(.+)$", head, re.MULTILINE)]
    data_titles = re.findall(r"^- (.+)$", user.split("<<<DATA", 1)[-1], re.MULTILINE)
    tag = re.search(r"BCP 47 language tag: ([A-Za-z0-9-]{1,35})\)", system)
    lang = tag.group(1).split("-")[0].lower() if tag else "en"
    context = (
        f"the thread about {_plain(data_titles[0], 10)}" if data_titles else "this week's threads"
    )
    if data_titles and lang in languages.CONTEXT:
        context = languages.CONTEXT[lang].format(title=_plain(data_titles[0], 10))
    return {
        "title": title,
        "topic": f"“{_plain(title)}”" if title else "this discussion",
        "source": source,
        "comments": comments.group(1) if comments else "several",
        "events": events,
        "today": today,
        "context": context,
        "language": lang,
    }


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
