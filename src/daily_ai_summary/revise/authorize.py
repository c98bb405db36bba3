"""Who may steer, and which comments this event answers.

Only on one of the action's own PRs (head branch ``daily-ai-summary/...``, one of the action's
labels, open, our hidden metadata in the body), only for a comment that starts with the command
prefix, by someone whose repository permission is ``write`` or ``admin``
(``GET /collaborators/{user}/permission``; ``author_association`` would also admit read and
triage collaborators), never for a bot or for the action's own replies (they carry
``REPLY_MARK``). Anything else is ``Ignored``: no model call, no comment, no reaction.

A submitted review is one unit: whichever of its events runs first handles all of the review's
unanswered line commands (see ``collect_requests``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from daily_ai_summary.action import Inputs
from daily_ai_summary.events import Comment, Revise, has_prefix, is_bot
from daily_ai_summary.pipeline import BRANCH_PREFIX
from daily_ai_summary.publish.github import GitHubClient, PullRef, ReviewComment
from daily_ai_summary.report import decode_metadata
from daily_ai_summary.revise.commands import parse_command
from daily_ai_summary.revise.request import REPLY_MARK, Request

ALLOWED_PERMISSIONS = ("admin", "write")


@dataclass
class Steering:
    """An authorized revision: the PR, its metadata, and the commands to carry out."""

    pr: PullRef
    meta: dict[str, Any]
    post_path: str
    user: str
    permission: str
    requests: list[Request]


@dataclass(frozen=True)
class Ignored:
    """Nothing to do, and why (logged; no comment, no reaction)."""

    reason: str
    pr: PullRef | None = None
    post_path: str = ""


def _is_command(body: str | None, prefix: str) -> bool:
    return has_prefix(body, prefix) and REPLY_MARK not in (body or "")


def own_pr_problem(pr: PullRef, labels: tuple[str, ...]) -> str | None:
    """Why ``pr`` is not one of the action's PRs (None when it is)."""
    if not pr.head_ref.startswith(BRANCH_PREFIX):
        return f"pull request #{pr.number} is not one of ours (its branch {pr.head_ref!r} does not start with {BRANCH_PREFIX!r})"
    if labels and not set(labels) & set(pr.labels):
        return f"pull request #{pr.number} does not carry the label {', '.join(labels)}"
    if pr.state != "open":
        return f"pull request #{pr.number} is {pr.state}"
    if decode_metadata(pr.body) is None:
        return f"pull request #{pr.number} has no daily-ai-summary metadata in its description"
    return None


_ANSWER = re.compile(rf"<!-- {REPLY_MARK} (\d+) -->")


def answered_ids(gh: GitHubClient, number: int) -> set[int]:
    """Ids of the comments (and review bodies) the action has already answered: each of its
    replies, in a thread or on the conversation, carries ``<!-- REPLY_MARK id -->``."""
    bodies = [c.body for c in gh.list_comments(number)]
    bodies += [c.body for c in gh.list_pr_review_comments(number) if c.in_reply_to_id is not None]
    return {int(m) for body in bodies for m in _ANSWER.findall(body)}


def _line_request(c: Comment | ReviewComment, prefix: str) -> Request:
    return Request(
        c.id,
        "review",
        c.user_login,
        c.body,
        parse_command(c.body, prefix),
        c.path,
        c.line,
        getattr(c, "side", None),
        c.commit_id,
    )


def collect_requests(
    decision: Revise, gh: GitHubClient, prefix: str
) -> tuple[list[Request], str | None]:
    """The commands this event is responsible for (see the module docstring for the rule), or
    a reason to do nothing."""
    c = decision.comment
    if REPLY_MARK in c.body:
        return [], "the comment is one of the action's own replies"
    answered = answered_ids(gh, decision.pr_number)
    if decision.kind == "conversation":
        if c.id in answered:
            return [], f"comment {c.id} was already answered"
        return [Request(c.id, "issue", c.user_login, c.body, parse_command(c.body, prefix))], None

    if c.review_id is None:  # a line comment outside any review (older API shapes)
        if c.id in answered:
            return [], f"comment {c.id} was already answered"
        return [_line_request(c, prefix)], None

    # A review is handled as one unit by whichever of its events runs first; the others find
    # its commands answered. (GitHub keeps only the newest pending run of a concurrency group,
    # so any one of the events may be the only one that runs.)
    siblings = [
        s
        for s in gh.list_review_comments(decision.pr_number, c.review_id)
        if _is_command(s.body, prefix) and not is_bot({"login": s.user_login, "type": s.user_type})
    ]
    requests = [_line_request(s, prefix) for s in siblings if s.id not in answered]
    if decision.kind == "review" and _is_command(c.body, prefix) and c.id not in answered:
        requests.append(
            Request(c.id, "review-body", c.user_login, c.body, parse_command(c.body, prefix))
        )
    if not requests:
        what = (
            "its commands were already answered"
            if siblings or _is_command(c.body, prefix)
            else "no commands"
        )
        return [], f"review {c.review_id}: {what}"
    return requests, None


def authorize(
    gh: GitHubClient, decision: Revise, inputs: Inputs, repository: str
) -> Steering | Ignored:
    """The event -> the commands to carry out on our PR, or why there are none."""
    pr = gh.get_pr(decision.pr_number)
    problem = own_pr_problem(pr, inputs.labels)
    if problem:
        return Ignored(problem)
    meta = decode_metadata(pr.body) or {}
    post_path = str(meta.get("post_path") or "")
    user = decision.comment.user_login
    permission = gh.permission(user)
    if permission not in ALLOWED_PERMISSIONS:
        return Ignored(
            f"{user} has {permission} permission on {repository}; revising needs write or admin",
            pr,
            post_path,
        )
    requests, why_not = collect_requests(decision, gh, inputs.command_prefix)
    if why_not:
        return Ignored(why_not, pr, post_path)
    return Steering(pr, meta, post_path, user, permission, requests)
