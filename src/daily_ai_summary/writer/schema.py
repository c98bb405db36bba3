"""The structured-output request shape (pure): a strict JSON schema from an answer model, the
``response_format`` that asks for it, and the schema-in-the-prompt hint used instead when an
endpoint rejects ``json_schema`` (it then gets ``json_object``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel

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

    return fix(model.model_json_schema())


def response_format(model: type[BaseModel], *, json_schema: bool) -> dict[str, Any]:
    if not json_schema:
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {
            "name": _schema_name(model),
            "strict": True,
            "schema": strict_schema(model),
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
