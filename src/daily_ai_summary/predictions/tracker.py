"""Every forecast the blog made: read from the posts of a checked-out branch, with per-event
figures (latest, 30-day median, change since 90 days ago). Reads files; otherwise pure.

The posts are the only state (as in ``history``): every file ``post.path`` describes is read
through the post model, and each prediction with a readable date becomes a ``Forecast``.
"""

from __future__ import annotations

import bisect
import calendar
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from pathlib import Path
from typing import Any

from daily_ai_summary.config import Config
from daily_ai_summary.errors import PostFormatError
from daily_ai_summary.prediction_dates import read_date
from daily_ai_summary.predictions.events import alias_table, normalise

WINDOW_DAYS = 30  # the rolling median's window
CHANGE_DAYS = 90  # "change since": the median now against the median this many days ago


@dataclass(frozen=True)
class Forecast:
    """One prediction of one post: ``event`` is the normalised name, ``spelling`` the text."""

    post: Date
    event: str
    year: int
    month: int | None
    path: str
    when: str
    spelling: str
    end_year: int | None = None

    @property
    def value(self) -> float:
        """The predicted date as a fractional year (mid-month, or mid-year without a month)."""
        return self.year + ((self.month - 0.5) / 12 if self.month else 0.5)

    def to_dict(self) -> dict[str, Any]:
        return {
            "post": self.post.isoformat(),
            "event": self.event,
            "year": self.year,
            "month": self.month,
            "path": self.path,
            "when": self.when,
            "spelling": self.spelling,
            "end_year": self.end_year,
        }


@dataclass(frozen=True)
class Tracked:
    """The forecasts in (post date, event, path) order, and what could not be used."""

    forecasts: tuple[Forecast, ...]
    posts: int  # posts read
    undated: int  # predictions without a readable date
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventSummary:
    event: str
    count: int
    latest: Forecast
    median: float  # of the forecasts of the last WINDOW_DAYS days (up to the latest post)
    change: float | None  # median now minus the median CHANGE_DAYS days earlier (years)


def forecasts_in(
    text: str, *, day: Date, path: str, table: Mapping[str, str]
) -> tuple[list[Forecast], int]:
    """The dated forecasts of one post's text, and how many predictions had no date."""
    from daily_ai_summary.post import read_predictions

    found: list[Forecast] = []
    undated = 0
    for p in read_predictions(text, path=path):
        when = read_date(p.when) if p.when else None
        if when is None:
            undated += 1
            continue
        found.append(
            Forecast(
                day,
                normalise(p.event, table),
                when.year,
                when.month,
                path,
                p.when,
                p.event,
                when.end_year,
            )
        )
    return found, undated


def read_forecasts(
    repo: Path,
    config: Config,
    *,
    since: Date | None = None,
    until: Date | None = None,
    extra: Mapping[str, str] | None = None,
) -> Tracked:
    """Every forecast of the posts in ``repo`` (the checked-out files) dated ``since`` ..
    ``until``. ``extra`` (path -> text) adds or replaces posts that are not on disk yet, such
    as the one a run is writing. A post that cannot be read is a warning, not an error."""
    from daily_ai_summary.history import post_files, post_pattern

    table = alias_table(config.predictions.events, config.predictions.aliases)
    files: dict[str, Date] = {rel: day for day, rel in post_files(repo, config)}
    texts: dict[str, str] = dict(extra or {})
    pattern = post_pattern(config)
    for rel in texts:
        m = pattern.match(rel)
        try:
            files[rel] = Date.fromisoformat(m.group(1)) if m else Date.min
        except ValueError:
            continue
        if not m:
            del files[rel]
    forecasts: list[Forecast] = []
    undated = 0
    posts = 0
    warnings: list[str] = []
    for rel, day in sorted(files.items(), key=lambda kv: (kv[1], kv[0])):
        if (since and day < since) or (until and day > until):
            continue
        try:
            text = texts[rel] if rel in texts else (repo / rel).read_text(encoding="utf-8")
            found, missing = forecasts_in(text, day=day, path=rel, table=table)
        except PostFormatError as err:
            warnings.append(f"predictions: skipped {err}")
            continue
        except (OSError, UnicodeDecodeError) as err:
            warnings.append(f"predictions: skipped {rel}: cannot read it ({type(err).__name__})")
            continue
        posts += 1
        undated += missing
        forecasts.extend(found)
    forecasts.sort(key=lambda f: (f.post, f.event, f.path, f.value))
    return Tracked(tuple(forecasts), posts, undated, tuple(warnings))


def events_in(forecasts: Iterable[Forecast]) -> list[str]:
    """Event names, most forecasts first (ties by name): a stable order for tables and series."""
    counts: dict[str, int] = {}
    for f in forecasts:
        counts[f.event] = counts.get(f.event, 0) + 1
    return sorted(counts, key=lambda e: (-counts[e], e))


def window_median(forecasts: list[Forecast], end: Date, days: int = WINDOW_DAYS) -> float | None:
    """The median predicted date of the forecasts posted in the ``days`` days up to ``end``."""
    start = end - timedelta(days=days - 1)
    values = [f.value for f in forecasts if start <= f.post <= end]
    return statistics.median(values) if values else None


def rolling_median(forecasts: list[Forecast], days: int = WINDOW_DAYS) -> list[tuple[Date, float]]:
    """(post date, median of the window ending that day) for each date with a forecast.
    ``forecasts`` are one event's, sorted by post date."""
    out: list[tuple[Date, float]] = []
    window: list[float] = []  # the window's values, kept sorted
    lo = 0
    for i, f in enumerate(forecasts):
        bisect.insort(window, f.value)
        if i + 1 < len(forecasts) and forecasts[i + 1].post == f.post:
            continue  # one point per date, after all of that date's forecasts
        start = f.post - timedelta(days=days - 1)
        while forecasts[lo].post < start:
            del window[bisect.bisect_left(window, forecasts[lo].value)]
            lo += 1
        n = len(window)
        out.append((f.post, window[n // 2] if n % 2 else (window[n // 2 - 1] + window[n // 2]) / 2))
    return out


def summarise(forecasts: Iterable[Forecast]) -> list[EventSummary]:
    """Per event: the latest forecast, the 30-day median and its change over 90 days."""
    by_event: dict[str, list[Forecast]] = {}
    for f in forecasts:
        by_event.setdefault(f.event, []).append(f)
    out = []
    for event in events_in(f for fs in by_event.values() for f in fs):
        fs = sorted(by_event[event], key=lambda f: (f.post, f.path, f.value))
        latest = fs[-1]
        median = window_median(fs, latest.post)
        assert median is not None
        before = window_median(fs, latest.post - timedelta(days=CHANGE_DAYS))
        change = None if before is None else median - before
        out.append(EventSummary(event, len(fs), latest, median, change))
    return out


def format_value(value: float) -> str:
    """A fractional year as "May 2035" (the month it falls in)."""
    year = int(value)
    month = min(12, int((value - year) * 12) + 1)
    return f"{calendar.month_name[month]} {year}"


def format_change(change: float | None) -> str:
    if change is None:
        return "n/a"
    months = round(change * 12)
    if months == 0:
        return "no change"
    sign = "+" if months > 0 else "-"
    years, rest = divmod(abs(months), 12)
    parts = ([f"{years} y"] if years else []) + ([f"{rest} mo"] if rest else [])
    return sign + " ".join(parts)
