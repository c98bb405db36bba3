"""Hugging Face daily papers: the day asked for, and the fields of the recorded payload."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sources_support import fetch

from daily_ai_summary.errors import SourceError
from daily_ai_summary.testing.sources_fake import hf_paper

WINDOW = (datetime(2026, 6, 12, tzinfo=UTC), datetime(2026, 6, 13, tzinfo=UTC))


def test_recorded_daily_papers(recorded, fake, policy):
    raw = (recorded / "huggingface/hf_daily_papers.json").read_bytes()
    items = json.loads(raw)
    fake.set_hf_response(raw)

    result = fetch(fake.huggingface_options(limit=100), WINDOW, policy=policy)

    assert len(result.candidates) == len(items) == 30
    by_id = {c.id: c for c in result.candidates}
    for item in items:
        paper = item["paper"]
        c = by_id[paper["id"]]
        assert c.url == f"https://huggingface.co/papers/{paper['id']}"
        assert c.link == f"https://arxiv.org/abs/{paper['id']}"
        assert (c.score, c.comments) == (paper["upvotes"], item["numComments"])
        assert c.raw_title == item["title"] and c.text and len(c.text) <= 1500
        assert c.created == datetime(2026, 6, 12, tzinfo=UTC)  # submittedOnDailyAt
    scores = [c.score for c in result.candidates]
    assert scores == sorted(scores, reverse=True)
    (req,) = fake.calls("GET", "/api/daily_papers")
    assert req.arg("date") == "2026-06-12"


def test_the_date_asked_is_the_day_the_window_covers(fake, policy):
    day = date(2026, 3, 2)
    fake.add_hf_papers(day, [hf_paper(id="2603.00001", title="On the day", summary="s", day=day, upvotes=3)])
    fake.add_hf_papers(day + timedelta(days=1), [hf_paper(id="2603.00002", title="Next day", summary="s", day=day)])
    window = (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))
    result = fetch(fake.huggingface_options(), window, is_today=False, policy=policy)
    assert [c.title for c in result.candidates] == ["On the day"]
    assert result.candidates[0].author == "Sample Author"


def test_an_empty_day_warns(fake, policy):
    result = fetch(fake.huggingface_options(), WINDOW, policy=policy)
    assert result.candidates == []
    assert result.warnings == ["huggingface papers: no papers listed for 2026-06-12"]


def test_a_non_array_answer_is_an_error(fake, policy):
    fake.set_hf_response(b'{"error": "Internal Error"}')
    with pytest.raises(SourceError, match="expected a JSON array"):
        fetch(fake.huggingface_options(), WINDOW, policy=policy)
