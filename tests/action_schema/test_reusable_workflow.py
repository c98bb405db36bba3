"""The reusable workflow (`on: workflow_call`) and the one-line caller the README shows:
valid for GitHub, typed, and in step with action.yml's inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
REUSABLE = REPO / ".github" / "workflows" / "daily-ai-summary-reusable.yml"
CALLER = REPO / "examples" / "reusable-caller.yml"
SECRETS = {  # action input -> the workflow_call secret that carries it
    "github-token": "SUMMARY_TOKEN",
    "openai-api-key": "OPENAI_API_KEY",
    "reddit-client-id": "REDDIT_CLIENT_ID",
    "reddit-client-secret": "REDDIT_CLIENT_SECRET",
}


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reusable() -> dict:
    # ruamel reads the `on:` key as the string "on" (YAML 1.2), as GitHub does
    return load(REUSABLE)


def test_the_caller_example_is_valid_for_github() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(CALLER)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_action_input_is_a_typed_input_or_a_secret_of_the_reusable_workflow(reusable: dict) -> None:
    action_inputs = load(REPO / "action.yml")["inputs"]
    call = reusable["on"]["workflow_call"]
    typed = call["inputs"]
    assert set(typed) | set(SECRETS) == set(action_inputs)
    assert not set(typed) & set(SECRETS)
    for name, spec in typed.items():
        assert spec["type"] in ("string", "boolean"), name
        assert spec["required"] is False and "default" in spec, name
        assert len(spec["description"]) > 10, name
    assert {"draft", "dry-run"} == {n for n, s in typed.items() if s["type"] == "boolean"}
    assert set(call["secrets"]) == set(SECRETS.values())
    assert all(s["required"] is False for s in call["secrets"].values())


def test_the_job_passes_each_input_and_secret_to_the_action_under_its_name(reusable: dict) -> None:
    (job,) = reusable["jobs"].values()
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("daily-ai-summary/daily-ai-summary@")]
    given = step["with"]
    for name in reusable["on"]["workflow_call"]["inputs"]:
        assert f"inputs.{name}" in given[name], name
    for name, secret in SECRETS.items():
        assert f"secrets.{secret}" in given[name], name
    assert given["github-token"] == "${{ secrets.SUMMARY_TOKEN || github.token }}"
    assert job["concurrency"]["cancel-in-progress"] is False
    assert "inputs.date" in job["concurrency"]["group"]
    assert job["permissions"]["models"] == "read"


def test_a_blog_calls_it_with_one_line_and_the_readme_shows_that_file() -> None:
    caller = load(CALLER)
    (job,) = caller["jobs"].values()
    assert job == {
        "uses": "daily-ai-summary/daily-ai-summary/.github/workflows/daily-ai-summary-reusable.yml@v1",
        "cache-mode": "none",
        # each secret the reusable workflow declares, by name (zizmor: secrets-inherit)
        "secrets": {name: f"${{{{ secrets.{name} }}}}" for name in SECRETS.values()},
    }
    assert set(caller["on"]) == {"schedule", "workflow_dispatch", "issue_comment", "pull_request_review_comment", "pull_request_review"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### For an organisation") :]
    block = section[section.index("```yaml\n") + len("```yaml\n") :]
    assert block[: block.index("```\n")] == CALLER.read_text(encoding="utf-8")
