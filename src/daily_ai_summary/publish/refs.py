"""What the GitHub client hands back: small immutable values, no PyGithub objects (so callers
never trigger a lazy API request by reading a field)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class PullRef:
    number: int
    url: str  # the page people open (html_url)
    head_ref: str
    head_sha: str
    base_ref: str
    labels: tuple[str, ...]
    body: str
    state: str  # open | closed
    merged: bool
    user_login: str
    title: str = ""
    draft: bool = False
    head_repo: str = ""  # owner/name of the head branch's repository ("" when it was deleted)


@dataclass(frozen=True)
class CommentRef:
    id: int
    url: str  # html_url
    body: str
    user_login: str


@dataclass(frozen=True)
class ReviewComment:
    id: int
    url: str  # html_url
    body: str
    path: str
    line: int | None  # None when the comment is outdated
    user_login: str
    user_type: str  # User | Bot | Organization
    in_reply_to_id: int | None
    review_id: int | None
    commit_id: str


class CommitAuthor(NamedTuple):
    sha: str
    author_login: str | None  # None when GitHub cannot map the email to an account
    author_email: str
    committer_email: str
