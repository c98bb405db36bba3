"""The real image, run the way the Actions runner runs it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from container import RUNNER_UID, run_container

from daily_ai_summary import __version__

pytestmark = [pytest.mark.docker, pytest.mark.timeout(1200)]


def inspect(image: str) -> dict:
    out = subprocess.run(
        ["docker", "image", "inspect", image], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)[0]["Config"]


def test_image_follows_the_docker_action_rules(image: str) -> None:
    config = inspect(image)
    assert config["Entrypoint"] == ["/opt/venv/bin/daily-ai-summary", "run"]
    assert config.get("User", "") in ("", "root")  # the runner needs root for the workspace


def test_the_entrypoint_program_starts_and_reports_its_version(image: str, tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    result = run_container(
        {}, tmp_path / "ws", {}, entrypoint="/opt/venv/bin/daily-ai-summary", args=["--version"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"daily-ai-summary {__version__}"


def make_repo(path: Path) -> None:
    path.mkdir()
    env = {
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@x",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@x",
        "HOME": str(path),
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q", "-b", "main"], ["commit", "-q", "--allow-empty", "-m", "init"]):
        subprocess.run(["git", *args], cwd=path, env=env, check=True)


PROBE = r"""
import json, os, pathlib, subprocess
from daily_ai_summary.publish.git import Git
git = Git(os.environ["GITHUB_WORKSPACE"])
before = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
report = {
    "uid": os.getuid(),
    "workspace_uid": os.stat(os.environ["GITHUB_WORKSPACE"]).st_uid,
    "cwd": os.getcwd(),
    "home": os.environ["HOME"],
    "dubious_before": "dubious ownership" in before.stderr,
    "made_safe": git.ensure_safe_directory(),
    "head": git.head_sha(),
    "event": json.loads(pathlib.Path(os.environ["GITHUB_EVENT_PATH"]).read_text()),
    "dry_run": os.environ["INPUT_DRY-RUN"],
    "prefix": os.environ["INPUT_COMMAND-PREFIX"],
    "runner_temp_exists": os.path.exists(os.environ["RUNNER_TEMP"]),
}
with open(os.environ["GITHUB_OUTPUT"], "a") as out:
    out.write("report<<EOF_REPORT\n" + json.dumps(report, indent=1) + "\nEOF_REPORT\n")
    out.write("simple=yes\n")
with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as summary:
    summary.write("## Probe\n\nran in the container\n")
"""


def test_the_runner_contract_inside_the_container(image: str, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    make_repo(workspace)
    event = {"inputs": {"date": "2024-05-02"}, "ref": "refs/heads/main"}

    result = run_container(
        {"GITHUB_EVENT_NAME": "workflow_dispatch"},
        workspace,
        event,
        inputs={"dry-run": "true"},
        entrypoint="/opt/venv/bin/python",
        args=["-c", PROBE],
    )

    assert result.exit_code == 0, result.stderr
    assert result.outputs["simple"] == "yes"
    report = json.loads(result.outputs["report"])
    assert report["uid"] == 0
    assert report["cwd"] == "/github/workspace"
    assert report["home"] == "/github/home"
    assert report["event"] == event
    assert report["dry_run"] == "true"  # given in `with:`
    assert report["prefix"] == "/summary"  # the action.yml default, as the runner fills it
    assert not report["runner_temp_exists"]
    if report["workspace_uid"] == RUNNER_UID:  # the harness could hand it to the runner user
        assert report["dubious_before"]
        assert report["made_safe"]
    assert len(report["head"]) == 40
    assert result.summary == "## Probe\n\nran in the container\n"
