"""scripts/screenshots renders the product's own output: a real run against the fakes opens the
PR and answers a /summary line comment, and the pages it photographs hold exactly that output
rendered from Markdown (here without the browser: --html-only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_pages_show_the_real_pr_body_and_revision_reply(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "screenshots"), "--html-only", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pr = (tmp_path / "pr-body.html").read_text(encoding="utf-8")
    reply = (tmp_path / "revision-reply.html").read_text(encoding="utf-8")
    assert "[Daily Automated AI Summary] 2025-04-16" in pr
    # rendered Markdown, not raw text: headings, an ordered list of links, collapsed details
    assert "<h3>Possible consequences of current developments</h3>" in pr
    items = pr[pr.index("<ol>") : pr.index("</ol>")]
    assert items.count('<li><a href="https://www.reddit.com/r/MachineLearning/comments/') == 5
    assert "<details><summary>Steer this post from the PR</summary>" in pr
    assert "Done: rewrote the benefits of item 1" in reply
    assert "/summary make it more concrete" in reply
    assert "<span>eyes</span>" in reply and "<span>rocket</span>" in reply


def test_the_readme_shows_both_pictures():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("pr-body", "revision-reply"):
        assert f"(docs/images/{name}.png)" in readme
        assert (REPO / "docs" / "images" / f"{name}.png").stat().st_size > 10_000
