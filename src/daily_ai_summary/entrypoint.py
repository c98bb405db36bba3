"""``daily-ai-summary run``: the container action's entrypoint, and ``generate`` for a local clone.

    event -> plan -> preflight -> collect -> select -> write -> render -> publish -> report

Secrets are masked before anything else is printed. Every failure the user can act on is a
``SummaryError`` that becomes one ``::error`` (with file and line where there is one) and exit
code 1, and nothing is pushed; a deliberate no-op exits 0.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from daily_ai_summary.action import (
    INPUT_NAMES,
    Inputs,
    RunnerEnv,
    read_inputs,
    read_runner_env,
    write_outputs,
    write_summary,
)
from daily_ai_summary.errors import GitError, SummaryError
from daily_ai_summary.events import Generate, Ignore, Revise, classify, load_event
from daily_ai_summary.log import ActionLog, Log, Redactor, TerminalLog
from daily_ai_summary.pipeline import Clients, Generated, generate, make_plan
from daily_ai_summary.post import parse
from daily_ai_summary.providers import ProviderSettings, make_client, resolve_provider
from daily_ai_summary.publish import (
    Identity,
    PublishResult,
    commit_message,
    preflight,
    publish,
)
from daily_ai_summary.publish.git import Git
from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.report import build_metadata, job_summary, pr_body
from daily_ai_summary.sources import build_client
from daily_ai_summary.sources.base import Credentials

MODELS_URL_ENV = "DAILY_AI_SUMMARY_MODELS_URL"  # GitHub Models endpoint override (GHES proxies, tests)
TESTING_ENV = "DAILY_AI_SUMMARY_TESTING"  # "1": no PyGithub write pacing (local fakes only)
LLM_TIMEOUT = 90.0


def default_clients() -> Clients:
    return Clients(http=build_client, llm=lambda s: make_client(s, timeout=LLM_TIMEOUT))


def provider_for(inputs: Inputs, env: Mapping[str, str]) -> ProviderSettings:
    return resolve_provider(
        model=inputs.model,
        github_token=inputs.github_token,
        openai_api_key=inputs.openai_api_key,
        base_url=inputs.base_url,
        api_url_for_models=env.get(MODELS_URL_ENV) or None,
    )


def credentials_for(inputs: Inputs) -> Credentials:
    return Credentials(reddit_client_id=inputs.reddit_client_id, reddit_client_secret=inputs.reddit_client_secret)


def _now(env: Mapping[str, str]) -> datetime:
    # DAILY_AI_SUMMARY_NOW pins "now" for reproducible runs (tests, the demo).
    pinned = env.get("DAILY_AI_SUMMARY_NOW")
    return datetime.fromisoformat(pinned.replace("Z", "+00:00")) if pinned else datetime.now(UTC)


def _outputs(result: PublishResult | None, generated: Generated | None, *, post_path: str, branch: str) -> dict[str, str]:
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


@dataclass
class RunContext:
    env: Mapping[str, str]
    inputs: Inputs
    runner: RunnerEnv
    log: ActionLog
    clients: Clients


def run(env: Mapping[str, str] | None = None, *, clients: Clients | None = None) -> int:
    """The action. Returns the exit code."""
    env = dict(os.environ if env is None else env)
    log = ActionLog(Redactor())
    # Mask first: before parsing, so that even an invalid input's value is never echoed.
    # Every form too: the Reddit secret inside base64(id:secret) as Basic auth sends it, the
    # token inside base64(x-access-token:token) as git's extraheader sends it (log.secret_forms).
    def raw(name: str) -> str:
        return env.get(f"INPUT_{name.upper()}", "").strip()

    log.mask([raw("github-token"), raw("openai-api-key"), (raw("reddit-client-id"), raw("reddit-client-secret"))])
    runner: RunnerEnv | None = None
    try:
        runner = read_runner_env(env)  # first: a bad input still gets its job summary
        inputs = read_inputs(env)
        payload = load_event(runner.event_path)
        decision = classify(runner.event_name, payload, date_input=inputs.date, command_prefix=inputs.command_prefix)
        ctx = RunContext(env, inputs, runner, log, clients or default_clients())
        if isinstance(decision, Ignore):
            log.info(f"Nothing to do: {decision.reason}.")
            write_outputs(runner.output_path, _outputs(None, None, post_path="", branch=""))
            return 0
        if isinstance(decision, Revise):
            from daily_ai_summary.revise import run_revise

            return run_revise(ctx, decision)
        assert isinstance(decision, Generate)
        return run_generate(ctx, decision)
    except SummaryError as err:
        log.error(err)
        if runner is not None:
            try:
                write_summary(runner.summary_path, log.redact(f"## Daily AI summary failed\n\n{_md_error(err)}\n"))
            except OSError as exc:  # the error above is what matters: one line, no traceback
                log.warning(f"could not write the job summary to GITHUB_STEP_SUMMARY ({exc.strerror or type(exc).__name__})")
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: say where, never leak a secret
        tb = log.redact("".join(traceback.format_exception(exc)))
        print(tb, file=sys.stderr)
        log.error(f"unexpected error ({type(exc).__name__}); this is a bug in daily-ai-summary, please report it with the log above")
        return 1


def _md_error(err: SummaryError) -> str:
    return "```\n" + str(err).replace("```", "'''") + "\n```"


def run_generate(ctx: RunContext, decision: Generate) -> int:
    inputs, runner, log, env = ctx.inputs, ctx.runner, ctx.log, ctx.env
    workspace = Path(runner.workspace)
    # Push with the given token (a PAT or App token makes the PR's own workflows run); the
    # checkout's stored credentials are replaced only for this process, never written.
    git = Git.for_action(workspace, inputs.github_token)
    with log.group("Plan"):
        plan = make_plan(workspace, date_input=decision.date, now=_now(env), config_path=inputs.config)
        settings = provider_for(inputs, env)
        for note in plan.notes:
            log.notice(note)
        log.info(f"post for {plan.date} ({decision.trigger}) at {plan.post_path} on branch {plan.branch}")
        log.info(f"config: {plan.config.file or 'defaults (no .github/daily-ai-summary.yml)'}; archetype: {plan.archetype_file}")
        gh = GitHubClient(inputs.github_token, runner.api_url, runner.repository, testing=env.get(TESTING_ENV) == "1")
        base = inputs.base_branch or gh.default_branch()
        identity = Identity(plan.config.commit.author_name, plan.config.commit.author_email)
        pre = preflight(git, gh, base=base, branch=plan.branch, post_path=plan.post_path, date=plan.date.isoformat(), identity=identity, write=not inputs.dry_run)

    if pre.stop is not None:
        for note in pre.stop.notes:
            log.notice(note)
        write_outputs(runner.output_path, _outputs(pre.stop, None, post_path=plan.post_path, branch=plan.branch))
        write_summary(runner.summary_path, job_summary(title=f"Daily AI summary {plan.date}", outcome=" ".join(pre.stop.notes), pr_url=pre.stop.pr.url if pre.stop.pr else "", post_path=plan.post_path))
        return 0

    # Re-running a date keeps the post's own date, so an unchanged post stays byte-identical.
    post_time = None
    if pre.existing_text:
        try:
            existing = parse(pre.existing_text, path=plan.post_path).date
            post_time = existing if existing and existing.date() == plan.date else None
        except SummaryError:
            post_time = None

    generated = asyncio.run(generate(plan, settings, ctx.clients, credentials_for(inputs), log, post_time=post_time))
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
    )
    body = pr_body(meta, usage=generated.usage, command_prefix=inputs.command_prefix, run_url=runner.run_url, notes=log.warnings)

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
            result = publish(git, gh, pre, generated.text, date=plan.date.isoformat(), body=body, identity=identity, labels=gh_labels, reviewers=inputs.reviewers, draft=inputs.draft)
            for note in result.notes:
                log.warning(note)
            log.info(f"pull request #{result.pr.number if result.pr else '?'}: {result.operation} ({result.pr.url if result.pr else ''})")
        outcome = {
            "created": "Opened a pull request with the post.",
            "updated": "Updated the open pull request with a new version of the post.",
            "unchanged": "The open pull request already has this post.",
            "none": "Nothing to do.",
        }[result.operation]
    write_outputs(runner.output_path, _outputs(result, generated, post_path=plan.post_path, branch=plan.branch))
    write_summary(
        runner.summary_path,
        log.redact(
            job_summary(
                title=f"Daily AI summary {plan.date}",
                outcome=outcome,
                items=generated.selection.consequences,
                trending=generated.selection.trending,
                reports=generated.reports,
                model=f"{settings.model} ({settings.name})",
                usage=generated.usage,
                timings=generated.timings.stages,
                pr_url=result.pr.url if result and result.pr else "",
                post_path=plan.post_path,
                warnings=log.warnings,
                dropped=len(generated.selection.dropped),
            )
        ),
    )
    return 0


# --------------------------------------------------------------------------------------
# `generate`: the same pipeline on a local clone, committing on the date's branch (no push)
# --------------------------------------------------------------------------------------


def generate_local(
    repo: Path,
    *,
    date: str,
    dry_run: bool,
    env: Mapping[str, str] | None = None,
    clients: Clients | None = None,
    log: Log | None = None,
    out=None,
) -> tuple[Generated, str | None]:
    """Generate the post for ``date`` in the clone at ``repo``. Unless ``dry_run``, commit it on
    the date's branch (created from HEAD, or on top of it if it exists); never pushes. The
    checkout itself is not touched. Returns the generation and the commit sha."""
    env = dict(os.environ if env is None else env)
    out = out or sys.stdout
    inputs = Inputs(
        github_token=env.get("GITHUB_TOKEN", ""),
        model=env.get("DAILY_AI_SUMMARY_MODEL", ""),
        openai_api_key=env.get("OPENAI_API_KEY", ""),
        base_url=env.get("OPENAI_BASE_URL", ""),
        reddit_client_id=env.get("REDDIT_CLIENT_ID", ""),
        reddit_client_secret=env.get("REDDIT_CLIENT_SECRET", ""),
    )
    log = log or TerminalLog(Redactor(inputs.secrets))
    plan = make_plan(repo, date_input=date, now=_now(env), config_path=env.get("DAILY_AI_SUMMARY_CONFIG") or None)
    settings = provider_for(inputs, env)
    for note in plan.notes:
        log.notice(note)
    git = None
    if not dry_run:
        git = Git(repo)
        if git.current_branch() == plan.branch:
            raise GitError(f"{plan.branch} is checked out in {repo}; switch to another branch first")
    generated = asyncio.run(generate(plan, settings, clients or default_clients(), credentials_for(inputs), log))
    if dry_run or git is None:
        out.write(generated.text)
        return generated, None
    start = plan.branch if git.rev_parse(f"refs/heads/{plan.branch}") else "HEAD"
    with git.worktree(start) as wt:
        wt.write_file_atomic(plan.post_path, generated.text)
        sha = wt.commit([plan.post_path], commit_message(plan.date.isoformat()), plan.config.commit.author_name, plan.config.commit.author_email)
    if sha:
        git.set_branch(plan.branch, sha)
        log.info(f"committed {plan.post_path} on branch {plan.branch} ({sha[:12]}); not pushed")
    else:
        log.info(f"{plan.branch} already has this post; nothing committed")
    return generated, sha


__all__ = ["INPUT_NAMES", "generate_local", "run"]
