"""The blog's own recent forecasts, for the daily run: what the predictions prompt is told,
and which of today's forecasts jump away from them (flagged in the PR body). Reads posts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

from daily_ai_summary.config import Config
from daily_ai_summary.prediction_dates import read_date
from daily_ai_summary.predictions.events import alias_table, normalise
from daily_ai_summary.predictions.tracker import (
    CHANGE_DAYS,
    WINDOW_DAYS,
    EventSummary,
    format_change,
    format_value,
    read_forecasts,
    summarise,
)


@dataclass(frozen=True)
class Jump:
    """Today's forecast for ``event`` is ``years`` away from the blog's 30-day median."""

    event: str
    when: str
    median: float
    years: float


def recent(repo: Path, config: Config, day: Date) -> list[EventSummary]:
    """Per event: the latest forecast and 30-day median of the posts before ``day`` (and the
    change over 90 days), read from the posts in ``repo``."""
    start = day - timedelta(days=CHANGE_DAYS + WINDOW_DAYS + 30)
    tracked = read_forecasts(repo, config, since=start, until=day - timedelta(days=1))
    return summarise(tracked.forecasts)


def find_jumps(
    predictions: Iterable[tuple[str, str]], summaries: Iterable[EventSummary], config: Config
) -> list[Jump]:
    """Today's (event, when) forecasts more than ``predictions.max-jump-years`` years from the
    30-day median of the same event."""
    table = alias_table(config.predictions.events, config.predictions.aliases)
    medians = {s.event: s.median for s in summaries}
    jumps = []
    for event, when in predictions:
        name = normalise(event, table)
        found = read_date(when) if when else None
        if found is None or name not in medians:
            continue
        years = found.value - medians[name]
        if abs(years) > config.predictions.max_jump_years:
            jumps.append(Jump(name, when, medians[name], years))
    return jumps


def jump_note(jump: Jump) -> str:
    direction = "later" if jump.years > 0 else "earlier"
    return (
        f"Forecast jump: {jump.event} ({jump.when}) is {abs(jump.years):.1f} years {direction} "
        f"than the blog's 30-day median ({format_value(jump.median)}); check that its rationale "
        "says why."
    )


def prompt_history(summaries: Iterable[EventSummary]) -> str:
    """The blog's recent forecasts as lines for the predictions prompt ('' without any)."""
    lines = [
        f"- {s.event}: latest {s.latest.when} (post of {s.latest.post.isoformat()}); "
        f"median of the last 30 days {format_value(s.median)}; change over 90 days "
        f"{format_change(s.change)}"
        for s in summaries
    ]
    return "\n".join(lines)
