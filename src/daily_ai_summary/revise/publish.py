"""Publish: apply the changes on the PR's head, commit once, push without force.

The changes are applied to the head's file through the lossless post model (only the targeted
lines change), committed once for the whole request (one commit for a review) in a temporary
worktree on the PR's head branch, and pushed without force. When the push is rejected because
the branch moved (a concurrent revision, a human push), the branch is fetched and the *same*
changes are applied again to the new head - the model is not asked again - up to
``PUSH_ATTEMPTS`` times; a change whose part moved meanwhile is reported as a conflict instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from daily_ai_summary.context import RunContext
from daily_ai_summary.errors import GitError
from daily_ai_summary.log import Log
from daily_ai_summary.predictions.site import tracker_for
from daily_ai_summary.publish import Derived, Identity, write_post_files
from daily_ai_summary.publish.git import Git, PushRejected
from daily_ai_summary.publish.github import PullRef
from daily_ai_summary.revise.commands import Change, apply_groups
from daily_ai_summary.revise.locate import NOT_LOCATED
from daily_ai_summary.revise.request import Request, describe_changes
from daily_ai_summary.revise.rewrite import Rewritten

PUSH_ATTEMPTS = 4  # the first push and three retries on a moved branch


def commit_changes(
    git: Git,
    branch: str,
    path: str,
    groups: list[list[Change]],
    message: Callable[[list[int]], str],
    identity: Identity,
    *,
    attempts: int = PUSH_ATTEMPTS,
    on_retry: Callable[[int, str], None] | None = None,
    derived: Derived | None = None,
) -> tuple[str | None, list[int]]:
    """Apply ``groups`` (one per request, each atomic) to ``path`` at the remote ``branch``,
    commit and push. Returns the pushed sha (None when nothing changed) and the indexes of
    groups that conflicted with the file at the head. ``git`` must have fetched ``branch``.
    ``derived`` rebuilds files from the posts (the predictions chart) in the same commit."""
    for attempt in range(1, attempts + 1):
        ref = f"refs/remotes/{git.remote}/{branch}"
        text = git.file_on_ref(ref, path)
        if text is None:
            raise GitError(f"{path} is no longer on {branch}; nothing to revise")
        new_text, failed = apply_groups(text, groups, path=path)
        if new_text == text:
            return None, failed
        with git.worktree(ref) as wt:
            paths = write_post_files(wt, path, new_text, derived)
            sha = wt.commit(paths, message(failed), identity.name, identity.email)
            if sha is None:
                return None, failed
            try:
                wt.push(branch)
                return sha, failed
            except PushRejected as exc:
                if not exc.retryable:
                    raise GitError(
                        f"pushing the revision to {branch} was refused ({exc.reason}); if a branch protection rule "
                        f"covers it, let github-actions[bot] push to it. git said: {exc.stderr or exc.message}"
                    ) from None
                if attempt == attempts:
                    raise GitError(
                        f"{branch} kept moving: the push was rejected {attempts} times; comment again to retry"
                    ) from None
                if on_retry:
                    on_retry(attempt, exc.reason)
        if git.fetch_branch(branch) is None:
            raise GitError(f"the branch {branch} was deleted while revising")
    raise AssertionError("unreachable")


@dataclass
class Published:
    """The pushed commit (None when nothing was pushed) after ``rewritten``."""

    rewritten: Rewritten
    sha: str | None


def publish(ctx: RunContext, git: Git, rewritten: Rewritten, *, log: Log) -> Published:
    """Commit the done requests' changes on the PR's branch and push them."""
    steering = rewritten.located.steering
    doing = rewritten.done
    if not doing:
        return Published(rewritten, None)
    # a revised prediction moves its point on the chart: rebuild it in the same commit
    tracker = tracker_for(ctx.blog_config(), log.warning)
    sha = _commit_and_push(
        git, steering.pr, steering.post_path, doing, steering.meta, _identity(ctx), log, tracker
    )
    return Published(rewritten, sha)


def _identity(ctx: RunContext) -> Identity:
    """The commit identity the blog configured (``commit.author-*``), as the generate run uses,
    so the 'has a person pushed?' check keeps recognising the bot's revision commits."""
    config = ctx.blog_config()
    return Identity(config.commit.author_name, config.commit.author_email)


def _commit_and_push(
    git: Git,
    pr: PullRef,
    post_path: str,
    doing: list[Request],
    meta: dict[str, Any],
    identity: Identity,
    log: Log,
    derived: Derived | None = None,
) -> str | None:

    def message(failed: list[int]) -> str:
        kept = [r for n, r in enumerate(doing) if n not in failed]
        parts = [describe_changes(r.changes, r.runner_ups) for r in kept]
        subject = f"bot: revise {meta.get('date', '')} summary".replace("  ", " ")
        lines = [subject, ""] + [
            f"- {_plain(p)} (comment {r.comment_id} by {r.user})"
            for p, r in zip(parts, kept, strict=True)
        ]
        return "\n".join(lines)

    def retry(attempt: int, reason: str) -> None:
        log.info(
            f"push rejected ({reason}): {pr.head_ref} moved; applying the same changes again on its new head (attempt {attempt + 1})"
        )

    sha, failed = commit_changes(
        git,
        pr.head_ref,
        post_path,
        [r.changes for r in doing],
        message,
        identity,
        on_retry=retry,
        derived=derived,
    )
    for n in failed:
        r = doing[n]
        r.refuse(
            f"{NOT_LOCATED} any more: {', '.join(t.target.describe() for t in r.changes)} changed while I was working on it. Comment again on the current version."
        )
    if sha is None:
        for n, r in enumerate(doing):
            if n not in failed:
                r.status = "unchanged"
    else:
        log.info(f"pushed {sha} to {pr.head_ref}")
    return sha


def _plain(markdown: str) -> str:
    """Commit messages are plain text: drop the Markdown escapes of the reply wording."""
    return re.sub(r"\\(.)", r"\1", markdown)
