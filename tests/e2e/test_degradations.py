"""`daily-ai-summary run` with a model that cannot write one item (issues 17 and 11): the post
still opens, the item is swapped for a runner-up, and the reviewer sees it everywhere."""

from __future__ import annotations

from daily_ai_summary.post import parse
from daily_ai_summary.report import decode_metadata
from daily_ai_summary.testing.openai_fake import Reply


def test_an_item_the_model_refuses_is_swapped_and_the_swap_is_shown_everywhere(harness):
    harness.llm.queue(Reply.refusal("I can't write about that.", match="Title:"))
    result = harness.run("schedule")
    assert result.code == 0, result.log

    [pr] = harness.open_pulls()
    visible = pr["body"].split("<!--")[0]
    assert "**Degraded (1):**" in visible and "replaced by the runner-up" in visible
    assert "model refused" in visible
    assert visible.count("· grounding ") == 3  # a score beside every item

    meta = decode_metadata(pr["body"])
    used = {c["id"] for c in meta["items"]}
    assert not used & {c["id"] for c in meta["runners_up"]}  # the runner-up is not offered twice

    post = parse(harness.branch_file(harness.branch, harness.post_path))
    assert len(post.consequences) == 3
    assert "**Degraded (1):**" in result.summary.split("| source |")[0]  # first in the summary
    assert "::warning::degraded: item " in result.stdout  # and on the runner
