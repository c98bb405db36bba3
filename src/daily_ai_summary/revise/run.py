"""The revise path, top to bottom: one ``Revise`` event -> the exit code.

    authorize -> acknowledge (👀) -> locate -> rewrite -> publish -> report

Each stage is a function from a small value to the next (``Steering`` -> ``Located`` ->
``Rewritten`` -> ``Published``); the ``Request`` objects they carry collect each command's
task, changes, usage and status. Whatever breaks after work started is answered on every open
request (😕 and a reply) before the error is reported as usual.
"""

from __future__ import annotations

from daily_ai_summary.context import RunContext
from daily_ai_summary.events import Revise
from daily_ai_summary.models import Usage
from daily_ai_summary.publish.git import Git
from daily_ai_summary.revise.authorize import Ignored, authorize
from daily_ai_summary.revise.locate import locate
from daily_ai_summary.revise.publish import publish
from daily_ai_summary.revise.report import (
    acknowledge,
    defer,
    ignore,
    refresh_pr_body,
    report,
    report_failure,
)
from daily_ai_summary.revise.rewrite import rewrite


def run_revise(ctx: RunContext, decision: Revise) -> int:
    """Handle one revision event. Returns the exit code."""
    log, prefix = ctx.log, ctx.inputs.command_prefix
    gh = ctx.github()

    with log.group(f"Revise: who asked ({decision.kind} on #{decision.pr_number})"):
        steering = authorize(
            gh,
            decision,
            ctx.inputs,
            ctx.runner.repository,
            extra_authors=lambda: ctx.blog_config().revise.authors,
        )
        if isinstance(steering, Ignored):
            return ignore(ctx, steering)
        log.info(
            f"{len(steering.requests)} command(s) from {steering.user} ({steering.permission})"
            f" on {steering.pr.url}"
        )

    acknowledge(gh, steering.requests)
    defer(gh, steering, log=log)
    model, usage, sha = "", Usage(cost_usd=0.0), None
    try:
        # the github-token input, as generate does (never the checkout's stored credentials):
        # with persist-credentials: false, or a PAT/App token, the revision pushes as that token
        git = Git.for_action(ctx.runner.workspace, ctx.inputs.github_token)
        with log.group(f"Revise: locate ({steering.pr.head_ref})"):
            located = locate(git, steering, prefix=prefix, log=log)
        rewritten = rewrite(ctx, located, log=log)
        model, usage = rewritten.model, rewritten.usage
        if rewritten.done:
            with log.group("Revise: commit and push"):
                published = publish(ctx, git, rewritten, log=log)
                sha = published.sha
                if sha:
                    steering.pr = refresh_pr_body(
                        gh, published, prefix=prefix, run_url=ctx.runner.run_url, log=log
                    )
    except Exception as err:
        report_failure(ctx, gh, steering, err, model=model, usage=usage)
        raise
    return report(ctx, gh, steering, sha=sha, model=model, usage=usage)
