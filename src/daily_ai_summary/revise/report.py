"""Report: reactions, replies, the PR body's refresh, outputs and the job summary.

👀 when work starts, then 🚀 or 😕; a reply in the line comment's thread (or on the PR) with
what changed, the commit, tokens and cost (every reply carries ``REPLY_MARK`` and the comment's
id, so it counts as answered); the PR body's item list and metadata refreshed when items
changed; outputs and a job summary.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from daily_ai_summary.action import write_outputs, write_summary
from daily_ai_summary.context import RunContext
from daily_ai_summary.errors import SummaryError
from daily_ai_summary.log import Log
from daily_ai_summary.models import Usage
from daily_ai_summary.publish.github import GitHubClient, PullRef
from daily_ai_summary.report import md, pr_body
from daily_ai_summary.revise.authorize import MAX_COMMANDS_PER_RUN, Ignored, Steering
from daily_ai_summary.revise.commands import help_text
from daily_ai_summary.revise.publish import Published
from daily_ai_summary.revise.request import REPLY_MARK, Request, cost_text, describe_changes

# --------------------------------------------------------------------------------------
# The PR's metadata and body after a revision (pure)
# --------------------------------------------------------------------------------------


def updated_metadata(meta: dict[str, Any], requests: list[Request], usage: Usage) -> dict[str, Any]:
    """The PR metadata after the done requests: items dropped or replaced, runner-ups used,
    and the running token total."""
    meta = copy.deepcopy(meta)
    for req in requests:
        if req.status != "done":
            continue
        for ch in req.changes:
            t = ch.target
            if ch.op not in ("drop", "replace") or t.section == "predictions":
                continue
            key = "items" if t.section == "consequences" else "trending"
            pool = "runners_up" if t.section == "consequences" else "trending_runners_up"
            entries = meta.get(key, [])
            i = next((n for n, d in enumerate(entries) if d.get("title") == t.key), None)
            old = entries.pop(i) if i is not None else None
            if old is not None:
                meta.setdefault("removed", []).append(old)
            if ch.op == "replace":
                new = req.runner_ups.get(t.key)
                if new is not None:
                    entries.insert(i if i is not None else len(entries), new)
                    meta[pool] = [c for c in meta.get(pool, []) if c != new]
            meta[key] = entries
    meta["usage"] = usage.model_dump()
    return meta


_USAGE_LINE = re.compile(
    r"\*\*Model:\*\* (\d+) calls to .*?, (\d+) input \+ (\d+) output tokens, cost (?:\$([0-9]+(?:\.[0-9]+)?)|unknown)"
)


def previous_usage(meta: dict[str, Any], body: str) -> Usage:
    """Tokens spent on this post so far: from the metadata, or read from the body's model line."""
    if isinstance(meta.get("usage"), dict):
        try:
            return Usage(**meta["usage"])
        except (TypeError, ValueError):
            pass
    m = _USAGE_LINE.search(body or "")
    if not m:
        return Usage(cost_usd=0.0)
    return Usage(
        calls=int(m[1]),
        prompt_tokens=int(m[2]),
        completion_tokens=int(m[3]),
        cost_usd=float(m[4]) if m[4] else None,
    )


def body_notes(body: str) -> list[str]:
    """The warnings the generate run put in the PR body (``> `` lines), as plain text again
    (``pr_body`` escapes them anew)."""
    notes = []
    for line in (body or "").splitlines():
        if line.startswith("> "):
            notes.append(re.sub(r"\\(.)", r"\1", line[2:]).replace("\u200b", ""))
    return notes


# --------------------------------------------------------------------------------------
# Replies and the job summary (pure)
# --------------------------------------------------------------------------------------


def reply_text(req: Request, *, sha: str | None, model: str, prefix: str) -> str:
    lines: list[str] = []
    if req.status == "done":
        lines.append(f"Done: {describe_changes(req.changes, req.runner_ups)} in {sha}.")
    elif req.status == "unchanged":
        lines.append("The model's new version is the same as the current text; nothing changed.")
    else:
        lines.append(req.message)
    if req.help:
        lines += ["", help_text(prefix)]
    if req.usage.calls:
        lines += [
            "",
            f"<sub>{req.usage.calls} model call{'s' if req.usage.calls != 1 else ''} to `{md(model)}`, {req.usage.total_tokens} tokens, {cost_text(req.usage)}.</sub>",
        ]
    lines += ["", f"<!-- {REPLY_MARK} {req.comment_id} -->"]
    return "\n".join(lines)


def summary_text(
    pr: PullRef, requests: list[Request], *, sha: str | None, usage: Usage, model: str
) -> str:
    out = [f"## Daily AI summary: revision of #{pr.number}", ""]
    for r in requests:
        what = {
            "done": f"done: {describe_changes(r.changes, r.runner_ups)}",
            "unchanged": "no change",
            "help": "answered with the command list",
        }.get(r.status, f"{r.status}: {r.message}")
        out.append(f"- comment {r.comment_id} by {md(r.user)}: {what}")
    out += [""]
    if sha:
        out += [f"**Commit:** {sha} on `{md(pr.head_ref)}`", ""]
    out += [
        f"**Pull request:** {pr.url}",
        "",
        f"**Model:** {usage.calls} calls to `{md(model)}`, {usage.total_tokens} tokens, {cost_text(usage)}",
        "",
    ]
    return "\n".join(out)


def _outputs(pr: PullRef | None, *, post_path: str, usage: Usage, operation: str) -> dict[str, str]:
    return {
        "post-path": post_path,
        "branch": pr.head_ref if pr else "",
        "pull-request-number": str(pr.number) if pr else "",
        "pull-request-url": pr.url if pr else "",
        "pull-request-operation": operation,
        "tokens": str(usage.total_tokens),
        "cost-usd": "" if usage.cost_usd is None else f"{usage.cost_usd:.6f}",
    }


# --------------------------------------------------------------------------------------
# The stage (I/O)
# --------------------------------------------------------------------------------------


def acknowledge(gh: GitHubClient, requests: list[Request]) -> None:
    """👀 on every command this run will work on."""
    for req in requests:
        _react(gh, req, "eyes")


def defer(gh: GitHubClient, steering: Steering, *, log: Log) -> None:
    """One reply for the commands over the per-run cap: which ones were not carried out, and
    that they can be sent again. It carries their marks, so no later run takes them up."""
    if not steering.deferred:
        return
    ids = [r.comment_id for r in steering.deferred]
    lines = [
        f"{len(ids)} more commands were not carried out: at most {MAX_COMMANDS_PER_RUN} commands "
        "run per review or comment. Send the ones you still want again (or batch them into fewer "
        "comments).",
        "",
        *[f"<!-- {REPLY_MARK} {i} -->" for i in ids],
    ]
    log.notice(
        f"{len(ids)} commands over the cap of {MAX_COMMANDS_PER_RUN} per run were not carried out"
    )
    try:
        gh.comment(steering.pr.number, "\n".join(lines))
    except SummaryError as err:
        log.warning(f"could not say that {len(ids)} commands were not carried out: {err}")


def refresh_pr_body(
    gh: GitHubClient, published: Published, *, prefix: str, run_url: str, log: Log
) -> PullRef:
    """After a push: the PR body's item list and metadata (items dropped or replaced, the
    running token total). Best effort: the commit is in, the body can wait."""
    steering = published.rewritten.located.steering
    pr, meta = steering.pr, steering.meta
    new_meta = updated_metadata(
        meta, steering.requests, previous_usage(meta, pr.body) + published.rewritten.usage
    )
    body = pr_body(
        new_meta,
        usage=Usage(**new_meta["usage"]),
        command_prefix=prefix,
        run_url=run_url,
        notes=body_notes(pr.body),
    )
    if body == pr.body:
        return pr
    try:
        return gh.update_pr(pr.number, body=body)
    except SummaryError as err:
        log.warning(f"pushed {published.sha}, but could not refresh the PR body: {err}")
        return pr


def ignore(ctx: RunContext, ignored: Ignored) -> int:
    """Nothing to do: one log line and the outputs; no comment, no reaction. Exit 0."""
    ctx.log.info(f"Nothing to do: {ignored.reason}.")
    write_outputs(
        ctx.runner.output_path,
        _outputs(
            ignored.pr, post_path=ignored.post_path, usage=Usage(cost_usd=0.0), operation="none"
        ),
    )
    return 0


def report(
    ctx: RunContext,
    gh: GitHubClient,
    steering: Steering,
    *,
    sha: str | None,
    model: str,
    usage: Usage,
) -> int:
    """Answer every request, write the outputs and the job summary. The exit code: 1 when a
    request failed."""
    pr, requests = steering.pr, steering.requests
    prefix = ctx.inputs.command_prefix
    finish(gh, pr, requests, sha=sha, model=model, prefix=prefix, log=ctx.log)
    write_outputs(
        ctx.runner.output_path,
        _outputs(
            pr,
            post_path=steering.post_path,
            usage=usage,
            operation="updated" if sha else "unchanged",
        ),
    )
    write_summary(
        ctx.runner.summary_path,
        ctx.log.redact(summary_text(pr, requests, sha=sha, usage=usage, model=model)),
    )
    return 1 if any(r.status == "failed" for r in requests) else 0


def report_failure(
    ctx: RunContext,
    gh: GitHubClient,
    steering: Steering,
    err: Exception,
    *,
    model: str,
    usage: Usage,
) -> None:
    """The run broke after work started: every open request is answered as failed (the
    caller re-raises, so the error itself is reported like any other)."""
    why = (
        str(err)
        if isinstance(err, SummaryError)
        else f"an unexpected error ({type(err).__name__}); the workflow log has the details"
    )
    for r in steering.requests:
        if r.status in ("pending", "done"):
            r.fail(f"The revision failed: {ctx.log.redact(why)}")
    finish(
        gh,
        steering.pr,
        steering.requests,
        sha=None,
        model=model,
        prefix=ctx.inputs.command_prefix,
        log=ctx.log,
    )
    write_outputs(
        ctx.runner.output_path,
        _outputs(steering.pr, post_path=steering.post_path, usage=usage, operation="unchanged"),
    )


def _react(gh: GitHubClient, req: Request, content: str) -> None:
    if req.where == "review":
        gh.react("review", req.comment_id, content)
    elif req.where == "issue":
        gh.react("issue", req.comment_id, content)
    # a review body cannot carry reactions


def _reply(gh: GitHubClient, pr: int, req: Request, text: str) -> None:
    if req.where == "review":
        gh.reply_to_review_comment(pr, req.comment_id, text)
    else:
        gh.comment(pr, text)


def finish(
    gh: GitHubClient,
    pr: PullRef,
    requests: list[Request],
    *,
    sha: str | None,
    model: str,
    prefix: str,
    log: Log,
) -> None:
    for r in requests:
        ok = r.status in ("done", "unchanged", "help")
        try:
            _reply(gh, pr.number, r, reply_text(r, sha=sha, model=model, prefix=prefix))
            _react(gh, r, "rocket" if ok else "confused")
        except SummaryError as err:  # feedback is best effort once the work is done
            log.warning(f"could not answer comment {r.comment_id}: {err}")
