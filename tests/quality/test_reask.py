"""The re-ask states the problems, never the rejected answer, and counts what worked."""

from __future__ import annotations

from daily_ai_summary.reask import (
    MAX_FEEDBACK_CHARS,
    ReaskStats,
    problem_kind,
    reask_user_message,
)


def test_each_rejection_has_a_kind():
    cases = {
        "the answer is not valid JSON (Expecting value at line 1 column 1)": "json",
        "predictions: expected exactly 2 predictions, one per event, got 5": "count",
        "'AGI': March 2020 is in the past (today is 2026-12-04)": "past",
        "predictions.0.when: 'soon' is not a date; write a month name": "date",
        "benefits: is too short (12 words; write 40 to 120)": "length",
        "ramifications: contains an HTML tag or comment": "markup",
        "benefits: copies the source's first-person text ('our')": "first-person",
        "ramifications: repeats the benefits (81% similar)": "repetition",
        "ramifications: says there are no risks ('There are no significant risks')": "no-risks",
        "benefits: repeats the instructions ('between the markers')": "prompt-leak",
        "predictions: the rationales for 'A' and 'B' are near-duplicates (90% similar)": "duplicate-rationales",
        "ramifications: Field required": "schema",
        "something new": "other",
    }
    for problem, kind in cases.items():
        assert problem_kind(problem) == kind, problem


def test_the_first_problem_decides_the_kind():
    assert (
        problem_kind("benefits: is too short (3 words); ramifications: contains a link or URL")
        == "length"
    )


def test_the_reask_states_the_problems_but_caps_them_and_keeps_the_request():
    hostile = "x" * 11_000_000
    msg = reask_user_message(
        "Write the benefits.\n\n<<<DATA n>>>\nT\n<<<END DATA n>>>",
        f"benefits: contains an HTML tag: {hostile}",
    )
    assert msg.startswith("Write the benefits.\n\n<<<DATA n>>>")
    assert "contains an HTML tag" in msg and "from scratch" in msg
    assert len(msg) < 200 + MAX_FEEDBACK_CHARS + 200


def test_stats_count_successes_by_kind():
    stats = ReaskStats()
    stats.record("date", True)
    stats.record("date", False)
    stats.record("length", True)
    assert stats.total == 3 and stats.succeeded["date"] == 1
    assert stats.describe() == "re-asks that worked: 2 of 3 (date 1/2, length 1/1)"
