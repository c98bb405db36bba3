"""Benchmark: how many of N dates give a post with a real small model (issue 17).

    scripts/real-model fetch                       # once: llama-server + Qwen2.5-Coder-1.5B Q4
    python bench/real_model.py --dates 10          # starts the server from the cache
    python bench/real_model.py --base-url http://127.0.0.1:PORT/v1 --model NAME --dates 3
    python bench/real_model.py --dates 10 --json out.json

Each date runs the real pipeline in this process (``pipeline.generate``: collect -> select ->
write -> render) on the bundled SAMPLE sources (``SourcesFake.with_sample_day``), served
locally, with a throwaway blog from ``testing.blog.make_blog`` (5 consequences items, the
default predictions). The model is real, so every date is a different draw; the dates only
move the sample day's window.

It reports posts out of N, why each failed run failed, degradations and re-ask successes by
kind, the grounding-score distribution, and calls, tokens and wall time per post. It asserts
nothing: the figures go to docs/local-models.md.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

try:
    from daily_ai_summary.context import default_clients
except ImportError:  # the code before the context module (a baseline run on an older tree)
    from daily_ai_summary.entrypoint import default_clients  # type: ignore[attr-defined,no-redef]
from daily_ai_summary.errors import SummaryError
from daily_ai_summary.log import Log
from daily_ai_summary.pipeline import generate, make_plan
from daily_ai_summary.providers import resolve_provider
from daily_ai_summary.sources.base import Credentials
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.real_model import URL_ENV, RealModel
from daily_ai_summary.testing.sources_fake import SourcesFake


@dataclass
class DateRun:
    date: str
    ok: bool
    seconds: float
    error: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    degradations: list[dict[str, str]] = field(default_factory=list)
    reasks: dict[str, int] = field(default_factory=dict)  # kind -> successes
    reasks_failed: dict[str, int] = field(default_factory=dict)
    grounding: list[float] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    log: str = ""


def _stats(written: Any) -> dict[str, Any]:
    """What a WrittenPost says about degradations, re-asks and grounding (newer writers only)."""
    out: dict[str, Any] = {"degradations": [], "reasks": {}, "reasks_failed": {}, "grounding": []}
    for d in getattr(written, "degradations", []) or []:
        out["degradations"].append({"kind": str(d.kind), "detail": str(d.detail)})
    out["reasks"] = dict(getattr(written, "reasks_succeeded", {}) or {})
    out["reasks_failed"] = dict(getattr(written, "reasks_failed", {}) or {})
    for item in written.items:
        g = getattr(item, "grounding", None)
        if g is not None:
            out["grounding"].append(float(g))
    return out


def run_date(day: date, model: RealModel, root: Path, *, items: int) -> DateRun:
    sources = SourcesFake.with_sample_day(day)
    now = datetime.combine(day, dtime(7, 0, tzinfo=UTC))
    sources.now = now  # Reddit's "top of the day" is relative to the run's now, not the clock
    sources.start()
    stream = io.StringIO()
    start = time.perf_counter()
    try:
        repo = make_blog(Path(tempfile.mkdtemp(dir=root)) / "blog", sources.url, consequences=items)
        plan = make_plan(repo, date_input=day.isoformat(), now=now)
        settings = resolve_provider(
            model=model.model, github_token="", openai_api_key="", base_url=model.base_url
        )
        gen = asyncio.run(
            generate(plan, settings, default_clients(), Credentials(), Log(stream=stream))
        )
    except SummaryError as err:
        return DateRun(
            day.isoformat(),
            False,
            time.perf_counter() - start,
            error=str(err),
            log=stream.getvalue(),
        )
    finally:
        sources.stop()
    u = gen.usage
    return DateRun(
        day.isoformat(),
        True,
        time.perf_counter() - start,
        calls=u.calls,
        prompt_tokens=u.prompt_tokens,
        completion_tokens=u.completion_tokens,
        warnings=list(gen.written.warnings),
        log=stream.getvalue(),
        **_stats(gen.written),
    )


def summarise(runs: list[DateRun]) -> dict[str, Any]:
    ok = [r for r in runs if r.ok]
    kinds: Counter[str] = Counter()
    reasked: Counter[str] = Counter()
    reask_failed: Counter[str] = Counter()
    grounding: list[float] = []
    for r in ok:
        kinds.update(d["kind"] for d in r.degradations)
        reasked.update(r.reasks)
        reask_failed.update(r.reasks_failed)
        grounding += r.grounding

    def per_post(values: list[float]) -> dict[str, float]:
        return {"median": statistics.median(values), "max": max(values)} if values else {}

    def quantiles(values: list[float]) -> dict[str, float]:
        if not values:
            return {}
        qs = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
        return {"min": min(values), "q1": qs[0], "median": qs[1], "q3": qs[2], "max": max(values)}

    return {
        "posts": len(ok),
        "dates": len(runs),
        "failures": {r.date: r.error for r in runs if not r.ok},
        "degradations_by_kind": dict(kinds),
        "reask_successes_by_kind": dict(reasked),
        "reask_failures_by_kind": dict(reask_failed),
        "grounding": quantiles(grounding),
        "calls_per_post": per_post([float(r.calls) for r in ok]),
        "prompt_tokens_per_post": per_post([float(r.prompt_tokens) for r in ok]),
        "completion_tokens_per_post": per_post([float(r.completion_tokens) for r in ok]),
        "seconds_per_post": per_post([r.seconds for r in ok]),
        "seconds_per_date": per_post([r.seconds for r in runs]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dates", type=int, default=10, help="how many dates (default 10)")
    ap.add_argument("--first", default="2026-11-02", help="the first date (default 2026-11-02)")
    ap.add_argument("--items", type=int, default=5, help="consequences items per post")
    ap.add_argument("--base-url", default="", help="a running server's /v1 URL")
    ap.add_argument("--model", default="", help="the model name at --base-url")
    ap.add_argument("--json", default="", help="also write the results to this file")
    ap.add_argument("--label", default="", help="a name for this run in the output")
    ap.add_argument(
        "--parallel",
        type=int,
        default=1,
        help="dates generated at once (default 1); a CPU server decodes parallel slots in one "
        "batch, so 2 dates at once finish sooner in total but each takes longer",
    )
    ap.add_argument("--slots", type=int, default=2, help="llama-server slots when started here")
    args = ap.parse_args(argv)

    first = date.fromisoformat(args.first)
    if args.base_url:
        model = RealModel.external(args.base_url, args.model or "default")
    elif os.environ.get(URL_ENV):
        model = RealModel.from_env()
    else:
        model = RealModel.start(slots=args.slots)
    runs: list[DateRun] = []
    started = time.perf_counter()
    lock = threading.Lock()

    def one(i: int, tmp: str) -> None:
        r = run_date(first + timedelta(days=i), model, Path(tmp), items=args.items)
        with lock:
            runs.append(r)
            runs.sort(key=lambda x: x.date)
            status = "post" if r.ok else f"FAILED: {r.error[:300]}"
            extra = ""
            if r.ok:
                extra = (
                    f" calls={r.calls} tokens={r.prompt_tokens}+{r.completion_tokens}"
                    f" degradations={len(r.degradations)} reasks_ok={sum(r.reasks.values())}"
                )
            print(f"{r.date}: {r.seconds:.0f}s {status}{extra}", flush=True)
            if args.json:
                _write(args, runs, model, time.perf_counter() - started)

    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool,
        ):
            for f in [pool.submit(one, i, tmp) for i in range(args.dates)]:
                f.result()
    finally:
        model.stop()
    summary = summarise(runs)
    print(json.dumps(summary, indent=2))
    if args.json:
        _write(args, runs, model, time.perf_counter() - started)
    return 0


def _write(args: argparse.Namespace, runs: list[DateRun], model: RealModel, wall: float) -> None:
    out = {
        "label": args.label,
        "model": model.model,
        "base_url": model.base_url,
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "wall_seconds": wall,
        "summary": summarise(runs),
        "runs": [asdict(r) for r in runs],
    }
    Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
