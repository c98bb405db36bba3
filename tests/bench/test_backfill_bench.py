"""Smoke test of the backfill benchmark (bench/backfill.py): it runs a tiny backfill end to end
against the fakes and reports what it claims. No timing is asserted (the machine is noisy)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "backfill.py"


def test_a_tiny_backfill_reports_requests_tokens_cost_stages_and_the_ratio():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--dates", "2", "--parallel", "1,2", "--llm-latency", "0.01",
         "--source-latency", "0", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dates"] == 2 and report["llm_calls_per_post"] == 4  # 3 items + predictions
    one = report["one_post_seconds"]
    assert one > 0
    for s in report["settings"]:
        assert s["prs"] == 2 and s["jobs_ok"] == 2 and s["repeated_topics"] == 0
        assert s["llm_requests"] == 8 + s["llm_429"]  # every 429 is retried, nothing lost
        assert s["llm_peak_in_flight"] <= 5  # the limiter held
        assert s["prompt_tokens"] > 0 and s["completion_tokens"] > 0 and s["cost_usd"] > 0
        assert s["source_requests"] > 0 and s["github_requests"] > 0
        assert {"collect", "write", "publish", "history", "start-up"} <= set(s["stages"])
        assert s["ideal"] == math.ceil(2 / s["parallel"]) * one
        assert s["ratio"] == s["wall"] / s["ideal"]
