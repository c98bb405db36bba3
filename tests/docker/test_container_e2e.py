"""The real image, run the way the runner runs it, publishes a PR through the local fakes.

The workspace is owned by uid 1001 (the runner user) while the container runs as root, so
this also proves the "dubious ownership" fix; the GitHub fake checks every call against
GitHub's OpenAPI description; origin is a bare repository mounted at its host path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from container import run_container

from daily_ai_summary.post import parse
from daily_ai_summary.testing.harness import TOKEN, ActionHarness

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"


@pytest.fixture
def harness(tmp_path):
    with ActionHarness(tmp_path, spec=SPEC) as h:
        yield h
        h.github.assert_clean()


def container_env(h: ActionHarness, event_name: str) -> dict[str, str]:
    return {
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_REPOSITORY": h.github.full_name,
        "GITHUB_REPOSITORY_OWNER": h.github.owner,
        "GITHUB_API_URL": h.github.url,
        "DAILY_AI_SUMMARY_TESTING": "1",
        "DAILY_AI_SUMMARY_NOW": "2025-04-16T05:35:33Z",
    }


def inputs(h: ActionHarness, **extra: str) -> dict[str, str]:
    return {"github-token": TOKEN, "base-url": h.llm.base_url, "model": "gpt-4o-mini", **extra}


def test_the_container_opens_a_pr_and_sets_its_outputs(image, harness):
    result = run_container(
        container_env(harness, "schedule"),
        harness.workspace,
        {"schedule": "17 6 * * *"},
        inputs=inputs(harness),
        mounts=[harness.origin],
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.outputs["pull-request-operation"] == "created"
    assert result.outputs["branch"] == "daily-ai-summary/2025-04-16"
    [pr] = harness.open_pulls()
    assert result.outputs["pull-request-number"] == str(pr["number"])
    assert pr["title"] == "[Daily Automated AI Summary] 2025-04-16"
    post = parse(harness.branch_file(harness.branch, harness.post_path))
    assert len(post.consequences) == 3
    assert "| consequences | 1 |" in result.summary
    assert TOKEN not in "\n".join(ln for ln in result.stdout.splitlines() if not ln.startswith("::add-mask::")) + result.stderr


def test_the_container_reports_a_bad_input_as_an_error_and_exits_1(image, harness):
    result = run_container(
        container_env(harness, "workflow_dispatch"),
        harness.workspace,
        {"inputs": {"date": "2025-02-30"}},
        inputs=inputs(harness),
        mounts=[harness.origin],
    )
    assert result.exit_code == 1
    assert "::error title=Invalid input::input 'date': 2025-02-30 is not a calendar date" in result.stdout
    assert harness.branches() == ["main"] and harness.open_pulls() == []
