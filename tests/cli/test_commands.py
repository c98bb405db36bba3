"""The command line: demo, generate, sources. Real processes, real git, local fakes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from daily_ai_summary.post import parse
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.openai_fake import OpenAIFake
from daily_ai_summary.testing.sources_fake import SourcesFake

DAY = date(2025, 4, 16)


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "OPENAI_API_KEY", "OPENAI_BASE_URL")}
    return subprocess.run([sys.executable, "-m", "daily_ai_summary", *args], capture_output=True, text=True, env={**base, **(env or {})}, cwd=cwd, timeout=300)


@pytest.fixture
def blog(tmp_path):
    with SourcesFake.with_sample_day(DAY) as sources, OpenAIFake() as llm:
        sources.now = datetime(2025, 4, 16, 5, 35, 33, tzinfo=UTC)  # the run's pinned now
        repo = make_blog(tmp_path / "blog", sources.url, consequences=3)
        env = {
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_API_KEY": "sk-test-not-real-0123456789",
            "DAILY_AI_SUMMARY_MODEL": "gpt-4o-mini",
            "DAILY_AI_SUMMARY_NOW": "2025-04-16T05:35:33Z",
        }
        yield repo, env, llm


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_the_demo_runs_offline_and_says_it_is_sample_content(tmp_path):
    proc = cli("demo", "--keep", str(tmp_path), "--date", "2025-04-16")
    assert proc.returncode == 0, proc.stderr
    assert "SAMPLE CONTENT" in proc.stdout
    assert "OPENAI_API_KEY" in proc.stdout and "GITHUB_TOKEN" in proc.stdout  # how to go real
    repo = tmp_path
    text = git(repo, "show", "daily-ai-summary/2025-04-16:content/posts/2025-04-16-ai-auto-summary.md")
    post = parse(text)
    assert len(post.consequences) == 5 and len(post.trending) == 3 and len(post.predictions) == 2
    assert text in proc.stdout


def test_generate_commits_on_the_dates_branch_and_leaves_the_checkout_alone(blog):
    repo, env, _ = blog
    (repo / "notes.txt").write_text("uncommitted work\n")
    proc = cli("generate", "--date", "2025-04-16", "--repo", str(repo), env=env)
    assert proc.returncode == 0, proc.stderr
    assert git(repo, "branch", "--show-current").strip() == "main"
    assert (repo / "notes.txt").read_text() == "uncommitted work\n"
    assert not (repo / "content/posts/2025-04-16-ai-auto-summary.md").exists()
    log = git(repo, "log", "--format=%s|%ae", "daily-ai-summary/2025-04-16", "-1")
    assert log.strip() == "bot: 2025-04-16 automated summary|41898282+github-actions[bot]@users.noreply.github.com"
    assert "sk-test-not-real-0123456789" not in proc.stdout + proc.stderr


def test_generate_dry_run_prints_the_post_and_changes_nothing(blog):
    repo, env, llm = blog
    before = git(repo, "for-each-ref")
    proc = cli("generate", "--date", "2025-04-16", "--repo", str(repo), "--dry-run", env=env)
    assert proc.returncode == 0, proc.stderr
    post = parse(proc.stdout)
    assert post.date is not None and post.date.isoformat() == "2025-04-16T05:35:33+00:00"
    assert git(repo, "for-each-ref") == before
    assert len(llm.chat_bodies()) == 3 + 1  # one call per item, one for the predictions


def test_sources_shows_the_selection_without_spending_a_token(blog):
    repo, env, llm = blog
    proc = cli("sources", "--date", "2025-04-16", "--repo", str(repo), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Consequences (3 chosen):" in proc.stdout
    assert "https://www.reddit.com/r/MachineLearning/comments/" in proc.stdout
    assert "Dropped (" in proc.stdout and "stickied" in proc.stdout
    assert llm.chat_bodies() == []


def test_a_bad_date_is_a_clear_error(blog):
    repo, env, _ = blog
    proc = cli("generate", "--date", "2025-02-30", "--repo", str(repo), env=env)
    assert proc.returncode == 1
    assert "--date: 2025-02-30 is not a calendar date" in proc.stderr
    assert "Traceback" not in proc.stderr
