"""collect(): every source at once, failures reported per source, never raised."""

from __future__ import annotations

import asyncio
import functools
import operator
from datetime import UTC, datetime, timedelta
from typing import Annotated

import pytest
from pydantic import Field, TypeAdapter, ValidationError
from sources_support import make_ctx

from daily_ai_summary.sources import SOURCE_TYPES, build_client, collect
from daily_ai_summary.testing.sources_fake import hf_paper, hn_hit, reddit_post, sample_window

POST_DATE = datetime.now(UTC).date()
WINDOW = sample_window(POST_DATE)


def run_collect(plan, *, policy, credentials=None, window=WINDOW):
    async def go():
        async with build_client() as http:
            return await collect(plan, make_ctx(http, window, credentials=credentials, policy=policy))

    return asyncio.run(go())


def seed(fake):
    mid = WINDOW[0] + timedelta(hours=12)
    fake.add_reddit_posts("MachineLearning", [reddit_post(id="r1", title="[D] a", score=50,
                                                          created_utc=mid.timestamp())])
    fake.add_hn_hits([hn_hit(id=7, title="b", points=99, created_at_i=int(mid.timestamp()))])
    fake.add_hf_papers(WINDOW[0].date(), [hf_paper(id="2601.1", title="c", summary="s", day=WINDOW[0].date())])


def test_sources_are_fetched_concurrently(fake, policy):
    """Three sources, each answering after 0.4 s, are all in flight at the fake at once."""
    seed(fake)
    fake.latency = 0.4
    plan = [("consequences", fake.reddit_options("MachineLearning")), ("trending", fake.hackernews_options()),
            ("trending", fake.huggingface_options())]

    by_section, reports = run_collect(plan, policy=policy)

    assert fake.max_in_flight == 3
    assert all(r.ok for r in reports), reports
    assert [c.id for c in by_section["consequences"]] == ["t3_r1"]
    assert sorted(c.source_type for c in by_section["trending"]) == ["hackernews", "huggingface-papers"]


def test_one_failing_source_becomes_a_report_and_the_others_still_count(fake, policy):
    seed(fake)
    fake.reddit_blocked = True
    plan = [("consequences", fake.reddit_options("MachineLearning")), ("trending", fake.hackernews_options()),
            ("trending", fake.feed_options("/missing.xml"))]

    by_section, reports = run_collect(plan, policy=policy)

    assert by_section == {"consequences": [], "trending": by_section["trending"]}
    assert [c.id for c in by_section["trending"]] == ["7"]
    reddit_r, hn_r, feed_r = reports
    assert (reddit_r.ok, reddit_r.section, reddit_r.fetched) == (False, "consequences", 0)
    assert reddit_r.error == "reddit r/MachineLearning: Reddit blocked this runner; add reddit-client-id/secret"
    assert hn_r.ok and hn_r.fetched == 1 and hn_r.error is None and hn_r.seconds >= 0
    assert not feed_r.ok and "HTTP 404" in feed_r.error and feed_r.source == "feed 127.0.0.1"


def test_warnings_reach_the_report(fake, policy):
    _, (report,) = run_collect([("trending", fake.huggingface_options())], policy=policy)
    assert report.ok and report.warnings == [f"huggingface papers: no papers listed for {WINDOW[0].date()}"]


def test_the_sample_day_collects_for_the_demo(policy):
    from daily_ai_summary.testing.sources_fake import SourcesFake

    with SourcesFake.with_sample_day(POST_DATE) as fake:
        by_section, reports = run_collect(fake.sample_sources(), policy=policy, credentials=fake.credentials())
    assert all(r.ok for r in reports), reports
    ml = by_section["consequences"]
    assert len(ml) == 8 and sum(c.stickied for c in ml) == 1 and sum(c.removed for c in ml) == 1
    assert all(WINDOW[0] <= c.created < WINDOW[1] for cs in by_section.values() for c in cs)
    assert {r.source for r in reports} >= {"reddit r/MachineLearning", "reddit r/machinelearningnews"}


def test_the_registry_is_a_discriminated_union_for_config():
    union = functools.reduce(operator.or_, SOURCE_TYPES.values())  # what config.py builds
    adapter = TypeAdapter(list[Annotated[union, Field(discriminator="type")]])
    parsed = adapter.validate_python([
        {"type": "reddit", "subreddit": "MachineLearning", "min-score": 20},
        {"type": "hackernews", "query": "LLM"},
        {"type": "huggingface-papers"},
        {"type": "arxiv", "categories": ["cs.CL"]},
        {"type": "feed", "url": "https://www.marktechpost.com/feed/"},
    ])
    assert [p.type for p in parsed] == list(SOURCE_TYPES)
    assert parsed[0].min_score == 20
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        adapter.validate_python([{"type": "twitter"}])
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        adapter.validate_python([{"type": "hackernews", "qurey": "typo"}])
