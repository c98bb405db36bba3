"""A machine with an engine but no base image: the container tests fail with one line that
names scripts/docker-base (today's fresh-clone experience was 5 bare errors)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from container import REPO

pytestmark = pytest.mark.docker


def test_a_missing_base_fails_the_container_tests_naming_scripts_docker_base(
    docker_engine: None,
) -> None:
    env = {**os.environ, "DAILY_AI_SUMMARY_BASE_IMAGE": "daily-ai-summary-test/no-such-base:0"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header",
         "tests/docker/test_container_smoke.py::test_image_follows_the_docker_action_rules"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = "the base image daily-ai-summary-test/no-such-base:0 is missing: run scripts/docker-base"
    assert line in proc.stdout
    assert "1 error" in proc.stdout and "Traceback" not in proc.stdout
