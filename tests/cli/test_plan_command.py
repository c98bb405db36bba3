"""`daily-ai-summary plan` on a clone: the JSON list on stdout, the reasons on stderr, one
clear line for a bad range. A real process, real git (a bare origin and a clone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from daily_ai_summary.testing.blog import make_blog

NOW = "2025-04-16T05:35:33Z"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "OPENAI_API_KEY", "OPENAI_BASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "daily_ai_summary", *args],
        capture_output=True, text=True, env={**base, "DAILY_AI_SUMMARY_NOW": NOW, **(env or {})}, timeout=120,
    )  # fmt: skip


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args], check=True, capture_output=True)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    seed = make_blog(tmp_path / "seed", "http://127.0.0.1:9", consequences=3)
    (seed / "content/posts/2025-04-10-ai-auto-summary.md").write_text("---\ntitle: merged\n---\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "a merged post")
    git(seed, "branch", "daily-ai-summary/2025-04-12")  # a waiting post's branch
    subprocess.run(["git", "clone", "-q", "--bare", str(seed), str(tmp_path / "origin.git")], check=True)
    subprocess.run(["git", "clone", "-q", str(tmp_path / "origin.git"), str(tmp_path / "clone")], check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(tmp_path / "origin.git"), str(work)], check=True)
    git(work, "checkout", "-q", "daily-ai-summary/2025-04-12")
    (work / "content/posts/2025-04-12-ai-auto-summary.md").write_text("---\ntitle: waiting\n---\n")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "the bot's post")
    git(work, "push", "-q", "origin", "daily-ai-summary/2025-04-12")
    return tmp_path / "clone"


def test_plan_prints_the_dates_that_need_a_post(clone: Path) -> None:
    proc = cli("plan", "--dates", "2025-04-09..2025-04-15", "--repo", str(clone))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["2025-04-09", "2025-04-11", "2025-04-13", "2025-04-14", "2025-04-15"]
    assert "skip 2025-04-10: its post is merged" in proc.stderr
    assert "skip 2025-04-12: its pull request is open" in proc.stderr
    assert "budget: 5 dates x 4 calls = 20 requests, within GitHub Models' free tier's 150/day" in proc.stderr
    assert "max-parallel: 1 (GitHub Models' free tier: 5 concurrent requests / 4 in flight per job = 1" in proc.stderr

    forced = cli("plan", "--dates", "2025-04-09..2025-04-15", "--force", "--repo", str(clone))
    assert len(json.loads(forced.stdout)) == 7
    with_key = cli("plan", "--dates", "2025-04-09..2025-04-15", "--repo", str(clone), env={"OPENAI_API_KEY": "sk-x"})
    assert "max-parallel: 5 (the OpenAI API publishes no limit" in with_key.stderr


@pytest.mark.parametrize(
    ("dates", "says"),
    [
        ("2024-01-01..2025-04-15", "--dates: 2024-01-01..2025-04-15 is 471 days; a backfill covers at most 366 days"),
        ("2025-04-15..2025-04-01", "--dates: the range ends (2025-04-01) before it starts (2025-04-15)"),
        ("2025-01-01..2025-02-15", "--dates: 46 dates x 4 calls = 184 requests, over GitHub Models' free tier's 150/day: split the range or use an API key"),
    ],
)
def test_a_bad_range_is_one_line_and_exit_1(clone: Path, dates: str, says: str) -> None:
    proc = cli("plan", "--dates", dates, "--repo", str(clone))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: ") and says in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
