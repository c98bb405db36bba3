"""Each preset's post, generated from hostile titles by the whole action, builds with the real
generator, shows its three sections, and shows every template string as inert text."""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_ai_summary.post import parse
from daily_ai_summary.predictions.page import chart_url
from daily_ai_summary.sites import PRESETS

from .builds import HOSTILE_CONSEQUENCES, HOSTILE_TRENDING, build, check_inert, generate


@pytest.mark.parametrize("site", ["hugo", "jekyll", "mkdocs"])
def test_a_hostile_post_builds_inert(site: str, tmp_path: Path) -> None:
    repo, post_path = generate(tmp_path, site)
    post = parse((repo / post_path).read_text(), path=post_path)
    assert [c.title for c in post.consequences][:3] == HOSTILE_CONSEQUENCES
    assert set(HOSTILE_TRENDING) <= set(post.trending_titles)
    check_inert(build(site, repo, post_path))
    # the predictions tracker's chart and page went where this generator serves them
    preset = PRESETS[site]
    assert (repo / preset.chart).read_text().startswith("<svg")
    assert f"]({chart_url(preset.chart)})" in (repo / preset.page).read_text()


def test_an_mdx_post_in_an_astro_collection_builds_inert(
    tmp_path: Path, node_modules: Path
) -> None:
    """MDX runs {expressions} and <Components>: every brace and angle bracket stays text."""
    repo, post_path = generate(tmp_path, "astro", "src/content/blog/{date}-ai-auto-summary.mdx")
    assert post_path.endswith(".mdx") and "{" not in (repo / post_path).read_text().split("---")[2]
    check_inert(build("astro", repo, post_path, node_modules))


@pytest.mark.parametrize("site", ["eleventy", "astro"])
def test_a_hostile_post_builds_inert_with_npm_tools(
    site: str, tmp_path: Path, node_modules: Path
) -> None:
    repo, post_path = generate(tmp_path, site)
    assert parse((repo / post_path).read_text(), path=post_path).consequences
    check_inert(build(site, repo, post_path, node_modules))
