"""Shared test fixtures: where the reference material lives.

``../shared`` (the reference blog's corpus and real recorded API responses) sits beside the
repository in CI. Tests that need it are skipped, loudly, when it is absent; everything else
uses the project's own fixtures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DAILY_AI_SUMMARY_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"reference material not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def recorded(shared_dir: Path) -> Path:
    """``../shared/fixtures``: real recorded API responses (read-only)."""
    return shared_dir / "fixtures"


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"
