"""The structured-output request shape (pure): a strict JSON schema from an answer model, the
``response_format`` that asks for it, and the schema-in-the-prompt hint used instead when an
endpoint rejects ``json_schema`` (it then gets ``json_object``).

Two schemas (issue 17): OpenAI's strict subset for OpenAI and GitHub Models, and the full
schema for servers that enforce all of it while decoding (llama.cpp, vLLM, Ollama; see
``endpoint.py``): ``minLength`` on every paragraph, and for the predictions exactly one per
configured event, the events as an ``enum`` and the date as a ``pattern``. With the full schema
a small model cannot write a 5-word paragraph, a sixth prediction or ``2045-10-25``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from daily_ai_summary.when import WHEN_PATTERN

FULL_MIN_CHARS = 200  # minLength of a paragraph in the full schema: about 33 words

_STRICT_UNSUPPORTED = (
    "default",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema made strict-compatible: every object closed
    (``additionalProperties: false``) with every property required, no unsupported keywords."""

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: fix(v) for k, v in node.items() if k not in _STRICT_UNSUPPORTED}
            if out.get("type") == "object" or "properties" in out:
                props = out.get("properties", {})
                out["additionalProperties"] = False
                out["required"] = list(props)
            return out
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    schema: dict[str, Any] = fix(model.model_json_schema())
    return schema


def full_schema(model: type[BaseModel], events: Sequence[str] = ()) -> dict[str, Any]:
    """The strict schema with its ``$ref``s inlined and every constraint a decoding-time
    enforcer can use (see the module docstring)."""
    schema = _inline_refs(strict_schema(model))

    def add(node: Any) -> None:
        if isinstance(node, list):
            for v in node:
                add(v)
            return
        if not isinstance(node, dict):
            return
        props = node.get("properties")
        if isinstance(props, dict):
            for name in ("benefits", "ramifications", "rationale"):
                if name in props:
                    props[name]["minLength"] = FULL_MIN_CHARS
            if "when" in props:
                props["when"]["pattern"] = WHEN_PATTERN
            if "event" in props and events:
                props["event"]["enum"] = list(events)
            if "predictions" in props and events:
                props["predictions"]["minItems"] = len(events)
                props["predictions"]["maxItems"] = len(events)
        for v in node.values():
            add(v)

    add(schema)
    return schema


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(copy.deepcopy(defs[ref.removeprefix("#/$defs/")]))
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out: dict[str, Any] = walk(schema)
    return out


def response_format(
    model: type[BaseModel],
    *,
    json_schema: bool,
    full: bool = False,
    events: Sequence[str] = (),
) -> dict[str, Any]:
    """``json_object``, or ``json_schema`` with OpenAI's strict subset or, when ``full``, the
    full schema (``full_schema``)."""
    if not json_schema:
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {
            "name": _schema_name(model),
            "strict": True,
            "schema": full_schema(model, events) if full else strict_schema(model),
        },
    }


def _schema_name(model: type[BaseModel]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


_SCHEMA_HINT = "\nThe JSON object must match this JSON Schema: {schema}"


def schema_hint(kind: type[BaseModel]) -> str:
    """The sentence appended to the system prompt when ``json_schema`` is not available."""
    return _SCHEMA_HINT.format(schema=json.dumps(strict_schema(kind)))


def with_schema_hint(messages: list[dict[str, str]], kind: type[BaseModel]) -> list[dict[str, str]]:
    hint = schema_hint(kind)
    out = [dict(m) for m in messages]
    if out and out[0]["role"] == "system" and hint not in out[0]["content"]:
        out[0]["content"] += hint
    return out
