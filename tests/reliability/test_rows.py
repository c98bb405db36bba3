"""The table-driven rows: each row of ``cases.py`` run through ``daily-ai-summary run``.

A row arranges a fault or a bad input on the fakes, runs the action once, and checks:
* the outcome - exit 0 with a published post and one PR, or exit 1 with an ``::error`` that
  contains the row's words (the input's name, the file and line...) and no traceback;
* what must NOT happen - the row's ``must_not`` plus the invariants every row keeps (no
  duplicate PR, no partial post, no secret in any output, the workspace untouched);
* the row's own ``check``.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from daily_ai_summary.context import LLM_TIMEOUT
from daily_ai_summary.pipeline import Clients
from daily_ai_summary.providers import make_client
from daily_ai_summary.sources import build_client
from daily_ai_summary.testing.harness import RunResult
from daily_ai_summary.testing.openai_fake import Reply
from tests.reliability.cases import BY_ID, Row, generic
from tests.reliability.support import Bench, errors


def params(rows: list[Row]) -> list:
    return [
        pytest.param(r, id=r.id, marks=[pytest.mark.xfail(strict=True, reason=r.xfail)] if r.xfail else [])
        for r in rows
    ]


def assert_outcome(row: Row, bench: Bench, result: RunResult) -> None:
    # no crash: a crash says "this is a bug" and prints a traceback through our own frames (an
    # in-process run also captures the fakes' threads, which may log a reset connection)
    assert "this is a bug" not in result.stdout, result.log
    assert not re.search(r'File "[^"]*daily_ai_summary/(?!testing/)', result.stderr), result.stderr
    if row.outcome == "ok":
        assert result.code == 0, result.log
        assert result.outputs["pull-request-operation"] in ("created", "updated"), result.outputs
        assert len(bench.h.open_pulls()) == 1
        bench.published()
    elif row.outcome == "error":
        assert result.code == 1, result.log
        found = errors(result)
        assert len(found) == 1, f"expected one ::error, got {found}\n{result.log}"
        for words in row.error:
            assert words in found[0], f"{words!r} not in {found[0]!r}"
        assert "failed" in result.summary  # the job summary says so too
    else:
        assert result.code == 0, result.log
        assert result.outputs.get("pull-request-operation", "none") == "none"


def run_row(row: Row, bench: Bench) -> RunResult:
    if row.arrange:
        row.arrange(bench)
    return bench.run(row.event, row.payload, inputs=dict(row.inputs), unset=row.unset)


def verify(row: Row, bench: Bench, result: RunResult) -> None:
    assert_outcome(row, bench, result)
    bench.assert_nothing_lost(result, forbid=row.must_not)
    if row.check:
        assert row.check(bench, result) is not False, f"{row.id}: the row's check failed"


@pytest.mark.parametrize("row", params(generic("test_row")))
def test_row(row: Row, tmp_path: Path) -> None:
    with Bench(tmp_path) as bench:
        result = run_row(row, bench)
        verify(row, bench, result)
        bench.h.github.assert_clean()


# -- rows that need real time: run together, each in its own process --------------------------


@pytest.fixture(scope="module")
def slow_results(tmp_path_factory: pytest.TempPathFactory):
    """Every slow row at once (a subprocess each), so the suite waits for the slowest only."""
    rows = generic("test_slow_row")
    benches = {r.id: Bench(tmp_path_factory.mktemp(r.id), subprocess=True).__enter__() for r in rows}
    results: dict[str, RunResult | BaseException] = {}

    def go(row: Row) -> None:
        try:
            results[row.id] = run_row(row, benches[row.id])
        except BaseException as exc:  # noqa: BLE001 - reported by the row's test
            results[row.id] = exc

    threads = [threading.Thread(target=go, args=(r,)) for r in rows]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    yield benches, results
    for b in benches.values():
        b.__exit__(None, None, None)


@pytest.mark.parametrize("row", params(generic("test_slow_row")))
def test_slow_row(row: Row, slow_results) -> None:
    benches, results = slow_results
    result = results[row.id]
    if isinstance(result, BaseException):
        raise result
    verify(row, benches[row.id], result)
    assert benches[row.id].seconds < 60, "a single timeout must not cost more than its retry"


# -- rows that need a client factory -------------------------------------------------------------


def test_llm_timeout(tmp_path: Path) -> None:
    """The LLM's request timeout is the client's (90 s in production); a 3 s client makes the
    slow answer time out here, and the call is retried."""
    row = BY_ID["llm-timeout"]
    assert LLM_TIMEOUT == 90.0
    clients = Clients(http=build_client, llm=lambda s: make_client(s, timeout=3.0))
    with Bench(tmp_path) as bench:
        bench.h.llm.queue(Reply.sample(delay=6.0))
        result = bench.run("schedule", clients=clients)
        verify(row, bench, result)
        assert bench.llm_calls() == 5  # 3 items + the predictions, and the one that timed out
        assert bench.seconds < 30
