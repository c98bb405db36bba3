"""``daily-ai-summary predictions``: every forecast of a blog, as a table, JSON or a chart."""

from __future__ import annotations

import json
import os
import sys
from datetime import date as Date
from pathlib import Path
from typing import TextIO

from daily_ai_summary.errors import InputError
from daily_ai_summary.predictions.chart import render_svg
from daily_ai_summary.predictions.tracker import (
    Tracked,
    format_change,
    format_value,
    read_forecasts,
    summarise,
)


def parse_since(raw: str | None) -> Date | None:
    if not raw:
        return None
    try:
        return Date.fromisoformat(raw.strip())
    except ValueError:
        raise InputError(
            f"must be a date like 2025-04-16 (YYYY-MM-DD), got {raw[:40]!r}", input_name="--since"
        ) from None


def _table(tracked: Tracked, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # event names are data: never rich markup

    console = Console(file=out, width=max(100, Console(file=out).width), highlight=False)
    table = Table(title="Predictions", title_justify="left")
    for name in ("post", "event", "when", "read as", "path"):
        table.add_column(name, overflow="fold")
    for f in tracked.forecasts:
        read = f"{f.year}-{f.month:02d}" if f.month else str(f.year)
        if f.end_year:
            read += f"..{f.end_year}"
        table.add_row(f.post.isoformat(), Text(f.event), Text(f.when), read, Text(f.path))
    console.print(table)
    summary = Table(title="Per event", title_justify="left")
    for name in ("event", "latest", "30-day median", "change since 90 days ago", "predictions"):
        summary.add_column(name)
    for s in summarise(tracked.forecasts):
        summary.add_row(
            Text(s.event),
            Text(f"{s.latest.when} ({s.latest.post.isoformat()})"),
            format_value(s.median),
            format_change(s.change),
            str(s.count),
        )
    console.print(summary)
    console.print(
        Text(
            f"{tracked.posts} posts, {len(tracked.forecasts)} dated predictions, "
            f"{tracked.undated} without a readable date"
        )
    )


def run_predictions(
    repo: Path,
    *,
    as_json: bool = False,
    svg: Path | None = None,
    since: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the forecasts of the posts in ``repo``; write the chart to ``svg`` if given."""
    from daily_ai_summary.config import load_config

    out = out or sys.stdout
    err = err or sys.stderr
    start = parse_since(since)
    if not repo.is_dir():
        raise InputError(f"{repo} is not a directory", input_name="--repo")
    config = load_config(repo)
    tracked = read_forecasts(repo, config, since=start)
    for w in tracked.warnings:
        print(f"warning: {w}", file=err)
    if svg is not None:
        try:
            svg.write_text(render_svg(tracked.forecasts), encoding="utf-8")
        except OSError as exc:
            raise InputError(
                f"cannot write {svg}: {exc.strerror or exc}", input_name="--svg"
            ) from None
    try:
        _print(tracked, out, as_json=as_json, svg=svg)
    except BrokenPipeError:  # `predictions --json | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _print(tracked: Tracked, out: TextIO, *, as_json: bool, svg: Path | None) -> None:
    if as_json:
        json.dump([f.to_dict() for f in tracked.forecasts], out, ensure_ascii=False, indent=2)
        out.write("\n")
        out.flush()
    elif svg is None:
        _table(tracked, out)
    else:
        print(
            f"wrote {svg} ({len(tracked.forecasts)} predictions from {tracked.posts} posts)",
            file=out,
        )
