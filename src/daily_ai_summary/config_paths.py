"""The path checks the config's validators share: repository-relative files and post paths."""

from __future__ import annotations

import re
from pathlib import PurePosixPath


def repo_relative(value: str, suffix: str = ".md") -> str:
    """A path inside the repository, written POSIX-style, relative, with no ``..`` escape."""
    if not value.strip():
        raise ValueError("must not be empty")
    if "\\" in value:
        raise ValueError(f"must use '/' as separator, got {value!r}")
    p = PurePosixPath(value)
    if p.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"must be relative to the repository root, got {value!r}")
    if ".." in p.parts:
        raise ValueError(f"must stay inside the repository (no '..'), got {value!r}")
    if not value.endswith(suffix):
        raise ValueError(f"must end in '{suffix}', got {value!r}")
    return value


def post_path(v: str, example: str) -> str:
    """A post path template: ``{date}`` its one placeholder, ``.md`` (or Astro's ``.mdx``)."""
    repo_relative(v if not v.endswith(".mdx") else v[:-1])  # MDX: Astro collections
    if "{date}" not in v:
        raise ValueError(f"must contain '{{date}}' (e.g. {example}), got {v!r}")
    if re.search(r"[{}]", v.replace("{date}", "")):
        raise ValueError(f"'{{date}}' is the only placeholder allowed, got {v!r}")
    if v.endswith("/.md") or PurePosixPath(v).name == ".md":
        raise ValueError(f"needs a file name before '.md', got {v!r}")
    return v
