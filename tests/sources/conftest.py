"""Fixtures for the source tests: a running ``SourcesFake`` and a fast, recording HTTP policy.

Every test talks to a real local server through a real ``httpx.AsyncClient``; nothing is mocked.
Backoff waits go through an injected sleep that records what it was asked to wait (and waits a
millisecond), except where a test wants a real short wait.
"""

from __future__ import annotations

import pytest
from sources_support import Sleeps

from daily_ai_summary.sources.http import HttpPolicy
from daily_ai_summary.testing.sources_fake import SourcesFake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def policy(sleeps: Sleeps) -> HttpPolicy:
    """Fast and deterministic: jitter fixed at its top (waits are exactly 0.1, 0.2, 0.4 ...)."""
    return HttpPolicy(timeout=2.0, attempts=3, backoff=0.1, budget=30.0, sleep=sleeps, jitter=lambda: 1.0)


@pytest.fixture
def fake():
    with SourcesFake() as f:
        yield f
