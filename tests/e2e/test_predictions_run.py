"""The daily run commits the predictions chart and page with the post, in one commit."""

from __future__ import annotations

import random
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from daily_ai_summary.testing.harness import git
from daily_ai_summary.testing.predictions import write_posts

CHART = "static/daily-ai-summary/predictions.svg"
PAGE = "content/predictions.md"


def add_to_main(
    harness, files: dict[str, str] | None = None, posts: int = 0, choose=None, first=None
) -> None:
    """Commit files (and ``posts`` grammar posts before the run's date) on origin's main."""
    clone = harness.root / f"main-{random.random():.6f}"
    subprocess.run(["git", "clone", "--quiet", str(harness.origin), str(clone)], check=True)
    if posts:
        choose = choose or random.Random(3).choice
        write_posts(str(clone), posts, choose, first=first or datetime(2025, 1, 1, tzinfo=UTC))
    for rel, text in (files or {}).items():
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        (clone / rel).write_text(text, encoding="utf-8")
    git(clone, "add", "--all")
    git(
        clone,
        "-c",
        "user.name=Owner",
        "-c",
        "user.email=owner@example.org",
        "commit",
        "--quiet",
        "-m",
        "older posts",
    )
    git(clone, "push", "--quiet", "origin", "main")
    git(harness.workspace, "pull", "--quiet", "origin", "main")


def files_of_the_commit(harness) -> list[str]:
    out = git(harness.origin, "show", "--name-only", "--format=", harness.branch)
    return sorted(out.split())


def test_the_pr_commit_carries_the_post_the_chart_and_the_page(harness) -> None:
    add_to_main(harness, posts=20)
    result = harness.run("schedule")
    assert result.code == 0, result.log
    assert len(harness.commits(f"main..{harness.branch}")) == 1
    assert files_of_the_commit(harness) == sorted([harness.post_path, CHART, PAGE])

    svg = harness.branch_file(harness.branch, CHART)
    desc = ET.fromstring(svg).findtext("{http://www.w3.org/2000/svg}desc")
    assert "from 21 posts" in desc and "2025-04-16" in desc  # the 20 older posts and today's
    page = harness.branch_file(harness.branch, PAGE)
    assert "(/daily-ai-summary/predictions.svg)" in page and "30-day median" in page

    # the same date again: same posts, same bytes, nothing to commit
    again = harness.run("workflow_dispatch", {"inputs": {"date": "2025-04-16"}})
    assert again.code == 0, again.log
    assert again.outputs["pull-request-operation"] == "unchanged"
    assert harness.branch_file(harness.branch, CHART) == svg


def test_the_tracker_is_opt_out(harness) -> None:
    harness.write_config(
        (harness.workspace / ".github" / "daily-ai-summary.yml").read_text(encoding="utf-8")
        + "predictions:\n  tracker: false\n"
    )
    result = harness.run("schedule")
    assert result.code == 0, result.log
    assert files_of_the_commit(harness) == [harness.post_path]


def test_a_page_the_user_wrote_is_left_alone(harness) -> None:
    mine = "---\ntitle: My own predictions page\n---\nHand-written.\n"
    add_to_main(harness, {PAGE: mine})
    result = harness.run("schedule")
    assert result.code == 0, result.log
    assert harness.branch_file(harness.branch, PAGE) == mine
    assert files_of_the_commit(harness) == sorted([harness.post_path, CHART])
    assert f"{PAGE} exists and was not written by this action" in result.log


def test_a_forecast_far_from_the_blogs_recent_ones_is_flagged_in_the_pr_body(harness) -> None:
    # two weeks of posts that all said 2100; the stand-in model says 2028-2047 today
    def always_2100(options):
        if 2100 in options:
            return 2100
        return 2 if tuple(options) == (1, 2, 2, 2, 3) else options[0]  # two predictions

    add_to_main(harness, posts=14, choose=always_2100, first=datetime(2025, 4, 2, tzinfo=UTC))
    result = harness.run("schedule")
    assert result.code == 0, result.log
    [pr] = harness.open_pulls()
    for event in ("Artificial General Intelligence (AGI)", "Technological Singularity"):
        assert f"Forecast jump: {event} (" in pr["body"]
    assert "years earlier than the blog's 30-day median (July 2100)" in pr["body"]


def test_forecasts_near_the_blogs_are_not_flagged(harness) -> None:
    # two weeks of posts that said what the stand-in model says today (its dates are seeded
    # by title and event): the first run's forecasts, copied into older posts
    first = harness.run("schedule")
    assert first.code == 0, first.log
    post = harness.branch_file(harness.branch, harness.post_path)
    older = {
        harness.post_path.replace("2025-04-16", f"2025-04-{day:02d}"): post.replace(
            "2025-04-16", f"2025-04-{day:02d}"
        )
        for day in range(2, 16)
    }
    add_to_main(harness, older)
    again = harness.run("workflow_dispatch", {"inputs": {"date": "2025-04-16"}})
    assert again.code == 0, again.log
    assert "Forecast jump" not in again.log


def test_the_predictions_prompt_cites_the_blogs_own_recent_forecasts(harness) -> None:
    def agi_2031_singularity_2050(options):
        if 2035 in options:  # the year list: a fixed year per event, set below
            return agi_2031_singularity_2050.year
        return 2 if tuple(options) == (1, 2, 2, 2, 3) else options[0]

    agi_2031_singularity_2050.year = 2050
    add_to_main(
        harness, posts=10, choose=agi_2031_singularity_2050, first=datetime(2025, 4, 5, tzinfo=UTC)
    )
    result = harness.run("schedule")
    assert result.code == 0, result.log
    [body] = [
        b
        for b in harness.llm.chat_bodies()
        if "predicts future events" in b["messages"][0]["content"]
    ]
    system, user = (m["content"] for m in body["messages"])
    assert "more than 5 years from the blog's 30-day median" in system
    # the figures come from the posts on main, quoted as data after today's titles
    data = user.split("<<<DATA ", 1)[1]
    assert "The blog's own recent forecasts:" in data
    assert (
        "- Artificial General Intelligence (AGI): latest 2050 (post of 2025-04-14); "
        "median of the last 30 days July 2050; change over 90 days n/a"
    ) in data
    assert "- Technological Singularity: latest 2050 (post of 2025-04-14)" in data


def test_without_the_tracker_the_prompt_has_no_history(harness) -> None:
    add_to_main(harness, posts=5, first=datetime(2025, 4, 1, tzinfo=UTC))
    harness.write_config(
        (harness.workspace / ".github" / "daily-ai-summary.yml").read_text(encoding="utf-8")
        + "predictions:\n  tracker: false\n"
    )
    assert harness.run("schedule").code == 0
    users = [b["messages"][1]["content"] for b in harness.llm.chat_bodies()]
    assert not any("recent forecasts" in u for u in users)
