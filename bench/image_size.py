#!/usr/bin/env python3
"""The action image's size against its base, and its build time cold and warm, in one run.

    python bench/image_size.py                   # cold (--no-cache) and warm builds, README table
    python bench/image_size.py --smoke --readme /tmp/x.md   # cached builds only (the test)
    python bench/image_size.py --json

Builds the Dockerfile twice under its own tag (``daily-ai-summary:bench`` unless --tag): first
with ``--no-cache`` (every layer built: apt, the locked wheels, the package), then again with
the cache (what a rebuild without changes costs). Sizes are ``docker image inspect``'s
``Size`` (uncompressed, bytes) in MB of 10^6 bytes, as ``docker images`` shows them. The goal
(issue 12): image <= base + 150 MB. The figures replace the table between the markers in
bench/README.md (or --readme). --smoke skips the cold build (it reuses the cache) and marks
its row so: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- image-size:begin -->", "<!-- image-size:end -->"
GOAL_MB = 150.0


def size_mb(image: str) -> float:
    out = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Size}}", image],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(out.strip()) / 1e6


def build(tag: str, base: str, *, cold: bool) -> float:
    cmd = ["docker", "build", "--network", "host", "--build-arg", f"BASE_IMAGE={base}", "-t", tag]
    if cold:
        cmd.append("--no-cache")
    start = time.perf_counter()
    proc = subprocess.run([*cmd, str(ROOT)], capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-20:])
        raise SystemExit(f"image_size: docker build failed:\n{tail}")
    return elapsed


def measure(tag: str, base: str, smoke: bool) -> dict[str, object]:
    cold = None if smoke else build(tag, base, cold=True)
    warm = build(tag, base, cold=False)
    base_mb, image_mb = size_mb(base), size_mb(tag)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "base": base,
        "base_mb": round(base_mb, 1),
        "image_mb": round(image_mb, 1),
        "added_mb": round(image_mb - base_mb, 1),
        "goal_mb": GOAL_MB,
        "within_goal": image_mb - base_mb <= GOAL_MB,
        "cold_build_s": None if cold is None else round(cold, 1),
        "warm_build_s": round(warm, 1),
        "smoke": smoke,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }


def table(r: dict[str, object]) -> str:
    cold = "not run (--smoke)" if r["cold_build_s"] is None else f"{r['cold_build_s']} s"
    verdict = "yes" if r["within_goal"] else "**no**"
    return "\n".join(
        [
            BEGIN,
            "| measured | base | base size | image size | added by the image | <= base + 150 MB | cold build | warm build |",
            "|---|---|---:|---:|---:|---|---:|---:|",
            f"| {r['date']} ({r['machine']}) | `{r['base']}` | {r['base_mb']} MB | {r['image_mb']} MB"
            f" | {r['added_mb']} MB | {verdict} | {cold} | {r['warm_build_s']} s |",
            END,
        ]
    )


def write_table(path: Path, r: dict[str, object]) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + table(r) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + table(r) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tag", default="daily-ai-summary:bench")
    ap.add_argument(
        "--base",
        default=os.environ.get("DAILY_AI_SUMMARY_BASE_IMAGE", "debian:bookworm-slim"),
        help="the base image tag the build uses (BASE_IMAGE build argument)",
    )
    ap.add_argument("--smoke", action="store_true", help="no cold build: reuse the layer cache")
    ap.add_argument("--readme", type=Path, default=README, help="where the table is written")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    result = measure(args.tag, args.base, args.smoke)
    write_table(args.readme, result)
    if args.json:
        print(json.dumps(result))
    else:
        print(table(result).split("\n", 1)[1].rsplit("\n", 1)[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
