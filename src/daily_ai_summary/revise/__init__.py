"""Revise the post from PR comments, one stage per module:

    authorize -> locate -> rewrite -> publish -> report        (``run.run_revise``)

* ``authorize``: who may steer (write/admin on one of our own open PRs) and which comments
  this event answers (a review is one unit; each comment is answered exactly once).
* ``locate``: a comment -> the part of the post at the PR's head (outdated comments refused).
* ``commands``: the ``/summary ...`` grammar, targets, and applying changes (pure).
* ``rewrite``: the model's edits of the located parts only (prompts, answer checks).
* ``publish``: one commit on the PR's branch, pushed without force; on a moved branch the same
  changes are applied again on the new head.
* ``report``: reactions, replies, the PR body's refresh, outputs and the job summary.
* ``request``: ``Request``, the value each stage fills in.

"Answered" means the action's reply, in the thread or on the conversation, carries
``<!-- REPLY_MARK id -->``; re-running a workflow run therefore does nothing twice.
"""

from daily_ai_summary.revise.authorize import collect_requests, own_pr_problem
from daily_ai_summary.revise.locate import locate_request
from daily_ai_summary.revise.publish import commit_changes
from daily_ai_summary.revise.report import (
    body_notes,
    previous_usage,
    reply_text,
    updated_metadata,
)
from daily_ai_summary.revise.request import REPLY_MARK, Request
from daily_ai_summary.revise.rewrite import Paragraph, TrendingTitle, paragraph_messages
from daily_ai_summary.revise.run import run_revise

__all__ = [
    "REPLY_MARK",
    "Paragraph",
    "Request",
    "TrendingTitle",
    "body_notes",
    "collect_requests",
    "commit_changes",
    "locate_request",
    "own_pr_problem",
    "paragraph_messages",
    "previous_usage",
    "reply_text",
    "run_revise",
    "updated_metadata",
]
