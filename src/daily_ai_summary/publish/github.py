"""The only place that calls the GitHub API (through PyGithub).

    gh = GitHubClient(token, "https://api.github.com", "octo/blog")
    pr, created = gh.create_pr("daily-ai-summary/2026-05-01", "main", title, body, draft=False)
    gh.add_labels(pr.number, ["daily-summary"])
    if warning := gh.request_reviewers(pr.number, ["alice"]):
        log.warning(warning)

Every method returns small frozen dataclasses (``PullRef``, ``CommentRef``, ``ReviewComment``,
``CommitAuthor``), never PyGithub objects, so the rest of the program does not depend on
PyGithub. Every failure becomes a ``GitHubError`` whose message says what to do about it: the
repository setting that stops Actions from opening PRs, the ``permissions:`` key a
GITHUB_TOKEN lacks, an invalid token. The token never appears in a message.

Rate limits: GitHub's secondary rate limit (403/429 with ``retry-after`` or "You have exceeded a
secondary rate limit") is waited out here, for every method, up to ``max_rate_limit_wait``
seconds in total per call; a rate-limited request was not executed, so repeating a POST is safe.
Other retries (5xx, dropped connections) are left to urllib3 and only for idempotent methods in
production: a retried POST could comment twice. ``testing=True`` turns off PyGithub's pauses
between requests and its retries, so tests run fast and see every response.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import requests
from github import Auth, Github, GithubException
from github.IssueComment import IssueComment
from github.PullRequest import PullRequest
from github.PullRequestComment import PullRequestComment
from urllib3.util.retry import Retry

from daily_ai_summary import log as _log
from daily_ai_summary.errors import GitHubError, InputError
from daily_ai_summary.publish.git import is_sha
from daily_ai_summary.publish.refs import CommentRef as CommentRef  # re-exported: callers
from daily_ai_summary.publish.refs import CommitAuthor as CommitAuthor  # import these from here
from daily_ai_summary.publish.refs import PullRef as PullRef
from daily_ai_summary.publish.refs import ReviewComment as ReviewComment

T = TypeVar("T")

REACTIONS = frozenset({"+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"})
API_VERSION = "2022-11-28"
USER_AGENT = "daily-ai-summary"
ACTIONS_SETTING = (
    "Settings → Actions → General → Workflow permissions → "
    "Allow GitHub Actions to create and approve pull requests"
)


class GitHubAPIError(GitHubError):
    """A ``GitHubError`` that still knows GitHub's status and messages (for callers that branch)."""

    def __init__(
        self, message: str, *, status: int | None = None, details: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.details = details


class GitHubClient:
    """The REST calls the publish and revise steps need, for one repository."""

    def __init__(
        self,
        token: str,
        api_url: str,
        repo_full_name: str,
        *,
        testing: bool = False,
        timeout: int = 30,
        max_rate_limit_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise InputError(
                "no GitHub token: pass `github-token` (default ${{ github.token }})",
                input_name="github-token",
            )
        owner, sep, name = repo_full_name.partition("/")
        if not sep or not owner or not name or "/" in name:
            raise InputError(
                f"repository must look like owner/name, got {repo_full_name!r}",
                input_name="repository",
            )
        self.owner, self.name = owner, name
        self.full_name = repo_full_name
        parts = urlsplit(api_url)
        self._api_host = f"{parts.scheme}://{parts.hostname}" + (
            f":{parts.port}" if parts.port else ""
        )
        self._token = token  # kept only to blank it out of messages
        self._max_wait = max_rate_limit_wait
        self._sleep = sleep
        if testing:
            pacing: dict[str, Any] = {
                "retry": None,
                "seconds_between_requests": None,
                "seconds_between_writes": None,
            }
        else:
            # GitHub asks integrations to pause between writes (secondary limits); keep PyGithub's
            # defaults for that, but retry transport failures only where repeating is harmless.
            retry = Retry(
                total=3,
                backoff_factor=1.0,
                status_forcelist=(500, 502, 503, 504),
                allowed_methods=frozenset({"GET", "HEAD", "PATCH", "PUT", "DELETE"}),
                raise_on_status=False,
            )
            pacing = {"retry": retry}
        self._gh = Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            timeout=timeout,
            user_agent=USER_AGENT,
            per_page=100,
            lazy=True,  # no request until a method needs data; we decide when to fetch
            api_version=API_VERSION,
            **pacing,
        )
        self._repo = self._gh.get_repo(repo_full_name)
        self._repo_checked = False
        self._default_branch: str | None = None

    def _redact(self, text: str) -> str:
        return _log.scrub(text, _log.secret_forms(self._token))

    def close(self) -> None:
        self._gh.close()

    # -- the public surface ----------------------------------------------------------------
    def default_branch(self) -> str:
        self._check_repo()
        assert self._default_branch is not None
        return self._default_branch

    def find_open_pr(self, branch: str, base: str | None = None) -> PullRef | None:
        """The open PR whose head is ``branch`` in this repository (optionally into ``base``)."""
        self._check_repo()

        def find() -> PullRef | None:
            kw = {"base": base} if base else {}
            for pr in self._repo.get_pulls(state="open", head=f"{self.owner}:{branch}", **kw):
                if pr.head.ref == branch:
                    return _pull_ref(pr)
            return None

        return self._call(
            f"looking for an open pull request from {branch}", find, needs="pull-requests: read"
        )

    def open_prs_from(self, prefix: str) -> dict[str, PullRef]:
        """The open PRs whose head branch (in this repository) starts with ``prefix``, by branch."""
        self._check_repo()

        def find() -> dict[str, PullRef]:
            found: dict[str, PullRef] = {}
            for pr in self._repo.get_pulls(state="open"):
                ref = _pull_ref(pr)
                same_repo = (
                    pr.head.repo is not None and pr.head.repo.full_name == self._repo.full_name
                )
                if same_repo and ref.head_ref.startswith(prefix):
                    found.setdefault(ref.head_ref, ref)
            return found

        return self._call("listing the open pull requests", find, needs="pull-requests: read")

    def create_pr(
        self, branch: str, base: str, title: str, body: str, draft: bool = False
    ) -> tuple[PullRef, bool]:
        """Open a PR from ``branch``; ``(pr, False)`` when one is already open for that branch."""
        self._check_repo()
        action = f"opening a pull request from {branch} into {base}"

        def create(as_draft: bool) -> PullRef:
            pr = self._repo.create_pull(
                base=base, head=branch, title=title, body=body, draft=as_draft
            )
            return _pull_ref(pr)

        try:
            return self._call(action, lambda: create(draft), needs="pull-requests: write"), True
        except GitHubAPIError as exc:
            if exc.status != 422:
                raise
            said = " ".join(exc.details).lower()
            if "already exists" in said:  # another run (or a person) was faster: use theirs
                found = self.find_open_pr(branch, base)
                if found is not None:
                    return found, False
                raise
            if "pullrequest head invalid" in said:
                raise GitHubAPIError(
                    f"GitHub does not know branch {branch} in {self.full_name}: push it before "
                    f"opening the pull request (GitHub said: {'; '.join(exc.details)})",
                    status=422,
                    details=exc.details,
                ) from exc
            if draft and "draft pull requests are not supported" in said:
                return self._call(action, lambda: create(False), needs="pull-requests: write"), True
            raise

    def get_pr(self, number: int) -> PullRef:
        self._check_repo()
        return self._call(
            f"reading pull request #{number}",
            lambda: _pull_ref(self._repo.get_pull(number).complete()),
            needs="pull-requests: read",
            not_found=f"pull request #{number} does not exist in {self.full_name}",
        )

    def update_pr(self, number: int, title: str | None = None, body: str | None = None) -> PullRef:
        if title is None and body is None:
            return self.get_pr(number)
        self._check_repo()
        changes: dict[str, Any] = {
            k: v for k, v in (("title", title), ("body", body)) if v is not None
        }

        def edit() -> PullRef:
            pr = self._repo.get_pull(number)
            pr.edit(**changes)
            return _pull_ref(pr)

        return self._call(
            f"updating pull request #{number}",
            edit,
            needs="pull-requests: write",
            not_found=f"pull request #{number} does not exist in {self.full_name}",
        )

    def add_labels(self, number: int, labels: Iterable[str]) -> tuple[str, ...]:
        """Add labels (GitHub creates unknown ones); returns all labels now on the PR."""
        names = [str(x) for x in labels]
        if not names:
            return ()
        self._check_repo()

        def add() -> tuple[str, ...]:
            # The {"labels": [...]} form: GitHub's schema documents only this one (PyGithub's
            # add_to_labels sends a bare array, which GitHub merely tolerates).
            _, data = self._gh.requester.requestJsonAndCheck(
                "POST", f"{self._repo.url}/issues/{number}/labels", input={"labels": names}
            )
            return tuple(label["name"] for label in data)

        return self._call(f"labelling pull request #{number}", add, needs="pull-requests: write")

    def request_reviewers(self, number: int, reviewers: Iterable[str]) -> str | None:
        """Ask for reviews. Never fatal: returns a warning to show when GitHub refuses."""
        logins = [r for r in reviewers if r]
        if not logins:
            return None
        self._check_repo()
        try:
            self._call(
                f"requesting reviews on pull request #{number}",
                lambda: self._repo.get_pull(number).create_review_request(reviewers=logins),
                needs="pull-requests: write",
            )
        except GitHubError as exc:
            return f"could not request a review from {', '.join(logins)}: {exc.message}"
        return None

    def comment(self, number: int, body: str) -> CommentRef:
        """A comment on the PR's conversation tab."""
        self._check_repo()
        return self._call(
            f"commenting on pull request #{number}",
            lambda: _comment_ref(self._repo.get_issue(number).create_comment(body)),
            needs="pull-requests: write",
            not_found=f"pull request #{number} does not exist in {self.full_name}",
        )

    def list_comments(self, number: int) -> list[CommentRef]:
        self._check_repo()
        return self._call(
            f"reading the comments of pull request #{number}",
            lambda: [_comment_ref(c) for c in self._repo.get_issue(number).get_comments()],
            needs="pull-requests: read",
        )

    def reply_to_review_comment(self, number: int, comment_id: int, body: str) -> CommentRef:
        """A reply in the thread of a line comment."""
        self._check_repo()
        return self._call(
            f"replying to review comment {comment_id} on pull request #{number}",
            lambda: _comment_ref(
                self._repo.get_pull(number).create_review_comment_reply(comment_id, body)
            ),
            needs="pull-requests: write",
            not_found=f"review comment {comment_id} is not on pull request #{number}",
        )

    def react(self, kind: Literal["issue", "review"], comment_id: int, content: str) -> None:
        """React to a conversation comment (``issue``) or a line comment (``review``)."""
        if content not in REACTIONS:
            raise ValueError(f"not a GitHub reaction: {content!r}; use one of {sorted(REACTIONS)}")
        self._check_repo()
        requester = self._gh.requester
        target: IssueComment | PullRequestComment
        if kind == "issue":
            target = IssueComment(requester, url=f"{self._repo.url}/issues/comments/{comment_id}")
        elif kind == "review":
            target = PullRequestComment(
                requester, url=f"{self._repo.url}/pulls/comments/{comment_id}"
            )
        else:
            raise ValueError(f"kind must be 'issue' or 'review', not {kind!r}")
        self._call(
            f"reacting to comment {comment_id}",
            lambda: target.create_reaction(content),
            needs="pull-requests: write",
            not_found=f"comment {comment_id} does not exist in {self.full_name}",
        )

    def permission(self, user: str) -> str:
        """``admin``, ``write``, ``read`` or ``none`` (maintain counts as write, triage as read)."""
        self._check_repo()
        try:
            return self._call(
                f"checking {user}'s permission",
                lambda: self._repo.get_collaborator_permission(user),
                needs="metadata: read",
            )
        except GitHubAPIError as exc:
            if exc.status == 404:  # no such user, or not a collaborator
                return "none"
            raise

    def token_login(self) -> str | None:
        """The user a personal access token acts as (``GET /user``); None for an installation
        token (the job's ``GITHUB_TOKEN`` or a GitHub App's), which GitHub answers with 403
        "Resource not accessible by integration". Asked once, then remembered."""
        if not hasattr(self, "_token_login"):
            try:
                self._token_login: str | None = self._call(
                    "asking who the token belongs to",
                    lambda: self._gh.get_user().login,
                    needs="none",
                )
            except GitHubAPIError as exc:
                if exc.status not in (401, 403):
                    raise
                self._token_login = None
        return self._token_login

    def pr_commit_authors(self, number: int) -> list[CommitAuthor]:
        """Who wrote each commit on the PR (oldest first): tells bot commits from human ones."""
        self._check_repo()

        def authors() -> list[CommitAuthor]:
            return [
                CommitAuthor(
                    c.sha,
                    c.author.login if c.author is not None else None,
                    c.commit.author.email,
                    c.commit.committer.email,
                )
                for c in self._repo.get_pull(number).get_commits()
            ]

        return self._call(
            f"listing the commits of pull request #{number}", authors, needs="pull-requests: read"
        )

    def get_review_comment(self, comment_id: int) -> ReviewComment:
        self._check_repo()
        url = f"{self._repo.url}/pulls/comments/{comment_id}"
        return self._call(
            f"reading review comment {comment_id}",
            lambda: _review_comment(PullRequestComment(self._gh.requester, url=url).complete()),
            needs="pull-requests: read",
            not_found=f"review comment {comment_id} does not exist in {self.full_name}",
        )

    def list_pr_review_comments(self, number: int) -> list[ReviewComment]:
        """Every line comment on the PR, replies included (oldest first)."""
        self._check_repo()
        return self._call(
            f"reading the line comments of pull request #{number}",
            lambda: [_review_comment(c) for c in self._repo.get_pull(number).get_review_comments()],
            needs="pull-requests: read",
            not_found=f"pull request #{number} does not exist in {self.full_name}",
        )

    def list_review_comments(self, number: int, review_id: int) -> list[ReviewComment]:
        """The line comments submitted with one review."""
        self._check_repo()
        return self._call(
            f"reading the comments of review {review_id} on pull request #{number}",
            lambda: [
                _review_comment(c)
                for c in self._repo.get_pull(number).get_single_review_comments(review_id)
            ],
            needs="pull-requests: read",
            not_found=f"review {review_id} is not on pull request #{number}",
        )

    # -- plumbing ---------------------------------------------------------------------------
    def _check_repo(self) -> None:
        """One GET /repos/{o}/{r} per client: a bad token or a wrong repository fails first, clearly."""
        if self._repo_checked:
            return
        self._default_branch = self._call(
            f"reading repository {self.full_name}",
            lambda: self._repo.complete().default_branch,
            needs="contents: read",
            not_found=(
                f"repository {self.full_name} not found at {self._api_host}, or the token cannot see it "
                "(a GITHUB_TOKEN only sees the repository its workflow runs in)"
            ),
        )
        self._repo_checked = True

    def _call(
        self, action: str, fn: Callable[[], T], *, needs: str, not_found: str | None = None
    ) -> T:
        waited = 0.0
        while True:
            try:
                return fn()
            except GithubException as exc:
                wait = _rate_limit_wait(exc)
                if wait is not None and waited + wait <= self._max_wait:
                    self._sleep(wait)
                    waited += wait
                    continue
                error = _translate(exc, action, needs, not_found, waited, wait, self._max_wait)
                # Blank the token out of GitHub's words (a broken proxy could echo it), and do
                # not chain PyGithub's exception: it holds the raw response we did not vet.
                raise GitHubAPIError(
                    self._redact(error.message),
                    status=error.status,
                    details=tuple(self._redact(d) for d in error.details),
                ) from None
            except requests.RequestException as exc:
                raise GitHubAPIError(
                    f"could not reach the GitHub API at {self._api_host} while {action} ({type(exc).__name__})"
                ) from None


# -- pure helpers --------------------------------------------------------------------------


def _header(exc: GithubException, name: str) -> str | None:
    for k, v in (exc.headers or {}).items():
        if k.lower() == name:
            return v
    return None


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and isinstance(message := data.get("message"), str):
        return message
    return exc.message or ""


def _details(exc: GithubException) -> tuple[str, ...]:
    """GitHub's message plus the messages of its ``errors`` list (where 422s say what is wrong)."""
    out = [_message(exc)]
    data = exc.data if isinstance(exc.data, dict) else {}
    for err in data.get("errors") or []:
        if isinstance(err, dict):
            text = err.get("message") or " ".join(
                str(err[k]) for k in ("resource", "field", "code") if err.get(k) is not None
            )
            out.append(str(text))
        else:
            out.append(str(err))
    return tuple(s[:300] for s in out if s)


def _rate_limit_wait(exc: GithubException) -> float | None:
    """Seconds to wait when ``exc`` is a rate limit GitHub asks us to wait out, else None."""
    if exc.status not in (403, 429):
        return None
    message = _message(exc).lower()
    retry_after = _header(exc, "retry-after")
    if retry_after is not None and retry_after.strip().isdigit():
        return float(retry_after.strip())
    if "secondary rate limit" in message:
        return 60.0  # GitHub: "wait at least one minute before retrying"
    if (
        message.startswith("api rate limit exceeded")
        or _header(exc, "x-ratelimit-remaining") == "0"
    ):
        reset = _header(exc, "x-ratelimit-reset")
        if reset and reset.isdigit():
            return max(float(reset) - datetime.now(UTC).timestamp(), 0.0) + 1.0
    return None


def _translate(
    exc: GithubException,
    action: str,
    needs: str,
    not_found: str | None,
    waited: float,
    wait: float | None,
    max_wait: float,
) -> GitHubAPIError:
    status = exc.status
    details = _details(exc)
    said = details[0] if details else ""
    lower = " ".join(details).lower()

    def err(text: str) -> GitHubAPIError:
        return GitHubAPIError(text, status=status, details=details)

    if status == 401:
        return err(
            f"GitHub rejected the token while {action} (401 {said or 'Bad credentials'}): it is invalid, "
            "expired or revoked. Check the `github-token` input (default ${{ github.token }})."
        )
    if wait is not None:
        return err(
            f"GitHub's rate limit stopped {action}: it asked to wait {wait:.0f}s more after {waited:.0f}s "
            f"already waited (the limit is {max_wait:.0f}s). Try again later. GitHub said: {said}"
        )
    if status == 403 and "not permitted to create or approve pull requests" in lower:
        return err(
            f"GitHub does not let GitHub Actions open pull requests in this repository ({said}). "
            f"Turn on {ACTIONS_SETTING} (for an organization, first in the organization's settings), "
            "or pass a personal access token or GitHub App token as `github-token`."
        )
    if status == 403 and "resource not accessible" in lower:
        return err(
            f"The token is not allowed to do this: {action} ({said}). Grant it in the workflow with "
            f"`permissions:` `{needs}`; a personal access token or GitHub App needs the same permission."
        )
    if status == 403:
        return err(
            f"GitHub refused {action} (403 {said or 'Forbidden'}). If the token lacks a permission, "
            f"grant it in the workflow with `permissions:` `{needs}`."
        )
    if status == 404:
        return err(not_found or f"not found while {action} ({said or 'Not Found'})")
    if status == 422:
        return err(f"GitHub refused {action}: {'; '.join(details) or 'Validation Failed'}")
    return err(f"GitHub API error {status} while {action}: {'; '.join(details) or 'no message'}")


def _pull_ref(pr: PullRequest) -> PullRef:
    return PullRef(
        number=pr.number,
        url=pr.html_url,
        head_ref=pr.head.ref,
        head_sha=pr.head.sha,
        base_ref=pr.base.ref,
        labels=tuple(label.name for label in pr.labels),
        body=pr.body or "",
        state=pr.state,
        # list items carry merged_at but not "merged": asking for it would cost a GET per PR
        merged=pr.merged_at is not None,
        user_login=pr.user.login if pr.user else "",
        title=pr.title or "",
        draft=bool(pr.draft),
        head_repo=_head_repo(pr),
    )


def _head_repo(pr: PullRequest) -> str:
    # from the JSON as received: a fork PR's head.repo is the fork (null once it is deleted)
    repo = (pr._rawData.get("head") or {}).get("repo")
    return str(repo.get("full_name") or "") if isinstance(repo, dict) else ""


def _comment_ref(c: IssueComment | PullRequestComment) -> CommentRef:
    return CommentRef(
        id=c.id, url=c.html_url, body=c.body or "", user_login=c.user.login if c.user else ""
    )


def _review_comment(c: PullRequestComment) -> ReviewComment:
    # The JSON as received: asking PyGithub for a field GitHub left out (``in_reply_to_id`` is only
    # sent on replies) would make it re-fetch the comment, one GET per comment.
    data = c._rawData
    return ReviewComment(
        id=c.id,
        url=c.html_url,
        body=c.body or "",
        path=c.path,
        line=data.get("line"),
        user_login=c.user.login if c.user else "",
        user_type=c.user.type if c.user else "User",
        in_reply_to_id=data.get("in_reply_to_id"),
        review_id=data.get("pull_request_review_id"),
        commit_id=c.commit_id if is_sha(c.commit_id) else "",  # never a non-SHA into git
    )
