"""The generate path at its edges: ``run_generate`` for the action (plan, preflight, the
pipeline, publish, outputs and job summary) and ``generate_local`` for a local clone (commit on
the date's branch, never push). The pipeline itself is ``pipeline.generate``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TextIO

from daily_ai_summary.action import write_outputs, write_summary
from daily_ai_summary.checks import check_endpoint, check_repository
from daily_ai_summary.config import CONFIG_PATH, load_config
from daily_ai_summary.context import (
    Hooks,
    RunContext,
    credentials_for,
    default_clients,
    local_inputs,
    provider_for,
)
from daily_ai_summary.errors import GitError, SummaryError
from daily_ai_summary.events import Generate
from daily_ai_summary.history import History
from daily_ai_summary.log import Log, Redactor, TerminalLog
from daily_ai_summary.pipeline import Clients, Generated, Plan, generate, make_plan
from daily_ai_summary.post import parse
from daily_ai_summary.predictions.context import find_jumps, jump_note, recent
from daily_ai_summary.predictions.site import tracker_for
from daily_ai_summary.publish import (
    Identity,
    PublishResult,
    commit_message,
    preflight,
    publish,
    write_post_files,
)
from daily_ai_summary.publish.git import Git
from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.report import build_metadata, job_summary, md, pr_body
from daily_ai_summary.sources.base import Credentials
from daily_ai_summary.wording import CLI


def action_outputs(
    result: PublishResult | None, generated: Generated | None, *, post_path: str, branch: str
) -> dict[str, str]:
    usage = generated.usage if generated else None
    pr = result.pr if result else None
    return {
        "post-path": post_path,
        "branch": branch,
        "pull-request-number": str(pr.number) if pr else "",
        "pull-request-url": pr.url if pr else "",
        "pull-request-operation": result.operation if result else "none",
        "tokens": str(usage.total_tokens) if usage else "0",
        "cost-usd": ("" if usage.cost_usd is None else f"{usage.cost_usd:.6f}") if usage else "0",
    }


def _history(
    ctx: RunContext, plan: Plan, git: Git, gh: GitHubClient, base: str, credentials: Credentials
) -> History:
    """Recent posts, the open PRs' posts, and (in a backfill) the earlier dates' choices."""
    from daily_ai_summary.backfill import parse_range
    from daily_ai_summary.dedupe import history_with_backfill
    from daily_ai_summary.pending import pending_posts

    days: tuple[date, ...] = ()
    if ctx.inputs.dates:
        days = parse_range(ctx.inputs.dates, today=plan.now.date(), input_name="dates")
        if plan.date not in days:
            ctx.log.warning(
                f"{plan.date} is not in the dates range {ctx.inputs.dates}; deduping against posts only"
            )
            days = ()
    pending = pending_posts(git, gh, plan.config, f"refs/remotes/{git.remote}/{base}")
    pending = [p for p in pending if p.branch != plan.branch]
    return asyncio.run(
        history_with_backfill(plan, pending, days, ctx.clients, credentials, ctx.log)
    )


def run_generate(ctx: RunContext, decision: Generate) -> int:
    """One post and PR; with the config's ``topics:`` and no ``topic`` input, one per topic,
    one after another (a matrix over topic names runs them in parallel)."""
    topics: list[str | None] = [ctx.inputs.topic or None]
    if not ctx.inputs.topic:
        config_path = None if ctx.inputs.config in ("", CONFIG_PATH) else ctx.inputs.config
        topics = [t.name for t in load_config(Path(ctx.runner.workspace), config_path).topics] or [
            None
        ]
    for topic in topics:
        if topic is not None:
            ctx.log.info(f"topic {topic}")
        _run_one(ctx, decision, topic)
    return 0


def _run_one(ctx: RunContext, decision: Generate, topic: str | None) -> None:
    inputs, runner, log = ctx.inputs, ctx.runner, ctx.log
    workspace = Path(runner.workspace)
    # Push with the given token (a PAT or App token makes the PR's own workflows run); the
    # checkout's stored credentials are replaced only for this process, never written.
    git = Git.for_action(workspace, inputs.github_token)
    with log.group("Plan"):
        plan = make_plan(
            workspace,
            date_input=decision.date,
            now=ctx.hooks.clock.now(),
            config_path=inputs.config,
            topic=topic,
        )
        settings = ctx.provider()
        for note in plan.notes:
            log.notice(note)
        log.info(
            f"post for {plan.date} ({decision.trigger}) at {plan.post_path} on branch {plan.branch}"
        )
        log.info(
            f"config: {plan.config.file or 'defaults (no .github/daily-ai-summary.yml)'}; archetype: {plan.archetype_file}"
        )
        gh = ctx.github()
        base = inputs.base_branch or gh.default_branch()
        identity = Identity(plan.config.commit.author_name, plan.config.commit.author_email)
        pre = preflight(
            git,
            gh,
            base=base,
            branch=plan.branch,
            post_path=plan.post_path,
            date=plan.date.isoformat(),
            identity=identity,
            write=not inputs.dry_run,
        )

    if pre.stop is not None:
        for note in pre.stop.notes:
            log.notice(note)
        write_outputs(
            runner.output_path,
            action_outputs(pre.stop, None, post_path=plan.post_path, branch=plan.branch),
        )
        write_summary(
            runner.summary_path,
            job_summary(
                title=f"Daily AI summary {plan.date}{f' ({plan.topic})' if plan.topic else ''}",
                outcome=" ".join(pre.stop.notes),
                pr_url=pre.stop.pr.url if pre.stop.pr else "",
                post_path=plan.post_path,
            ),
        )
        return

    # Re-running a date keeps the post's own date, so an unchanged post stays byte-identical.
    post_time = None
    if pre.existing_text:
        try:
            existing = parse(pre.existing_text, path=plan.post_path).date
            post_time = existing if existing and existing.date() == plan.date else None
        except SummaryError:
            post_time = None

    credentials = credentials_for(inputs)  # one per run: the sources share its OAuth token
    started = time.monotonic()
    with log.group("History"):
        history = _history(ctx, plan, git, gh, base, credentials)
    generated = asyncio.run(
        generate(
            plan, settings, ctx.clients, credentials, log, post_time=post_time, history=history
        )
    )
    generated.timings.stages["history"] = round(
        time.monotonic() - started - sum(generated.timings.stages.values()), 3
    )
    flag_jumps(plan, generated, log)
    meta = build_metadata(
        date=plan.date.isoformat(),
        post_path=plan.post_path,
        items=generated.selection.consequences,
        trending=generated.selection.trending,
        runners_up=generated.selection.runners_up.get("consequences", []),
        trending_runners_up=generated.selection.runners_up.get("trending", []),
        model=settings.model,
        provider=settings.name,
        usage=generated.usage,
        grounding=generated.grounding,
        degradations=generated.degradations,
    )
    notes = _notes(log)
    body = pr_body(
        meta,
        usage=generated.usage,
        command_prefix=inputs.command_prefix,
        run_url=runner.run_url,
        notes=[generated.fallback_note, *notes] if generated.fallback_note else notes,
    )

    result: PublishResult | None = None
    if inputs.dry_run:
        with log.group("Dry run: the post (nothing pushed)"):
            log.info(generated.text)
        fence = "`" * 4
        outcome = (
            "Dry run: the post was written but not pushed.\n\n<details><summary>The post</summary>\n\n"
            f"{fence}markdown\n{generated.text.replace(fence, '~~~~')}{fence}\n\n</details>"
        )
    else:
        with log.group("Publish"), generated.timings.stage("publish"):
            gh_labels = inputs.labels
            result = publish(
                git,
                gh,
                pre,
                generated.text,
                date=plan.date.isoformat(),
                body=body,
                identity=identity,
                labels=gh_labels,
                reviewers=inputs.reviewers,
                draft=inputs.draft,
                derived=tracker_for(plan.config, log.warning),
                title=plan.pr_title,
            )
            for note in result.notes:
                log.warning(note)
            log.info(
                f"pull request #{result.pr.number if result.pr else '?'}: {result.operation} ({result.pr.url if result.pr else ''})"
            )
        outcome = {
            "created": "Opened a pull request with the post.",
            "updated": "Updated the open pull request with a new version of the post.",
            "unchanged": "The open pull request already has this post.",
            "none": "Nothing to do.",
        }[result.operation]
    if generated.fallback_note:
        outcome += f"\n\n**Fallback:** {md(generated.fallback_note)}"
    write_outputs(
        runner.output_path,
        action_outputs(result, generated, post_path=plan.post_path, branch=plan.branch),
    )
    write_summary(
        runner.summary_path,
        log.redact(
            job_summary(
                title=f"Daily AI summary {plan.date}{f' ({plan.topic})' if plan.topic else ''}",
                outcome=outcome,
                items=generated.selection.consequences,
                trending=generated.selection.trending,
                reports=generated.reports,
                model=f"{settings.model} ({settings.name})",
                usage=generated.usage,
                timings=generated.timings.stages,
                pr_url=result.pr.url if result and result.pr else "",
                post_path=plan.post_path,
                warnings=_notes(log),  # again: with the publish step's notes
                dropped=len(generated.selection.dropped),
                degradations=generated.degradations,
                endpoint=generated.endpoint.describe() if generated.endpoint else "",
            )
        ),
    )


def _notes(log: Log) -> list[str]:
    """The run's warnings, less the degradations: they have their own list (issue 17)."""
    return [w for w in log.warnings if not w.startswith("degraded: ")]


def flag_jumps(plan: Plan, generated: Generated, log: Log) -> None:
    """A forecast far from the blog's recent ones is a warning (and so a note in the PR body)."""
    if not plan.config.predictions.tracker:
        return
    history = recent(plan.repo, plan.config, plan.date)
    today = [(p.event, p.when) for p in generated.written.predictions]
    for jump in find_jumps(today, history, plan.config):
        log.warning(jump_note(jump))


def generate_local(
    repo: Path,
    *,
    date: str,
    dry_run: bool,
    env: Mapping[str, str] | None = None,
    clients: Clients | None = None,
    log: Log | None = None,
    out: TextIO | None = None,
    topic: str | None = None,
) -> tuple[Generated, str | None]:
    """Generate the post for ``date`` in the clone at ``repo``. Unless ``dry_run``, commit it on
    the date's branch (created from HEAD, or on top of it if it exists); never pushes. The
    checkout itself is not touched. Returns the generation and the commit sha."""
    env = dict(os.environ if env is None else env)
    out = out or sys.stdout
    inputs = local_inputs(env)
    hooks = Hooks.from_env(env)
    log = log or TerminalLog(Redactor(inputs.secrets), wording=CLI)
    if not dry_run:
        check_repository(repo)  # before anything else: the post is committed there
    plan = make_plan(
        repo,
        date_input=date,
        now=hooks.clock.now(),
        config_path=env.get("DAILY_AI_SUMMARY_CONFIG") or None,
        topic=topic,
    )
    settings = provider_for(inputs, hooks)
    for note in plan.notes:
        log.notice(note)
    git = None
    if not dry_run:
        git = Git(repo)
        if git.current_branch() == plan.branch:
            raise GitError(
                f"{plan.branch} is checked out in {repo}; switch to another branch first"
            )
    clients = clients or default_clients()
    # the last check before the first paid call; its GET /models also decides the schema
    endpoint = check_endpoint(settings, clients.llm)
    generated = asyncio.run(
        generate(plan, settings, clients, credentials_for(inputs), log, endpoint=endpoint)
    )
    if dry_run or git is None:
        out.write(generated.text)
        return generated, None
    start = plan.branch if git.rev_parse(f"refs/heads/{plan.branch}") else "HEAD"
    with git.worktree(start) as wt:
        tracker = tracker_for(plan.config, log.warning)
        sha = wt.commit(
            write_post_files(wt, plan.post_path, generated.text, tracker),
            commit_message(plan.date.isoformat()),
            plan.config.commit.author_name,
            plan.config.commit.author_email,
        )
    if sha:
        git.set_branch(plan.branch, sha)
        log.info(f"committed {plan.post_path} on branch {plan.branch} ({sha[:12]}); not pushed")
    else:
        log.info(f"{plan.branch} already has this post; nothing committed")
    return generated, sha


__all__ = ["action_outputs", "generate_local", "run_generate"]
