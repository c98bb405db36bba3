"""Hacker News via Algolia: the window and points filters, the 400 fallback, recorded hits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sources_support import fetch

from daily_ai_summary.errors import SourceError
from daily_ai_summary.sources.hackernews import DEFAULT_MIN_POINTS, HackerNewsOptions
from daily_ai_summary.testing.server import Response
from daily_ai_summary.testing.sources_fake import hn_hit

START = datetime(2026, 9, 13, tzinfo=UTC)
WINDOW = (START, START + timedelta(days=1))


def at(hours: float) -> int:
    return int((START + timedelta(hours=hours)).timestamp())


def test_recorded_search_by_date_hits(recorded, fake, policy):
    payload = json.loads((recorded / "hackernews/ai-news_hn_search_by_date.json").read_bytes())
    fake.set_hn_response((recorded / "hackernews/ai-news_hn_search_by_date.json").read_bytes())
    hits = payload["hits"]
    window = (datetime.fromtimestamp(min(h["created_at_i"] for h in hits), UTC),
              datetime.fromtimestamp(max(h["created_at_i"] for h in hits) + 1, UTC))

    result = fetch(fake.hackernews_options(limit=100), window, policy=policy)

    assert len(result.candidates) == len(hits) == 30  # all have points > 100
    by_id = {c.id: c for c in result.candidates}
    for h in hits:
        c = by_id[h["objectID"]]
        assert c.url == f"https://news.ycombinator.com/item?id={h['objectID']}"
        assert (c.score, c.comments, c.link, c.author) == (h["points"], h["num_comments"], h["url"], h["author"])
        assert c.created == datetime.fromtimestamp(h["created_at_i"], UTC)
    assert [c.score for c in result.candidates] == sorted((h["points"] for h in hits), reverse=True)

    (req,) = fake.calls("GET", "/api/v1/search_by_date")
    s, e = int(window[0].timestamp()), int(window[1].timestamp())
    assert req.arg("numericFilters") == f"created_at_i>={s},created_at_i<{e},points>={DEFAULT_MIN_POINTS}"
    assert req.arg("tags") == "story"


def test_recorded_ask_hn_text_is_plain_text(recorded, fake, policy):
    raw = (recorded / "hackernews/newsfeedagents_hn_search_by_date.json").read_bytes()
    fake.set_hn_response(raw)
    window = (datetime(2026, 8, 9, tzinfo=UTC), datetime(2026, 8, 10, tzinfo=UTC))
    result = fetch(fake.hackernews_options(query="AI", min_score=0), window, policy=policy)
    ask = next(c for c in result.candidates if c.raw_title.startswith("Ask HN"))
    assert ask.link is None and ask.flair == "Ask HN"
    assert ask.text.startswith("I'm realising that Google's AI mode")  # &#x27; decoded
    assert "<p>" not in ask.text and "&#x27;" not in ask.text
    show = next(c for c in result.candidates if c.raw_title.startswith("Show HN"))
    assert "<a " not in show.text and show.flair == "Show HN"
    assert fake.calls("GET")[0].arg("query") == "AI"


def test_a_400_about_points_retries_without_it_and_filters_here(fake, policy):
    fake.hn_reject_points = True
    fake.add_hn_hits([
        hn_hit(id=1, title="big", points=300, created_at_i=at(3)),
        hn_hit(id=2, title="small", points=4, created_at_i=at(4)),
        hn_hit(id=3, title="yesterday", points=900, created_at_i=at(-2)),
        hn_hit(id=4, title="medium", points=50, created_at_i=at(20)),
    ])
    result = fetch(fake.hackernews_options(min_score=40), WINDOW, policy=policy)
    assert [c.title for c in result.candidates] == ["big", "medium"]
    first, second = fake.calls("GET", "/api/v1/search_by_date")
    assert "points>=40" in first.arg("numericFilters") and "points" not in second.arg("numericFilters")


def test_other_400s_are_errors(fake, policy):
    fake.inject("GET", "/api/v1/search", Response.json({"code": 400, "message": "invalid tags"}, 400))
    with pytest.raises(SourceError, match=r"HTTP 400 .*invalid tags"):
        fetch(fake.hackernews_options(), WINDOW, policy=policy)
    assert len(fake.calls("GET")) == 1


def test_own_hits_are_window_filtered_server_side_and_limited(fake, policy):
    fake.add_hn_hits([hn_hit(id=i, title=f"story {i}", points=10 + i, created_at_i=at(i % 30)) for i in range(60)])
    result = fetch(fake.hackernews_options(limit=5), WINDOW, policy=policy)
    in_window = [i for i in range(60) if i % 30 < 24]  # created at hour i % 30 of the day
    assert [c.id for c in result.candidates] == [str(i) for i in sorted(in_window, reverse=True)[:5]]


def test_an_envelope_without_hits_is_an_error(fake, policy):
    fake.set_hn_response({"message": "ok"})
    with pytest.raises(SourceError, match="no 'hits' list"):
        fetch(fake.hackernews_options(), WINDOW, policy=policy)


def test_label_names_the_query():
    assert HackerNewsOptions().label == "hackernews"
    assert HackerNewsOptions(query="LLM").label == "hackernews (LLM)"
