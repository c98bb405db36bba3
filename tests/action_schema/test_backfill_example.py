"""examples/backfill.yml: valid for GitHub (check-jsonschema's vendored workflow schema) and
wired the way the backfill needs: plan's outputs feed the matrix and its max-parallel, one
concurrency group per date, no matrix when nothing is left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "backfill.yml"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def example() -> dict:
    return YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))


def test_the_backfill_example_is_valid_for_github() -> None:
    proc = check_jsonschema("vendor.github-workflows", EXAMPLE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_schema_check_does_reject_a_broken_backfill(tmp_path: Path) -> None:
    broken = tmp_path / "backfill.yml"
    broken.write_text(EXAMPLE.read_text().replace("max-parallel: ${{", "max-paralel: ${{"))
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1


def test_plan_feeds_a_matrix_of_one_job_per_date(example: dict) -> None:
    plan, post = example["jobs"]["plan"], example["jobs"]["post"]
    assert plan["steps"][-1]["with"] == {"mode": "plan", "dates": "${{ inputs.dates }}"}
    assert plan["outputs"] == {
        "dates": "${{ steps.plan.outputs.dates }}",
        "max-parallel": "${{ steps.plan.outputs.max-parallel }}",
    }
    assert post["needs"] == "plan"
    assert post["if"] == "needs.plan.outputs.dates != '[]'"
    strategy = post["strategy"]
    assert strategy["matrix"] == {"date": "${{ fromJSON(needs.plan.outputs.dates) }}"}
    assert strategy["max-parallel"] == "${{ fromJSON(needs.plan.outputs.max-parallel) }}"
    assert strategy["fail-fast"] is False
    assert post["steps"][-1]["with"]["date"] == "${{ matrix.date }}"
    assert post["steps"][-1]["with"]["dates"] == "${{ inputs.dates }}"


def test_each_date_has_its_own_concurrency_group_shared_with_the_daily_workflow(example: dict) -> None:
    group = example["jobs"]["post"]["concurrency"]
    assert group == {"group": "daily-ai-summary-${{ matrix.date }}", "cancel-in-progress": False}
    daily = YAML(typ="safe").load((REPO / ".github" / "workflows" / "daily-ai-summary.yml").read_text())
    (job,) = daily["jobs"].values()
    # a dispatch of the daily workflow for date D lands in the group daily-ai-summary-D too
    assert job["concurrency"]["group"].startswith("daily-ai-summary-${{")
    assert "inputs.date" in job["concurrency"]["group"]


def test_the_example_passes_only_inputs_the_action_declares(example: dict) -> None:
    declared = set(YAML(typ="safe").load((REPO / "action.yml").read_text())["inputs"])
    for job in example["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("daily-ai-summary/daily-ai-summary@"):
                assert set(step["with"]) <= declared
    # least privilege per job (zizmor: excessive-permissions): only the post job writes
    assert example["permissions"] == {}
    assert example["jobs"]["post"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
        "models": "read",
    }
    assert set(example["jobs"]["plan"]["permissions"].values()) == {"read"}
