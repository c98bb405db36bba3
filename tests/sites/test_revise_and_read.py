"""A preset's post is read back (history, inspect) and revised like a Hugo post, and a
revision keeps the site's escaping."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from daily_ai_summary.config import load_config
from daily_ai_summary.history import load_history
from daily_ai_summary.sites import PRESETS, resolve_site
from daily_ai_summary.testing.harness import ActionHarness
from daily_ai_summary.testing.openai_fake import Reply
from tests.revise.harness import Revisions

from .builds import build, check_inert
from .conftest import SKELETONS

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"
HOSTILE = (
    "{% include secret.html %} and {{ site.title }} would run in Liquid: the revised note names "
    "the change, which gives teams a measured reason to try it on their own workloads, compare "
    "the numbers with their current setup, and report back where it holds up and where it does not."
)


def test_a_line_comment_revises_a_jekyll_post_and_the_site_still_builds_inert(
    tmp_path: Path,
) -> None:
    with ActionHarness(
        tmp_path, spec=SPEC, consequences=3, skeleton=SKELETONS / "jekyll",
        post_template=PRESETS["jekyll"].post_path,
    ) as action:  # fmt: skip
        rv = Revisions(action)
        try:
            rv.open_pr()
            before = rv.head()
            line = rv.line_of("consequences", 2, "benefits", last=True)
            rv.llm.queue(Reply.json({"text": HOSTILE}))
            result = rv.run(rv.line_comment("/summary make it more concrete", line=line))
            assert result.code == 0, result.log
            assert rv.changed_lines(before, rv.head()) == {line}
            text = rv.text()
            assert "{% include" not in text and "&#123;% include secret.html %&#125;" in text
            after = rv.post()
            assert after.consequences[1].benefits == HOSTILE
            checkout = tmp_path / "checkout"
            subprocess.run(
                [
                    "git",
                    "clone",
                    "--quiet",
                    "--branch",
                    rv.branch,
                    str(action.origin),
                    str(checkout),
                ],
                check=True,
            )
        finally:
            rv.close()
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed")  # test_builds fails loudly for it in CI
    page = build("jekyll", checkout, rv.post_path)
    check_inert(page, ["{% include secret.html %} and {{ site.title }} would run"])


@pytest.mark.parametrize("site", ["jekyll", "mkdocs", "astro", "eleventy"])
def test_history_and_inspect_read_every_presets_posts(site: str, tmp_path: Path) -> None:
    """Posts in the preset's folder are history for the next day, and inspect reads their date."""
    repo = tmp_path / "blog"
    shutil.copytree(SKELETONS / site, repo)
    with ActionHarness(
        tmp_path / "gen", skeleton=SKELETONS / site, post_template=PRESETS[site].post_path
    ) as h:
        assert h.run("workflow_dispatch", {"inputs": {"date": "2025-04-16"}}).code == 0
        text = h.branch_file(h.branch, h.post_path)
    assert text is not None
    post_file = repo / PRESETS[site].post_path.replace("{date}", "2025-04-16")
    post_file.write_text(text, encoding="utf-8")

    config, preset, note = resolve_site(repo, load_config(repo, None))
    assert preset.name == site and note is not None and PRESETS[site].post_path in note
    history = load_history(repo, config, date(2025, 4, 17))
    assert history.posts == (PRESETS[site].post_path.replace("{date}", "2025-04-16"),)
    assert len(history.titles) == 3 + 3 and not history.warnings

    out = subprocess.run(
        [sys.executable, "-m", "daily_ai_summary", "inspect", "--json", str(post_file)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    [read] = json.loads(out.stdout)
    assert read["date"] == "2025-04-16T05:35:33Z"
    assert len(read["consequences"]) == 3 and len(read["predictions"]) == 2
