"""``daily-ai-summary plan`` and the action's ``mode: plan``: which dates of a range need a
post. The I/O edge around ``backfill.py``: read the config, the base branch and the action's
open pull requests; print (or output) the JSON list of dates and ``max-parallel``.

GitHub Actions runs the list: a matrix job over ``fromJSON(dates)``, one ``run`` per date
(examples/backfill.yml). Nothing here calls a model or pushes anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date
from pathlib import Path
from typing import TextIO

from daily_ai_summary.action import write_outputs, write_summary
from daily_ai_summary.backfill import RangePlan, calls_per_post, parse_range, plan_range
from daily_ai_summary.config import CONFIG_PATH, load_config
from daily_ai_summary.context import Hooks, RunContext
from daily_ai_summary.errors import GitError, InputError
from daily_ai_summary.pending import merged_dates, pending_posts
from daily_ai_summary.providers import PROVIDERS
from daily_ai_summary.publish.git import Git
from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.sites import resolve_site


def plan_in_repo(
    repo: Path,
    git: Git,
    gh: GitHubClient | None,
    *,
    base: str,
    dates: str,
    input_name: str,
    force: bool,
    provider: str,
    today: date,
    config_path: str | None = None,
) -> RangePlan:
    """The dates of ``dates`` that need a post in the repository at ``repo``. Raises
    ``InputError`` (naming ``input_name``) for a bad range or one over the daily budget."""
    days = parse_range(dates, today=today, input_name=input_name)
    if config_path in ("", CONFIG_PATH):
        config_path = None
    config, _, _ = resolve_site(repo, load_config(repo, config_path))
    if git.fetch_branch(base) is None:
        raise GitError(f"the base branch '{base}' does not exist on {git.remote}")
    base_ref = f"refs/remotes/{git.remote}/{base}"
    merged = merged_dates(git, base_ref, config)
    waiting = {p.date for p in pending_posts(git, gh, config, base_ref)}
    calls = calls_per_post(config.section("consequences").count, len(config.predictions.events))
    in_flight = PROVIDERS[provider].concurrency if provider in PROVIDERS else 8
    plan, fits = plan_range(
        days,
        merged=merged,
        open_prs=waiting,
        force=force,
        provider=provider,
        calls=calls,
        in_flight=in_flight,
    )
    if not fits:
        raise InputError(plan.budget, input_name=input_name)
    return plan


def describe(plan: RangePlan) -> list[str]:
    """What the plan decided, for people: the budget, the parallelism, each skipped date."""
    lines = [
        f"{len(plan.dates)} date(s) need a post; {len(plan.skipped)} skipped",
        f"budget: {plan.budget}",
        f"max-parallel: {plan.max_parallel} ({plan.parallel_reason})",
    ]
    lines += [f"skip {day}: {why}" for day, why in sorted(plan.skipped.items())]
    return lines


def provider_from_env(env: Mapping[str, str]) -> str:
    """The provider a workflow with these variables would use (no credential is checked)."""
    if env.get("OPENAI_BASE_URL", "").strip():
        return "openai-compatible"
    if env.get("OPENAI_API_KEY", "").strip():
        return "openai"
    return "github-models"


def plan_local(
    repo: Path,
    *,
    dates: str,
    force: bool,
    base: str,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
) -> int:
    """The CLI: the JSON list on ``out`` (nothing else), the reasons on ``err``. Without the
    GitHub API, a date branch on origin that is not merged counts as an open pull request.
    ``DAILY_AI_SUMMARY_NOW`` pins today, as for ``generate``."""
    today = Hooks.from_env(env).clock.now().astimezone(UTC).date()
    git = Git(repo)
    base = base or git.remote_default_branch() or "main"
    plan = plan_in_repo(
        repo,
        git,
        None,
        base=base,
        dates=dates,
        input_name="--dates",
        force=force,
        provider=provider_from_env(env),
        today=today,
        config_path=env.get("DAILY_AI_SUMMARY_CONFIG") or None,
    )
    for line in describe(plan):
        print(line, file=err)
    print(json.dumps(plan.as_json_dates()), file=out)
    return 0


def run_plan(ctx: RunContext) -> int:
    """The action's ``mode: plan``: outputs ``dates`` and ``max-parallel``, and a job summary."""
    inputs, runner, log = ctx.inputs, ctx.runner, ctx.log
    if not inputs.dates:
        raise InputError(
            "mode plan needs a range, e.g. dates: 2025-04-01..2025-04-30", input_name="dates"
        )
    git = Git(Path(runner.workspace), token=inputs.github_token or None)
    git.ensure_safe_directory()
    gh = ctx.github()
    base = inputs.base_branch or gh.default_branch()
    plan = plan_in_repo(
        Path(runner.workspace),
        git,
        gh,
        base=base,
        dates=inputs.dates,
        input_name="dates",
        force=False,
        provider=ctx.provider().name,
        today=ctx.hooks.clock.now().date(),
        config_path=inputs.config,
    )
    lines = describe(plan)
    log.notice(f"{lines[0]}; {plan.budget}; max-parallel {plan.max_parallel}")
    for line in lines[1:]:
        log.info(line)
    write_outputs(
        runner.output_path,
        {"dates": json.dumps(plan.as_json_dates()), "max-parallel": str(plan.max_parallel)},
    )
    rows = "\n".join(f"| {d} | {why} |" for d, why in sorted(plan.skipped.items()))
    write_summary(
        runner.summary_path,
        f"## Daily AI summary: plan for {inputs.dates}\n\n"
        + "\n".join(f"- {line}" for line in lines[:3])
        + "\n\n"
        + (f"| skipped | why |\n|---|---|\n{rows}\n" if rows else ""),
    )
    return 0
