"""Caps on what one source response can cost: bytes read, items parsed (issue 11, case 5).

A hostile or broken source must not make the run read a 200 MB body into memory or turn
100,000 items into candidates before the ``limit`` slice.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import tracemalloc
from datetime import UTC, datetime

import pytest

from daily_ai_summary.errors import SourceError
from daily_ai_summary.sources.feed import parse_feed as parse_rss
from daily_ai_summary.sources.hackernews import parse_hits
from daily_ai_summary.sources.http import (
    MAX_ITEMS_PER_RESPONSE,
    MAX_RESPONSE_BYTES,
    Http,
    HttpPolicy,
    build_client,
)
from daily_ai_summary.sources.huggingface import parse_papers
from daily_ai_summary.sources.reddit import parse_listing
from daily_ai_summary.testing.server import FakeServer, Response
from daily_ai_summary.testing.sources_fake import hf_paper, hn_hit, reddit_listing, reddit_post, rss

HUGE = 48 * 1024 * 1024  # six times the cap


def test_the_caps_are_named_and_sane() -> None:
    assert MAX_RESPONSE_BYTES == 8 * 1024 * 1024
    assert 100 <= MAX_ITEMS_PER_RESPONSE <= 1000


def fetch(url: str, policy: HttpPolicy) -> object:
    async def go() -> object:
        async with build_client() as client:
            return await Http(client, source="huge-source", policy=policy).get_json(url)

    return asyncio.run(go())


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked-or-lying"])
def test_a_body_over_the_byte_cap_fails_the_source_without_reading_it(
    declared: bool, policy: HttpPolicy
) -> None:
    body = b'{"hits": [' + b" " * HUGE + b"]}"
    with FakeServer("huge") as srv:
        # A server that declares nothing useful (gzip: the length is of the compressed bytes)
        # is stopped while streaming; one that declares the size is stopped before reading.
        headers = (
            {"Content-Type": "application/json"}
            if declared
            else {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )
        payload = body if declared else gzip.compress(body, compresslevel=1)
        srv.add_route("GET", r"/big", lambda req: Response(200, payload, headers))
        tracemalloc.start()
        try:
            with pytest.raises(SourceError) as info:
                fetch(srv.url + "/big", policy)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(srv.calls("GET", "/big")) == 1, "a body over the cap is not retried"
    message = str(info.value)
    assert "huge-source" in message and "8 MB cap per response" in message and "skipped" in message
    assert peak < 4 * MAX_RESPONSE_BYTES, f"peak {peak / 1e6:.0f} MB while reading a capped body"


def test_a_body_just_under_the_cap_is_read(policy: HttpPolicy) -> None:
    body = json.dumps({"hits": [], "pad": "x" * (MAX_RESPONSE_BYTES - 100)}).encode()
    assert len(body) < MAX_RESPONSE_BYTES
    with FakeServer("big") as srv:
        srv.add_route(
            "GET", r"/big", lambda req: Response(200, body, {"Content-Type": "application/json"})
        )
        assert fetch(srv.url + "/big", policy)["hits"] == []  # type: ignore[index]


def test_a_failed_source_is_reported_and_the_run_goes_on(fake, policy: HttpPolicy) -> None:
    """Through ``collect``: the oversized source is one failed report, the other source counts."""
    from daily_ai_summary.sources import FetchContext, collect

    fake.inject(
        "GET",
        r"/api/v1/search",
        Response(200, b'{"hits": [' + b" " * HUGE + b"]}", {"Content-Type": "application/json"}),
    )
    now = datetime(2025, 4, 16, 6, tzinfo=UTC)
    day = now.date().replace(day=15)
    fake.add_hf_papers(
        day, [hf_paper(id="2504.00001", title="A paper", summary="About it.", day=day)]
    )

    async def go():
        async with build_client() as client:
            ctx = FetchContext(
                client,
                datetime(2025, 4, 15, tzinfo=UTC),
                datetime(2025, 4, 16, tzinfo=UTC),
                is_today=True,
                http_policy=policy,
                now=now,
            )
            return await collect(
                [
                    ("consequences", fake.hackernews_options()),
                    ("consequences", fake.huggingface_options()),
                ],
                ctx,
            )

    by_section, reports = asyncio.run(go())
    hn, hf = reports
    assert not hn.ok and "cap" in (hn.error or "")
    assert hf.ok


def test_items_per_response_are_capped_before_parsing() -> None:
    n = MAX_ITEMS_PER_RESPONSE * 4
    created = datetime(2025, 4, 15, 9, tzinfo=UTC).timestamp()
    listing = reddit_listing(
        [reddit_post(id=f"p{i}", title=f"Post {i}", created_utc=created) for i in range(n)]
    )
    candidates, _ = parse_listing(listing, "reddit r/x")
    assert len(candidates) == MAX_ITEMS_PER_RESPONSE
    assert candidates[0].title == "Post 0"  # the server's first items, in order

    hits = {
        "hits": [hn_hit(id=i + 1, title=f"Story {i}", created_at_i=int(created)) for i in range(n)]
    }
    assert len(parse_hits(hits, "hackernews")) == MAX_ITEMS_PER_RESPONSE

    day = datetime(2025, 4, 15, tzinfo=UTC).date()
    papers = [
        hf_paper(id=f"2504.{i:05d}", title=f"Paper {i}", summary="Text.", day=day) for i in range(n)
    ]
    assert len(parse_papers(papers, "huggingface")) == MAX_ITEMS_PER_RESPONSE

    items = [
        {
            "title": f"Entry {i}",
            "link": f"https://example.org/{i}",
            "published": datetime(2025, 4, 15, tzinfo=UTC),
        }
        for i in range(n)
    ]
    assert len(parse_rss(rss(items), "feed")) == MAX_ITEMS_PER_RESPONSE
