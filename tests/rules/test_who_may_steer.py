"""Who may steer a PR, end to end: ``daily-ai-summary run`` on the payloads GitHub sends.

Every test here is a command that WOULD be carried out if the one rule it names were missing:
it comes from someone with write access (or a bot that has it), on the action's own open PR,
with a command the grammar accepts. So each rule is pinned by itself, not hidden behind
another (for example a bot that also lacks write access). What is checked is what anyone can
see: no commit, no model call, no comment, no reaction.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from daily_ai_summary.testing.harness import git
from tests.rules.conftest import Steer


def _with_action(payload: dict[str, Any], action: str, **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    out["action"] = action
    out.update(changes)
    return out


def test_a_bot_with_write_access_is_ignored_whether_its_type_or_its_login_says_bot(
    steer: Steer,
) -> None:
    rv = steer.rv
    rv.github.add_user("helper-app", type="Bot", permission="write")  # type Bot, plain login
    rv.github.add_user("sneaky[bot]", type="User", permission="write")  # [bot] login only
    line = rv.line_of("consequences", 1, "benefits")
    for user in ("helper-app", "sneaky[bot]"):
        steer.assert_ignored(rv.conversation("/summary drop 1", user=user))
        steer.assert_ignored(rv.line_comment("/summary drop", line=line, user=user))
        review, line_events = rv.review(
            [(line, "/summary drop")], body="/summary drop 1", user=user
        )
        steer.assert_ignored(review)
        for event in line_events:
            steer.assert_ignored(event)
    # The control: the same command from a person with write access is carried out.
    steer.assert_obeyed(rv.conversation("/summary drop 1"))


def test_an_edited_or_deleted_comment_is_ignored(steer: Steer) -> None:
    rv = steer.rv
    line = rv.line_of("consequences", 1, "benefits")
    talk = rv.conversation("/summary drop 1")
    edited = _with_action(talk, "edited", changes={"body": {"from": "looks good"}})
    steer.assert_ignored(edited)
    steer.assert_ignored(_with_action(talk, "deleted"))
    on_line = rv.line_comment("/summary drop", line=line)
    steer.assert_ignored(_with_action(on_line, "edited", changes={"body": {"from": "nice"}}))
    steer.assert_ignored(_with_action(on_line, "deleted"))


def test_a_dismissed_or_edited_review_is_ignored(steer: Steer) -> None:
    rv = steer.rv
    line = rv.line_of("consequences", 1, "benefits")
    review, _ = rv.review([(line, "/summary drop")], body="/summary drop 1")
    dismissed = _with_action(review, "dismissed")
    dismissed["review"]["state"] = "dismissed"
    steer.assert_ignored(dismissed)
    steer.assert_ignored(_with_action(review, "edited", changes={"body": {"from": "ok"}}))


def test_a_comment_on_a_plain_issue_is_ignored(steer: Steer, recorded: Path) -> None:
    """GitHub's own recorded ``issue_comment`` example is a comment on issue #1, a plain issue
    (no ``issue.pull_request``); here it carries a command from someone who may write, and the
    action's PR is #1 too, so only the issue-or-PR rule stands between it and a commit."""
    rv = steer.rv
    raw = recorded / "github-webhooks" / "issue_comment.created.payload.json"
    payload = json.loads(raw.read_text("utf-8"))
    assert "pull_request" not in payload["issue"] and payload["issue"]["number"] == rv.pr_number
    payload["comment"]["body"] = "/summary drop 1"
    payload["comment"]["user"]["login"] = payload["sender"]["login"] = rv.reviewer
    steer.assert_ignored(payload, "issue_comment")


def test_summaryx_and_other_words_that_begin_with_the_prefix_are_not_commands(
    steer: Steer,
) -> None:
    rv = steer.rv
    for body in ("/summaryx drop 1", "/summary:drop 1", "/summary-drop 1", "/summarydrop 1"):
        steer.assert_ignored(rv.conversation(body))


def test_a_pr_whose_branch_only_contains_the_prefix_is_not_ours(steer: Steer) -> None:
    """A PR with our label, our metadata and our post, from a branch that has
    ``daily-ai-summary/`` inside its name but not at its start, is someone else's."""
    rv = steer.rv
    ours = rv.pr
    for branch in ("evil/daily-ai-summary/x", "fork-daily-ai-summary/2025-04-16"):
        git(rv.action.origin, "update-ref", f"refs/heads/{branch}", rv.head())
        pr = rv.github.add_pull(
            branch, title=ours["title"], body=ours["body"], labels=list(ours["labels"])
        )
        own = rv.pr_number
        rv.pr_number = pr["number"]
        try:
            before = git(rv.action.origin, "rev-parse", f"refs/heads/{branch}")
            steer.assert_ignored(rv.conversation("/summary drop 1"))
            assert git(rv.action.origin, "rev-parse", f"refs/heads/{branch}") == before
        finally:
            rv.pr_number = own


def test_a_commenter_whose_permission_lookup_is_404_has_no_write_access(steer: Steer) -> None:
    """The account behind the comment is gone by the time the run asks (deleted or renamed):
    GitHub answers the permission lookup with 404, which means no access, never write."""
    rv = steer.rv
    rv.github.set_permission("leaver", "write")
    event = rv.conversation("/summary drop 1", user="leaver")
    rv.github.remove_account("leaver")
    steer.assert_ignored(event)
