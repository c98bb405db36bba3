"""The error path itself failing (issue 11): the job summary cannot be written while the run
is already failing. The user must still see the one real `::error`, and no traceback."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.cases import BY_ID
from tests.reliability.support import Bench, errors, in_process


def test_an_unwritable_job_summary_in_the_error_path_is_one_warning(tmp_path: Path) -> None:
    row = BY_ID["summary-unwritable-on-error"]
    with Bench(tmp_path) as bench:
        env = bench.env(
            "workflow_dispatch", {"inputs": {"date": "2025-13-01"}}, {"date": "2025-13-01"}
        )
        summary_dir = tmp_path / "summary-is-a-directory"
        summary_dir.mkdir()
        env["GITHUB_STEP_SUMMARY"] = str(summary_dir)  # open(..., "a") fails: IsADirectoryError
        bench.before = bench.snapshot()
        code, out, err = in_process(env)
    assert code == 1
    assert "Traceback" not in out + err, out + err
    from daily_ai_summary.testing.harness import RunResult

    result = RunResult(code, out, err, {}, "")
    [error] = errors(result)
    for words in row.error:
        assert words in error
    warnings = [ln for ln in out.splitlines() if ln.startswith("::warning")]
    assert (
        len(warnings) == 1 and "job summary" in warnings[0] and "GITHUB_STEP_SUMMARY" in warnings[0]
    )
    bench.assert_nothing_lost(result, forbid=row.must_not)
