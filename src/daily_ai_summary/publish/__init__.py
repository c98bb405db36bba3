"""Publishing: one branch and one pull request per date, idempotent on re-runs.

An orchestrator over two small helpers (the model is peter-evans/create-pull-request):
``publish/git.py`` runs git, ``publish/github.py`` calls the API. The user's checkout is never
touched: commits are made in a temporary worktree and pushed from there.

``preflight`` runs before any token is spent and may decide there is nothing to do:
* the post for the date is already on the base branch -> ``none``;
* a person has pushed to the date's branch -> ``unchanged``, with a comment saying why.
``publish`` then commits the post on the date's branch (on top of the bot's earlier commits),
pushes without force, and finds or creates the PR:
* a new PR -> ``created``; a new commit on an open PR -> ``updated``; same content ->
  ``unchanged``;
* a concurrent run that pushed first (our push is rejected as non-fast-forward) or opened the
  PR first (422 "already exists") is treated as found, not as an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from daily_ai_summary.errors import GitError
from daily_ai_summary.publish.git import BOT_EMAIL, BOT_NAME, Git, PushRejected
from daily_ai_summary.publish.github import GitHubClient, PullRef

Operation = Literal["created", "updated", "unchanged", "none"]
HUMAN_EDITS_MARK = "<!-- daily-ai-summary:human-edits -->"


def pr_title(date: str) -> str:
    return f"[Daily Automated AI Summary] {date}"


def commit_message(date: str) -> str:
    return f"bot: {date} automated summary"


@dataclass
class PublishResult:
    operation: Operation
    branch: str
    post_path: str
    commit: str | None = None
    pr: PullRef | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Preflight:
    base: str
    branch: str
    post_path: str
    branch_sha: str | None  # the date's branch on the remote, if it exists
    pr: PullRef | None  # its open PR, if any
    existing_text: str | None  # the post as it is on the date's branch
    stop: PublishResult | None = None  # set when there is nothing to generate


@dataclass(frozen=True)
class Identity:
    name: str = BOT_NAME
    email: str = BOT_EMAIL


def preflight(
    git: Git,
    gh: GitHubClient | None,
    *,
    base: str,
    branch: str,
    post_path: str,
    date: str,
    identity: Identity,
    write: bool = True,
) -> Preflight:
    """Look at the base branch, the date's branch and its PR. ``write=False`` (dry run) only
    reads: no comment is posted."""
    base_ref = f"refs/remotes/{git.remote}/{base}"
    if git.fetch_branch(base) is None:
        raise GitError(f"the base branch '{base}' does not exist on {git.remote}")
    if git.file_on_ref(base_ref, post_path) is not None:
        return Preflight(
            base, branch, post_path, None, None, None,
            stop=PublishResult("none", branch, post_path, notes=[f"the post for {date} is already on {base} ({post_path}); nothing to do"]),
        )  # fmt: skip
    branch_sha = git.fetch_branch(branch)
    pr = gh.find_open_pr(branch) if gh is not None else None
    existing = None
    if branch_sha:
        branch_ref = f"refs/remotes/{git.remote}/{branch}"
        humans = [
            a
            for a in git.log_authors(f"{base_ref}..{branch_ref}")
            if a.email.lower() != identity.email.lower()
        ]
        if humans:
            who = ", ".join(sorted({a.name for a in humans}))
            note = (
                f"{branch} has commits by someone other than the bot ({who}); leaving it as it is so "
                f"no edit is lost. Comment `/summary regenerate` on the PR to rewrite it, or delete "
                f"the branch to start over."
            )
            if gh is not None and pr is not None and write:
                _comment_once(gh, pr.number, HUMAN_EDITS_MARK, note)
            return Preflight(
                base,
                branch,
                post_path,
                branch_sha,
                pr,
                None,
                stop=PublishResult("unchanged", branch, post_path, pr=pr, notes=[note]),
            )
        existing = git.file_on_ref(branch_ref, post_path)
    return Preflight(base, branch, post_path, branch_sha, pr, existing)


def _comment_once(gh: GitHubClient, number: int, mark: str, text: str) -> None:
    if any(mark in c.body for c in gh.list_comments(number)):
        return
    gh.comment(number, f"{text}\n\n{mark}")


# Files derived from the posts (the predictions chart and page): given the worktree with the
# new post written, path -> text of each file to commit in the same commit.
Derived = Callable[[Path], Mapping[str, str]]


def write_post_files(wt: Git, post_path: str, text: str, derived: Derived | None) -> list[str]:
    """Write the post, then the files derived from the posts, in ``wt``; their paths."""
    wt.write_file_atomic(post_path, text)
    paths = [post_path]
    for rel, content in (derived(wt.root) if derived else {}).items():
        wt.write_file_atomic(rel, content)
        paths.append(rel)
    return paths


def commit_post(
    git: Git,
    pre: Preflight,
    text: str,
    *,
    date: str,
    identity: Identity,
    derived: Derived | None = None,
) -> str | None:
    """Commit the post (and the files ``derived`` from the posts) on the date's branch in one
    commit and push it; the pushed sha, or None when the branch already has exactly this
    text. Raises ``PushRejected`` when the push is refused."""
    if pre.branch_sha and pre.existing_text == text:
        return None
    start = f"refs/remotes/{git.remote}/{pre.branch if pre.branch_sha else pre.base}"
    with git.worktree(start) as wt:
        paths = write_post_files(wt, pre.post_path, text, derived)
        sha = wt.commit(paths, commit_message(date), identity.name, identity.email)
        if sha is None:
            return None
        wt.push(pre.branch)
        return sha


def publish(
    git: Git,
    gh: GitHubClient,
    pre: Preflight,
    text: str,
    *,
    date: str,
    body: str,
    identity: Identity,
    labels: tuple[str, ...],
    reviewers: tuple[str, ...],
    draft: bool,
    derived: Derived | None = None,
    title: str | None = None,
) -> PublishResult:
    result = PublishResult("unchanged", pre.branch, pre.post_path)
    try:
        result.commit = commit_post(git, pre, text, date=date, identity=identity, derived=derived)
    except PushRejected as exc:
        # A ref-lock failure while another run creates the same branch reads as a plain
        # rejection; what tells a lost race from a refusal is that the branch moved meanwhile.
        raced = exc.retryable or git.remote_branch_sha(pre.branch) not in (None, pre.branch_sha)
        if not raced:
            raise GitError(
                f"pushing {pre.branch} was refused ({exc.reason}). If a branch protection rule or "
                f"ruleset covers '{pre.branch.split('/')[0]}/*', exempt it or let github-actions[bot] "
                f"push to it. git said: {exc.stderr or exc.message}"
            ) from None
        # Another run for the same date pushed first: its branch and PR win.
        result.notes.append(f"another run published {pre.branch} first; keeping its commit")
        git.fetch_branch(pre.branch)

    pr = pre.pr or gh.find_open_pr(pre.branch)
    if pr is None:
        pr, created = gh.create_pr(pre.branch, pre.base, title or pr_title(date), body, draft=draft)
        if created:
            result.operation = "created"
            if labels:
                gh.add_labels(pr.number, labels)
            if reviewers:
                problem = gh.request_reviewers(pr.number, reviewers)
                if problem:
                    result.notes.append(problem)
        elif result.commit:
            result.operation = "updated"
    elif result.commit:
        result.operation = "updated"
    if result.operation == "updated" and pr.body != body:
        pr = gh.update_pr(pr.number, body=body)
    result.pr = pr
    return result
