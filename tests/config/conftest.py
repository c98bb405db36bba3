from __future__ import annotations

import pytest

from daily_ai_summary.sources.base import SourceOptions
from tests.config.options import REGISTRY


@pytest.fixture
def registry() -> dict[str, type[SourceOptions]]:
    return dict(REGISTRY)
