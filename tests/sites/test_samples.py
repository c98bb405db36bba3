"""The README's table of presets and docs/samples/<site>.md are what the code produces.
Regenerate them with ``DAILY_AI_SUMMARY_UPDATE_SAMPLES=1 ./scripts/test tests/sites/test_samples.py``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from daily_ai_summary.post import parse
from daily_ai_summary.sites import PRESETS
from daily_ai_summary.sites.sample import readme_table, sample_post

ROOT = Path(__file__).resolve().parents[2]
UPDATE = os.environ.get("DAILY_AI_SUMMARY_UPDATE_SAMPLES") == "1"


@pytest.mark.parametrize("site", list(PRESETS))
def test_the_sample_post_is_current_and_reads_back(site: str) -> None:
    text = sample_post(PRESETS[site])
    path = ROOT / "docs" / "samples" / f"{site}.md"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"regenerate {path.name}: see this module"
    post = parse(text, path=PRESETS[site].post_path)
    assert post.date is not None and post.date.isoformat() == "2025-04-16T05:35:33+00:00"
    assert post.consequences[1].title.startswith("A {{ site.title }} {% include x.html %}")
    braces = "{" in text.split("\n---\n", 1)[1].split("\n", 1)[1]
    assert braces == (site == "hugo")  # only Hugo keeps a lone '{%' (it does not template content)


def test_the_readme_table_lists_every_preset() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme_table()
    if UPDATE and table not in readme:
        start = readme.index("| `site:` |")
        end = readme.index("\n\n", start) + 1
        (ROOT / "README.md").write_text(readme[:start] + table + readme[end:], encoding="utf-8")
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table in readme
