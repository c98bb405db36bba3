"""The real-model tests: llama.cpp's server with Qwen2.5-Coder-1.5B-Instruct (Q4), built and
joined by ``scripts/real-model fetch`` (docs/local-models.md).

They take minutes on a CPU, so they run only when asked for: ``-m real_model`` (or
``DAILY_AI_SUMMARY_REAL_MODEL=1``). When the server or the weights are absent they are skipped
with the reason, unless ``DAILY_AI_SUMMARY_REQUIRE_REAL_MODEL=1`` makes that a failure. They
are not part of ``.ci/run``: building the server alone takes about 10 minutes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from daily_ai_summary.testing.real_model import RealModel, missing


def _asked_for(config: pytest.Config) -> bool:
    return (
        "real_model" in (config.getoption("-m") or "")
        or os.environ.get("DAILY_AI_SUMMARY_REAL_MODEL") == "1"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _asked_for(config):
        return
    skip = pytest.mark.skip(
        reason="real-model tests take minutes: run them with `./scripts/test -m real_model "
        "tests/real_model` after `scripts/real-model fetch`"
    )
    for item in items:
        if "real_model" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def real_model() -> Iterator[RealModel]:
    reason = missing()
    if reason:
        if os.environ.get("DAILY_AI_SUMMARY_REQUIRE_REAL_MODEL") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    model = RealModel.from_env()
    try:
        yield model
    finally:
        model.stop()
