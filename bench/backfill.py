"""Benchmark: a 30-date backfill the way examples/backfill.yml runs it (issue 15, item 6).

    python bench/backfill.py                                  # 30 dates at 1, 5 and 20 parallel jobs
    python bench/backfill.py --dates 6 --parallel 1,3 --llm-latency 0.05   # quick
    python bench/backfill.py --json

Each setting starts fresh local fakes (GitHub, sources, an OpenAI-compatible model reached as
GitHub Models, i.e. 4 LLM calls in flight per job), runs the ``plan`` job, then the matrix: one
``daily-ai-summary run`` process per date, in its own clone, at most N at once. The model
fake has the rate limiter on: like GitHub Models' free tier, at most 5 requests in flight;
one more is answered 429 with Retry-After: 1 and the writer retries it.

Reported per setting: the matrix's wall time; requests (LLM calls, 429s among them, source
and GitHub API requests); tokens and the cost at gpt-4o-mini's list price; where a job's time
goes (its stages from the job summary; "start-up" is the rest: process start, imports, git,
plan and preflight); and the ratio to the ideal, ceil(dates / parallel) x one post, where one
post is the median job of the sequential setting, measured in the same run. Nothing is
asserted; the machine is shared and noisy (tests/bench has a smoke test without timing).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from daily_ai_summary.post import parse
from daily_ai_summary.providers import cost_usd
from daily_ai_summary.selection import normalize_title
from daily_ai_summary.testing.backfill_days import add_recurring_days
from daily_ai_summary.testing.harness import ActionHarness, RunResult, git
from daily_ai_summary.testing.openai_fake import OpenAIFake

MODEL = "gpt-4o-mini"
FREE_TIER_CONCURRENT = 5
LAST = date(2025, 4, 30)
HISTORY_DAYS = 7  # the sample pool has 30 topics: 8 days x 3 items fit without a repeat


@dataclass
class Setting:
    parallel: int
    dates: int
    wall: float = 0.0
    plan_seconds: float = 0.0
    planned_parallel: int = 0
    jobs_ok: int = 0
    prs: int = 0
    repeated_topics: int = 0  # a title covered twice within history-days of each other
    failures: dict[str, str] = field(default_factory=dict)  # date -> the job's ::error line
    llm_requests: int = 0
    llm_429: int = 0
    llm_peak_in_flight: int = 0
    source_requests: int = 0
    github_requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    job_seconds: list[float] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)  # median seconds per job
    ideal: float = 0.0
    ratio: float = 0.0


def stage_table(summary: str) -> dict[str, float]:
    return {m[1]: float(m[2]) for m in re.finditer(r"^\| (\w+) \| ([\d.]+) \|$", summary, re.M)}


def run_setting(
    parallel: int, days: list[date], llm_latency: float, source_latency: float
) -> Setting:
    span = f"{days[0]}..{days[-1]}"
    result = Setting(parallel=parallel, dates=len(days))
    with tempfile.TemporaryDirectory(prefix="bench-backfill-") as tmp:
        h = ActionHarness(Path(tmp), post_date=days[-1] + timedelta(days=1), subprocess=True)
        h.llm = OpenAIFake(latency=llm_latency, max_concurrent=FREE_TIER_CONCURRENT)
        h.sources.latency = source_latency
        with h:
            add_recurring_days(h.sources, days, subreddit="MachineLearning", pool="ML", topics=30)
            add_recurring_days(
                h.sources, days, subreddit="machinelearningnews", pool="News", topics=30
            )
            config = h.workspace / ".github" / "daily-ai-summary.yml"
            config.write_text(config.read_text() + f"selection:\n  history-days: {HISTORY_DAYS}\n")
            who = ["-c", "user.name=Owner", "-c", "user.email=owner@example.org"]
            git(h.workspace, *who, "commit", "-qam", "bench config")
            git(h.workspace, "push", "-q", "origin", "main")
            # GitHub Models (the zero-secret default), served by the fake: 4 calls in flight
            as_models = {"base-url": "", "model": MODEL}
            env = {"DAILY_AI_SUMMARY_MODELS_URL": h.llm.base_url}

            started = time.monotonic()
            plan = h.run(
                "workflow_dispatch",
                {"inputs": {"dates": span}},
                inputs={**as_models, "mode": "plan", "dates": span},
                env_overrides=env,
            )
            result.plan_seconds = time.monotonic() - started
            if plan.code != 0:
                raise SystemExit(f"plan failed:\n{plan.log}")
            planned = json.loads(plan.outputs["dates"])
            result.planned_parallel = int(plan.outputs["max-parallel"])
            workspaces = {d: h.new_workspace(f"job-{d}") for d in planned}

            def job(d: str) -> tuple[RunResult, float]:
                t0 = time.monotonic()
                r = h.run(
                    "workflow_dispatch",
                    {"inputs": {"dates": span}},
                    inputs={**as_models, "date": d, "dates": span},
                    env_overrides={**env, "GITHUB_WORKSPACE": str(workspaces[d])},
                )
                return r, time.monotonic() - t0

            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=parallel) as pool:
                jobs = list(pool.map(job, planned))
            result.wall = time.monotonic() - started

            result.jobs_ok = sum(r.code == 0 for r, _ in jobs)
            result.prs = len(h.open_pulls())
            result.job_seconds = [s for _, s in jobs]
            tables = [stage_table(r.summary) for r, _ in jobs if r.code == 0]
            names = sorted({k for t in tables for k in t})
            result.stages = {k: statistics.median(t.get(k, 0.0) for t in tables) for k in names}
            if tables:
                result.stages["start-up"] = max(
                    0.0, statistics.median(result.job_seconds) - sum(result.stages.values())
                )
            completions = h.llm.completions
            result.prompt_tokens = sum(c["usage"]["prompt_tokens"] for c in completions)
            result.completion_tokens = sum(c["usage"]["completion_tokens"] for c in completions)
            result.cost_usd = cost_usd(MODEL, result.prompt_tokens, result.completion_tokens) or 0.0
            result.llm_requests = len(h.llm.calls("POST", r"/chat/completions$"))
            result.llm_429 = h.llm.rejected
            result.llm_peak_in_flight = h.llm.peak_chat_in_flight
            result.source_requests = len(h.sources.calls())
            result.github_requests = len(h.github.calls())
            covered: dict[str, list[date]] = {}
            for d in planned:
                text = h.branch_file(
                    f"daily-ai-summary/{d}", f"content/posts/{d}-ai-auto-summary.md"
                )
                if text:
                    post = parse(text)
                    for title in [c.title for c in post.consequences] + [
                        t.title for t in post.trending
                    ]:
                        covered.setdefault(normalize_title(title), []).append(date.fromisoformat(d))
            result.repeated_topics = sum(
                1
                for days_of in covered.values()
                for a, b in zip(sorted(days_of), sorted(days_of)[1:], strict=False)
                if (b - a).days <= HISTORY_DAYS
            )
            for d, (r, _) in zip(planned, jobs, strict=True):
                if r.code != 0:
                    errors = [ln for ln in r.stdout.splitlines() if ln.startswith("::error")]
                    result.failures[d] = (errors[0] if errors else r.log[-300:])[:300]
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--dates", type=int, default=30, help="how many dates, ending 2025-04-30 (default 30)"
    )
    ap.add_argument(
        "--parallel", default="1,5,20", help="matrix max-parallel settings (default 1,5,20)"
    )
    ap.add_argument(
        "--llm-latency", type=float, default=0.5, help="seconds per LLM answer (default 0.5)"
    )
    ap.add_argument("--source-latency", type=float, default=0.05, help="seconds per source answer")
    ap.add_argument("--json", action="store_true", help="one JSON object instead of tables")
    args = ap.parse_args(argv)
    days = [LAST - timedelta(days=i) for i in reversed(range(args.dates))]
    settings = [int(p) for p in args.parallel.split(",")]
    results = [run_setting(p, days, args.llm_latency, args.source_latency) for p in settings]
    base = next((r for r in results if r.parallel == 1), results[0])
    one_post = statistics.median(base.job_seconds) if base.job_seconds else 0.0
    for r in results:
        r.ideal = math.ceil(r.dates / r.parallel) * one_post
        r.ratio = r.wall / r.ideal if r.ideal else 0.0
    calls_per_post = base.llm_requests - base.llm_429
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "dates": args.dates,
        "llm_latency": args.llm_latency,
        "source_latency": args.source_latency,
        "one_post_seconds": one_post,
        "llm_calls_per_post": calls_per_post / max(1, base.dates),
        "settings": [asdict(r) for r in results],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"{args.dates}-date backfill, LLM {args.llm_latency}s/call (<= {FREE_TIER_CONCURRENT} in flight, else 429), sources {args.source_latency}s/request"
    )
    print(
        f"one post (median job, sequential): {one_post:.2f} s; plan job {base.plan_seconds:.2f} s, planned max-parallel {base.planned_parallel}"
    )
    print()
    print(
        "| parallel | wall s | ideal s | ratio | PRs | repeats | LLM req | 429s | peak in flight | source req | GitHub req | tokens | cost $ |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.parallel} | {r.wall:.1f} | {r.ideal:.1f} | **{r.ratio:.2f}** | {r.prs} | {r.repeated_topics} | {r.llm_requests} | {r.llm_429} "
            f"| {r.llm_peak_in_flight} | {r.source_requests} | {r.github_requests} | {r.prompt_tokens + r.completion_tokens} | {r.cost_usd:.4f} |"
        )
    for r in results:
        for d, why in sorted(r.failures.items()):
            print(f"failed at parallel {r.parallel}: {d}: {why}")
    print()
    print("where a job's time goes (median seconds):")
    for r in results:
        print(
            f"  parallel {r.parallel}: "
            + ", ".join(f"{k} {v:.2f}" for k, v in sorted(r.stages.items(), key=lambda kv: -kv[1]))
        )
    per_post = (base.prompt_tokens + base.completion_tokens) / max(1, base.dates)
    print()
    print(
        f"projection, gpt-4o-mini list price: {args.dates} posts x {report['llm_calls_per_post']:.0f} calls = "
        f"{args.dates * report['llm_calls_per_post']:.0f} requests, {per_post:.0f} tokens a post (the fake's ~4 characters a token), "
        f"${base.cost_usd:.4f} in all; GitHub Models' free tier allows 150 requests a day and 15 a minute"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
