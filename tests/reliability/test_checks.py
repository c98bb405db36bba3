"""The shared "must not happen" checks can fail: each is shown one violation and must catch it.

(A check that cannot fail would make every row of the table pass for nothing.)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from daily_ai_summary.testing.harness import git
from tests.reliability.support import GITHUB_TOKEN, OPENAI_KEY, REDDIT_SECRET, Bench


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    """One good run; each test then breaks one thing and undoes it."""
    with Bench(tmp_path_factory.mktemp("checks")) as bench:
        result = bench.run("schedule")
        assert result.code == 0, result.log
        bench.assert_nothing_lost(result)
        yield bench, result


@pytest.mark.parametrize("secret", [GITHUB_TOKEN, OPENAI_KEY, REDDIT_SECRET, OPENAI_KEY[-14:]], ids=["token", "api-key", "reddit", "half-a-key"])
def test_a_secret_anywhere_is_caught(published, secret: str) -> None:
    bench, result = published
    for leaked in (
        dataclasses.replace(result, summary=result.summary + secret),
        dataclasses.replace(result, stderr=f"Traceback ... Authorization: Bearer {secret}"),
        dataclasses.replace(result, stdout=result.stdout + f"\n::warning::{secret}"),
    ):
        with pytest.raises(AssertionError, match="leaked"):
            bench.assert_no_secret(leaked)
    [pr] = bench.h.open_pulls()
    body = pr["body"]
    pr["body"] = body + secret
    try:
        with pytest.raises(AssertionError, match="leaked"):
            bench.assert_no_secret(result)
    finally:
        pr["body"] = body


def test_output_before_the_masks_is_caught(published) -> None:
    bench, result = published
    early = dataclasses.replace(result, stdout="hello\n" + result.stdout)
    with pytest.raises(AssertionError, match="before the secrets were masked"):
        bench.assert_no_secret(early)


def test_a_pushed_branch_and_an_opened_pr_are_caught(published) -> None:
    bench, result = published
    with pytest.raises(AssertionError, match="a branch was pushed"):
        bench.assert_nothing_lost(result, forbid={"branch"})
    with pytest.raises(AssertionError, match="a pull request was opened"):
        bench.assert_nothing_lost(result, forbid={"pr"})


def test_a_partial_post_on_origin_is_caught(published, tmp_path: Path) -> None:
    bench, _ = published
    h = bench.h
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(h.origin), str(clone))
    text = (h.branch_file(h.branch, h.post_path) or "")
    (clone / h.post_path).parent.mkdir(parents=True, exist_ok=True)
    (clone / h.post_path).write_text(text[: len(text) // 3])  # cut inside the first section
    git(clone, "add", h.post_path)
    git(clone, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "--quiet", "-m", "half a post")
    git(clone, "push", "--quiet", "origin", "HEAD:refs/heads/broken")
    try:
        with pytest.raises(Exception):  # noqa: B017 - an incomplete post or one that does not parse
            bench.assert_no_partial_post()
    finally:
        git(h.origin, "update-ref", "-d", "refs/heads/broken")
    bench.assert_no_partial_post()


def test_a_changed_workspace_or_a_leftover_worktree_is_caught(published) -> None:
    bench, _ = published
    stray = bench.workspace / "notes.txt"
    stray.write_text("left behind")
    try:
        with pytest.raises(AssertionError):
            bench.assert_workspace_unchanged()
    finally:
        stray.unlink()
    left = bench.tmp / "daily-ai-summary-wt-leftover"
    left.mkdir()
    try:
        with pytest.raises(AssertionError, match="worktrees left behind"):
            bench.assert_no_partial_post()
    finally:
        left.rmdir()
    bench.assert_workspace_unchanged()
