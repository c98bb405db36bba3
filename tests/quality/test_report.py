"""What the reviewer sees of degradations and grounding: the PR body and the job summary."""

from __future__ import annotations

from daily_ai_summary.models import Candidate, Usage
from daily_ai_summary.report import build_metadata, decode_metadata, job_summary, pr_body


def cand(i: int, title: str) -> Candidate:
    return Candidate(
        source="reddit r/ML",
        source_type="reddit",
        id=f"t{i}",
        title=title,
        url=f"https://www.reddit.com/r/ML/comments/t{i}/",
    )


ITEMS = [cand(1, "Sparse mixture-of-depths"), cand(2, "A runner-up about kernels")]
DEGRADED = [
    "item 2: '<script>alert(1)</script> @maintainer' was replaced by the runner-up 'A runner-up about kernels' because its answer was unusable: contains an HTML tag",
    "item 1: kept with notes: benefits is 31 words (asked 40 to 120)",
]


def meta():
    return build_metadata(
        date="2026-11-02",
        post_path="content/posts/x.md",
        items=ITEMS,
        trending=[],
        runners_up=[],
        model="qwen",
        provider="openai-compatible",
        usage=Usage(calls=7),
        grounding=[0.45, None],
        degradations=DEGRADED,
    )


def test_each_item_shows_its_grounding_score_in_the_pr_body():
    body = pr_body(meta(), usage=Usage(calls=7), command_prefix="/summary")
    [first] = [line for line in body.splitlines() if line.startswith("1. ")]
    [second] = [line for line in body.splitlines() if line.startswith("2. ")]
    assert first.endswith("· grounding 45%")
    assert "grounding" not in second  # no score (the source had no names or numbers)


def test_degradations_are_listed_visibly_and_inertly_in_the_pr_body():
    body = pr_body(meta(), usage=Usage(calls=7), command_prefix="/summary")
    visible = body.split("<!--")[0]
    assert "**Degraded (2):**" in visible
    assert "replaced by the runner-up" in visible and "kept with notes" in visible
    assert "<script>" not in visible and "@maintainer" not in visible  # escaped, no mention


def test_a_revision_rebuilding_the_body_from_the_metadata_keeps_them():
    body = pr_body(meta(), usage=Usage(calls=7), command_prefix="/summary")
    again = pr_body(decode_metadata(body), usage=Usage(calls=9), command_prefix="/summary")
    assert "**Degraded (2):**" in again and "grounding 45%" in again


def test_a_forged_grounding_value_is_not_shown():
    m = meta()
    m["items"][0]["grounding"] = "100%<img src=x>"
    body = pr_body(m, usage=Usage(), command_prefix="/summary")
    assert "grounding" not in body.split("<!--")[0] and "<img" not in body.split("<!--")[0]


def test_the_job_summary_lists_degradations_first_and_names_the_endpoint_mode():
    summary = job_summary(
        title="Daily AI summary 2026-11-02",
        outcome="Opened a pull request with the post.",
        degradations=DEGRADED,
        endpoint="structured outputs: the full JSON schema for llama.cpp (GET /models says owned_by llamacpp)",
    )
    head = summary.split("**Endpoint:**")[0]
    assert "**Degraded (2):**" in head and "<details>" not in head
    assert "full JSON schema for llama.cpp" in summary
    assert "<script>" not in summary
