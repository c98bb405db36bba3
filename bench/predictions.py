"""Benchmark: the predictions tracker reads 1,000 posts and draws their chart in under 2 s
(issue 13).

    python bench/predictions.py                 # 1000 posts, 5 runs
    python bench/predictions.py --posts 200 --runs 2 --json

It writes ``--posts`` daily posts into a temporary blog folder with the section grammar of
``testing/predictions.py`` (our own text, every shape the parser reads), then times, in this
process, what ``daily-ai-summary predictions --svg`` does after start-up: read and parse
every post, normalise the events, build the chart and the page. It prints the median time, the
ratio to the 2 s goal (below 1.0 meets it) and the size of the chart. Nothing here asserts a
time: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from daily_ai_summary.config import load_config
from daily_ai_summary.predictions.chart import render_svg
from daily_ai_summary.predictions.page import render_page
from daily_ai_summary.predictions.tracker import read_forecasts
from daily_ai_summary.testing.predictions import write_posts

GOAL_SECONDS = 2.0


def once(root: Path) -> tuple[float, int, int, int]:
    """Seconds, posts read, forecasts and chart bytes for one full read-and-draw."""
    start = time.perf_counter()
    config = load_config(root)
    tracked = read_forecasts(root, config)
    svg = render_svg(tracked.forecasts)
    render_page(tracked.forecasts, chart_path=config.predictions.chart)
    return time.perf_counter() - start, tracked.posts, len(tracked.forecasts), len(svg.encode())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-predictions-") as tmp:
        root = Path(tmp)
        written = write_posts(tmp, args.posts, random.Random(2026).choice)
        times = []
        for _ in range(args.runs):
            seconds, posts, forecasts, size = once(root)
            times.append(seconds)
    median = statistics.median(times)
    report = {
        "posts": posts,
        "predictions_written": written,
        "forecasts_read": forecasts,
        "runs": args.runs,
        "seconds_median": round(median, 3),
        "seconds_min": round(min(times), 3),
        "goal_seconds": GOAL_SECONDS,
        "ratio_to_goal": round(median / GOAL_SECONDS, 3),
        "chart_bytes": size,
    }
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print(
            f"{posts} posts, {forecasts} forecasts: median {median:.3f} s over {args.runs} runs "
            f"(min {min(times):.3f} s); {median / GOAL_SECONDS:.2f}x the {GOAL_SECONDS:.0f} s goal; "
            f"chart {size / 1000:.1f} KB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
