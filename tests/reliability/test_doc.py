"""docs/reliability.md is generated from the rows; these tests keep the two in step."""

from __future__ import annotations

import importlib

from tests.reliability.cases import GROUPS, ROWS
from tests.reliability.table import DOC, expected_results, render


def test_the_page_is_what_the_rows_render_with_every_row_passing():
    assert DOC.read_text(encoding="utf-8") == render(expected_results()), (
        "docs/reliability.md is out of date: run scripts/reliability-table"
    )


def test_every_row_names_a_test_that_exists():
    for row in ROWS:
        module, func = row.test.split("::")
        mod = importlib.import_module(f"tests.reliability.{module.removesuffix('.py')}")
        assert callable(getattr(mod, func, None)), f"{row.id}: {row.test} does not exist"
    special = [r.test for r in ROWS if not r.node.endswith("]")]
    assert len(special) == len(set(special)), "two rows claim the same test"


def test_the_table_covers_what_the_issue_asks_for():
    assert len(ROWS) >= 50
    assert {r.group for r in ROWS} == set(GROUPS)
    ids = {r.id for r in ROWS}
    for source in ("reddit", "hackernews", "huggingface-papers", "arxiv", "feed"):
        for fault in ("429-retry-after", "5xx-twice", "timeout", "truncated", "html-page", "empty"):
            assert f"{source}-{fault}" in ids
    for row in ROWS:
        assert row.outcome != "error" or row.error or not row.node.endswith("]"), f"{row.id}: an error row must say what the ::error contains"
