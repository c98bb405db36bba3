"""What already exists for which date: posts merged on the base branch, and posts waiting in
the action's own open pull requests (one branch per date, ``daily-ai-summary/<date>``).

``plan`` leaves those dates out; dedupe reads the waiting posts as history, so a backfill of
consecutive days (each day one PR, none merged yet) does not repeat a topic. The only I/O is
through the ``Git`` and ``GitHubClient`` passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from daily_ai_summary.config import Config
from daily_ai_summary.pipeline import BRANCH_PREFIX
from daily_ai_summary.publish.git import Git
from daily_ai_summary.publish.github import GitHubClient

_BRANCH_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class PendingPost:
    """A post on one of the action's open PR branches."""

    date: date
    branch: str
    path: str  # relative to the repository root
    text: str | None  # None: the branch has no post file (yet)
    pr: int | None  # None when the PR was not looked up (no API at hand)


def date_of_branch(branch: str, prefix: str = BRANCH_PREFIX) -> date | None:
    """``daily-ai-summary/2025-04-16`` -> 2025-04-16; anything else -> None."""
    if not branch.startswith(prefix):
        return None
    m = _BRANCH_DATE.fullmatch(branch[len(prefix) :])
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def date_of_post_path(template: str, path: str) -> date | None:
    """The date in ``path`` when it is a post file that ``template`` (``post.path``) names."""
    pattern = "^" + re.escape(template).replace(re.escape("{date}"), r"(\d{4}-\d{2}-\d{2})") + "$"
    m = re.match(pattern, path)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def merged_dates(git: Git, base_ref: str, config: Config) -> set[date]:
    """Dates whose post file is on ``base_ref``."""
    template = config.post.path
    fixed = template.split("{date}", 1)[0]
    directory = str(PurePosixPath(fixed).parent) if "/" in fixed else ""
    found = set()
    for path in git.list_files(base_ref, directory if directory != "." else ""):
        day = date_of_post_path(template, path)
        if day is not None:
            found.add(day)
    return found


def pending_posts(
    git: Git, gh: GitHubClient | None, config: Config, base_ref: str
) -> list[PendingPost]:
    """The posts on the action's date branches that are waiting for review, oldest first.

    With the API (``gh``), a branch counts only while its PR is open (a closed PR's leftover
    branch is not a pending post). Without it (the CLI on a clone), every date branch that is
    not merged into the base branch counts."""
    branches = git.fetch_branches(BRANCH_PREFIX)
    open_prs = gh.open_prs_from(BRANCH_PREFIX) if gh is not None else None
    found: list[PendingPost] = []
    for branch, sha in sorted(branches.items()):
        day = date_of_branch(branch)
        if day is None:
            continue
        pr = None
        if open_prs is not None:
            ref = open_prs.get(branch)
            if ref is None:
                continue
            pr = ref.number
        elif git.is_ancestor(sha, base_ref):
            continue
        path = config.post_path(day)
        text = git.file_on_ref(f"refs/remotes/{git.remote}/{branch}", path)
        found.append(PendingPost(day, branch, path, text, pr))
    return found
