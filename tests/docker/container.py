"""Run the action's image exactly the way the GitHub Actions runner runs a Docker action.

What the runner does (actions/runner ContainerActionHandler / DockerCommandManager):
``docker run --rm --workdir /github/workspace`` with the workspace, ``_github_home``,
``_github_workflow`` (the event as ``event.json``) and ``_runner_file_commands`` mounted under
``/github``; every variable passed as ``-e NAME`` with its value in docker's own environment
(so values never appear on a command line); every input declared in action.yml exported as
``INPUT_<NAME>`` (upper-cased, hyphens kept, the default when not given, empty when no
default); no ``--user``, so the container is root while the workspace belongs to the runner
user (uid 1001). Here everything also runs with ``--network host`` because this machine has no
docker bridge; the fakes listen on 127.0.0.1.

    result = run_container({"GITHUB_EVENT_NAME": "workflow_dispatch", ...}, workspace,
                           {"inputs": {"date": "2024-05-02"}}, inputs={"dry-run": "true"})
    assert result.exit_code == 0, result.stderr
    assert result.outputs["pull-request-operation"] == "created"
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml import YAML

from daily_ai_summary.testing.harness import FileCommandError as FileCommandError  # re-exported
from daily_ai_summary.testing.harness import parse_output_file

parse_file_command = parse_output_file  # the runner's GITHUB_OUTPUT reader, shared with the harness

REPO = Path(__file__).resolve().parents[2]
IMAGE = os.environ.get("DAILY_AI_SUMMARY_IMAGE", "daily-ai-summary:test")
RUNNER_UID = 1001  # the "runner" user on GitHub-hosted runners
REQUIRE_DOCKER = os.environ.get("DAILY_AI_SUMMARY_REQUIRE_DOCKER", "") not in ("", "0", "false")
# The image the tests build FROM: the Dockerfile pins the real debian:bookworm-slim by digest;
# the tests use the local tag, which scripts/docker-base makes where Docker Hub is out of reach
# (or `docker pull debian:bookworm-slim` where it is not).
BASE_IMAGE = os.environ.get("DAILY_AI_SUMMARY_BASE_IMAGE", "debian:bookworm-slim")
MISSING_BASE = (
    f"the base image {BASE_IMAGE} is missing: run scripts/docker-base (it builds a stand-in"
    f" from the Debian mirror) or `docker pull {BASE_IMAGE}`"
)


class ContainerResult(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def action_inputs() -> dict[str, str]:
    """Input name -> default, from action.yml (expressions like ``${{ github.token }}``: '')."""
    meta = YAML(typ="safe").load((REPO / "action.yml").read_text())
    defaults = {}
    for name, spec in (meta.get("inputs") or {}).items():
        default = str((spec or {}).get("default", "") or "")
        defaults[name] = "" if "${{" in default else default
    return defaults


def input_env_name(name: str) -> str:
    return "INPUT_" + name.replace(" ", "_").upper()


def docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return probe.returncode == 0


def base_image_present(base: str = BASE_IMAGE) -> bool:
    probe = subprocess.run(
        ["docker", "image", "inspect", base], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


def build_image(tag: str = IMAGE, *, base: str = BASE_IMAGE, timeout: float = 900) -> None:
    """``docker build --network host --build-arg BASE_IMAGE=base -t tag .`` from the
    repository root; raises on failure. Every test builds with the same arguments, so the
    layers are built once and shared (the release and runner tests reuse them)."""
    proc = subprocess.run(
        [
            "docker",
            "build",
            "--network",
            "host",
            "--build-arg",
            f"BASE_IMAGE={base}",
            "-t",
            tag,
            str(REPO),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise RuntimeError(f"docker build failed (exit {proc.returncode}):\n{tail}")


def chown_tree(root: Path, uid: int) -> None:
    os.lchown(root, uid, uid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, uid)


def run_container(
    env: Mapping[str, str],
    workspace: Path,
    event: Mapping[str, Any],
    *,
    inputs: Mapping[str, str] | None = None,
    image: str = IMAGE,
    entrypoint: str | None = None,
    args: Sequence[str] = (),
    runner_temp: Path | None = None,
    timeout: float = 600,
    mounts: Sequence[Path] = (),
) -> ContainerResult:
    """Run ``image`` like the runner runs the action step; see the module docstring.

    ``env``: extra variables (``GITHUB_EVENT_NAME``, ``GITHUB_REPOSITORY``, API URLs of the
    fakes...), overriding the defaults set here. ``inputs``: the step's ``with:``, by input
    name; undeclared-but-given inputs are passed too (the runner only warns). ``runner_temp``:
    where the runner's ``_temp`` lives (a new temporary directory when None; kept for
    inspection when given). ``mounts``: host paths mounted at the same path (a local bare
    ``origin`` the workspace's remote URL points to).
    """
    owned_temp = runner_temp is None
    temp = Path(tempfile.mkdtemp(prefix="runner-temp-")) if owned_temp else runner_temp
    try:
        home = temp / "_github_home"
        workflow = temp / "_github_workflow"
        file_commands = temp / "_runner_file_commands"
        for d in (home, workflow, file_commands):
            d.mkdir(parents=True, exist_ok=True)
        (workflow / "event.json").write_text(json.dumps(event), encoding="utf-8")
        guid = uuid.uuid4()
        files = {
            "GITHUB_OUTPUT": f"set_output_{guid}",
            "GITHUB_ENV": f"set_env_{guid}",
            "GITHUB_PATH": f"add_path_{guid}",
            "GITHUB_STEP_SUMMARY": f"step_summary_{guid}",
            "GITHUB_STATE": f"save_state_{guid}",
        }
        for name in files.values():
            (file_commands / name).touch()
        if os.geteuid() == 0:
            for d in (workspace, home, workflow, file_commands):
                chown_tree(d, RUNNER_UID)

        container_env = {
            "HOME": "/github/home",
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_EVENT_NAME": "workflow_dispatch",
            "GITHUB_REPOSITORY": "octo-org/blog",
            "GITHUB_REPOSITORY_OWNER": "octo-org",
            "GITHUB_ACTOR": "octocat",
            "GITHUB_RUN_ID": "1",
            "GITHUB_RUN_NUMBER": "1",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_API_URL": "https://api.github.com",
            "GITHUB_GRAPHQL_URL": "https://api.github.com/graphql",
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": "/home/runner/work/_temp",  # a host path: absent in the container
            **{k: f"/github/file_commands/{v}" for k, v in files.items()},
        }
        for name, default in action_inputs().items():
            container_env[input_env_name(name)] = default
        for name, value in (inputs or {}).items():
            container_env[input_env_name(name)] = value
        container_env.update(env)

        command = [
            "docker", "run", "--rm", "--network", "host",
            "--workdir", "/github/workspace",
            "-v", f"{workspace}:/github/workspace",
            "-v", f"{home}:/github/home",
            "-v", f"{workflow}:/github/workflow",
            "-v", f"{file_commands}:/github/file_commands",
        ]  # fmt: skip
        for path in mounts:
            command += ["-v", f"{path}:{path}"]
        for name in container_env:
            command += ["-e", name]  # the value comes from docker's environment, not argv
        if entrypoint is not None:
            command += ["--entrypoint", entrypoint]
        command += [image, *args]

        proc = subprocess.run(
            command,
            env={**os.environ, **container_env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
        outputs = parse_file_command(
            (file_commands / files["GITHUB_OUTPUT"]).read_text(encoding="utf-8")
        )
        summary = (file_commands / files["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
        return ContainerResult(proc.returncode, proc.stdout, proc.stderr, outputs, summary)
    finally:
        if owned_temp:
            shutil.rmtree(temp, ignore_errors=True)
