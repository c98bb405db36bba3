"""Config validation problems as words a blog owner acts on, and where they are in the file.

``describe`` turns one pydantic error into "must be one of top, hot, new, rising (got 'best')";
``line_of`` finds the 1-based line of a key path in ruamel's round-trip tree. Both work on any
pydantic model tree (they are given its root), so ``config.py`` keeps only the models and the
loading, and the config reference (``scripts/config-reference``) reads types the same way.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def describe(err: Mapping[str, Any], root: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    got = f" (got {_short(value)})"
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(root, loc[:-1])
        hint = did_you_mean(key, allowed)
        listing = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}{listing}"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'\"") for o in re.split(r",| or ", expected) if o.strip()]
        return f"must be one of {', '.join(options)}{got}"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        lo, hi = _bounds(root, loc)
        if lo is not None and hi is not None:
            return f"must be between {lo} and {hi}{got}"
        if "ge" in ctx:
            return f"must be at least {ctx['ge']}{got}"
        if "le" in ctx:
            return f"must be at most {ctx['le']}{got}"
        if "gt" in ctx:
            return f"must be greater than {ctx['gt']}{got}"
        return f"must be less than {ctx.get('lt')}{got}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"must be a whole number{got}"
    if kind in {"float_type", "float_parsing"}:
        return f"must be a number{got}"
    if kind in {"string_type", "string_sub_type"}:
        return f"must be a text string{got}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false{got}"
    if kind in {"list_type", "tuple_type", "set_type", "frozen_set_type"}:
        return f"must be a list{got}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"must be a mapping of keys{got}"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        if loc and loc[-1] == "sources":
            return f"needs at least {n} source"
        if isinstance(value, str):
            return "must not be empty"
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        n = ctx.get("max_length")
        if isinstance(value, str):
            return f"must be at most {n} characters"
        return f"allows at most {n} items"
    if kind == "value_error":
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    msg = str(err.get("msg", "invalid value"))
    return (msg[:1].lower() + msg[1:]) + got


def _short(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {_short(value)}"


def did_you_mean(key: str, options: Any) -> str:
    close = difflib.get_close_matches(key.replace("_", "-"), list(options), n=1, cutoff=0.6)
    return f" {key!r} (did you mean {close[0]!r}?)" if close else f" {key!r}"


def dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def line_of(data: Any, loc: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node of ``loc`` present in the YAML tree."""
    node = data
    line = 1 if isinstance(data, CommentedMap) and data else None
    if isinstance(data, CommentedMap) and data.lc.line is not None:
        line = data.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def unwrap(annotation: Any) -> Any:
    """The model class inside ``Annotated[...]``, ``X | None``, ``tuple[X, ...]``."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is Annotated:
            annotation = args[0]
        elif origin in (tuple, list, frozenset, set) and args:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if not models:
                return None
            annotation = models[0]
        elif isinstance(annotation, type):
            return annotation
        else:
            # SerializeAsAny[...] and similar wrappers
            inner = getattr(annotation, "__origin__", None)
            if inner is None:
                return None
            annotation = inner


def _field(model: type[BaseModel], key: str | int) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = _field(model, part)
        if info is None:
            return None
        model = unwrap(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _allowed_keys(root: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    model = _model_at(root, loc)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _bounds(root: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[Any, Any]:
    keys = [p for p in loc if not isinstance(p, int)]
    if not keys:
        return None, None
    parent = _model_at(root, tuple(keys[:-1]))
    info = _field(parent, keys[-1]) if parent else None
    lo = hi = None
    for meta in getattr(info, "metadata", []) or []:
        lo = getattr(meta, "ge", lo) if getattr(meta, "ge", None) is not None else lo
        hi = getattr(meta, "le", hi) if getattr(meta, "le", None) is not None else hi
    return lo, hi
