"""Benchmark: how close ``generate --dry-run`` gets to its critical path (issue 4, item 8).

    python bench/generate_latency.py                       # LLM 1.0 s/call, sources 0.2 s/request
    python bench/generate_latency.py --llm-latency 0.2 --source-latency 0.05 --runs 3   # quick
    python bench/generate_latency.py --json                # machine-readable

The real pipeline runs in-process (``entrypoint.generate_local(..., dry_run=True)``, what the
``generate --dry-run`` command calls) against the local fakes the demo and the tests use:
``SourcesFake.with_sample_day`` answering every request after ``--source-latency`` seconds, and
``OpenAIFake(latency=...)`` answering every chat completion after ``--llm-latency`` seconds. The
blog is a throwaway repository from ``testing.blog.make_blog`` (5 consequences items, Reddit and
Hacker News sources, the default predictions).

The critical path is one source round trip plus one LLM call: nothing can finish sooner, since
the LLM needs the selection and the selection needs the sources. It is measured, not assumed:
the median of a few raw requests to each fake through the same clients the pipeline uses
(httpx, openai), so local overhead counts on both sides of the ratio.

It also times ``pipeline.generate`` at other LLM concurrency bounds (``--concurrency``; 1 is
the sequential baseline) and, with ``--cli``, the command itself in a subprocess (which adds
Python start-up and imports). Nothing here asserts anything: it prints figures. It is not a
test, and the machine is noisy; run it several times.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openai

from daily_ai_summary.context import default_clients
from daily_ai_summary.generate import generate_local
from daily_ai_summary.log import Log
from daily_ai_summary.pipeline import Generated, generate, make_plan
from daily_ai_summary.providers import OPENAI_COMPATIBLE, resolve_provider
from daily_ai_summary.sources import build_client
from daily_ai_summary.sources.base import Credentials
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.openai_fake import OpenAIFake
from daily_ai_summary.testing.sources_fake import SourcesFake
from daily_ai_summary.writer import ItemText, response_format

MODEL = "gpt-4o-mini"
# The bench talks to the LLM fake through base-url, i.e. the openai-compatible provider: this is
# the bound `generate` uses there (GitHub Models, the zero-secret default, uses 4).
DEFAULT_CONCURRENCY = OPENAI_COMPATIBLE.concurrency
GOAL = 1.3


# --------------------------------------------------------------------------------------
# results


@dataclass
class Setting:
    """The timed runs of one way of generating."""

    name: str
    concurrency: int  # the LLM calls' bound
    seconds: list[float]
    stages: dict[str, float] = field(default_factory=dict)  # medians of Timings.stages
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    source_requests: int = 0  # per run
    llm_max_in_flight: int = 0
    source_max_in_flight: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def summary(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "min": min(self.seconds),
            "median": self.median,
            "max": max(self.seconds),
        }


@dataclass
class Result:
    date: str
    runs: int
    warmup: int
    llm_latency: float
    source_latency: float
    items: int
    reddit_oauth: bool
    raw_source_round_trip: float  # measured medians
    raw_llm_call: float
    main: Setting  # generate_local(dry_run=True) at the default bound
    sweep: list[Setting]
    cli: Setting | None
    machine: dict[str, Any]

    @property
    def critical_path(self) -> float:
        return self.raw_source_round_trip + self.raw_llm_call

    @property
    def nominal_critical_path(self) -> float:
        return self.source_latency + self.llm_latency

    def ratio(self, setting: Setting) -> float:
        return setting.median / self.critical_path

    def waves(self, concurrency: int) -> int:
        return math.ceil(self.main.llm_calls / concurrency) if self.main.llm_calls else 0

    def bound(self, concurrency: int) -> float:
        """The best possible time at this LLM bound: one source round trip, then full waves."""
        return self.raw_source_round_trip + self.waves(concurrency) * self.raw_llm_call

    def to_json(self) -> dict[str, Any]:
        settings = [self.main, *self.sweep, *([self.cli] if self.cli else [])]
        return {
            "date": self.date,
            "runs": self.runs,
            "warmup": self.warmup,
            "llm_latency": self.llm_latency,
            "source_latency": self.source_latency,
            "items": self.items,
            "reddit_oauth": self.reddit_oauth,
            "critical_path": {
                "nominal": self.nominal_critical_path,
                "measured": self.critical_path,
                "raw_source_round_trip": self.raw_source_round_trip,
                "raw_llm_call": self.raw_llm_call,
            },
            "goal": GOAL,
            "ratio": self.ratio(self.main),
            "llm_calls": self.main.llm_calls,
            "tokens_per_post": {
                "prompt": self.main.prompt_tokens,
                "completion": self.main.completion_tokens,
                "total": self.main.prompt_tokens + self.main.completion_tokens,
            },
            "settings": [
                {
                    **s.summary(),
                    "ratio": self.ratio(s),
                    "waves": self.waves(s.concurrency),
                    "bound": self.bound(s.concurrency),
                }
                for s in settings
            ],
            "machine": self.machine,
        }


# --------------------------------------------------------------------------------------
# the upstreams


class Upstreams:
    """A sources fake with the sample day and an LLM fake, both slowed down, and a blog."""

    def __init__(
        self,
        day: date,
        root: Path,
        *,
        llm_latency: float,
        source_latency: float,
        items: int,
        reddit_oauth: bool,
    ) -> None:
        self.sources = SourcesFake.with_sample_day(day)
        self.sources.latency = source_latency
        self.llm = OpenAIFake(latency=llm_latency)
        self.root, self.items, self.reddit_oauth = root, items, reddit_oauth
        self.repo = Path()

    def __enter__(self) -> Upstreams:
        self.sources.start()
        self.llm.start()
        self.repo = make_blog(
            Path(tempfile.mkdtemp(dir=self.root)) / "blog",
            self.sources.url,
            consequences=self.items,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.llm.stop()
        self.sources.stop()

    @property
    def env(self) -> dict[str, str]:
        """What ``generate`` reads: an OpenAI-compatible endpoint, no GitHub token. Without
        Reddit credentials Reddit is the public JSON listing (one request per subreddit); with
        them (``--reddit-oauth``, as on a cloud runner) a token request comes first."""
        env = {
            "OPENAI_BASE_URL": self.llm.base_url,
            "DAILY_AI_SUMMARY_MODEL": MODEL,
            "OPENAI_API_KEY": "bench-key-not-a-secret",
        }
        if self.reddit_oauth:
            env["REDDIT_CLIENT_ID"] = SourcesFake.CLIENT_ID
            env["REDDIT_CLIENT_SECRET"] = SourcesFake.CLIENT_SECRET
        return env

    @property
    def credentials(self) -> Credentials:
        return self.sources.credentials() if self.reddit_oauth else Credentials()


def quiet_log() -> Log:
    return Log(stream=io.StringIO())


# --------------------------------------------------------------------------------------
# measurements


async def _raw_source(url: str) -> float:
    # A fresh client each time, as each pipeline run opens its own.
    async with build_client() as http:
        start = time.perf_counter()
        resp = await http.get(
            url + "/api/v1/search_by_date", params={"tags": "story", "query": "AI"}
        )
        resp.raise_for_status()
        return time.perf_counter() - start


async def _raw_llm(base_url: str) -> float:
    async with openai.AsyncOpenAI(
        base_url=base_url, api_key="bench-key-not-a-secret", max_retries=0
    ) as client:
        start = time.perf_counter()
        await client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "Title: a raw round trip\nSource: bench"}],
            response_format=response_format(ItemText, json_schema=True),  # type: ignore[arg-type]
        )
        return time.perf_counter() - start


def raw_round_trips(up: Upstreams, n: int = 3) -> tuple[float, float]:
    """Medians of ``n`` single requests to each fake, through httpx and openai."""
    source = statistics.median(asyncio.run(_raw_source(up.sources.url)) for _ in range(n))
    llm = statistics.median(asyncio.run(_raw_llm(up.llm.base_url)) for _ in range(n))
    return source, llm


def _timed(
    name: str,
    concurrency: int | None,
    up: Upstreams,
    run_once: Callable[[], Generated],
    runs: int,
    warmup: int,
) -> Setting:
    for _ in range(warmup):
        run_once()
    before = len(up.sources.requests)
    seconds, gens = [], []
    for _ in range(runs):
        start = time.perf_counter()
        gens.append(run_once())
        seconds.append(time.perf_counter() - start)
    last = gens[-1]
    stages = {
        k: statistics.median(g.timings.stages.get(k, 0.0) for g in gens)
        for k in last.timings.stages
    }
    return Setting(
        name=name,
        concurrency=concurrency,
        seconds=seconds,
        stages=stages,
        llm_calls=last.usage.calls,
        prompt_tokens=last.usage.prompt_tokens,
        completion_tokens=last.usage.completion_tokens,
        source_requests=(len(up.sources.requests) - before) // runs,
        llm_max_in_flight=up.llm.max_in_flight,
        source_max_in_flight=up.sources.max_in_flight,
    )


def time_generate_local(up: Upstreams, day: str, runs: int, warmup: int) -> Setting:
    """What ``daily-ai-summary generate --dry-run`` runs, in this process."""

    def once() -> Generated:
        generated, _ = generate_local(
            up.repo, date=day, dry_run=True, env=up.env, log=quiet_log(), out=io.StringIO()
        )
        return generated

    return _timed("generate --dry-run (in-process)", DEFAULT_CONCURRENCY, up, once, runs, warmup)


def time_pipeline(up: Upstreams, day: str, concurrency: int, runs: int, warmup: int) -> Setting:
    """``make_plan`` + ``pipeline.generate`` with another LLM bound (no knob in ``generate_local``)."""
    env = up.env
    settings = resolve_provider(
        model=MODEL,
        github_token="",
        openai_api_key=env["OPENAI_API_KEY"],
        base_url=env["OPENAI_BASE_URL"],
    )

    def once() -> Generated:
        plan = make_plan(up.repo, date_input=day, now=datetime.now(UTC))
        return asyncio.run(
            generate(
                plan,
                settings,
                default_clients(),
                up.credentials,
                quiet_log(),
                concurrency=concurrency,
            )
        )

    return _timed(
        f"pipeline.generate, concurrency={concurrency}", concurrency, up, once, runs, warmup
    )


def time_cli(up: Upstreams, day: str, runs: int, warmup: int) -> Setting:
    """The command in a subprocess: adds interpreter start-up and imports. The environment is
    this one minus anything that would point it at a real service or credential."""
    drop = ("GITHUB_TOKEN", "OPENAI_", "REDDIT_", "DAILY_AI_SUMMARY_", "INPUT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)} | up.env
    cmd = [
        sys.executable,
        "-m",
        "daily_ai_summary",
        "generate",
        "--dry-run",
        "--date",
        day,
        "--repo",
        str(up.repo),
    ]
    for _ in range(warmup):
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return Setting(
        name="generate --dry-run (CLI subprocess)", concurrency=DEFAULT_CONCURRENCY, seconds=seconds
    )


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def measure(args: argparse.Namespace) -> Result:
    day = args.date or datetime.now(UTC).date().isoformat()
    post_date = date.fromisoformat(day)
    kw = {
        "llm_latency": args.llm_latency,
        "source_latency": args.source_latency,
        "items": args.items,
        "reddit_oauth": args.reddit_oauth,
    }
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        root = Path(tmp)
        # Fresh fakes per setting, so request counts and max-in-flight belong to that setting.
        with Upstreams(post_date, root, **kw) as up:
            raw_source, raw_llm = raw_round_trips(up)
            main = time_generate_local(up, day, args.runs, args.warmup)
        sweep = []
        for c in args.concurrency:
            with Upstreams(post_date, root, **kw) as up:
                sweep.append(time_pipeline(up, day, c, args.runs, args.warmup))
        cli = None
        if args.cli:
            with Upstreams(post_date, root, **kw) as up:
                cli = time_cli(up, day, args.runs, args.warmup)
    return Result(
        date=day,
        runs=args.runs,
        warmup=args.warmup,
        llm_latency=args.llm_latency,
        source_latency=args.source_latency,
        items=args.items,
        reddit_oauth=args.reddit_oauth,
        raw_source_round_trip=raw_source,
        raw_llm_call=raw_llm,
        main=main,
        sweep=sweep,
        cli=cli,
        machine=machine(),
    )


# --------------------------------------------------------------------------------------
# report


def markdown(r: Result, command: str = "") -> str:
    m = r.main
    ratio = r.ratio(m)
    verdict = "met" if ratio <= GOAL else "not met"
    stages = ", ".join(f"{k} {v:.3f}" for k, v in m.stages.items())
    calls = (
        f"{m.llm_calls} ({r.items} items + 1 predictions)"
        if m.llm_calls == r.items + 1
        else str(m.llm_calls)
    )
    lines = [
        f"LLM latency {r.llm_latency:g} s/call, source latency {r.source_latency:g} s/request; "
        f"{r.runs} timed runs after {r.warmup} warm-up; post date {r.date}; "
        f"Reddit {'OAuth (token, then listing)' if r.reddit_oauth else 'public JSON'}; "
        f"{r.machine['cpus']} CPUs, Python {r.machine['python']}, {r.machine['when']}.",
    ]
    if command:
        lines.append(f"Command: `{command}`")
    lines += [
        "",
        "| | |",
        "|---|---|",
        f"| critical path, nominal (source + LLM latency) | {r.nominal_critical_path:.3f} s |",
        f"| critical path, measured (raw source round trip + raw LLM call) | {r.critical_path:.3f} s "
        f"({r.raw_source_round_trip:.3f} + {r.raw_llm_call:.3f}) |",
        f"| `generate --dry-run` wall time, min / median / max | {min(m.seconds):.3f} / {m.median:.3f} / {max(m.seconds):.3f} s |",
        f"| **ratio** median / measured critical path | **{ratio:.2f}** (goal <= {GOAL}: {verdict}) |",
        f"| best possible at concurrency {DEFAULT_CONCURRENCY} (source + {r.waves(DEFAULT_CONCURRENCY)} waves of LLM calls) | "
        f"{r.bound(DEFAULT_CONCURRENCY):.3f} s; median / that = {m.median / r.bound(DEFAULT_CONCURRENCY):.2f} |",
        f"| LLM calls per post | {calls}; at most {m.llm_max_in_flight} in flight |",
        f"| tokens per post (the fake counts ~4 characters a token) | {m.prompt_tokens} prompt + {m.completion_tokens} "
        f"completion = {m.prompt_tokens + m.completion_tokens} |",
        f"| source requests per run | {m.source_requests}; at most {m.source_max_in_flight} in flight |",
        f"| stages, median s | {stages} |",
        "",
        "| how | LLM concurrency | LLM waves | best possible | min | median | max | ratio to critical path |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in sorted([m, *r.sweep], key=lambda s: (s.concurrency, s is not m)) + (
        [r.cli] if r.cli else []
    ):
        c = s.concurrency
        lines.append(
            f"| {s.name} | {c} | {r.waves(c)} | {r.bound(c):.3f} | {min(s.seconds):.3f} | {s.median:.3f} | "
            f"{max(s.seconds):.3f} | {r.ratio(s):.2f} |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--llm-latency",
        type=float,
        default=1.0,
        help="seconds each chat completion takes (default 1.0)",
    )
    p.add_argument(
        "--source-latency",
        type=float,
        default=0.2,
        help="seconds each source request takes (default 0.2)",
    )
    p.add_argument("--runs", type=int, default=5, help="timed runs per setting (default 5)")
    p.add_argument(
        "--warmup", type=int, default=1, help="untimed runs first, per setting (default 1)"
    )
    p.add_argument(
        "--items",
        type=int,
        default=5,
        help="consequences items per post (default 5, the reference blog's)",
    )
    p.add_argument(
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        default=None,
        help="other LLM bounds to time through pipeline.generate, comma-separated "
        "(default: 1 = sequential, and items+1 = every call at once); '' for none",
    )
    p.add_argument(
        "--cli",
        action="store_true",
        help="also time the command in a subprocess (adds Python start-up)",
    )
    p.add_argument(
        "--reddit-oauth",
        action="store_true",
        help="give Reddit credentials, as on a cloud runner (a token request before each listing)",
    )
    p.add_argument("--date", default="", help="post date YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = p.parse_args(argv)
    if args.runs < 1 or args.warmup < 0 or args.items < 1:
        p.error("--runs and --items must be at least 1, --warmup at least 0")
    if args.concurrency is None:
        args.concurrency = [1, args.items + 1]
    if any(c < 1 for c in args.concurrency):
        p.error("--concurrency values must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = measure(args)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        shown = " ".join(
            ["python bench/generate_latency.py", *(argv if argv is not None else sys.argv[1:])]
        )
        print(markdown(result, shown), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
