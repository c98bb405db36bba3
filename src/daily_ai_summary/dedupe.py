"""What a post must not repeat, gathered before selection:

* the blog's recent posts in the checkout (``history.py``);
* posts still waiting in the action's own open pull requests (``pending.py``), so consecutive
  days of a backfill, none merged yet, do not repeat a topic;
* within a backfill range, what earlier dates of the same range choose. Matrix jobs run at
  once, so the job for a later date cannot wait for the earlier ones' pull requests: it replays
  their selection (collect and select, no LLM call, nothing spent) for every earlier date of
  the range that has no post yet. Selection is pure and the sources are date-bounded, so the
  replay chooses what the earlier job chooses; once that job's PR exists, its actual post is
  read instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from datetime import date as Date

from daily_ai_summary.errors import SelectionError
from daily_ai_summary.history import CoveredTitle, History, load_history
from daily_ai_summary.log import Log
from daily_ai_summary.models import Candidate, Section
from daily_ai_summary.pending import PendingPost
from daily_ai_summary.pipeline import Clients, Plan, branch_for, collect
from daily_ai_summary.selection import select
from daily_ai_summary.sources.base import Credentials


def plan_for_day(plan: Plan, day: Date) -> Plan:
    """``plan`` moved to another date of the same run (its window, path and branch)."""
    start = datetime.combine(day - timedelta(days=1), time(0, tzinfo=UTC))
    return replace(
        plan,
        date=day,
        window_start=start,
        window_end=start + timedelta(days=1),
        is_today=day == plan.now.date(),
        post_path=plan.config.post_path(day),
        branch=branch_for(day),
    )


def _within(titles: Sequence[CoveredTitle], first: Date, end: Date) -> list[CoveredTitle]:
    return [t for t in titles if first <= t.date < end]


async def history_with_backfill(
    plan: Plan,
    pending: Sequence[PendingPost],
    range_days: Sequence[Date],
    clients: Clients,
    credentials: Credentials,
    log: Log,
) -> History:
    """The history ``plan``'s date is deduped against: the checkout's posts, the open PRs'
    posts, and the replayed choices of earlier dates of ``range_days`` that have no post."""
    days = plan.config.selection.history_days
    first = plan.date - timedelta(days=days)
    earlier = sorted(d for d in set(range_days) if first <= d < plan.date)
    reach = days + ((plan.date - earlier[0]).days if earlier else 0)
    texts = [(p.date, p.path, p.text) for p in pending if p.text is not None]
    wide = load_history(plan.repo, plan.config, plan.date, reach, pending=texts)
    posted = {t.date for t in wide.titles}
    replay = [d for d in earlier if d not in posted]
    covered = list(wide.titles)
    warnings = list(wide.warnings)
    if replay:
        plans = [plan_for_day(plan, d) for d in replay]
        async with clients.http() as http:
            results = await asyncio.gather(*(collect(p, http, credentials) for p in plans))
        for day, (candidates, _reports) in zip(replay, results, strict=True):
            chosen = _replay(plan, day, candidates, covered)
            if chosen is None:
                warnings.append(
                    f"history: {day} of this backfill has nothing to select; not replayed"
                )
                continue
            covered.extend(chosen)
        log.info(
            f"backfill: replayed the selection of {len(replay)} earlier date(s) of the range "
            f"without a post yet ({', '.join(d.isoformat() for d in replay)})"
        )
    waiting = [p.path for p in pending if p.text is not None and first <= p.date < plan.date]
    if waiting:
        log.info(f"history: {len(waiting)} post(s) waiting in open pull requests")
    return History(
        titles=tuple(_within(covered, first, plan.date)),
        posts=tuple(p for p in wide.posts),
        warnings=tuple(warnings),
    )


def _replay(
    plan: Plan,
    day: Date,
    candidates: dict[Section, list[Candidate]],
    covered: Sequence[CoveredTitle],
) -> list[CoveredTitle] | None:
    history = _within(covered, day - timedelta(days=plan.config.selection.history_days), day)
    try:
        selection = select(candidates, plan.config, history)
    except SelectionError:
        return None
    where = f"(chosen for {day} by this backfill)"
    return [
        CoveredTitle(date=day, title=c.title, section="consequences", file=where)
        for c in selection.consequences
    ] + [
        CoveredTitle(date=day, title=c.title, section="trending", file=where)
        for c in selection.trending
    ]
