from __future__ import annotations

from pathlib import Path

import pytest

from daily_ai_summary.testing.harness import ActionHarness

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"


@pytest.fixture
def harness(tmp_path: Path):
    """A blog with a bare origin, a workspace checkout, and the GitHub, LLM and source fakes.
    Every GitHub request and response is checked against GitHub's OpenAPI description."""
    with ActionHarness(tmp_path, spec=SPEC) as h:
        yield h
        h.github.assert_clean()
