"""``daily-ai-summary sources``: collect and select for a date, print the choice. No LLM."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import TextIO

from daily_ai_summary.context import Hooks
from daily_ai_summary.fallback import fallback_note
from daily_ai_summary.history import load_history
from daily_ai_summary.models import Candidate, Section, SourceReport
from daily_ai_summary.pipeline import choose, collect, make_plan
from daily_ai_summary.selection import format_selection
from daily_ai_summary.sources import build_client
from daily_ai_summary.sources.base import Credentials
from daily_ai_summary.wording import CLI


def show_sources(
    repo: Path, *, date: str, config_path: str | None = None, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    config_path = config_path or os.environ.get("DAILY_AI_SUMMARY_CONFIG") or None
    now = Hooks.from_env(os.environ).clock.now()
    plan = make_plan(repo, date_input=date, now=now, config_path=config_path)
    creds = Credentials(
        os.environ.get("REDDIT_CLIENT_ID", ""), os.environ.get("REDDIT_CLIENT_SECRET", "")
    )

    async def fetch() -> tuple[dict[Section, list[Candidate]], list[SourceReport]]:
        async with build_client() as http:
            return await collect(plan, http, creds)

    candidates, reports = asyncio.run(fetch())
    history = load_history(plan.repo, plan.config, plan.date)
    selection = choose(plan, candidates, history)
    for line in format_selection(selection, date=plan.date.isoformat(), reports=reports):
        print(line, file=out)
    note = fallback_note(plan.config, reports, [*selection.consequences, *selection.trending])
    if note:
        print(f"\nFallback: {CLI.render(note)}", file=out)
    return 0
