"""Planning a backfill: which dates of a range need a post, whether the model's rate limits
allow them, and how many matrix jobs may run at once.

Pure: a range text, today, what already exists and the provider's name in; a ``RangePlan``
out. The I/O (reading the base branch and the open pull requests) is in ``plan_command.py``;
GitHub Actions' matrix runs the dates, one job and one pull request per date.

    30 dates x 6 calls = 180 requests, over GitHub Models' free tier's 150/day: split the
    range or use an API key

``max_parallel`` is derived from the provider's published limits: a job keeps up to the
provider's bound of LLM calls in flight (``ProviderSettings.concurrency``), so jobs at once x
calls in flight must stay within the concurrent-request limit, and jobs at once x calls per
post within the per-minute limit (a post's calls finish in well under a minute).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from daily_ai_summary.errors import InputError

MAX_RANGE_DAYS = 366
MAX_MATRIX_JOBS = 20  # GitHub Actions' concurrent jobs on the Free plan (a cap, not a goal)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ProviderLimits:
    """A provider's request limits; None is 'no published limit we check'."""

    label: str
    concurrent: int | None
    per_minute: int | None
    per_day: int | None


# GitHub Models' free tier, "Low" models (gpt-4o-mini): 15 requests a minute, 150 a day,
# 5 concurrent (docs: prototyping-with-ai-models; ../shared/notes/github-actions-contract.md).
LIMITS: dict[str, ProviderLimits] = {
    "github-models": ProviderLimits("GitHub Models' free tier", 5, 15, 150),
    "openai": ProviderLimits("the OpenAI API", None, None, None),
    "openai-compatible": ProviderLimits("the endpoint", None, None, None),
}


@dataclass(frozen=True)
class RangePlan:
    dates: tuple[date, ...]  # need a post, oldest first
    skipped: Mapping[date, str]  # date -> why it needs none
    calls_per_post: int
    max_parallel: int
    parallel_reason: str
    budget: str  # the rate-limit budget, told to the user

    @property
    def requests(self) -> int:
        return len(self.dates) * self.calls_per_post

    def as_json_dates(self) -> list[str]:
        return [d.isoformat() for d in self.dates]


def parse_range(text: str, *, today: date, input_name: str) -> tuple[date, ...]:
    """``2025-04-01..2025-04-30`` (both ends included) or one date: every day, oldest first.

    One clear error for anything else: not dates, the end before the start, a day in the
    future, more than ``MAX_RANGE_DAYS`` days."""
    raw = (text or "").strip()
    if not raw:
        raise InputError(
            "is empty; give a range like 2025-04-01..2025-04-30", input_name=input_name
        )
    first_text, sep, last_text = raw.partition("..")
    first_text, last_text = first_text.strip(), (last_text.strip() if sep else first_text.strip())
    ends: list[date] = []
    for part in (first_text, last_text):
        if not _DAY.fullmatch(part):
            raise InputError(
                f"must be a date range like 2025-04-01..2025-04-30 (YYYY-MM-DD..YYYY-MM-DD), got {raw[:60]!r}",
                input_name=input_name,
            )
        try:
            ends.append(date.fromisoformat(part))
        except ValueError:
            raise InputError(f"{part} is not a calendar date", input_name=input_name) from None
    first, last = ends
    if last < first:
        raise InputError(
            f"the range ends ({last}) before it starts ({first}); write the earlier date first",
            input_name=input_name,
        )
    if last > today:
        raise InputError(f"{last} is in the future (today is {today} UTC)", input_name=input_name)
    days = (last - first).days + 1
    if days > MAX_RANGE_DAYS:
        raise InputError(
            f"{first}..{last} is {days} days; a backfill covers at most {MAX_RANGE_DAYS} days: split the range",
            input_name=input_name,
        )
    return tuple(first + timedelta(days=i) for i in range(days))


def calls_per_post(consequences: int, prediction_events: int) -> int:
    """LLM calls one post makes: one per consequences item, one for all the predictions."""
    return consequences + (1 if prediction_events else 0)


def max_parallel(provider: str, *, calls: int, in_flight: int, dates: int) -> tuple[int, str]:
    """How many matrix jobs may run at once, and why."""
    limits = LIMITS.get(provider, LIMITS["openai-compatible"])
    cap = max(1, min(dates, MAX_MATRIX_JOBS))
    reasons: list[str] = []
    n = cap
    if limits.concurrent is not None:
        by_concurrency = max(1, limits.concurrent // max(1, min(in_flight, calls)))
        reasons.append(
            f"{limits.concurrent} concurrent requests / {min(in_flight, calls)} in flight per job"
            f" = {by_concurrency}"
        )
        n = min(n, by_concurrency)
    if limits.per_minute is not None:
        by_minute = max(1, limits.per_minute // max(1, calls))
        reasons.append(f"{limits.per_minute} requests/min / {calls} calls per post = {by_minute}")
        n = min(n, by_minute)
    if not reasons:
        return (
            n,
            f"{limits.label} publishes no limit we check; capped at {cap} (dates, and GitHub's {MAX_MATRIX_JOBS} concurrent jobs)",
        )
    return n, f"{limits.label}: " + "; ".join(reasons)


def budget(provider: str, *, dates: int, calls: int) -> tuple[str, bool]:
    """The rate-limit budget as a sentence, and whether it fits."""
    limits = LIMITS.get(provider, LIMITS["openai-compatible"])
    total = dates * calls
    head = f"{dates} date{'s' if dates != 1 else ''} x {calls} calls = {total} requests"
    if limits.per_day is None:
        return f"{head}; {limits.label} has no daily limit we check", True
    if total > limits.per_day:
        return (
            f"{head}, over {limits.label}'s {limits.per_day}/day: split the range or use an API key",
            False,
        )
    return f"{head}, within {limits.label}'s {limits.per_day}/day", True


def plan_range(
    days: tuple[date, ...],
    *,
    merged: Collection[date],
    open_prs: Collection[date],
    force: bool,
    provider: str,
    calls: int,
    in_flight: int,
) -> tuple[RangePlan, bool]:
    """The dates that need a post (a merged post or an open PR means none, unless ``force``),
    and whether the budget fits."""
    skipped: dict[date, str] = {}
    todo: list[date] = []
    for day in days:
        if not force and day in merged:
            skipped[day] = "its post is merged"
        elif not force and day in open_prs:
            skipped[day] = "its pull request is open"
        else:
            todo.append(day)
    parallel, why = max_parallel(provider, calls=calls, in_flight=in_flight, dates=len(todo))
    told, fits = budget(provider, dates=len(todo), calls=calls)
    return RangePlan(tuple(todo), skipped, calls, parallel, why, told), fits
