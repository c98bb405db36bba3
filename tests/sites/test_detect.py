"""Which preset a repository gets: ``site:`` when set, else what its files say, else Hugo."""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_ai_summary.config import load_config
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.sites import detect_site, resolve_site

LAYOUTS: dict[str, dict[str, str]] = {
    "hugo": {"hugo.toml": "", "content/posts/a.md": ""},
    "jekyll": {"_config.yml": "title: x\n", "_posts/2025-01-01-a.md": ""},
    "mkdocs": {
        "mkdocs.yml": "site_name: x\nplugins:\n  - search\n  - blog:\n      post_dir: blog/posts\n"
    },
    "astro": {"astro.config.mjs": "export default {}\n", "src/content.config.ts": ""},
    "eleventy": {"eleventy.config.js": "module.exports = () => ({})\n", "posts/a.md": ""},
}


def _make(repo: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    return repo


@pytest.mark.parametrize("site", list(LAYOUTS))
def test_the_repository_says_which_generator_builds_it(site: str, tmp_path: Path) -> None:
    assert detect_site(_make(tmp_path, LAYOUTS[site])) == site


def test_look_alikes_stay_hugo(tmp_path: Path) -> None:
    # MkDocs without the blog plugin, a _config.yml without _posts/, Astro without collections
    _make(tmp_path, {"mkdocs.yml": "site_name: blog docs\nplugins:\n  - search\n", "_config.yml": "",
                     "astro.config.mjs": ""})  # fmt: skip
    assert detect_site(tmp_path) == "hugo"
    assert detect_site(tmp_path / "missing") == "hugo"


def test_site_in_the_config_wins_and_post_path_stays_the_users(tmp_path: Path) -> None:
    _make(tmp_path, LAYOUTS["jekyll"])
    (tmp_path / ".github").mkdir()
    cfg = tmp_path / ".github" / "daily-ai-summary.yml"
    cfg.write_text("site: mkdocs\n", encoding="utf-8")
    config, preset, note = resolve_site(tmp_path, load_config(tmp_path))
    assert (
        preset.name == "mkdocs"
        and config.post_path("2025-04-16") == "docs/blog/posts/2025-04-16-ai-auto-summary.md"
    )
    assert note is not None and "set by site" in note
    cfg.write_text("site: jekyll\npost:\n  path: blog/_posts/{date}-daily.md\n", encoding="utf-8")
    config, preset, _ = resolve_site(tmp_path, load_config(tmp_path))
    assert (
        preset.name == "jekyll"
        and config.post_path("2025-04-16") == "blog/_posts/2025-04-16-daily.md"
    )


def test_an_unknown_site_is_one_error_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "daily-ai-summary.yml").write_text(
        "site: wordpress\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert str(err.value) == (
        ".github/daily-ai-summary.yml:1: site: must be one of hugo, jekyll, mkdocs, astro, eleventy (got 'wordpress')"
    )
