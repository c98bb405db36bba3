"""End-to-end harness for revisions: a real PR made by the generate flow, then comments on it.

    with ActionHarness(tmp_path, spec=SPEC) as action:
        rv = Revisions(action)
        pr = rv.open_pr()                        # `run` on workflow_dispatch: branch, post, PR, metadata
        line = rv.line_of("consequences", 1, "benefits")
        result = rv.run(rv.line_comment("/summary shorter", line=line))
        assert result.code == 0 and rv.diff_lines(before, rv.head()) == ...

Events are built in the shapes GitHub sends (``action``, ``comment``/``review``/``issue``,
``pull_request``, ``repository``, ``sender``; the keys of octokit's recorded examples, see
``test_payload_shapes``) from what the GitHub fake really holds: the comment is created in
the fake first (so reactions, replies and the review's comment list work) and its JSON is
read back through the fake's REST API, exactly as the webhook would carry it.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from daily_ai_summary.post import Post, line_map, parse
from daily_ai_summary.testing.github_fake import BOT_LOGIN
from daily_ai_summary.testing.harness import TOKEN, ActionHarness, RunResult, git, parse_output_file

# The keys of octokit/webhooks' recorded payload examples (shared/fixtures/github-webhooks).
REVIEW_COMMENT_KEYS = (
    "url", "pull_request_review_id", "id", "node_id", "diff_hunk", "path", "position", "original_position",
    "commit_id", "original_commit_id", "user", "body", "created_at", "updated_at", "html_url",
    "pull_request_url", "author_association", "_links", "reactions", "start_line", "original_start_line",
    "start_side", "line", "original_line", "side",
)  # fmt: skip
ISSUE_COMMENT_KEYS = (
    "url", "html_url", "issue_url", "id", "node_id", "user", "created_at", "updated_at",
    "author_association", "performed_via_github_app", "body", "reactions",
)  # fmt: skip
PULL_KEYS = (
    "url", "id", "node_id", "html_url", "diff_url", "patch_url", "issue_url", "number", "state", "locked",
    "title", "user", "body", "created_at", "updated_at", "closed_at", "merged_at", "merge_commit_sha",
    "assignee", "assignees", "requested_reviewers", "requested_teams", "labels", "milestone",
    "commits_url", "review_comments_url", "review_comment_url", "comments_url", "statuses_url", "head",
    "base", "_links", "author_association", "active_lock_reason",
)  # fmt: skip
ISSUE_KEYS = (
    "url", "repository_url", "labels_url", "comments_url", "events_url", "html_url", "id", "node_id",
    "number", "title", "user", "labels", "state", "locked", "assignee", "assignees", "milestone",
    "comments", "created_at", "updated_at", "closed_at", "author_association", "active_lock_reason",
    "body", "reactions", "draft",
)  # fmt: skip
REVIEW_KEYS = (
    "id", "node_id", "user", "body", "commit_id", "submitted_at", "state", "html_url",
    "pull_request_url", "author_association", "_links",
)  # fmt: skip


class Revisions:
    """Revision scenarios on top of an ``ActionHarness`` (see the module docstring)."""

    def __init__(self, action: ActionHarness, *, reviewer: str = "alice") -> None:
        self.action = action
        self.github = action.github
        self.llm = action.llm
        self.reviewer = reviewer
        self.github.set_permission(reviewer, "write")
        self.pr_number: int | None = None
        self._edits = 0
        self._http = httpx.Client(
            base_url=self.github.url, headers={"Authorization": f"token {TOKEN}"}, timeout=10
        )

    # -- setup -------------------------------------------------------------------------------
    def open_pr(self) -> dict[str, Any]:
        """Run the generate flow (workflow_dispatch) so the branch, post, PR and metadata are real."""
        result = self.action.run(
            "workflow_dispatch", {"inputs": {"date": self.action.post_date.isoformat()}}
        )
        assert result.code == 0, result.log
        assert result.outputs["pull-request-operation"] == "created", result.outputs
        self.pr_number = int(result.outputs["pull-request-number"])
        return self.github.pulls[self.pr_number]

    @property
    def pr(self) -> dict[str, Any]:
        assert self.pr_number is not None, "call open_pr() first"
        return self.github.pulls[self.pr_number]

    # -- reading origin ----------------------------------------------------------------------
    @property
    def post_path(self) -> str:
        return self.action.post_path

    @property
    def branch(self) -> str:
        return self.action.branch

    def head(self) -> str:
        return git(self.action.origin, "rev-parse", f"refs/heads/{self.branch}").strip()

    def text(self, rev: str | None = None) -> str:
        return git(self.action.origin, "show", f"{rev or self.head()}:{self.post_path}")

    def post(self, rev: str | None = None) -> Post:
        return parse(self.text(rev))

    def commits_since(self, rev: str) -> list[str]:
        """Shas of the commits on the PR branch after ``rev``, oldest first."""
        return git(
            self.action.origin, "rev-list", "--reverse", f"{rev}..refs/heads/{self.branch}"
        ).split()

    def line_of(
        self, section: str, number: int, field: str, *, rev: str | None = None, last: bool = False
    ) -> int:
        """The (first or last) line of element ``number`` (1-based) of ``section`` holding ``field``."""
        spans = [
            s
            for s in line_map(self.post(rev))
            if (s.section, s.index, s.field) == (section, number - 1, field)
        ]
        assert spans, f"no {field} in {section} #{number}"
        return spans[0].end if last else spans[0].start

    def lines_of(self, section: str, number: int, *, rev: str | None = None) -> set[int]:
        """Every line of element ``number`` of ``section`` (all its fields)."""
        spans = [
            s for s in line_map(self.post(rev)) if (s.section, s.index) == (section, number - 1)
        ]
        return {n for s in spans for n in range(s.start, s.end + 1)}

    def changed_lines(self, before: str, after: str) -> set[int]:
        """Lines of the post at ``before`` that differ at ``after`` (replaced or deleted)."""
        old, new = self.text(before).splitlines(), self.text(after).splitlines()
        changed: set[int] = set()
        for op, i1, i2, _, _ in difflib.SequenceMatcher(
            None, old, new, autojunk=False
        ).get_opcodes():
            if op in ("replace", "delete"):
                changed.update(range(i1 + 1, i2 + 1))
            elif op == "insert":
                changed.add(i1 + 1)
        return changed

    def committed_files(self, sha: str) -> list[str]:
        return git(
            self.action.origin, "diff-tree", "--no-commit-id", "--name-only", "-r", sha
        ).split()

    # -- GitHub state --------------------------------------------------------------------------
    def _get(self, path: str) -> Any:
        r = self._http.get(f"/repos/{self.github.full_name}{path}")
        r.raise_for_status()
        return r.json()

    def replies_to(self, comment_id: int) -> list[str]:
        """Bodies of the bot's replies about ``comment_id`` (thread replies and PR comments)."""
        mark = f"daily-ai-summary:reply {comment_id} -->"
        bodies = [c["body"] for c in self.github.review_comments.values() if c["user"] == BOT_LOGIN]
        bodies += [c["body"] for c in self.github.comments.values() if c["user"] == BOT_LOGIN]
        return [b for b in bodies if mark in b]

    def thread_replies(self, comment_id: int) -> list[str]:
        return [
            c["body"]
            for c in self.github.review_comments.values()
            if c["in_reply_to_id"] == comment_id
        ]

    def reactions(self, comment_id: int) -> list[str]:
        return [r["content"] for r in self.github.reactions if r["comment_id"] == comment_id]

    def bot_output(self) -> int:
        """How many things the bot wrote or reacted with on GitHub (comments, replies, reactions)."""
        bot_comments = [c for c in self.github.comments.values() if c["user"] == BOT_LOGIN]
        bot_replies = [c for c in self.github.review_comments.values() if c["user"] == BOT_LOGIN]
        return len(bot_comments) + len(bot_replies) + len(self.github.reactions)

    def llm_requests(self) -> int:
        return len(self.llm.chat_bodies())

    # -- events --------------------------------------------------------------------------------
    def _sender(self, login: str) -> dict[str, Any]:
        perm = self._http.get(
            f"/repos/{self.github.full_name}/collaborators/{login}/permission"
        ).json()
        user = {k: v for k, v in perm["user"].items() if k not in ("permissions", "role_name")}
        return user

    def _pull_payload(self) -> dict[str, Any]:
        full = self._get(f"/pulls/{self.pr_number}")
        return {k: full[k] for k in PULL_KEYS if k in full}

    def _envelope(self, action: str, sender: str, **parts: Any) -> dict[str, Any]:
        return {
            "action": action,
            **parts,
            "repository": self._get(""),
            "sender": self._sender(sender),
        }

    def line_comment(
        self,
        body: str,
        *,
        line: int,
        user: str | None = None,
        path: str | None = None,
        outdated: bool = False,
        bot: bool = False,
    ) -> dict[str, Any]:
        """A single line comment (a review of one comment, as the web UI makes it) and its
        ``pull_request_review_comment`` payload. ``outdated`` sends ``line: null``."""
        user = user or self.reviewer
        if bot:
            self.github.add_user(user, type="Bot")
        c = self.github.add_review_comment(
            self.pr_number, body, path=path or self.post_path, line=line, user=user
        )
        return self.review_comment_event(c["id"], outdated=outdated)

    def review_comment_event(self, comment_id: int, *, outdated: bool = False) -> dict[str, Any]:
        raw = self._get(f"/pulls/comments/{comment_id}")
        comment = {k: raw.get(k) for k in REVIEW_COMMENT_KEYS}
        if outdated:
            comment["line"] = None
            comment["position"] = None
        return self._envelope(
            "created", raw["user"]["login"], comment=comment, pull_request=self._pull_payload()
        )

    def review(
        self, comments: list[tuple[int, str]], *, body: str | None = None, user: str | None = None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A submitted review with line comments ``(line, body)``: its ``pull_request_review``
        payload and the ``pull_request_review_comment`` payloads GitHub also sends, one per comment."""
        user = user or self.reviewer
        review = self.github.add_review(
            self.pr_number,
            user=user,
            body=body,
            comments=[(self.post_path, ln, text) for ln, text in comments],
        )
        ids = [
            c["id"] for c in self.github.review_comments.values() if c["review_id"] == review["id"]
        ]
        first = self._get(f"/pulls/comments/{ids[0]}")
        pull = self._pull_payload()
        payload = {
            "id": review["id"],
            "node_id": f"PRR_fake{review['id']}",
            "user": first["user"],
            "body": body,
            "commit_id": first["commit_id"],
            "submitted_at": first["created_at"],
            "state": "commented",
            "html_url": f"{pull['html_url']}#pullrequestreview-{review['id']}",
            "pull_request_url": pull["url"],
            "author_association": first["author_association"],
            "_links": {
                "html": {"href": f"{pull['html_url']}#pullrequestreview-{review['id']}"},
                "pull_request": {"href": pull["url"]},
            },
        }
        event = self._envelope("submitted", user, review=payload, pull_request=pull)
        return event, [self.review_comment_event(i) for i in ids]

    def conversation(
        self, body: str, *, user: str | None = None, bot: bool = False
    ) -> dict[str, Any]:
        """A comment on the PR's conversation tab and its ``issue_comment`` payload (with
        ``issue.pull_request``, which is what makes it a PR comment)."""
        user = user or self.reviewer
        if bot:
            self.github.add_user(user, type="Bot")
        c = self.github.add_issue_comment(self.pr_number, body, user=user)
        raw = self._get(f"/issues/comments/{c['id']}")
        pull = self._get(f"/pulls/{self.pr_number}")
        issue = {k: pull.get(k) for k in ISSUE_KEYS}
        issue.update(
            url=pull["issue_url"],
            repository_url=f"{self.github.url}/repos/{self.github.full_name}",
            labels_url=pull["issue_url"] + "/labels{/name}",
            comments_url=pull["comments_url"],
            events_url=pull["issue_url"] + "/events",
            comments=len(
                [x for x in self.github.comments.values() if x["issue_number"] == self.pr_number]
            ),
            reactions=raw["reactions"],
            pull_request={
                "url": pull["url"],
                "html_url": pull["html_url"],
                "diff_url": pull["diff_url"],
                "patch_url": pull["patch_url"],
                "merged_at": pull["merged_at"],
            },
        )
        return self._envelope(
            "created", user, issue=issue, comment={k: raw.get(k) for k in ISSUE_COMMENT_KEYS}
        )

    # -- running -------------------------------------------------------------------------------
    @staticmethod
    def event_name(payload: dict[str, Any]) -> str:
        if "review" in payload:
            return "pull_request_review"
        if "issue" in payload:
            return "issue_comment"
        return "pull_request_review_comment"

    def run(self, payload: dict[str, Any], *, inputs: dict[str, str] | None = None) -> RunResult:
        """``daily-ai-summary run`` in this process, on the event ``payload``."""
        return self.action.run(self.event_name(payload), payload, inputs=inputs)

    def clone(self, name: str) -> Path:
        """Another checkout of origin (concurrent runs never share a workspace)."""
        path = self.action.root / name
        subprocess.run(
            ["git", "clone", "--quiet", str(self.action.origin), str(path)],
            check=True,
            capture_output=True,
        )
        return path

    def start(
        self, payload: dict[str, Any], *, workspace: Path
    ) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start ``daily-ai-summary run`` as its own process (as a second runner would); finish
        it with ``finish``."""
        env = self.action.env(self.event_name(payload), payload)
        env["GITHUB_WORKSPACE"] = str(workspace)
        proc = subprocess.Popen(
            [sys.executable, "-m", "daily_ai_summary", "run"],
            env=env, cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        return proc, env

    @staticmethod
    def finish(
        started: tuple[subprocess.Popen[str], dict[str, str]], timeout: float = 120
    ) -> RunResult:
        proc, env = started
        out, err = proc.communicate(timeout=timeout)
        return RunResult(
            proc.returncode,
            out,
            err,
            parse_output_file(Path(env["GITHUB_OUTPUT"]).read_text()),
            Path(env["GITHUB_STEP_SUMMARY"]).read_text(),
        )

    def push_edit(self, old: str, new: str, *, email: str = "bob@example.org") -> str:
        """A person edits the post on the PR branch (replacing ``old`` with ``new``) and pushes."""
        text = self.text()
        assert text.count(old) == 1, f"{old!r} is not in the post exactly once"
        self._edits += 1
        clone = self.action.root / f"person-{self._edits}"
        subprocess.run(
            [
                "git",
                "clone",
                "--quiet",
                "--branch",
                self.branch,
                str(self.action.origin),
                str(clone),
            ],
            check=True,
            capture_output=True,
        )
        (clone / self.post_path).write_text(text.replace(old, new), encoding="utf-8")
        git(
            clone,
            "-c",
            "user.name=Bob",
            "-c",
            f"user.email={email}",
            "commit",
            "--quiet",
            "-am",
            "a person's edit",
        )
        git(clone, "push", "--quiet", "origin", f"HEAD:refs/heads/{self.branch}")
        return git(clone, "rev-parse", "HEAD").strip()

    def close(self) -> None:
        self._http.close()


__all__ = ["Revisions"]
