"""A stateful fake of the GitHub REST endpoints we use, checked against GitHub's own schema.

    spec = Path("tests/data/github-openapi.json")        # trimmed from @octokit/openapi
    with GitHubFake(owner="octo", repo="blog", token="ghs_test", spec=spec) as gh:
        gh.set_permission("alice", "write")
        client = Github(auth=Auth.Token("ghs_test"), base_url=gh.url)
        ...
        assert gh.pulls[1]["labels"] == ["daily-summary"]
        gh.assert_clean()                                 # no request or response broke the spec

It runs on ``FakeServer`` (a real HTTP server on 127.0.0.1), so the real PyGithub talks to it.
Every route is one operation of the OpenAPI description, named by its path template; with a
``spec`` each request's query and body and each response (errors included) are validated
against that operation. A mismatch answers 500 with the validation error and is recorded in
``violations``, so a test fails loudly whichever side is wrong.

State is plain data a test can read: ``pulls``, ``comments`` (issue comments),
``review_comments``, ``reactions``, ``labels``, ``users``. Link it to a bare git repository
(``git_dir=``) and head SHAs, "head branch exists" and ``GET /pulls/{n}/commits`` come from
real git (``git log base..head``), so "has a human pushed to this branch" is answered by what
was really pushed.

Scriptable faults, as GitHub words them: ``forbid_actions_prs()`` (the repository setting that
stops GITHUB_TOKEN from opening PRs), ``secondary_rate_limit()``, ``race_pr_on_next_create()``
(a PR for the same head appears between list and create), ``fail()`` for any status, and
``token_permissions`` (a GITHUB_TOKEN's ``permissions:`` block: missing ones get 403 "Resource
not accessible by integration"). Anything without a bearer/token header equal to ``token``
gets 401 "Bad credentials".
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from daily_ai_summary.testing.server import FakeServer, FakeService, Request, Response

BOT_LOGIN = "github-actions[bot]"
BOT_ID = 41898282
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
DOCS = "https://docs.github.com/rest"
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
PERMISSIONS = ("admin", "maintain", "write", "triage", "read", "none")
# GET .../collaborators/{u}/permission reports legacy base roles; role_name has the real one.
LEGACY_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}
ACTIONS_NOT_PERMITTED = "GitHub Actions is not permitted to create or approve pull requests."
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID FAKE:0000."
)


# -- OpenAPI checking -------------------------------------------------------------------------


def _openapi_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects -> JSON Schema (draft 4): ``nullable`` becomes a null type."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _openapi_to_jsonschema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            return {"anyOf": [{"type": "null"}, out]}
    return out


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # OpenAPI path template, e.g. /repos/{owner}/{repo}/pulls/{pull_number}
    operation_id: str


class OpenAPIChecker:
    """Validates requests and responses of single operations of an OpenAPI 3.0 description."""

    def __init__(self, spec: dict[str, Any]) -> None:
        from jsonschema import Draft4Validator

        self._validator_cls = Draft4Validator
        self.spec = spec
        self._components = _openapi_to_jsonschema(spec.get("components", {}))
        self._cache: dict[str, Any] = {}

    @classmethod
    def load(cls, path: Path | str) -> OpenAPIChecker:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def operations(self) -> list[Operation]:
        ops = []
        for path, item in self.spec["paths"].items():
            for method, op in item.items():
                if method != "parameters":
                    ops.append(Operation(method.upper(), path, op["operationId"]))
        return ops

    def operation(self, method: str, path: str) -> dict[str, Any]:
        try:
            operation: dict[str, Any] = self.spec["paths"][path][method.lower()]
            return operation
        except KeyError:
            raise KeyError(f"{method} {path} is not in the OpenAPI description") from None

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, _, kind, name = node["$ref"].split("/", 3)
            node = self.spec["components"][kind][name]
        return node

    def _errors(self, key: str, schema: Any, instance: Any) -> list[str]:
        validator = self._cache.get(key)
        if validator is None:
            root = {"allOf": [_openapi_to_jsonschema(schema)], "components": self._components}
            validator = self._cache[key] = self._validator_cls(root)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}"
            for e in errors[:5]
        ]

    def check_request(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, has_body: bool
    ) -> list[str]:
        op = self.operation(method, path)
        problems: list[str] = []
        params = {}
        for p in op.get("parameters", []):
            p = self._resolve(p)
            if p["in"] == "query":
                params[p["name"]] = p
        for name, values in query.items():
            p = params.get(name)
            if p is None:
                problems.append(f"query parameter {name!r} is not defined for {op['operationId']}")
                continue
            value: Any = values[-1]
            kind = p.get("schema", {}).get("type")
            try:
                if kind == "integer":
                    value = int(value)
                elif kind == "boolean":
                    value = {"true": True, "false": False}[value]
            except (KeyError, ValueError):
                problems.append(f"query parameter {name}={values[-1]!r} is not a {kind}")
                continue
            problems += [
                f"query {name}: {e}"
                for e in self._errors(f"q {method} {path} {name}", p.get("schema", {}), value)
            ]
        rb = op.get("requestBody")
        if rb is not None:
            rb = self._resolve(rb)
            if not has_body:
                if rb.get("required"):
                    problems.append(f"{op['operationId']} requires a request body")
            else:
                schema = rb.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None:
                    problems += [
                        f"request body {e}"
                        for e in self._errors(f"b {method} {path}", schema, body)
                    ]
        elif has_body:
            problems.append(f"{op['operationId']} takes no request body")
        return problems

    def check_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        op = self.operation(method, path)
        entry = op.get("responses", {}).get(str(status))
        content = self._resolve(entry).get("content") if entry is not None else None
        if content:
            schema = content.get("application/json", {}).get("schema")
        elif status >= 400:
            # Undocumented errors (401, 429, ...) and errors documented without a body (the 422
            # of pulls/request-reviewers) still come with GitHub's usual error object.
            schema = {"$ref": "#/components/schemas/basic-error"}
        elif entry is None:
            return [f"status {status} is not a documented response of {op['operationId']}"]
        else:
            return [] if body is None else [f"status {status} of {op['operationId']} has no body"]
        if schema is None:
            return []
        return [
            f"response {status} {e}"
            for e in self._errors(f"r {method} {path} {status}", schema, body)
        ]


# -- state ------------------------------------------------------------------------------------


@dataclass
class FakeUser:
    login: str
    id: int
    type: str = "User"  # User | Bot | Organization
    email: str | None = None
    permission: str | None = None  # None: not a collaborator
    association: str | None = None  # override author_association
    gone: bool = False  # the account was deleted or renamed: lookups by this login are 404


@dataclass
class _Fault:
    operation_id: str | None  # None: any operation
    response: Callable[[], Response]
    times: int


_SHA_RX = re.compile(r"[0-9a-f]{40}")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fake_sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


def _error(
    status: int, message: str, errors: list[dict[str, Any]] | None = None, **headers: str
) -> Response:
    body: dict[str, Any] = {"message": message, "documentation_url": DOCS}
    if errors is not None:
        body["errors"] = errors
    if status in (401, 403, 404):
        body["status"] = str(status)
    return Response.json(body, status, headers=headers or None)


def _validation_failed(message: str, **extra: Any) -> Response:
    return _error(
        422,
        "Validation Failed",
        [{"resource": "PullRequest", "code": "custom", "message": message, **extra}],
    )


class GitHubFake(FakeService):
    """GitHub's REST API for one repository, enough for the action's publish and revise steps."""

    def __init__(
        self,
        owner: str = "octo",
        repo: str = "blog",
        *,
        token: str = "ghs_fake_token",  # noqa: S107 - a fake credential for a fake server
        spec: Path | str | dict[str, Any] | None = None,
        git_dir: Path | str | None = None,
        default_branch: str = "main",
        token_user: str = BOT_LOGIN,
        owner_type: str = "User",
        server: FakeServer | None = None,
    ) -> None:
        self.owner = owner
        self.repo = repo
        self.token = token
        self.git_dir = Path(git_dir) if git_dir else None
        self.default_branch = default_branch
        self.token_user = token_user
        self.server = server or FakeServer("github")
        if isinstance(spec, dict):
            self.checker: OpenAPIChecker | None = OpenAPIChecker(spec)
        elif spec is not None:
            self.checker = OpenAPIChecker.load(spec)
        else:
            self.checker = None

        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self.users: dict[str, FakeUser] = {}
        self.add_user(owner, type=owner_type, permission="admin")
        self.add_user(BOT_LOGIN, type="Bot", email=BOT_EMAIL, user_id=BOT_ID)
        if token_user not in self.users:
            self.add_user(token_user, type="Bot" if token_user.endswith("[bot]") else "User")

        self.pulls: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, dict[str, Any]] = {}  # issue comments by id
        self.review_comments: dict[int, dict[str, Any]] = {}
        self.reviews: dict[int, dict[str, Any]] = {}
        self.reactions: list[dict[str, Any]] = []
        self.labels: dict[str, dict[str, Any]] = {}  # repository labels (auto-created on use)
        # branch -> sha and branch -> commits, used when no git_dir is linked
        self.branches: dict[str, str] = {default_branch: _fake_sha("root", owner, repo)}
        self.commits: dict[str, list[dict[str, Any]]] = {}
        self._numbers = itertools.count(1)

        # repository settings and scripted behaviour
        self.actions_can_create_prs = True
        self.drafts_supported = True
        self.token_permissions: dict[str, str] | None = None  # None: everything allowed
        self._faults: list[_Fault] = []
        self._before_create: list[Callable[[dict[str, Any]], None]] = []
        self.violations: list[str] = []
        self.operations: list[Operation] = []
        self._register_routes()

    @property
    def url(self) -> str:
        """The API base URL (what ``GITHUB_API_URL`` would be)."""
        return self.server.url

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.repo}"

    def assert_clean(self) -> None:
        """Fail if any request or response did not match GitHub's OpenAPI description."""
        if self.violations:
            raise AssertionError(
                "GitHub fake saw schema violations:\n" + "\n".join(self.violations)
            )

    # -- test setup helpers ------------------------------------------------------------------
    def add_user(
        self,
        login: str,
        *,
        type: str = "User",  # noqa: A002 - GitHub's field name
        email: str | None = None,
        permission: str | None = None,
        association: str | None = None,
        user_id: int | None = None,
    ) -> FakeUser:
        with self._lock:
            user = self.users.get(login)
            if user is None:
                uid = user_id or int(
                    hashlib.sha1(login.encode(), usedforsecurity=False).hexdigest()[:7], 16
                )
                user = self.users[login] = FakeUser(login, uid, type, email)
            if email:
                user.email = email
            if permission is not None:
                self.set_permission(login, permission)
            if association:
                user.association = association
            return user

    def remove_account(self, login: str) -> None:
        """The account behind ``login`` is gone (deleted, or renamed after it commented): what
        it wrote stays, but GitHub answers a permission lookup by this login with 404 "... is
        not a user" (as it does for any login without a user account)."""
        with self._lock:
            self.add_user(login).gone = True

    def set_permission(self, login: str, permission: str) -> None:
        """``admin``, ``maintain``, ``write``, ``triage``, ``read`` or ``none`` on this repo."""
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}; use one of {PERMISSIONS}")
        with self._lock:
            self.add_user(login).permission = permission

    def add_pull(
        self,
        head: str,
        *,
        base: str | None = None,
        title: str = "A pull request",
        body: str | None = None,
        user: str | None = None,
        state: str = "open",
        draft: bool = False,
        labels: list[str] = (),  # type: ignore[assignment]
        head_repo: str | None = None,
    ) -> dict[str, Any]:
        """Seed a PR as if someone opened it earlier (no checks). ``head_repo``: a fork's
        ``owner/name`` when the head branch lives there (its ``head.repo`` is the fork)."""
        with self._lock:
            pr = self._new_pull(
                head, base or self.default_branch, title, body, user or self.token_user, draft
            )
            pr["state"] = state
            if head_repo:
                pr["head_repo"] = head_repo
            for name in labels:
                self._ensure_label(name)
                pr["labels"].append(name)
            return pr

    def close_pull(self, number: int, *, merged: bool = False) -> None:
        with self._lock:
            pr = self.pulls[number]
            pr["state"] = "closed"
            pr["closed_at"] = pr["updated_at"] = _now()
            if merged:
                pr["merged"] = True
                pr["merged_at"] = pr["closed_at"]

    def add_issue_comment(self, number: int, body: str, *, user: str = "alice") -> dict[str, Any]:
        """Seed a comment on the PR's conversation, as a person would write it."""
        with self._lock:
            self.add_user(user)
            return self._new_issue_comment(number, body, user)

    def add_review(
        self,
        number: int,
        *,
        user: str = "alice",
        state: str = "COMMENTED",
        body: str | None = None,
        comments: list[tuple[str, int, str]] = (),  # type: ignore[assignment]
    ) -> dict[str, Any]:
        """Seed a submitted review with line comments ``(path, line, body)``; returns the review."""
        with self._lock:
            self.add_user(user)
            review: dict[str, Any] = {
                "id": next(self._ids),
                "pull_number": number,
                "user": user,
                "state": state,
                "body": body,
            }
            self.reviews[review["id"]] = review
            for path, line, text in comments:
                self._new_review_comment(
                    number, text, user, path=path, line=line, review_id=review["id"]
                )
            return review

    def add_review_comment(
        self, number: int, body: str, *, path: str, line: int, user: str = "alice"
    ) -> dict[str, Any]:
        """Seed a single line comment (a one-comment review, as the web UI makes)."""
        review = self.add_review(number, user=user, comments=[(path, line, body)])
        return next(c for c in self.review_comments.values() if c["review_id"] == review["id"])

    def push_commit(
        self,
        branch: str,
        *,
        author_email: str,
        author_name: str = "Someone",
        committer_email: str | None = None,
        message: str = "change",
    ) -> str:
        """Without ``git_dir``: record a commit pushed to ``branch`` and move the branch to it."""
        if self.git_dir:
            raise RuntimeError("this fake is linked to a git repository: push with git instead")
        with self._lock:
            parent = self.branches.get(branch) or self.branches[self.default_branch]
            sha = _fake_sha(
                branch, parent, author_email, message, len(self.commits.get(branch, []))
            )
            self.commits.setdefault(branch, []).append(
                {
                    "sha": sha,
                    "parents": [parent],
                    "author_name": author_name,
                    "author_email": author_email,
                    "author_date": _now(),
                    "committer_name": author_name,
                    "committer_email": committer_email or author_email,
                    "committer_date": _now(),
                    "tree": _fake_sha("tree", sha),
                    "message": message,
                }
            )
            self.branches[branch] = sha
            return sha

    # -- scripted faults ---------------------------------------------------------------------
    def forbid_actions_prs(self, forbidden: bool = True) -> None:
        """Turn off "Allow GitHub Actions to create and approve pull requests"."""
        self.actions_can_create_prs = not forbidden

    def secondary_rate_limit(
        self,
        operation_id: str | None = None,
        *,
        times: int = 1,
        retry_after: int | None = 1,
        status: int = 403,
    ) -> None:
        """The next ``times`` calls (of ``operation_id``, or any) hit the secondary rate limit."""
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        headers["x-ratelimit-remaining"] = "4999"
        self._add_fault(
            operation_id, times, lambda: _error(status, SECONDARY_RATE_LIMIT, None, **headers)
        )

    def fail(
        self,
        operation_id: str | None,
        status: int,
        message: str,
        *,
        times: int = 1,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next ``times`` calls of ``operation_id`` (None: any) answer this GitHub error."""
        self._add_fault(
            operation_id, times, lambda: _error(status, message, errors, **(headers or {}))
        )

    def race_pr_on_next_create(self, *, user: str = BOT_LOGIN) -> None:
        """Just before the next POST /pulls is handled, another run opens a PR for that head."""

        def race(body: dict[str, Any]) -> None:
            self._new_pull(
                body["head"].split(":")[-1],
                body["base"],
                body.get("title") or "",
                None,
                user,
                False,
            )

        self._before_create.append(race)

    def _add_fault(
        self, operation_id: str | None, times: int, response: Callable[[], Response]
    ) -> None:
        with self._lock:
            self._faults.append(_Fault(operation_id, response, times))

    # -- routing and checking ----------------------------------------------------------------
    def _register_routes(self) -> None:
        R = "/repos/{owner}/{repo}"
        table: list[tuple[str, str, str, Callable[..., Response], str | None]] = [
            # method, path template, operationId, handler, token permission needed
            ("GET", R, "repos/get", self._get_repo, "metadata:read"),
            ("GET", R + "/pulls", "pulls/list", self._list_pulls, "pull-requests:read"),
            ("POST", R + "/pulls", "pulls/create", self._create_pull, "pull-requests:write"),
            ("GET", R + "/pulls/{pull_number}", "pulls/get", self._get_pull, "pull-requests:read"),
            ("PATCH", R + "/pulls/{pull_number}", "pulls/update", self._update_pull, "pull-requests:write"),
            ("GET", R + "/pulls/{pull_number}/commits", "pulls/list-commits", self._list_commits, "pull-requests:read"),
            ("GET", R + "/pulls/{pull_number}/comments", "pulls/list-review-comments",
             self._list_review_comments, "pull-requests:read"),
            ("POST", R + "/pulls/{pull_number}/comments/{comment_id}/replies",
             "pulls/create-reply-for-review-comment", self._reply, "pull-requests:write"),
            ("GET", R + "/pulls/{pull_number}/reviews/{review_id}/comments", "pulls/list-comments-for-review",
             self._list_review_comments_for_review, "pull-requests:read"),
            ("POST", R + "/pulls/{pull_number}/requested_reviewers", "pulls/request-reviewers",
             self._request_reviewers, "pull-requests:write"),
            ("GET", R + "/pulls/comments/{comment_id}", "pulls/get-review-comment",
             self._get_review_comment, "pull-requests:read"),
            ("POST", R + "/pulls/comments/{comment_id}/reactions",
             "reactions/create-for-pull-request-review-comment", self._react_review, "pull-requests:write"),
            ("GET", R + "/issues/{issue_number}/comments", "issues/list-comments",
             self._list_issue_comments, "issues|pull-requests:read"),
            ("POST", R + "/issues/{issue_number}/comments", "issues/create-comment",
             self._create_issue_comment, "issues|pull-requests:write"),
            ("POST", R + "/issues/{issue_number}/labels", "issues/add-labels",
             self._add_labels, "issues|pull-requests:write"),
            ("GET", R + "/issues/comments/{comment_id}", "issues/get-comment",
             self._get_issue_comment, "issues|pull-requests:read"),
            ("POST", R + "/issues/comments/{comment_id}/reactions", "reactions/create-for-issue-comment",
             self._react_issue, "issues|pull-requests:write"),
            ("GET", R + "/collaborators/{username}/permission", "repos/get-collaborator-permission-level",
             self._get_permission, "metadata:read"),
        ]  # fmt: skip
        # Not under the repository: who the token is. An installation token (the job's
        # GITHUB_TOKEN, an App's) gets 403 "Resource not accessible by integration", as on GitHub.
        table.append(("GET", "/user", "users/get-authenticated", self._get_authenticated, None))
        for method, template, op_id, handler, needs in table:
            op = Operation(method, template, op_id)
            self.operations.append(op)
            self.server.add_route(method, self._regex(template), self._wrap(op, handler, needs))
        for method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
            self.server.add_route(method, r"/.*", self._unmodelled)

    @staticmethod
    def _regex(template: str) -> str:
        def group(m: re.Match[str]) -> str:
            name = m.group(1)
            numeric = name.endswith(("_number", "_id"))
            return f"(?P<{name}>{'[0-9]+' if numeric else '[^/]+'})"

        return re.sub(r"\{(\w+)\}", group, template)

    def _unmodelled(self, req: Request) -> Response:
        problem = f"{req.method} {req.path}: not an operation the GitHub fake models"
        with self._lock:
            self.violations.append(problem)
        return _error(404, "Not Found")

    def _authorized(self, req: Request) -> bool:
        scheme, _, value = (req.header("authorization") or "").partition(" ")
        return scheme.lower() in ("token", "bearer") and value.strip() == self.token

    def _allowed(self, needs: str | None) -> bool:
        if self.token_permissions is None or needs is None or needs == "metadata:read":
            return True  # every GITHUB_TOKEN can read metadata, whatever `permissions:` says
        scopes, _, level = needs.partition(":")
        rank = {"none": 0, "read": 1, "write": 2}
        return any(
            rank.get(self.token_permissions.get(s, "none"), 0) >= rank[level]
            for s in scopes.split("|")
        )

    def _wrap(
        self, op: Operation, handler: Callable[..., Response], needs: str | None
    ) -> Callable[[Request], Response]:
        def serve(req: Request) -> Response:
            with self._lock:
                resp = self._serve(op, handler, needs, req)
                return self._checked_response(op, req, resp)

        return serve

    def _serve(
        self, op: Operation, handler: Callable[..., Response], needs: str | None, req: Request
    ) -> Response:
        if not self._authorized(req):
            return _error(401, "Bad credentials")
        if "owner" in req.params and (req.params["owner"].lower(), req.params["repo"].lower()) != (
            self.owner.lower(),
            self.repo.lower(),
        ):
            return _error(404, "Not Found")
        body: Any = None
        if req.body:
            try:
                body = json.loads(req.body)
            except ValueError:
                return _error(400, "Problems parsing JSON")
        if self.checker:
            problems = self.checker.check_request(
                op.method, op.path, req.query, body, bool(req.body)
            )
            if problems:
                return self._violation(op, req, "request", problems)
        for fault in self._faults:
            if fault.times > 0 and fault.operation_id in (None, op.operation_id):
                fault.times -= 1
                return fault.response()
        if not self._allowed(needs):
            return _error(403, "Resource not accessible by integration")
        return handler(req, body)

    def _checked_response(self, op: Operation, req: Request, resp: Response) -> Response:
        if self.checker is None or resp.status >= 500:
            return resp
        raw = resp.body.encode() if isinstance(resp.body, str) else resp.body
        data = json.loads(raw) if raw else None
        problems = self.checker.check_response(op.method, op.path, resp.status, data)
        if problems:
            return self._violation(op, req, "response", problems)
        return resp

    def _violation(self, op: Operation, req: Request, side: str, problems: list[str]) -> Response:
        text = (
            f"{req.method} {req.path} ({op.operation_id}) {side} does not match GitHub's OpenAPI: "
            + "; ".join(problems)
        )
        self.violations.append(text)
        return Response.json({"message": f"fake GitHub: {text}", "documentation_url": DOCS}, 500)

    # -- URLs and payloads -------------------------------------------------------------------
    @property
    def _api(self) -> str:
        return f"{self.url}/repos/{self.owner}/{self.repo}"

    @property
    def _html(self) -> str:
        return f"{self.url}/{self.owner}/{self.repo}"

    def _user(self, login: str | None) -> dict[str, Any] | None:
        if login is None:
            return None
        u = self.add_user(login)
        api = f"{self.url}/users/{quote(login)}"
        return {
            "login": login,
            "id": u.id,
            "node_id": f"U_fake{u.id}",
            "avatar_url": f"{self.url}/avatars/u/{u.id}",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.url}/{quote(login)}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": u.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _association(self, login: str) -> str:
        u = self.add_user(login)
        if u.association:
            return u.association
        if login == self.owner:
            return "OWNER"
        if u.permission and u.permission != "none":
            return "COLLABORATOR"
        return "NONE"

    def _repo_payload(self, full: bool = False) -> dict[str, Any]:
        api, html = self._api, self._html
        templated = {
            "archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}",
            "blobs_url": "/git/blobs{/sha}", "branches_url": "/branches{/branch}",
            "collaborators_url": "/collaborators{/collaborator}", "comments_url": "/comments{/number}",
            "commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}",
            "contents_url": "/contents/{+path}", "contributors_url": "/contributors",
            "deployments_url": "/deployments", "downloads_url": "/downloads", "events_url": "/events",
            "forks_url": "/forks", "git_commits_url": "/git/commits{/sha}", "git_refs_url": "/git/refs{/sha}",
            "git_tags_url": "/git/tags{/sha}", "hooks_url": "/hooks", "issue_comment_url": "/issues/comments{/number}",
            "issue_events_url": "/issues/events{/number}", "issues_url": "/issues{/number}",
            "keys_url": "/keys{/key_id}", "labels_url": "/labels{/name}", "languages_url": "/languages",
            "merges_url": "/merges", "milestones_url": "/milestones{/number}",
            "notifications_url": "/notifications{?since,all,participating}", "pulls_url": "/pulls{/number}",
            "releases_url": "/releases{/id}", "stargazers_url": "/stargazers", "statuses_url": "/statuses/{sha}",
            "subscribers_url": "/subscribers", "subscription_url": "/subscription", "tags_url": "/tags",
            "teams_url": "/teams", "trees_url": "/git/trees{/sha}",
        }  # fmt: skip
        rid = int(_fake_sha(self.full_name)[:7], 16)
        payload: dict[str, Any] = {k: api + v for k, v in templated.items()}
        payload.update(
            id=rid,
            node_id=f"R_fake{rid}",
            name=self.repo,
            full_name=self.full_name,
            owner=self._user(self.owner),
            private=False,
            html_url=html,
            description="A blog",
            fork=False,
            url=api,
            clone_url=f"{html}.git",
            git_url=f"{html}.git",
            ssh_url=f"git@127.0.0.1:{self.full_name}.git",
            svn_url=html,
            mirror_url=None,
            homepage=None,
            language=None,
            forks=0,
            forks_count=0,
            stargazers_count=0,
            watchers=0,
            watchers_count=0,
            size=1,
            default_branch=self.default_branch,
            open_issues=sum(1 for p in self.pulls.values() if p["state"] == "open"),
            open_issues_count=sum(1 for p in self.pulls.values() if p["state"] == "open"),
            is_template=False,
            topics=[],
            has_issues=True,
            has_projects=False,
            has_wiki=False,
            has_pages=False,
            has_downloads=True,
            has_discussions=False,
            archived=False,
            disabled=False,
            visibility="public",
            license=None,
            pushed_at="2026-01-01T00:00:00Z",
            created_at="2025-01-01T00:00:00Z",
            updated_at="2026-01-01T00:00:00Z",
            allow_forking=True,
            web_commit_signoff_required=False,
        )
        if full:
            payload.update(network_count=0, subscribers_count=0, allow_auto_merge=False)
        return payload

    def _label_payload(self, name: str) -> dict[str, Any]:
        label = self.labels[name]
        return {
            "id": label["id"],
            "node_id": f"LA_fake{label['id']}",
            "url": f"{self._api}/labels/{quote(name)}",
            "name": name,
            "description": label["description"],
            "color": label["color"],
            "default": False,
        }

    def _rollup(self, kind: str, comment_id: int, url: str) -> dict[str, Any]:
        mine = [
            r["content"]
            for r in self.reactions
            if r["kind"] == kind and r["comment_id"] == comment_id
        ]
        return {
            "url": url + "/reactions",
            "total_count": len(mine),
            **{c: mine.count(c) for c in REACTIONS},
        }

    def _pull_payload(self, pr: dict[str, Any], full: bool = True) -> dict[str, Any]:
        n = pr["number"]
        api, issue, html = (
            f"{self._api}/pulls/{n}",
            f"{self._api}/issues/{n}",
            f"{self._html}/pull/{n}",
        )
        head_sha = self.branch_sha(pr["head"]) or pr["head_sha"]
        base_sha = self.branch_sha(pr["base"]) or self.branches[self.default_branch]
        repo = self._repo_payload()

        def side(ref: str, sha: str, fork: str | None = None) -> dict[str, Any]:
            if fork:  # the fork's repository: same shape, its own names, "fork": true
                owner = fork.split("/", 1)[0]
                text = json.dumps(repo).replace(f"{self.owner}/{self.repo}", fork)
                forked = json.loads(text)
                forked.update(fork=True, id=repo["id"] + 1, node_id=f"R_fork{repo['id'] + 1}",
                              name=fork.split("/", 1)[1], owner=self._user(owner))  # fmt: skip
                return {
                    "label": f"{owner}:{ref}",
                    "ref": ref,
                    "sha": sha,
                    "user": self._user(owner),
                    "repo": forked,
                }
            return {
                "label": f"{self.owner}:{ref}",
                "ref": ref,
                "sha": sha,
                "user": self._user(self.owner),
                "repo": repo,
            }

        payload: dict[str, Any] = {
            "url": api,
            "id": pr["id"],
            "node_id": f"PR_fake{pr['id']}",
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "issue_url": issue,
            "commits_url": api + "/commits",
            "review_comments_url": api + "/comments",
            "review_comment_url": f"{self._api}/pulls/comments{{/number}}",
            "comments_url": issue + "/comments",
            "statuses_url": f"{self._api}/statuses/{head_sha}",
            "number": n,
            "state": pr["state"],
            "locked": False,
            "title": pr["title"],
            "user": self._user(pr["user"]),
            "body": pr["body"],
            "labels": [self._label_payload(name) for name in pr["labels"]],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": pr["created_at"],
            "updated_at": pr["updated_at"],
            "closed_at": pr["closed_at"],
            "merged_at": pr["merged_at"],
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [self._user(u) for u in pr["requested_reviewers"]],
            "requested_teams": [self._team_payload(t) for t in pr["requested_teams"]],
            "head": side(pr["head"], head_sha, pr.get("head_repo")),
            "base": side(pr["base"], base_sha),
            "_links": {
                "self": {"href": api},
                "html": {"href": html},
                "issue": {"href": issue},
                "comments": {"href": issue + "/comments"},
                "review_comments": {"href": api + "/comments"},
                "review_comment": {"href": f"{self._api}/pulls/comments{{/number}}"},
                "commits": {"href": api + "/commits"},
                "statuses": {"href": f"{self._api}/statuses/{head_sha}"},
            },
            "author_association": self._association(pr["user"]),
            "auto_merge": None,
            "draft": pr["draft"],
        }
        if full:
            n_commits = len(self._commits_between(pr["base"], pr["head"]))
            payload.update(
                merged=pr["merged"],
                mergeable=None if pr["state"] == "closed" else True,
                rebaseable=None if pr["state"] == "closed" else True,
                mergeable_state="unknown" if pr["state"] == "closed" else "clean",
                merged_by=self._user(self.owner) if pr["merged"] else None,
                comments=sum(1 for c in self.comments.values() if c["issue_number"] == n),
                review_comments=sum(
                    1 for c in self.review_comments.values() if c["pull_number"] == n
                ),
                maintainer_can_modify=False,
                commits=n_commits,
                additions=n_commits,
                deletions=0,
                changed_files=min(n_commits, 1),
            )
        return payload

    def _team_payload(self, slug: str) -> dict[str, Any]:
        tid = int(_fake_sha("team", slug)[:7], 16)
        url = f"{self.url}/organizations/1/team/{tid}"
        return {
            "id": tid,
            "node_id": f"T_fake{tid}",
            "url": url,
            "html_url": f"{self.url}/orgs/{self.owner}/teams/{slug}",
            "name": slug,
            "slug": slug,
            "description": None,
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "permission": "pull",
            "members_url": url + "/members{/member}",
            "repositories_url": url + "/repos",
            "type": "organization",
            "parent": None,
        }

    def _issue_comment_payload(self, c: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._api}/issues/comments/{c['id']}"
        return {
            "id": c["id"],
            "node_id": f"IC_fake{c['id']}",
            "url": url,
            "html_url": f"{self._html}/pull/{c['issue_number']}#issuecomment-{c['id']}",
            "issue_url": f"{self._api}/issues/{c['issue_number']}",
            "body": c["body"],
            "user": self._user(c["user"]),
            "created_at": c["created_at"],
            "updated_at": c["updated_at"],
            "author_association": self._association(c["user"]),
            "performed_via_github_app": None,
            "reactions": self._rollup("issue", c["id"], url),
        }

    def _review_comment_payload(self, c: dict[str, Any]) -> dict[str, Any]:
        url = f"{self._api}/pulls/comments/{c['id']}"
        pr_url = f"{self._api}/pulls/{c['pull_number']}"
        html = f"{self._html}/pull/{c['pull_number']}#discussion_r{c['id']}"
        payload = {
            "url": url,
            "pull_request_review_id": c["review_id"],
            "id": c["id"],
            "node_id": f"PRRC_fake{c['id']}",
            "diff_hunk": f"@@ -{c['line']},1 +{c['line']},1 @@",
            "path": c["path"],
            "position": c["line"],
            "original_position": c["line"],
            "commit_id": c["commit_id"],
            "original_commit_id": c["commit_id"],
            "user": self._user(c["user"]),
            "body": c["body"],
            "created_at": c["created_at"],
            "updated_at": c["updated_at"],
            "html_url": html,
            "pull_request_url": pr_url,
            "author_association": self._association(c["user"]),
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "pull_request": {"href": pr_url},
            },
            "start_line": None,
            "original_start_line": None,
            "start_side": None,
            "line": c["line"],
            "original_line": c["line"],
            "side": "RIGHT",
            "subject_type": "line",
            "reactions": self._rollup("review", c["id"], url),
        }
        if c["in_reply_to_id"] is not None:
            payload["in_reply_to_id"] = c["in_reply_to_id"]
        return payload

    def _commit_payload(self, c: dict[str, Any]) -> dict[str, Any]:
        sha = c["sha"]
        url = f"{self._api}/commits/{sha}"
        by_email = {u.email: u.login for u in self.users.values() if u.email}
        author, committer = by_email.get(c["author_email"]), by_email.get(c["committer_email"])
        return {
            "url": url,
            "sha": sha,
            "node_id": f"C_fake{sha[:12]}",
            "html_url": f"{self._html}/commit/{sha}",
            "comments_url": url + "/comments",
            "commit": {
                "url": f"{self._api}/git/commits/{sha}",
                "author": {"name": c["author_name"], "email": c["author_email"], "date": c["author_date"]},
                "committer": {"name": c["committer_name"], "email": c["committer_email"], "date": c["committer_date"]},
                "message": c["message"],
                "comment_count": 0,
                "tree": {"sha": c["tree"], "url": f"{self._api}/git/trees/{c['tree']}"},
                "verification": {"verified": False, "reason": "unsigned", "payload": None, "signature": None,
                                 "verified_at": None},
            },
            "author": self._user(author) if author else None,
            "committer": self._user(committer) if committer else None,
            "parents": [
                {"sha": p, "url": f"{self._api}/commits/{p}", "html_url": f"{self._html}/commit/{p}"}
                for p in c["parents"]
            ],
        }  # fmt: skip

    def _page(self, req: Request, items: list[Any]) -> Response:
        per_page = min(int(req.arg("per_page") or 30), 100)
        page = max(int(req.arg("page") or 1), 1)
        last = max((len(items) + per_page - 1) // per_page, 1)
        links = []

        def link(p: int, rel: str) -> str:
            query = {k: v[-1] for k, v in req.query.items()} | {"page": str(p)}
            return f'<{self.url}{req.path}?{urlencode(query)}>; rel="{rel}"'

        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        headers = {"Link": ", ".join(links)} if links else None
        return Response.json(items[(page - 1) * per_page : page * per_page], headers=headers)

    # -- git ---------------------------------------------------------------------------------
    def _git(self, *args: str) -> str | None:
        assert self.git_dir is not None
        proc = subprocess.run(
            ["git", f"--git-dir={self.git_dir}", *args], capture_output=True, text=True, check=False
        )
        return proc.stdout if proc.returncode == 0 else None

    def branch_sha(self, branch: str) -> str | None:
        """The branch tip: from the linked git repository, else from ``branches``."""
        if self.git_dir:
            out = self._git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
            return out.strip() if out else None
        return self.branches.get(branch)

    def _commits_between(self, base: str, head: str) -> list[dict[str, Any]]:
        """Commits on ``head`` not on ``base``, oldest first (what GET /pulls/{n}/commits lists)."""
        if not self.git_dir:
            return list(self.commits.get(head, []))
        fmt = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%T%x00%B%x1e"
        out = self._git(
            "log", "--reverse", f"--format={fmt}", f"refs/heads/{base}..refs/heads/{head}", "--"
        )
        commits = []
        for record in (out or "").split("\x1e"):
            record = record.strip("\n")
            if not record:
                continue
            sha, parents, an, ae, ad, cn, ce, cd, tree, msg = record.split("\x00")
            commits.append(
                {
                    "sha": sha,
                    "parents": parents.split(),
                    "author_name": an,
                    "author_email": ae,
                    "author_date": ad,
                    "committer_name": cn,
                    "committer_email": ce,
                    "committer_date": cd,
                    "tree": tree,
                    "message": msg.rstrip("\n"),
                }
            )
        return commits

    # -- state changes -----------------------------------------------------------------------
    def _ensure_label(self, name: str) -> None:
        if name not in self.labels:
            # "" rather than null: pull-request-simple's inline label schema wants a string
            self.labels[name] = {"id": next(self._ids), "color": "ededed", "description": ""}

    def _new_pull(
        self, head: str, base: str, title: str, body: str | None, user: str, draft: bool
    ) -> dict[str, Any]:
        number = next(self._numbers)
        now = _now()
        pr = {
            "number": number,
            "id": next(self._ids),
            "title": title,
            "body": body,
            "head": head,
            "base": base,
            "head_sha": self.branch_sha(head)
            or self.branches.setdefault(head, _fake_sha("head", head)),
            "state": "open",
            "draft": draft,
            "merged": False,
            "user": user,
            "labels": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "created_at": now,
            "updated_at": now,
            "closed_at": None,
            "merged_at": None,
        }
        self.pulls[number] = pr
        return pr

    def _new_issue_comment(self, number: int, body: str, user: str) -> dict[str, Any]:
        now = _now()
        c: dict[str, Any] = {"id": next(self._ids), "issue_number": number, "body": body, "user": user,
             "created_at": now, "updated_at": now}  # fmt: skip
        self.comments[c["id"]] = c
        return c

    def _new_review_comment(
        self,
        number: int,
        body: str,
        user: str,
        *,
        path: str,
        line: int,
        review_id: int | None,
        in_reply_to_id: int | None = None,
    ) -> dict[str, Any]:
        pr = self.pulls[number]
        now = _now()
        c: dict[str, Any] = {
            "id": next(self._ids),
            "pull_number": number,
            "review_id": review_id,
            "body": body,
            "user": user,
            "path": path,
            "line": line,
            "commit_id": self.branch_sha(pr["head"]) or pr["head_sha"],
            "in_reply_to_id": in_reply_to_id,
            "created_at": now,
            "updated_at": now,
        }
        self.review_comments[c["id"]] = c
        return c

    # -- handlers (called under the lock, after auth, validation and faults) -----------------
    def _pull_or_404(self, req: Request) -> dict[str, Any] | None:
        return self.pulls.get(
            int(req.params.get("pull_number") or req.params.get("issue_number") or 0)
        )

    def _get_repo(self, req: Request, body: Any) -> Response:
        return Response.json(self._repo_payload(full=True))

    def _list_pulls(self, req: Request, body: Any) -> Response:
        state = req.arg("state", "open")
        head, base = req.arg("head"), req.arg("base")
        found = []
        for pr in self.pulls.values():
            if state != "all" and pr["state"] != state:
                continue
            if head is not None:
                owner, sep, branch = head.partition(":")
                # GitHub documents the ``user:ref-name`` form only; a bare name matches nothing here.
                if not sep or owner.lower() != self.owner.lower() or branch != pr["head"]:
                    continue
            if base is not None and pr["base"] != base:
                continue
            found.append(pr)
        found.sort(key=lambda p: p["number"], reverse=req.arg("direction", "desc") == "desc")
        return self._page(req, [self._pull_payload(p, full=False) for p in found])

    def _create_pull(self, req: Request, body: dict[str, Any]) -> Response:
        for hook in self._before_create:
            hook(body)
        self._before_create.clear()
        if not self.actions_can_create_prs and self.add_user(self.token_user).type == "Bot":
            return _error(403, ACTIONS_NOT_PERMITTED)
        owner, _, head = body["head"].rpartition(":")
        base = body["base"]
        if owner and owner.lower() != self.owner.lower():
            return _error(
                422,
                "Validation Failed",
                [{"resource": "PullRequest", "field": "head", "code": "invalid"}],
            )
        if not body.get("title") and body.get("issue") is None:
            return _error(
                422,
                "Validation Failed",
                [{"resource": "PullRequest", "field": "title", "code": "missing_field"}],
            )
        if self.git_dir:
            if self.branch_sha(head) is None:
                return _error(
                    422,
                    "Validation Failed",
                    [{"resource": "PullRequest", "field": "head", "code": "invalid"}],
                )
            if self.branch_sha(base) is None:
                return _error(
                    422,
                    "Validation Failed",
                    [{"resource": "PullRequest", "field": "base", "code": "invalid"}],
                )
        for pr in self.pulls.values():
            if pr["state"] == "open" and pr["head"] == head and pr["base"] == base:
                return _validation_failed(f"A pull request already exists for {self.owner}:{head}.")
        if self.git_dir and not self._commits_between(base, head):
            return _validation_failed(f"No commits between {base} and {head}")
        if body.get("draft") and not self.drafts_supported:
            return _validation_failed("Draft pull requests are not supported in this repository.")
        pr = self._new_pull(
            head,
            base,
            body.get("title") or "",
            body.get("body"),
            self.token_user,
            bool(body.get("draft")),
        )
        return Response.json(self._pull_payload(pr), 201)

    def _get_pull(self, req: Request, body: Any) -> Response:
        pr = self._pull_or_404(req)
        return Response.json(self._pull_payload(pr)) if pr else _error(404, "Not Found")

    def _update_pull(self, req: Request, body: dict[str, Any]) -> Response:
        pr = self._pull_or_404(req)
        if pr is None:
            return _error(404, "Not Found")
        for key in ("title", "body", "state", "base"):
            if key in body:
                pr[key] = body[key]
        pr["updated_at"] = _now()
        if body.get("state") == "closed":
            pr["closed_at"] = pr["updated_at"]
        return Response.json(self._pull_payload(pr))

    def _list_commits(self, req: Request, body: Any) -> Response:
        pr = self._pull_or_404(req)
        if pr is None:
            return _error(404, "Not Found")
        return self._page(
            req, [self._commit_payload(c) for c in self._commits_between(pr["base"], pr["head"])]
        )

    def _list_review_comments(self, req: Request, body: Any) -> Response:
        pr = self._pull_or_404(req)
        found = [
            c for c in self.review_comments.values() if pr and c["pull_number"] == pr["number"]
        ]
        return self._page(req, [self._review_comment_payload(c) for c in found])

    def _list_review_comments_for_review(self, req: Request, body: Any) -> Response:
        review = self.reviews.get(int(req.params["review_id"]))
        if review is None or review["pull_number"] != int(req.params["pull_number"]):
            return _error(404, "Not Found")
        found = [c for c in self.review_comments.values() if c["review_id"] == review["id"]]
        return self._page(req, [self._review_comment_payload(c) for c in found])

    def _reply(self, req: Request, body: dict[str, Any]) -> Response:
        pr = self._pull_or_404(req)
        target = self.review_comments.get(int(req.params["comment_id"]))
        if pr is None or target is None or target["pull_number"] != pr["number"]:
            return _error(404, "Not Found")
        root = (
            target["in_reply_to_id"] or target["id"]
        )  # replies join the thread of the first comment
        c = self._new_review_comment(
            pr["number"], body["body"], self.token_user, path=target["path"], line=target["line"],
            review_id=next(self._ids), in_reply_to_id=root,
        )  # fmt: skip
        return Response.json(self._review_comment_payload(c), 201)

    def _request_reviewers(self, req: Request, body: dict[str, Any]) -> Response:
        pr = self._pull_or_404(req)
        if pr is None:
            return _error(404, "Not Found")
        reviewers = body.get("reviewers") or []
        if pr["user"] in reviewers:
            return _error(422, "Review cannot be requested from pull request author.")
        for login in reviewers:
            user = self.users.get(login)
            if user is None or user.permission in (None, "none"):
                return _error(
                    422,
                    "Reviews may only be requested from collaborators. One or more of the users or teams you "
                    f"specified is not a collaborator of the {self.full_name} repository.",
                )
        pr["requested_reviewers"] += [r for r in reviewers if r not in pr["requested_reviewers"]]
        teams = body.get("team_reviewers") or []
        pr["requested_teams"] += [t for t in teams if t not in pr["requested_teams"]]
        return Response.json(self._pull_payload(pr, full=False), 201)

    def _get_review_comment(self, req: Request, body: Any) -> Response:
        c = self.review_comments.get(int(req.params["comment_id"]))
        return Response.json(self._review_comment_payload(c)) if c else _error(404, "Not Found")

    def _react(self, kind: str, comment_id: int, content: str) -> Response:
        for r in self.reactions:
            if (r["kind"], r["comment_id"], r["content"], r["user"]) == (
                kind,
                comment_id,
                content,
                self.token_user,
            ):
                return Response.json(
                    self._reaction_payload(r), 200
                )  # already there: 200, not a new one
        r = {"id": next(self._ids), "kind": kind, "comment_id": comment_id, "content": content,
             "user": self.token_user, "created_at": _now()}  # fmt: skip
        self.reactions.append(r)
        return Response.json(self._reaction_payload(r), 201)

    def _reaction_payload(self, r: dict[str, Any]) -> dict[str, Any]:
        return {"id": r["id"], "node_id": f"REA_fake{r['id']}", "user": self._user(r["user"]),
                "content": r["content"], "created_at": r["created_at"]}  # fmt: skip

    def _react_review(self, req: Request, body: dict[str, Any]) -> Response:
        cid = int(req.params["comment_id"])
        if cid not in self.review_comments:
            return _error(404, "Not Found")
        return self._react("review", cid, body["content"])

    def _react_issue(self, req: Request, body: dict[str, Any]) -> Response:
        cid = int(req.params["comment_id"])
        if cid not in self.comments:
            return _error(404, "Not Found")
        return self._react("issue", cid, body["content"])

    def _list_issue_comments(self, req: Request, body: Any) -> Response:
        number = int(req.params["issue_number"])
        if number not in self.pulls:
            return _error(404, "Not Found")
        found = [c for c in self.comments.values() if c["issue_number"] == number]
        return self._page(req, [self._issue_comment_payload(c) for c in found])

    def _create_issue_comment(self, req: Request, body: dict[str, Any]) -> Response:
        number = int(req.params["issue_number"])
        if number not in self.pulls:
            return _error(404, "Not Found")
        c = self._new_issue_comment(number, body["body"], self.token_user)
        return Response.json(self._issue_comment_payload(c), 201)

    def _add_labels(self, req: Request, body: Any) -> Response:
        pr = self._pull_or_404(req)
        if pr is None:
            return _error(404, "Not Found")
        names = body["labels"] if isinstance(body, dict) else body
        for item in names:
            name = item["name"] if isinstance(item, dict) else item
            self._ensure_label(name)
            if name not in pr["labels"]:
                pr["labels"].append(name)
        return Response.json([self._label_payload(name) for name in pr["labels"]])

    def _get_issue_comment(self, req: Request, body: Any) -> Response:
        c = self.comments.get(int(req.params["comment_id"]))
        return Response.json(self._issue_comment_payload(c)) if c else _error(404, "Not Found")

    def _get_authenticated(self, req: Request, body: Any) -> Response:
        user = self.add_user(self.token_user)
        if user.type == "Bot":  # an installation token has no user
            return _error(403, "Resource not accessible by integration")
        me = copy.deepcopy(self._user(user.login)) or {}
        me.update(
            name=None, company=None, blog="", location=None, email=user.email, hireable=None,
            bio=None, public_repos=1, public_gists=0, followers=0, following=0,
            created_at="2020-01-01T00:00:00Z", updated_at="2025-01-01T00:00:00Z",
        )  # fmt: skip
        return Response.json(me)

    def _get_permission(self, req: Request, body: Any) -> Response:
        user = self.users.get(req.params["username"])
        if user is None or user.gone:
            return _error(404, f"{req.params['username']} is not a user")
        role = user.permission or "none"
        legacy = LEGACY_PERMISSION[role]
        collaborator = copy.deepcopy(self._user(user.login)) or {}
        collaborator.update(
            role_name=role,
            permissions={
                "admin": role == "admin",
                "maintain": role in ("admin", "maintain"),
                "push": legacy in ("admin", "write"),
                "triage": role in ("admin", "maintain", "write", "triage"),
                "pull": legacy != "none",
            },
        )
        return Response.json({"permission": legacy, "role_name": role, "user": collaborator})


__all__ = [
    "ACTIONS_NOT_PERMITTED",
    "BOT_EMAIL",
    "BOT_LOGIN",
    "SECONDARY_RATE_LIMIT",
    "FakeUser",
    "GitHubFake",
    "OpenAPIChecker",
    "Operation",
]
