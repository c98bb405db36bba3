"""The shared HTTP layer: retries, backoff, Retry-After, Reddit rate limits, clear errors."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from daily_ai_summary.errors import SourceError
from daily_ai_summary.sources.http import (
    REDDIT_USER_AGENT,
    USER_AGENT,
    Http,
    HttpPolicy,
    HttpStatusError,
    build_client,
    parse_retry_after,
    safe_url,
)
from daily_ai_summary.testing.server import FakeServer, Response


@pytest.fixture
def server():
    with FakeServer("http-test") as srv:
        srv.add_route("GET", r"/data", lambda req: Response.json({"ok": True}))
        srv.add_route("GET", r"/page", lambda req: Response.text("<html><title>Oops</title></html>", 200, "text/html"))
        yield srv


def call(policy: HttpPolicy, url: str, *, user_agent: str = USER_AGENT, times: int = 1):
    """GET ``url`` as JSON ``times`` times through one Http (one budget, one rate-limit state)."""

    async def go():
        async with build_client() as client:
            http = Http(client, source="test-source", user_agent=user_agent, policy=policy)
            return [await http.get_json(url) for _ in range(times)]

    out = asyncio.run(go())
    return out[0] if times == 1 else out


def test_5xx_then_success_backs_off_exponentially(server, policy, sleeps):
    server.inject("GET", r"/data", Response(503), Response(502))
    assert call(policy, server.url + "/data") == {"ok": True}
    assert len(server.calls("GET", "/data")) == 3
    assert sleeps == pytest.approx([0.1, 0.2])


def test_jitter_keeps_waits_between_half_and_full_backoff():
    low = HttpPolicy(backoff=2.0, jitter=lambda: 0.0)
    high = HttpPolicy(backoff=2.0, jitter=lambda: 0.999)
    assert [low.backoff_for(n) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert [round(high.backoff_for(n), 2) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert HttpPolicy(backoff=10, max_backoff=15, jitter=lambda: 1.0).backoff_for(5) == 15


def test_gives_up_after_the_attempts_with_the_status(server, policy, sleeps):
    server.inject("GET", r"/data", *[Response.json({"message": "upstream down"}, 500)] * 3)
    with pytest.raises(HttpStatusError) as err:
        call(policy, server.url + "/data")
    assert err.value.status == 500
    assert "test-source" in str(err.value) and "gave up after 3 attempts" in str(err.value)
    assert "upstream down" in str(err.value)
    assert len(sleeps) == 2


def test_a_real_short_retry_after_is_waited_for(server):
    server.inject("GET", r"/data", Response(429, headers={"Retry-After": "1"}))
    started = time.monotonic()
    assert call(HttpPolicy(backoff=0.01), server.url + "/data") == {"ok": True}
    assert time.monotonic() - started >= 0.95
    assert len(server.calls("GET", "/data")) == 2


def test_retry_after_as_an_http_date(server, policy, sleeps):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    server.inject("GET", r"/data", Response(503, headers={"Retry-After": when}))
    assert call(policy, server.url + "/data") == {"ok": True}
    assert len(sleeps) == 1 and 17 <= sleeps[0] <= 20


def test_a_wait_past_the_budget_fails_at_once_instead_of_sleeping(server, sleeps):
    policy = HttpPolicy(budget=5, sleep=sleeps)
    server.inject("GET", r"/data", Response(429, headers={"Retry-After": "120"}))
    with pytest.raises(SourceError, match=r"wait 120s.*time budget"):
        call(policy, server.url + "/data")
    assert sleeps == []


def test_reddit_ratelimit_remaining_zero_waits_for_the_reset_before_the_next_call(server, policy, sleeps):
    headers = {"Content-Type": "application/json", "x-ratelimit-remaining": "0.0", "x-ratelimit-reset": "7",
               "x-ratelimit-used": "100"}
    server.inject("GET", r"/data", Response(200, b'{"page": 1}', headers))
    assert call(policy, server.url + "/data", times=2) == [{"page": 1}, {"ok": True}]
    assert sleeps == pytest.approx([7], abs=0.1)


def test_a_429_without_retry_after_waits_for_the_ratelimit_reset(server, policy, sleeps):
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "3"}
    server.inject("GET", r"/data", Response(429, b"", headers))
    assert call(policy, server.url + "/data") == {"ok": True}
    assert sleeps[0] == pytest.approx(3, abs=0.1)


def test_a_timeout_is_retried_then_reported(server, sleeps):
    policy = HttpPolicy(timeout=0.2, attempts=2, backoff=0.01, sleep=sleeps)
    server.inject("GET", r"/data", Response.json({}, delay=1.0), Response.json({}, delay=1.0))
    with pytest.raises(SourceError, match=r"timed out after 0.2s") as err:
        call(policy, server.url + "/data")
    assert "gave up after 2 attempts" in str(err.value)


def test_a_truncated_body_is_retried(server, policy):
    full = Response.json({"items": list(range(50))})
    server.inject("GET", r"/data", Response(200, full.body, full.headers, truncate=20))
    assert call(policy, server.url + "/data") == {"ok": True}


def test_a_body_that_stays_truncated_is_a_clear_error(server, policy):
    full = Response.json({"items": list(range(50))})
    server.inject("GET", r"/data", *[Response(200, full.body, full.headers, truncate=20)] * 3)
    with pytest.raises(SourceError, match="truncated") as err:
        call(policy, server.url + "/data")
    assert "test-source" in str(err.value)


def test_invalid_json_names_the_source_and_the_url_but_not_the_query(server, policy):
    server.add_route("GET", r"/broken", lambda req: Response(200, b'{"a": [1, 2', {"Content-Type": "application/json"}))
    with pytest.raises(SourceError) as err:
        call(policy, server.url + "/broken?api_key=s3cr3t-value")
    msg = str(err.value)
    assert "invalid JSON" in msg and "test-source" in msg and server.url + "/broken" in msg
    assert "s3cr3t" not in msg and "api_key" not in msg


def test_an_html_error_page_is_named_by_its_title(server, policy):
    with pytest.raises(SourceError, match=r"HTML page \('Oops'\) instead of JSON"):
        call(policy, server.url + "/page")


def test_a_4xx_is_not_retried(server, policy, sleeps):
    server.inject("GET", r"/data", Response.json({"message": "bad parameter"}, 400))
    with pytest.raises(HttpStatusError) as err:
        call(policy, server.url + "/data")
    assert err.value.status == 400 and err.value.detail == "bad parameter"
    assert len(server.calls("GET", "/data")) == 1 and sleeps == []


def test_connection_refused_is_retried_then_reported(policy, sleeps):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SourceError, match=r"connection failed \(ConnectError\)"):
        call(policy, f"http://127.0.0.1:{port}/data")
    assert len(sleeps) == 2


def test_user_agents_identify_the_project(server, policy):
    call(policy, server.url + "/data")
    call(policy, server.url + "/data", user_agent=REDDIT_USER_AGENT)
    first, second = (r.header("user-agent") for r in server.calls("GET", "/data"))
    assert first.startswith("daily-ai-summary/") and "+https://github.com/" in first
    platform, app, rest = second.split(":", 2)
    assert (platform, app) == ("github-actions", "daily-ai-summary") and "(by /u/" in rest


def test_build_client_sets_limits_timeouts_and_user_agent():
    client = build_client(timeout=7)
    try:
        assert client.timeout.read == 7 and client.timeout.connect == 7
        assert client.headers["user-agent"] == USER_AGENT
        assert client.follow_redirects
    finally:
        asyncio.run(client.aclose())


@pytest.mark.parametrize(
    ("header", "expected"),
    [("5", 5.0), ("0", 0.0), ("-3", 0.0), ("1.5", 1.5), ("soon", None), (None, None), ("", None)],
)
def test_parse_retry_after_seconds(header, expected):
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date_in_the_past_is_zero():
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0


def test_safe_url_drops_credentials_query_and_fragment():
    assert safe_url("https://user:pw@example.org:8443/a/b?token=x#frag") == "https://example.org:8443/a/b"
    assert safe_url(httpx.URL("http://h/p?q=1")) == "http://h/p"
