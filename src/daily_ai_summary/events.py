"""Event payload -> what to do: ``Generate``, ``Revise`` or ``Ignore``. Pure.

Only what the payload alone can decide is decided here (event type and action, the command
prefix, bots). Whether the PR is ours and whether the commenter may write needs the API and
is checked by the revise flow.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from daily_ai_summary.errors import InputError
from daily_ai_summary.publish.git import is_sha

GENERATE_EVENTS = ("schedule", "workflow_dispatch")
REVISE_EVENTS = ("pull_request_review_comment", "pull_request_review", "issue_comment")


@dataclass(frozen=True)
class Generate:
    """Write the post for a date. ``date`` is the raw text (validated by the plan)."""

    date: str
    trigger: str


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    user_login: str
    user_type: str
    path: str | None = None
    line: int | None = None
    side: str | None = None
    commit_id: str | None = None
    review_id: int | None = None


@dataclass(frozen=True)
class Revise:
    """A reviewer's command on a PR.

    ``kind`` is "line" (one review comment), "review" (all line comments of a submitted review,
    fetched through the API) or "conversation" (a PR comment).
    """

    kind: Literal["line", "review", "conversation"]
    pr_number: int
    comment: Comment  # the triggering comment (for a review: the review itself)
    head_ref: str | None = None  # from the payload when it has the PR; else fetched
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ignore:
    reason: str


Decision = Generate | Revise | Ignore


def load_event(path: str) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"event payload not found at {path}", input_name="GITHUB_EVENT_PATH"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"event payload is not JSON: {exc}", input_name="GITHUB_EVENT_PATH"
        ) from None
    if not isinstance(data, dict):
        raise InputError("event payload is not a JSON object", input_name="GITHUB_EVENT_PATH")
    return data


def is_bot(user: dict[str, Any] | None) -> bool:
    user = user or {}
    login = str(user.get("login") or "")
    return user.get("type") == "Bot" or login.endswith("[bot]")


def has_prefix(body: str | None, prefix: str) -> bool:
    """The comment starts with the command prefix as a whole word (``/summary``, not
    ``/summarys``). Leading whitespace is allowed."""
    text = (body or "").lstrip()
    return text.startswith(prefix) and (len(text) == len(prefix) or text[len(prefix)].isspace())


def _comment(c: dict[str, Any]) -> Comment:
    user = c.get("user") or {}
    return Comment(
        id=int(c.get("id") or 0),
        body=str(c.get("body") or ""),
        user_login=str(user.get("login") or ""),
        user_type=str(user.get("type") or ""),
        path=c.get("path"),
        line=c.get("line"),
        side=c.get("side"),
        commit_id=None if c.get("commit_id") is None else str(c.get("commit_id")),
        review_id=c.get("pull_request_review_id"),
    )


def _labels(obj: dict[str, Any]) -> tuple[str, ...]:
    return tuple(
        str(label.get("name")) for label in obj.get("labels") or [] if isinstance(label, dict)
    )


def classify(
    event_name: str, payload: dict[str, Any], *, date_input: str, command_prefix: str
) -> Decision:
    """Decide from the event alone. ``date_input`` is the action's ``date`` input."""
    if event_name in GENERATE_EVENTS:
        inputs = payload.get("inputs") or {}
        date = str(inputs.get("date") or "").strip() if isinstance(inputs, dict) else ""
        return Generate(date=date or date_input, trigger=event_name)
    if event_name not in REVISE_EVENTS:
        return Ignore(
            f"event '{event_name or 'unknown'}' is not handled (schedule, workflow_dispatch and PR comments are)"
        )

    action = payload.get("action")
    if event_name == "pull_request_review":
        review = payload.get("review") or {}
        pr = payload.get("pull_request") or {}
        if action != "submitted":
            return Ignore(f"review action '{action}' is not 'submitted'")
        if is_bot(review.get("user")):
            return Ignore("the review is by a bot")
        comment = _comment({**review, "pull_request_review_id": review.get("id")})
        return Revise(
            "review",
            int(pr.get("number") or 0),
            comment,
            (pr.get("head") or {}).get("ref"),
            _labels(pr),
        )

    if action != "created":
        return Ignore(f"comment action '{action}' is not 'created'")
    raw = payload.get("comment") or {}
    if is_bot(raw.get("user")):
        return Ignore("the comment is by a bot")
    if not has_prefix(raw.get("body"), command_prefix):
        return Ignore(f"the comment does not start with {command_prefix}")

    if event_name == "pull_request_review_comment":
        pr = payload.get("pull_request") or {}
        comment = _comment(raw)
        if comment.commit_id is not None and not is_sha(comment.commit_id):
            # GitHub sends a 40-hex SHA; anything else is forged and never reaches git
            return Ignore(
                f"the comment's commit_id {str(comment.commit_id)[:50]!r} is not a commit SHA"
            )
        return Revise(
            "line",
            int(pr.get("number") or 0),
            comment,
            (pr.get("head") or {}).get("ref"),
            _labels(pr),
        )

    issue = payload.get("issue") or {}
    if not issue.get("pull_request"):
        return Ignore("the comment is on an issue, not a pull request")
    return Revise(
        "conversation", int(issue.get("number") or 0), _comment(raw), None, _labels(issue)
    )
