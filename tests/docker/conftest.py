"""Container tests: the image is built once per session; no engine means skip (or fail in CI).

``DAILY_AI_SUMMARY_REQUIRE_DOCKER=1`` (set by .ci/run) turns a missing Docker engine into a
failure, so CI cannot go green by silently skipping the container. An engine without the base
image (a fresh machine) fails every container test with one line naming scripts/docker-base.
"""

from __future__ import annotations

import pytest
from container import (
    IMAGE,
    MISSING_BASE,
    REQUIRE_DOCKER,
    base_image_present,
    build_image,
    docker_available,
)


@pytest.fixture(scope="session")
def docker_engine() -> None:
    if not docker_available():
        message = "no Docker engine answers (docker info failed)"
        if REQUIRE_DOCKER:
            pytest.fail(message + " and DAILY_AI_SUMMARY_REQUIRE_DOCKER is set")
        pytest.skip(message)
    if not base_image_present():
        # An engine answers, so the container tests are meant to run: say what to do.
        pytest.fail(MISSING_BASE, pytrace=False)


@pytest.fixture(scope="session")
def image(docker_engine: None) -> str:
    """The action's image, built from the working tree's Dockerfile once per session."""
    build_image(IMAGE)
    return IMAGE
