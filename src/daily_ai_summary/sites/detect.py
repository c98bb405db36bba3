"""Which generator builds the blog, read from the files at the repository root."""

from __future__ import annotations

import re
from pathlib import Path

from daily_ai_summary.config import SiteName

# `- blog`, `- material/blog`, or `blog:` / `material/blog:` with options, under plugins.
_MKDOCS_BLOG = re.compile(r"(?m)^\s*(?:-\s*)?(?:material/)?blog\s*(?::|$)")
_ELEVENTY = (".eleventy.js", ".eleventy.cjs", "eleventy.config.js", "eleventy.config.cjs",
             "eleventy.config.mjs", "eleventy.config.ts")  # fmt: skip


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return ""


def detect_site(repo: Path) -> SiteName:
    """The preset for ``repo``: MkDocs with the blog plugin, Jekyll, Astro with a content
    collection, Eleventy; anything else (a Hugo site, or nothing recognisable) is Hugo."""
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        if (repo / name).is_file() and _MKDOCS_BLOG.search(_read(repo / name)):
            return "mkdocs"
    if (repo / "_config.yml").is_file() and (repo / "_posts").is_dir():
        return "jekyll"
    if any(repo.glob("astro.config.*")) and (
        (repo / "src" / "content").is_dir() or any((repo / "src").glob("content.config.*"))
    ):
        return "astro"
    if any((repo / name).is_file() for name in _ELEVENTY):
        return "eleventy"
    return "hugo"
