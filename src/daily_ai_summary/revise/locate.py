"""Locate: a comment -> the part of the post at the PR's head it is about.

A line comment names a line of the file as of its ``commit_id``. The element on that line is
looked up in that version, then found again at the PR's head by identity (the item's title, the
trending line, the prediction's event) and must still read exactly as the reviewer saw it;
otherwise ("outdated": ``line`` is null, the comment is on the old side, or that part changed
since) the reply says it could not be located and nothing changes. Edits elsewhere in the file
(by people or other revisions) do not matter and are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from daily_ai_summary.errors import GitError, PostFormatError
from daily_ai_summary.log import Log
from daily_ai_summary.post import Post, parse
from daily_ai_summary.publish.git import Git
from daily_ai_summary.report import md
from daily_ai_summary.revise.authorize import Steering
from daily_ai_summary.revise.commands import Refusal, Target, find, resolve, target, target_at_line
from daily_ai_summary.revise.request import Request

NOT_LOCATED = "I could not locate the part this comment is on"


def locate_request(
    req: Request,
    post_now: Post,
    *,
    post_path: str,
    head_sha: str,
    file_at: Callable[[str], str | None],
    prefix: str,
) -> None:
    """Set ``req.task`` (or refuse it). ``file_at(sha)`` reads the post at a commit (None when
    that commit or file is not available)."""
    at: Target | None = None
    if req.is_line:
        if req.path != post_path:
            req.refuse(
                f"Line comments work on the post, `{md(post_path)}`; this one is on `{md(req.path or '?')}`."
            )
            return
        if req.line is None or req.side == "LEFT":
            req.refuse(
                f"{NOT_LOCATED}: the comment is outdated (its line is no longer in the pull request's diff). Comment again on the current version of the file."
            )
            return
        post_then = post_now
        if req.commit_id and req.commit_id != head_sha:
            text = file_at(req.commit_id)
            parsed: Post | None = None
            try:
                parsed = parse(text, path=post_path) if text is not None else None
            except PostFormatError:
                parsed = None
            if parsed is None:
                req.refuse(
                    f"{NOT_LOCATED}: the version of the file it was written on ({req.commit_id[:12]}) is not available. Comment again on the current version."
                )
                return
            post_then = parsed
        at = target_at_line(post_then, req.line)
        if at is None:
            req.refuse(
                f"Line {req.line} is not on an item, a trending line or a prediction, so there is nothing to revise there "
                "(the front matter, the notice and the headings are never rewritten).",
                help=True,
            )
            return
        i = find(post_now, at)
        if i is None:
            req.refuse(
                f"{NOT_LOCATED}: {at.describe()} has changed since the comment was written. Comment again on the current version of the file."
            )
            return
        at = target(post_now, at.section, i, at.field)
    task = resolve(req.command, post_now, at=at, prefix=prefix)
    if isinstance(task, Refusal):
        req.refuse(task.reason, help=task.help)
        return
    if task.action == "help":
        req.status, req.help, req.message = "help", True, "Here is what I can do."
        return
    req.task = task


@dataclass
class Located:
    """The post at the PR's head, and the requests with their tasks (or refusals)."""

    steering: Steering
    post: Post
    head_sha: str


def locate(git: Git, steering: Steering, *, prefix: str, log: Log) -> Located:
    """Fetch the PR's head, read the post there, and give each request its task."""
    pr, post_path = steering.pr, steering.post_path
    head_sha = git.fetch_branch(pr.head_ref)
    if head_sha is None:
        raise GitError(f"the pull request's branch {pr.head_ref} is not on the remote")
    text = git.file_on_ref(f"refs/remotes/{git.remote}/{pr.head_ref}", post_path)
    if text is None:
        raise GitError(f"{post_path} is not on {pr.head_ref}")
    post_now = parse(text, path=post_path)

    def file_at(commit: str) -> str | None:
        if git.rev_parse(commit) is None:
            try:
                git.fetch([commit])
            except GitError:
                return None
        try:
            return git.file_on_ref(commit, post_path)
        except GitError:
            return None

    for req in steering.requests:
        locate_request(
            req, post_now, post_path=post_path, head_sha=head_sha, file_at=file_at, prefix=prefix
        )
        what = (
            req.task.action + " " + ", ".join(t.describe() for t in req.task.targets)
            if req.task
            else req.status
        )
        log.info(f"comment {req.comment_id}: {what}")
    return Located(steering, post_now, head_sha)
