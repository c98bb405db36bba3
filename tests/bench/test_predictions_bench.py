"""Smoke test of bench/predictions.py: it runs and reports what it claims. No time is
asserted (the figures are for people; the machine is shared)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_reads_every_post_it_wrote_and_reports_the_ratio() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "predictions.py"),
            "--posts",
            "30",
            "--runs",
            "2",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["posts"] == 30
    assert report["forecasts_read"] == report["predictions_written"] > 30
    assert abs(report["ratio_to_goal"] - report["seconds_median"] / 2.0) <= 0.001
    assert 0 < report["chart_bytes"] < 200_000
