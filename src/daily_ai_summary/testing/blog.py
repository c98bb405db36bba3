"""A throwaway Hugo blog repository for the demo and the tests: the reference blog's
archetype, a post folder, and a config whose sources point at a local ``SourcesFake``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from daily_ai_summary.config import default_config
from daily_ai_summary.frontmatter import BUILTIN_ARCHETYPE


def sample_config(sources_url: str, *, consequences: int = 5) -> str:
    """The reference blog's sources (plus Hacker News), every one aimed at ``sources_url``."""
    return f"""\
# The reference blog's defaults, with every source pointed at the local sample server.
consequences:
  count: {consequences}
  sources:
    - type: reddit
      subreddit: MachineLearning
      sort: top
      time: day
      url: {sources_url}
      oauth-url: {sources_url}
trending:
  count: 3
  sources:
    - type: reddit
      subreddit: machinelearningnews
      sort: hot
      url: {sources_url}
      oauth-url: {sources_url}
    - type: hackernews
      query: AI
      min-score: 20
      url: {sources_url}
"""


def default_config_at(sources_url: str) -> str:
    """The built-in defaults (what a blog without a config file gets), every source of every
    section, fallbacks included, aimed at ``sources_url``: the default's behaviour, testable
    offline. JSON, which is YAML."""
    data: dict[str, Any] = default_config().model_dump(mode="json", by_alias=True)
    if data.get("site") is None:
        del data["site"]  # unset: detected from the repository
    for section in ("consequences", "trending"):
        for source in (*data[section]["sources"], *data[section]["fallback"]):
            source["url"] = sources_url
            if "oauth-url" in source:
                source["oauth-url"] = sources_url
            for key in [k for k, v in source.items() if v is None]:
                del source[key]
    return json.dumps(data, indent=2) + "\n"


def make_blog(
    repo: Path, sources_url: str, *, consequences: int = 5, skeleton: Path | None = None
) -> Path:
    """Create the blog at ``repo`` with one commit on ``main``: a Hugo blog, or a copy of the
    site in ``skeleton`` (another generator's site, see tests/sites)."""
    if skeleton is not None:
        shutil.copytree(skeleton, repo, ignore=shutil.ignore_patterns("node_modules", "_site"))
    else:
        (repo / "archetypes").mkdir(parents=True)
        (repo / "content" / "posts").mkdir(parents=True)
        (repo / "archetypes" / "bot-post.md").write_text(BUILTIN_ARCHETYPE, encoding="utf-8")
        (repo / "hugo.toml").write_text(
            'baseURL = "https://example.org/"\ntitle = "Demo blog"\n', encoding="utf-8"
        )
        (repo / "content" / "posts" / "hello.md").write_text(
            "---\ntitle: Hello\n---\nA blog.\n", encoding="utf-8"
        )
    (repo / ".github").mkdir(exist_ok=True)
    (repo / ".github" / "daily-ai-summary.yml").write_text(
        sample_config(sources_url, consequences=consequences), encoding="utf-8"
    )
    for args in (
        ["init", "--quiet", "--initial-branch=main"],
        ["add", "--all"],
        [
            "-c",
            "user.name=Owner",
            "-c",
            "user.email=owner@example.org",
            "commit",
            "--quiet",
            "-m",
            "A blog",
        ],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True)
    return repo
