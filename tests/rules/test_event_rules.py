"""What an event alone decides (``events.classify``), on GitHub's own recorded webhook payloads
(``../shared/fixtures/github-webhooks``, octokit's examples) changed only where a rule looks.

The edited, deleted and dismissed shapes are those GitHub documents for these events: the same
objects with another ``action`` (an edit adds ``changes.body.from``; a dismissed review has
``state: "dismissed"``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from daily_ai_summary.errors import InputError
from daily_ai_summary.events import Comment, Generate, Ignore, Revise, classify, load_event

Payload = Callable[..., dict[str, Any]]
PREFIX = "/summary"


@pytest.fixture(scope="module")
def webhook(recorded: Path) -> Payload:
    """``webhook(name, body=..., login=..., user_type=...)``: a recorded payload with its comment
    (or review) body and author replaced, and everything else as GitHub sent it."""
    cache: dict[str, dict[str, Any]] = {}

    def load(
        name: str,
        body: str | None = "/summary drop 1",
        login: str = "alice",
        user_type: str = "User",
        **top: Any,
    ) -> dict[str, Any]:
        if name not in cache:
            path = recorded / "github-webhooks" / f"{name}.payload.json"
            cache[name] = json.loads(path.read_text(encoding="utf-8"))
        payload = copy.deepcopy(cache[name])
        part = payload["review"] if "review" in payload else payload["comment"]
        part["body"] = body
        part["user"]["login"] = payload["sender"]["login"] = login
        part["user"]["type"] = payload["sender"]["type"] = user_type
        payload.update(top)
        return payload

    return load


def on_pr(payload: dict[str, Any], number: int = 7) -> dict[str, Any]:
    """The recorded issue comment is on a plain issue; this is the same comment on a PR (GitHub
    adds ``issue.pull_request`` for those)."""
    payload["issue"]["number"] = number
    payload["issue"]["pull_request"] = {
        "url": f"https://api.github.com/repos/o/r/pulls/{number}",
        "html_url": f"https://github.com/o/r/pull/{number}",
        "diff_url": f"https://github.com/o/r/pull/{number}.diff",
        "patch_url": f"https://github.com/o/r/pull/{number}.patch",
        "merged_at": None,
    }
    return payload


def decide(name: str, payload: dict[str, Any], prefix: str = PREFIX) -> Any:
    event = name.split(".")[0]
    return classify(event, payload, date_input="2025-04-16", command_prefix=prefix)


LINE = "pull_request_review_comment.created"
REVIEW = "pull_request_review.submitted"
TALK = "issue_comment.created"


def test_commands_in_each_kind_of_comment_are_revisions(webhook: Payload) -> None:
    line = decide(LINE, webhook(LINE))
    assert isinstance(line, Revise) and line.kind == "line"
    assert (line.pr_number, line.head_ref, line.labels) == (2, "changes", ("bug",))
    assert line.comment == Comment(
        id=284312630,
        body="/summary drop 1",
        user_login="alice",
        user_type="User",
        path="README.md",
        line=265,
        side="RIGHT",
        commit_id="ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        review_id=237895671,
    )
    review = decide(REVIEW, webhook(REVIEW, login="bob"))
    assert isinstance(review, Revise) and review.kind == "review"
    assert (review.pr_number, review.head_ref, review.labels) == (2, "changes", ("bug",))
    assert review.comment == Comment(
        id=237895671,
        body="/summary drop 1",
        user_login="bob",
        user_type="User",
        commit_id="ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        review_id=237895671,
    )
    talk = decide(TALK, on_pr(webhook(TALK), 7))
    assert isinstance(talk, Revise) and talk.kind == "conversation"
    assert (talk.pr_number, talk.head_ref, talk.labels) == (7, None, ("bug",))
    assert talk.comment == Comment(
        id=492700400, body="/summary drop 1", user_login="alice", user_type="User"
    )


@pytest.mark.parametrize("name", [LINE, TALK])
@pytest.mark.parametrize("action", ["edited", "deleted"])
def test_an_edited_or_deleted_comment_is_not_a_command(
    webhook: Payload, name: str, action: str
) -> None:
    payload = webhook(name, action=action)
    if name == TALK:
        on_pr(payload)
    if action == "edited":
        payload["changes"] = {"body": {"from": "looks good"}}
    decision = decide(name, payload)
    assert isinstance(decision, Ignore) and f"'{action}'" in decision.reason


@pytest.mark.parametrize("action", ["dismissed", "edited"])
def test_a_dismissed_or_edited_review_is_not_a_command(webhook: Payload, action: str) -> None:
    payload = webhook(REVIEW, action=action)
    payload["review"]["state"] = "dismissed" if action == "dismissed" else "commented"
    decision = decide(REVIEW, payload)
    assert isinstance(decision, Ignore) and f"'{action}'" in decision.reason


def test_a_comment_on_a_plain_issue_is_not_a_command(webhook: Payload) -> None:
    payload = webhook(TALK)
    assert "pull_request" not in payload["issue"]  # GitHub's recorded plain-issue comment
    assert decide(TALK, payload) == Ignore("the comment is on an issue, not a pull request")


@pytest.mark.parametrize(
    ("login", "user_type"),
    [("helper-app", "Bot"), ("renovate[bot]", "Bot"), ("sneaky[bot]", "User")],
)
@pytest.mark.parametrize("name", [LINE, REVIEW, TALK])
def test_a_bot_is_never_obeyed_whether_its_type_or_its_login_says_bot(
    webhook: Payload, name: str, login: str, user_type: str
) -> None:
    payload = webhook(name, login=login, user_type=user_type)
    if name == TALK:
        on_pr(payload)
    decision = decide(name, payload)
    who = "review" if name == REVIEW else "comment"
    assert decision == Ignore(f"the {who} is by a bot")


@pytest.mark.parametrize("login", ["bot", "robot-fan", "[bot]alice", "bot]"])
def test_a_person_whose_login_merely_mentions_bot_is_not_a_bot(
    webhook: Payload, login: str
) -> None:
    decision = decide(TALK, on_pr(webhook(TALK, login=login)))
    assert isinstance(decision, Revise) and decision.comment.user_login == login


@pytest.mark.parametrize(
    "body",
    [
        "/summaryx drop 1",
        "/summary:drop 1",
        "/summary-drop",
        "/summarydrop 1",
        "please /summary drop 1",
        "Nice one /summary drop 1",  # the prefix later on, after a space at its length
        "summary drop 1",
        "/Summary drop 1",
        "/summar",
        "",
        None,
    ],
)
@pytest.mark.parametrize("name", [LINE, TALK])
def test_summaryx_and_text_that_does_not_start_with_the_prefix_word_is_not_a_command(
    webhook: Payload, name: str, body: str | None
) -> None:
    payload = webhook(name, body=body)
    if name == TALK:
        on_pr(payload)
    decision = decide(name, payload)
    assert isinstance(decision, Ignore) and "does not start with /summary" in decision.reason


@pytest.mark.parametrize(
    "body",
    [
        "/summary",
        "/summary drop 1",
        "  \n /summary drop 1",
        "/summary\tshorter",
        "/summary\nshorter",
    ],
)
def test_the_prefix_alone_or_followed_by_whitespace_is_a_command(
    webhook: Payload, body: str
) -> None:
    decision = decide(TALK, on_pr(webhook(TALK, body=body)))
    assert isinstance(decision, Revise) and decision.comment.body == body


def test_a_custom_prefix_replaces_summary(webhook: Payload) -> None:
    assert isinstance(decide(TALK, on_pr(webhook(TALK, body="!blog drop 1")), "!blog"), Revise)
    assert isinstance(decide(TALK, on_pr(webhook(TALK, body="/summary drop 1")), "!blog"), Ignore)
    assert isinstance(decide(TALK, on_pr(webhook(TALK, body="!blogs drop 1")), "!blog"), Ignore)


def test_a_review_is_a_command_whatever_its_body_says(webhook: Payload) -> None:
    """A review's line comments are fetched and checked one by one, so the review event itself
    is handed on even with an empty or ordinary body (but never from a bot)."""
    for body in (None, "", "Looks good"):
        decision = decide(REVIEW, webhook(REVIEW, body=body))
        assert isinstance(decision, Revise) and decision.kind == "review"
        assert decision.comment.body == (body or "")


def test_schedule_and_dispatch_generate_for_the_requested_date(
    webhook: Payload, recorded: Path
) -> None:
    dispatch = json.loads(
        (recorded / "github-webhooks" / "workflow_dispatch.payload.json").read_text("utf-8")
    )
    assert classify("workflow_dispatch", dispatch, date_input="", command_prefix=PREFIX) == (
        Generate(date="", trigger="workflow_dispatch")
    )
    dispatch["inputs"] = {"date": "  2025-04-01 "}
    assert classify(
        "workflow_dispatch", dispatch, date_input="2025-04-16", command_prefix=PREFIX
    ) == (Generate(date="2025-04-01", trigger="workflow_dispatch"))
    dispatch["inputs"] = {"date": "   "}
    assert classify(
        "workflow_dispatch", dispatch, date_input="2025-04-16", command_prefix=PREFIX
    ) == (Generate(date="2025-04-16", trigger="workflow_dispatch"))
    assert classify(
        "schedule", {"schedule": "35 5 * * *"}, date_input="", command_prefix=PREFIX
    ) == (Generate(date="", trigger="schedule"))
    assert classify(
        "workflow_dispatch", {"inputs": "2025-04-01"}, date_input="x", command_prefix=PREFIX
    ) == Generate(date="x", trigger="workflow_dispatch")


@pytest.mark.parametrize("event", ["push", "pull_request", "pull_request_target", "issues", ""])
def test_other_events_are_ignored(webhook: Payload, event: str) -> None:
    decision = classify(event, webhook(TALK), date_input="", command_prefix=PREFIX)
    assert isinstance(decision, Ignore) and f"'{event or 'unknown'}'" in decision.reason


def test_a_review_comment_outside_a_review_and_labels_are_read(webhook: Payload) -> None:
    payload = webhook(LINE)
    payload["comment"]["pull_request_review_id"] = None
    payload["pull_request"]["labels"] = [{"name": "daily-summary"}, "junk", {"name": "x"}]
    decision = decide(LINE, payload)
    assert isinstance(decision, Revise)
    assert decision.comment.review_id is None and decision.labels == ("daily-summary", "x")
    talk = on_pr(webhook(TALK))
    talk["issue"]["labels"] = [{"name": "daily-summary"}]
    assert decide(TALK, talk).labels == ("daily-summary",)


def test_an_event_file_that_is_missing_or_not_a_json_object_is_one_clear_error(
    tmp_path: Path,
) -> None:
    assert load_event("") == {}
    missing = tmp_path / "nope.json"
    bad = tmp_path / "bad.json"
    for text, says in [
        (None, f"input 'GITHUB_EVENT_PATH': event payload not found at {missing}"),
        ("{not json", "input 'GITHUB_EVENT_PATH': event payload is not JSON: Expecting"),
        (b"\xff{}", "input 'GITHUB_EVENT_PATH': event payload is not JSON: 'utf-8' codec"),
        ("[1, 2]", "input 'GITHUB_EVENT_PATH': event payload is not a JSON object"),
    ]:
        path = missing
        if text is not None:
            path = bad
            bad.write_bytes(text if isinstance(text, bytes) else text.encode())
        with pytest.raises(InputError) as raised:
            load_event(str(path))
        assert str(raised.value).startswith(says), str(raised.value)
    good = tmp_path / "good.json"
    good.write_text('{"action": "créé"}', encoding="utf-8")
    assert load_event(str(good)) == {"action": "créé"}


def test_a_payload_with_missing_parts_names_no_pr_and_no_one(webhook: Payload) -> None:
    """Missing numbers and ids are 0 (no such PR or comment), never a real one such as #1."""
    review = webhook(REVIEW)
    del review["pull_request"]["number"], review["review"]["id"]
    decision = decide(REVIEW, review)
    assert isinstance(decision, Revise) and decision.pr_number == 0
    assert decision.comment.id == 0 and decision.comment.review_id is None
    talk = on_pr(webhook(TALK))
    del talk["issue"]["number"], talk["comment"]["id"]
    talk["comment"]["user"] = None
    decision = decide(TALK, talk)
    assert isinstance(decision, Revise) and decision.pr_number == 0
    assert (decision.comment.id, decision.comment.user_login, decision.comment.user_type) == (
        0,
        "",
        "",
    )


def test_a_line_comment_whose_payload_has_no_pr_number_names_no_pr(webhook: Payload) -> None:
    """A line comment without ``pull_request.number`` is about PR 0 (none), never #1."""
    line = webhook(LINE)
    del line["pull_request"]["number"]
    decision = decide(LINE, line)
    assert isinstance(decision, Revise) and decision.kind == "line"
    assert decision.pr_number == 0
