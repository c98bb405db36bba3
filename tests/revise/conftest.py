"""Fixtures for the revision tests (reusable by other suites).

``revisions``: a ``Revisions`` (tests/revise/harness.py) on a fresh ``ActionHarness`` whose PR is
already open - a bare ``origin``, a workspace clone, the GitHub fake (every request and response
checked against GitHub's OpenAPI description), the OpenAI-compatible fake and the sources fake;
the reviewer ``alice`` has write permission. ``revisions_no_pr``: the same before ``open_pr()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from daily_ai_summary.testing.harness import ActionHarness
from tests.revise.harness import Revisions

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"


@pytest.fixture
def revisions_no_pr(tmp_path: Path) -> Iterator[Revisions]:
    with ActionHarness(tmp_path, spec=SPEC, consequences=4) as action:
        rv = Revisions(action)
        try:
            yield rv
        finally:
            rv.close()
        action.github.assert_clean()


@pytest.fixture
def revisions(revisions_no_pr: Revisions) -> Revisions:
    revisions_no_pr.open_pr()
    return revisions_no_pr
