"""Smoke test of the latency benchmark (bench/generate_latency.py): it runs end to end against
the fakes and reports what it claims to report. No timing is asserted: the figures are for
people to read (see the README's Benchmark section), and this machine is noisy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from daily_ai_summary.providers import OPENAI_COMPATIBLE
from daily_ai_summary.testing.blog import sample_config

DEFAULT_CONCURRENCY = OPENAI_COMPATIBLE.concurrency  # the bench uses base-url

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "generate_latency.py"
TINY = ["--llm-latency", "0.01", "--source-latency", "0.01", "--runs", "2", "--warmup", "0"]


def bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *TINY, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_json_counts_one_llm_call_per_item_plus_predictions_and_one_request_per_source():
    items = 2
    report = json.loads(bench("--items", str(items), "--concurrency", "1", "--json"))

    assert report["runs"] == 2
    assert report["llm_calls"] == items + 1  # one per consequences item, one for the predictions
    tokens = report["tokens_per_post"]
    assert tokens["prompt"] > 0 and tokens["completion"] > 0
    assert tokens["total"] == tokens["prompt"] + tokens["completion"]

    main, sequential = report["settings"]
    assert main["concurrency"] == DEFAULT_CONCURRENCY and sequential["concurrency"] == 1
    assert len(main["seconds"]) == len(sequential["seconds"]) == 2
    assert main["min"] <= main["median"] <= main["max"]
    # The blog make_blog writes has these sources; each is one request (public Reddit JSON,
    # one page; one Algolia search), all fetched at once.
    sources = sample_config("http://fake").count("- type:")
    assert main["source_requests"] == sources
    assert main["source_max_in_flight"] == sources
    assert sequential["llm_max_in_flight"] == 1
    assert main["llm_max_in_flight"] == min(DEFAULT_CONCURRENCY, items + 1)
    assert sequential["waves"] == items + 1
    cp = report["critical_path"]
    assert cp["measured"] == cp["raw_source_round_trip"] + cp["raw_llm_call"]
    assert report["ratio"] == main["median"] / cp["measured"]


def test_markdown_report_is_a_table_with_the_ratio_and_the_command():
    out = bench("--concurrency", "")

    assert "Command: `python bench/generate_latency.py --llm-latency 0.01" in out
    assert "| **ratio** median / measured critical path | **" in out
    assert "| LLM calls per post | 6 (5 items + 1 predictions);" in out
    rows = [line for line in out.splitlines() if line.startswith(f"| generate --dry-run (in-process) | {DEFAULT_CONCURRENCY} | 1 |")]
    assert len(rows) == 1, out
