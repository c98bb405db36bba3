"""ruamel.yaml's round-trip nodes -> plain data for pydantic, and the key paths a file set."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq


def plain_data(node: Any) -> Any:
    """ruamel's round-trip types -> plain dict/list/str/int/float/bool for pydantic."""
    if isinstance(node, CommentedMap):
        return {str(k) if not isinstance(k, str) else k: plain_data(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [plain_data(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def key_paths(node: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(node, CommentedMap):
        for k, v in node.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            out.append(path)
            out.extend(key_paths(v, path))
    return out
