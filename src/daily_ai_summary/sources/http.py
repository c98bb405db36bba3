"""The one HTTP helper every source uses: retries, backoff, rate limits, clear errors.

    http = Http(ctx.http, source="hackernews", policy=policy_of(ctx))
    data = await http.get_json("https://hn.algolia.com/api/v1/search_by_date", params={...})

* Requests go through the ``httpx.AsyncClient`` the caller passes in (never a global one).
* Each request has its own timeout; 429, 5xx, connection errors, timeouts and bodies cut short
  are retried a bounded number of times with exponential backoff and jitter.
* ``Retry-After`` (seconds or an HTTP date) is honoured, and so is Reddit's
  ``x-ratelimit-remaining``/``x-ratelimit-reset``: when nothing remains, the next request waits
  for the reset.
* One ``Http`` instance has a total time budget (all requests and waits of one source). A wait
  that would end past the budget is not slept: the request fails at once instead.
* Failures become ``SourceError`` naming the source and the URL without its query string (no
  query secrets, no headers, never the raw text of an httpx exception); what a server says in
  an error body goes through ``log.scrub`` first (a proxy may echo our ``Authorization``).
* Caps: a body is streamed and read up to ``MAX_RESPONSE_BYTES``; a bigger one fails that
  source (not retried, nothing parsed). Parsers read at most ``MAX_ITEMS_PER_RESPONSE`` items of
  one response.

The sleep function, the clock and the jitter are injectable (``HttpPolicy``) so that tests of
the backoff run in milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from daily_ai_summary import __version__
from daily_ai_summary import log as _log
from daily_ai_summary.errors import SourceError

PROJECT_URL = "https://github.com/daily-ai-summary/daily-ai-summary"
USER_AGENT = f"daily-ai-summary/{__version__} (+{PROJECT_URL})"
# Reddit asks for "<platform>:<app ID>:<version string> (by /u/<reddit username>)" and throttles
# generic user agents hard.
REDDIT_USER_AGENT = (
    f"github-actions:daily-ai-summary:{__version__} (by /u/daily-ai-summary; +{PROJECT_URL})"
)

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# Caps on what one response may make us do. A Reddit listing of 100 posts, an arXiv page or a
# busy feed is well under 2 MB; a source that sends more is broken or hostile.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024  # bytes read from one response body, then the source fails
MAX_ITEMS_PER_RESPONSE = 500  # items (posts, hits, papers, entries) parsed from one response

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class HttpPolicy:
    """How hard to try. The defaults suit a daily job: patient, but bounded."""

    timeout: float = 20.0  # seconds, per request (connect + read)
    attempts: int = 4  # tries per request, the first included
    backoff: float = 1.0  # first retry waits about this long, then doubles...
    max_backoff: float = 30.0  # ...up to this
    budget: float = 120.0  # seconds for everything one Http instance does
    sleep: Sleep = field(default=asyncio.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)  # in [0, 1)

    def backoff_for(self, attempt: int) -> float:
        """Wait before retry number ``attempt`` (1-based): exponential, with jitter in [50%, 100%]."""
        base = min(self.max_backoff, self.backoff * 2.0 ** (attempt - 1))
        return base * (0.5 + self.jitter() / 2)


DEFAULT_POLICY = HttpPolicy()


def policy_of(ctx: object) -> HttpPolicy:
    """The policy a fetch context asks for (``ctx.http_policy``), else the default."""
    return getattr(ctx, "http_policy", None) or DEFAULT_POLICY


def safe_url(url: str | httpx.URL) -> str:
    """``url`` without credentials, query or fragment: fit for a log line or an error."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def ratelimit_wait(headers: Mapping[str, str]) -> float | None:
    """Reddit style: when ``x-ratelimit-remaining`` is 0, wait ``x-ratelimit-reset`` seconds."""
    remaining, reset = headers.get("x-ratelimit-remaining"), headers.get("x-ratelimit-reset")
    if remaining is None or reset is None:
        return None
    try:
        if float(remaining) >= 1:
            return None
        return max(0.0, float(reset))
    except ValueError:
        return None


def is_html(resp: httpx.Response) -> bool:
    ctype = resp.headers.get("content-type", "").lower()
    if "html" in ctype:
        return True
    head = resp.content[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def html_title(resp: httpx.Response) -> str:
    m = re.search(rb"<title[^>]*>(.*?)</title>", resp.content[:20000], re.I | re.S)
    if not m:
        return ""
    return " ".join(m.group(1).decode("utf-8", "replace").split())[:80]


def error_detail(resp: httpx.Response) -> str:
    """A short, safe description of an error body: a JSON message, an HTML title, or nothing."""
    if is_html(resp):
        title = html_title(resp)
        return f"an HTML page ({title!r})" if title else "an HTML page"
    try:
        data = resp.json()
    except ValueError:
        return ""
    if isinstance(data, dict):
        for key in ("message", "error_description", "error", "reason"):
            if isinstance(data.get(key), str | int):
                return _log.scrub(" ".join(str(data[key]).split()))[:200]
    return ""


def first_items(items: list[Any]) -> list[Any]:
    """At most ``MAX_ITEMS_PER_RESPONSE`` of a response's items, in the server's order."""
    return items[:MAX_ITEMS_PER_RESPONSE]


class UnreadableBody(SourceError):
    """A body we will not read (over ``MAX_RESPONSE_BYTES``, or encoded in a way we cannot
    decode in bounded steps): the source fails, nothing of it is parsed."""


def _cap(limit: int) -> str:
    return f"the {limit / (1024 * 1024):g} MB cap per response"


async def read_capped(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    auth: httpx.Auth | tuple[str, str] | None = None,
    limit: int = MAX_RESPONSE_BYTES,
) -> httpx.Response:
    """Send ``request`` and read its body, at most ``limit`` bytes after decoding: more raises
    ``UnreadableBody`` without reading the rest. gzip/deflate are decoded here, in bounded
    steps, so a small compressed body cannot inflate past the cap (a "zip bomb")."""
    resp = await client.send(request, stream=True, auth=auth)
    try:
        encoding = resp.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise UnreadableBody(f"an unsupported Content-Encoding ({encoding[:20]!r})")
        identity = encoding in ("", "identity")
        declared = resp.headers.get("content-length", "")
        if identity and declared.isdigit() and int(declared) > limit:
            raise UnreadableBody(f"a body of {int(declared):,} bytes, over {_cap(limit)}")
        inflate = None if identity else zlib.decompressobj(47)  # wbits 47: gzip or zlib
        chunks: list[bytes] = []
        size = 0
        async for raw in resp.aiter_raw():
            pending = raw
            while pending:
                if inflate is None:
                    chunk, pending = pending, b""
                else:
                    try:
                        chunk = inflate.decompress(pending, limit - size + 1)
                    except zlib.error:
                        raise UnreadableBody("a body that is not valid gzip/deflate") from None
                    pending = inflate.unconsumed_tail
                size += len(chunk)
                if size > limit:
                    raise UnreadableBody(f"a body of more than {limit:,} bytes, over {_cap(limit)}")
                chunks.append(chunk)
    finally:
        await resp.aclose()
    drop = ("content-encoding", "content-length", "transfer-encoding")
    return httpx.Response(
        resp.status_code,
        headers=[(k, v) for k, v in resp.headers.multi_items() if k.lower() not in drop],
        content=b"".join(chunks),
        request=resp.request,
        extensions=resp.extensions,
    )


class HttpStatusError(SourceError):
    """The server answered with a status we do not retry (or stopped retrying)."""

    def __init__(self, message: str, *, status: int, detail: str = "", **kw: Any) -> None:
        super().__init__(message, **kw)
        self.status = status
        self.detail = detail


class Http:
    """Requests of one source in one run, sharing a time budget and a rate-limit state."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        source: str,
        user_agent: str = USER_AGENT,
        policy: HttpPolicy = DEFAULT_POLICY,
    ) -> None:
        self.client = client
        self.source = source
        self.user_agent = user_agent
        self.policy = policy
        self.deadline = policy.clock() + policy.budget
        self._not_before = 0.0  # clock time before which the server asked us not to call
        self.requests = 0

    # -- the core loop -----------------------------------------------------------------
    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int | float] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
    ) -> httpx.Response:
        """Send with retries. Returns the first response whose status is not retried
        (the caller judges it); raises ``SourceError`` when retries or the budget run out."""
        policy = self.policy
        where = safe_url(url)
        # only the encodings read_capped can decode in bounded steps
        hdrs = {
            "User-Agent": self.user_agent,
            "Accept-Encoding": "gzip, deflate",
            **(headers or {}),
        }
        reason = ""
        for attempt in range(1, policy.attempts + 1):
            await self._wait(self._not_before - policy.clock(), where, "the rate limit")
            remaining = self.deadline - policy.clock()
            if remaining <= 0:
                raise self._fail(f"ran out of its {policy.budget:g}s time budget", where, reason)
            timeout = min(policy.timeout, remaining)
            self.requests += 1
            try:
                request = self.client.build_request(
                    method, url, params=params, data=data, headers=hdrs, timeout=timeout
                )
                resp = await read_capped(self.client, request, auth=auth)
            except UnreadableBody as exc:
                raise SourceError(
                    f"{self.source}: {where} answered {exc.message}; skipped", source=self.source
                ) from None
            except httpx.TimeoutException:
                reason, wait = f"timed out after {timeout:.3g}s", policy.backoff_for(attempt)
            except httpx.RemoteProtocolError:
                reason = "the connection closed before the response was complete (truncated body)"
                wait = policy.backoff_for(attempt)
            except httpx.TransportError as exc:  # connect errors, resets, ...
                reason, wait = (
                    f"connection failed ({type(exc).__name__})",
                    policy.backoff_for(attempt),
                )
            else:
                limit_wait = ratelimit_wait(resp.headers)
                if limit_wait is not None:
                    self._not_before = max(self._not_before, policy.clock() + limit_wait)
                if resp.status_code not in RETRY_STATUSES:
                    return resp
                detail = error_detail(resp)
                reason = f"HTTP {resp.status_code}" + (f": {detail}" if detail else "")
                asked = parse_retry_after(resp.headers.get("retry-after"))
                if asked is None and resp.status_code == 429:
                    asked = limit_wait
                wait = asked if asked is not None else policy.backoff_for(attempt)
                if attempt == policy.attempts:
                    raise self._fail(
                        f"gave up after {attempt} attempts", where, reason, resp.status_code
                    )
                await self._wait(wait, where, reason, status=resp.status_code)
                continue
            if attempt == policy.attempts:
                raise self._fail(f"gave up after {attempt} attempts", where, reason)
            await self._wait(wait, where, reason)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _wait(self, seconds: float, where: str, why: str, status: int | None = None) -> None:
        if seconds <= 0:
            return
        left = self.deadline - self.policy.clock()
        if seconds > left:
            msg = f"would have to wait {seconds:.0f}s ({why}) but only {max(left, 0):.0f}s of its time budget remain"
            raise self._fail(msg, where, "", status)
        await self.policy.sleep(seconds)

    def _fail(self, what: str, where: str, reason: str, status: int | None = None) -> SourceError:
        msg = f"{self.source}: {what} requesting {where}" + (f": {reason}" if reason else "")
        if status is not None:
            return HttpStatusError(msg, status=status, source=self.source)
        return SourceError(msg, source=self.source)

    # -- conveniences ------------------------------------------------------------------
    def check(self, resp: httpx.Response) -> httpx.Response:
        """Raise ``HttpStatusError`` unless the status is 2xx."""
        if 200 <= resp.status_code < 300:
            return resp
        detail = error_detail(resp)
        msg = f"{self.source}: HTTP {resp.status_code} from {safe_url(resp.request.url)}"
        raise HttpStatusError(
            msg + (f": {detail}" if detail else ""),
            status=resp.status_code,
            detail=detail,
            source=self.source,
        )

    def json_of(self, resp: httpx.Response) -> Any:
        """The JSON body of a 2xx response, or a ``SourceError`` saying what came instead."""
        self.check(resp)
        where = safe_url(resp.request.url)
        if is_html(resp):
            title = html_title(resp)
            raise SourceError(
                f"{self.source}: {where} answered with an HTML page"
                + (f" ({title!r})" if title else "")
                + " instead of JSON",
                source=self.source,
            )
        try:
            return json.loads(resp.content)
        except (ValueError, UnicodeDecodeError) as exc:
            pos = (
                f" at byte {exc.pos} of {len(resp.content)}"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            raise SourceError(
                f"{self.source}: {where} answered with invalid JSON{pos} (truncated or not JSON)",
                source=self.source,
            ) from None

    async def get_json(self, url: str, **kw: Any) -> Any:
        return self.json_of(await self.request("GET", url, **kw))

    async def get_bytes(self, url: str, **kw: Any) -> httpx.Response:
        """A 2xx response (for feeds: the caller parses ``.content``)."""
        return self.check(await self.request("GET", url, **kw))


def build_client(*, timeout: float = 20.0, max_connections: int = 20) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` for a run: bounded pool, timeouts, our User-Agent, redirects."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections // 2
        ),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        max_redirects=5,
    )
