"""Who may steer, and which comments this event answers.

Only on one of the action's own PRs: its head repository IS the base repository (a fork's
branch is never ours, whatever its name), its author is an identity the action writes as
(``github-actions[bot]``, the user of a personal ``github-token`` - ``GET /user`` - or an author
listed in ``revise.authors``, e.g. an App's bot), head branch ``daily-ai-summary/...``, one of
the action's labels, open, our hidden metadata in the body. Only for a comment that starts with
the command prefix, by someone whose repository permission is ``write`` or ``admin``
(``GET /collaborators/{user}/permission``; ``author_association`` would also admit read and
triage collaborators), never for a bot or for the action's own replies (they carry
``REPLY_MARK``). Anything else is ``Ignored``: no model call, no comment, no reaction.

A submitted review is one unit: whichever of its events runs first handles all of the review's
unanswered line commands (see ``collect_requests``), at most ``MAX_COMMANDS_PER_RUN`` of them;
the rest are answered with one reply saying so. "Answered" means: a reply carrying the
comment's mark, written by one of the action's identities (a stranger's copy of the mark does
not silence a maintainer's command).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from daily_ai_summary.action import Inputs
from daily_ai_summary.events import Comment, Revise, has_prefix, is_bot
from daily_ai_summary.pipeline import BRANCH_PREFIX
from daily_ai_summary.publish.github import GitHubClient, PullRef, ReviewComment
from daily_ai_summary.report import decode_metadata
from daily_ai_summary.revise.commands import parse_command
from daily_ai_summary.revise.request import REPLY_MARK, Request

ALLOWED_PERMISSIONS = ("admin", "write")
JOB_BOT_LOGIN = "github-actions[bot]"  # who the job's GITHUB_TOKEN (and GitHub's Actions app) is
MAX_COMMANDS_PER_RUN = 20  # commands carried out per run; the rest get one reply saying so


@dataclass
class Steering:
    """An authorized revision: the PR, its metadata, and the commands to carry out."""

    pr: PullRef
    meta: dict[str, Any]
    post_path: str
    user: str
    permission: str
    requests: list[Request]
    deferred: list[Request] = field(default_factory=list)  # over MAX_COMMANDS_PER_RUN


@dataclass(frozen=True)
class Ignored:
    """Nothing to do, and why (logged; no comment, no reaction)."""

    reason: str
    pr: PullRef | None = None
    post_path: str = ""


def _is_command(body: str | None, prefix: str) -> bool:
    return has_prefix(body, prefix) and REPLY_MARK not in (body or "")


def action_authors(gh: GitHubClient, extra: Iterable[str] = ()) -> frozenset[str]:
    """The logins the action writes as: the job token's bot, the personal ``github-token``'s
    user (an installation token has none), and the configured extra authors."""
    login = gh.token_login()
    return frozenset({JOB_BOT_LOGIN, *([login] if login else []), *extra})


def own_pr_problem(
    pr: PullRef, labels: tuple[str, ...], *, repository: str = "", authors: Iterable[str] = ()
) -> str | None:
    """Why ``pr`` is not one of the action's PRs (None when it is)."""
    if repository and pr.head_repo.lower() != repository.lower():
        where = pr.head_repo or "a deleted repository"
        return f"pull request #{pr.number} is not one of ours (its branch is in {where}, not {repository})"
    if authors and pr.user_login not in set(authors):
        return (
            f"pull request #{pr.number} is not one of ours (opened by {pr.user_login}; the action "
            f"writes as {', '.join(sorted(authors))}; list other authors in revise.authors)"
        )
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


def answered_ids(gh: GitHubClient, number: int, authors: Iterable[str] = ()) -> set[int]:
    """Ids of the comments (and review bodies) the action has already answered: each of its
    replies, in a thread or on the conversation, carries ``<!-- REPLY_MARK id -->``. Only
    replies written by ``authors`` (the action's identities) count, when given."""
    ours = set(authors)
    comments = [(c.user_login, c.body) for c in gh.list_comments(number)]
    comments += [
        (c.user_login, c.body)
        for c in gh.list_pr_review_comments(number)
        if c.in_reply_to_id is not None
    ]
    return {
        int(m) for who, body in comments if not ours or who in ours for m in _ANSWER.findall(body)
    }


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
    decision: Revise, gh: GitHubClient, prefix: str, authors: Iterable[str] = ()
) -> tuple[list[Request], str | None]:
    """The commands this event is responsible for (see the module docstring for the rule), or
    a reason to do nothing."""
    c = decision.comment
    if REPLY_MARK in c.body:
        return [], "the comment is one of the action's own replies"
    answered = answered_ids(gh, decision.pr_number, authors)
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
    gh: GitHubClient,
    decision: Revise,
    inputs: Inputs,
    repository: str,
    extra_authors: Callable[[], Iterable[str]] = tuple,
) -> Steering | Ignored:
    """The event -> the commands to carry out on our PR, or why there are none.
    ``extra_authors``: the configured ``revise.authors`` (read only when needed)."""
    pr = gh.get_pr(decision.pr_number)
    problem = own_pr_problem(pr, inputs.labels, repository=repository)  # cheap checks first
    authors: frozenset[str] = frozenset()
    if not problem:
        authors = action_authors(gh, extra_authors())
        problem = own_pr_problem(pr, inputs.labels, repository=repository, authors=authors)
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
    requests, why_not = collect_requests(decision, gh, inputs.command_prefix, authors)
    if why_not:
        return Ignored(why_not, pr, post_path)
    keep, deferred = requests[:MAX_COMMANDS_PER_RUN], requests[MAX_COMMANDS_PER_RUN:]
    return Steering(pr, meta, post_path, user, permission, keep, deferred)
