"""Reddit: a subreddit listing, via app-only OAuth when credentials exist, else public JSON.

With ``reddit-client-id``/``reddit-client-secret`` we exchange them for an app-only token
(``POST {url}/api/v1/access_token``, Basic auth, ``grant_type=client_credentials``; once per
run, shared by every Reddit source, and again only after a 401) and read
``{oauth-url}/r/<sub>/<sort>`` with it. Without them we read ``{url}/r/<sub>/<sort>.json``,
which Reddit blocks from most cloud runners (GitHub Actions included): a 403 or an HTML page is
reported as "blocked" with the fix, not as a JSON traceback.

Reddit has no date parameter. Posts are kept when ``created_utc`` falls in the run's window
[window_start, window_end), and the listing asked for is wide enough to reach back to
window_start: ``t=day`` while the window is within the last 24 hours, else ``t=week``/``month``
/``year`` (paged with ``after``, a bounded number of pages). Only ``top`` can look back, so a
past date always uses ``top``; a date older than a month gets a warning (a top-of-year listing
read 500 posts deep holds few posts of any one day).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
from pydantic import Field, field_validator

from daily_ai_summary.errors import SourceError
from daily_ai_summary.models import Candidate
from daily_ai_summary.sources.base import FetchContext, SourceOptions, SourceResult
from daily_ai_summary.sources.http import (
    REDDIT_USER_AGENT,
    Http,
    HttpStatusError,
    error_detail,
    first_items,
    is_html,
    policy_of,
)
from daily_ai_summary.sources.pullpush import fetch_archive
from daily_ai_summary.sources.text import clean_title, from_epoch, in_window, truncate

Sort = Literal["top", "hot", "new", "rising"]
Time = Literal["hour", "day", "week", "month", "year", "all"]

PAGE_SIZE = 100  # Reddit's maximum
MAX_PAGES = 5  # per fetch when looking back: <= 6 requests of 10 QPM unauthenticated
SPANS: list[tuple[Time, timedelta]] = [
    ("hour", timedelta(hours=1)),
    ("day", timedelta(days=1)),
    ("week", timedelta(days=7)),
    ("month", timedelta(days=30)),
    ("year", timedelta(days=365)),
]
BLOCKED = "Reddit blocked this runner; add reddit-client-id/secret"
PERMALINK_BASE = "https://www.reddit.com"


class RedditOptions(SourceOptions):
    type: Literal["reddit"] = "reddit"
    subreddit: str = Field(description="the subreddit's name, e.g. MachineLearning")
    sort: Sort = Field(
        "top",
        description="the listing; a past date always reads top (the only one that looks back)",
    )
    time: Time = Field(
        "day",
        description="top's period: the narrowest one read; widened as needed to reach the day",
    )
    url: str = Field("https://www.reddit.com", description="the public JSON API (no credentials)")
    oauth_url: str = Field(
        "https://oauth.reddit.com", description="the OAuth API (with reddit-client-id/secret)"
    )
    archive: Literal["none", "pullpush"] = Field(
        "none",
        description="a date older than the listings reach (a month) is read from this archive",
    )
    archive_url: str = Field(
        "https://api.pullpush.io", description="the PullPush API (with archive: pullpush)"
    )

    @field_validator("subreddit")
    @classmethod
    def _subreddit_name(cls, value: str) -> str:
        name = re.sub(r"^/?r/", "", value.strip()).strip("/")
        if not re.fullmatch(r"[A-Za-z0-9_]{2,21}", name):
            raise ValueError(f"not a subreddit name: {value!r} (expected e.g. MachineLearning)")
        return name

    @property
    def label(self) -> str:
        return f"reddit r/{self.subreddit}"


def listing_time(options: RedditOptions, window_start: datetime, now: datetime) -> Time:
    """The narrowest ``t`` whose span still reaches back to ``window_start`` (never narrower
    than the configured ``time``)."""
    order = [name for name, _ in SPANS] + ["all"]
    age = now - window_start
    needed: Time = "all"
    for name, span in SPANS:
        if age <= span:
            needed = name
            break
    return options.time if order.index(options.time) >= order.index(needed) else needed


def post_to_candidate(data: dict[str, Any], label: str) -> Candidate:
    """One ``t3`` listing child's ``data`` as a Candidate (pure)."""
    raw_title = str(data.get("title") or "")
    selftext = str(data.get("selftext") or "")
    author = data.get("author")
    removed = bool(
        data.get("removed_by_category")
        or selftext.strip() in ("[removed]", "[deleted]")
        or author == "[deleted]"
    )
    permalink = str(data.get("permalink") or f"/comments/{data.get('id', '')}/")
    url = PERMALINK_BASE + permalink if permalink.startswith("/") else permalink
    link = data.get("url_overridden_by_dest") or data.get("url")
    if data.get("is_self") or not link or "/comments/" in str(link) and "reddit.com" in str(link):
        link = None
    elif str(link).startswith("/"):
        link = PERMALINK_BASE + str(link)
    return Candidate(
        source=label,
        source_type="reddit",
        id=str(data.get("name") or f"t3_{data.get('id', '')}"),
        title=clean_title(raw_title),
        raw_title=raw_title,
        url=url,
        link=link,
        text="" if selftext.strip() in ("[removed]", "[deleted]") else truncate(selftext),
        score=float(data.get("score") or 0),
        comments=int(data.get("num_comments") or 0),
        created=from_epoch(data.get("created_utc")),
        author=None if author in (None, "[deleted]") else str(author),
        flair=data.get("link_flair_text") or None,
        stickied=bool(data.get("stickied")),
        nsfw=bool(data.get("over_18")),
        removed=removed,
    )


def parse_listing(payload: Any, label: str) -> tuple[list[Candidate], str | None]:
    """A Listing's ``t3`` children as Candidates, and its ``after`` cursor."""
    if (
        not isinstance(payload, dict)
        or payload.get("kind") != "Listing"
        or not isinstance(payload.get("data"), dict)
    ):
        raise SourceError(f"{label}: the answer is not a Reddit Listing", source=label)
    data = payload["data"]
    children = (
        first_items(data.get("children") or []) if isinstance(data.get("children"), list) else []
    )
    posts = [
        c["data"]
        for c in children
        if isinstance(c, dict) and c.get("kind") == "t3" and isinstance(c.get("data"), dict)
    ]
    return [post_to_candidate(p, label) for p in posts], data.get("after") or None


async def access_token(http: Http, options: RedditOptions, client_id: str, secret: str) -> str:
    """App-only OAuth: client credentials for a bearer token."""
    resp = await http.request(
        "POST",
        options.url.rstrip("/") + "/api/v1/access_token",
        data={"grant_type": "client_credentials"},
        auth=httpx.BasicAuth(client_id, secret),
    )
    if resp.status_code in (401, 403) and not is_html(resp):
        raise SourceError(
            f"{http.source}: Reddit rejected reddit-client-id/secret (HTTP {resp.status_code}); "
            "check the app is a 'script' or 'web' app and the secret is current",
            source=http.source,
        )
    _raise_if_blocked(http, resp)
    data = http.json_of(resp)
    token = data.get("access_token") if isinstance(data, dict) else None
    if not token:
        err = data.get("error") if isinstance(data, dict) else None
        raise SourceError(
            f"{http.source}: Reddit gave no access token" + (f" ({err})" if err else ""),
            source=http.source,
        )
    return str(token)


def _raise_if_blocked(http: Http, resp: httpx.Response, *, authenticated: bool = False) -> None:
    if resp.status_code == 403 or (200 <= resp.status_code < 300 and is_html(resp)):
        if authenticated:  # adding credentials is no fix when they are in use already
            detail = error_detail(resp) or "no reason given"
            raise HttpStatusError(
                f"{http.source}: Reddit refused the OAuth request (HTTP {resp.status_code}, {detail}) "
                "although reddit-client-id/secret are set; check that the Reddit app is still active",
                status=resp.status_code,
                source=http.source,
            )
        raise HttpStatusError(
            f"{http.source}: {BLOCKED}", status=resp.status_code, source=http.source, blocked=True
        )


async def fetch(
    options: RedditOptions, ctx: FetchContext, *, now: datetime | None = None
) -> SourceResult:
    label = options.label
    http = Http(ctx.http, source=label, user_agent=REDDIT_USER_AGENT, policy=policy_of(ctx))
    now = now or ctx.now or datetime.now(UTC)
    warnings: list[str] = []
    if options.archive == "pullpush" and not ctx.is_today:
        if listing_time(options, ctx.window_start, now) in ("year", "all"):
            try:
                return await fetch_archive(
                    subreddit=options.subreddit, archive_url=options.archive_url, label=label,
                    limit=options.limit, min_score=options.min_score, ctx=ctx, parse=post_to_candidate,
                )  # fmt: skip
            except SourceError as err:  # the archive is down: say so, and read the listing
                warnings.append(f"{err.message}; falling back to Reddit's listing")

    creds = ctx.credentials
    headers: dict[str, str] = {}
    token_key = (options.url.rstrip("/"), creds.reddit_client_id)

    async def new_token() -> str:
        return await access_token(http, options, creds.reddit_client_id, creds.reddit_client_secret)

    refreshed = False
    if creds.reddit_client_id and creds.reddit_client_secret:
        token = await creds.tokens.get(token_key, new_token)  # one per run, shared
        headers["Authorization"] = f"bearer {token}"
        base = f"{options.oauth_url.rstrip('/')}/r/{options.subreddit}"
        suffix = ""
    else:
        base = f"{options.url.rstrip('/')}/r/{options.subreddit}"
        suffix = ".json"

    sort: Sort = options.sort
    t = listing_time(options, ctx.window_start, now)
    if sort != "top" and not ctx.is_today:
        warnings.append(
            f"{label}: sort={sort} cannot look back to {ctx.window_start:%Y-%m-%d}; used sort=top"
        )
        sort = "top"
    if sort == "top" and t in ("year", "all"):
        warnings.append(
            f"{label}: {ctx.window_start:%Y-%m-%d} is more than a month ago; Reddit's top-of-{t} "
            f"listing (at most {MAX_PAGES * PAGE_SIZE} posts read) may hold few posts of that day"
        )

    max_pages = 1 if sort in ("hot", "rising") or t in ("hour", "day") else MAX_PAGES
    kept: dict[str, Candidate] = {}
    seen = 0
    after: str | None = None
    for _ in range(max_pages):
        params: dict[str, str | int] = {"limit": PAGE_SIZE, "raw_json": 1}
        if sort == "top":
            params["t"] = t
        if after:
            params["after"] = after
        resp = await http.request("GET", f"{base}/{sort}{suffix}", params=params, headers=headers)
        if resp.status_code == 401 and headers and not refreshed:
            # the run's shared token went stale (expired, revoked): one new token, one retry
            refreshed = True
            stale = headers["Authorization"].split(" ", 1)[1]
            token = await creds.tokens.refresh(token_key, stale, new_token)
            headers["Authorization"] = f"bearer {token}"
            resp = await http.request(
                "GET", f"{base}/{sort}{suffix}", params=params, headers=headers
            )
        if resp.status_code == 401 and headers:
            raise SourceError(f"{label}: Reddit refused the OAuth token (HTTP 401)", source=label)
        _raise_if_blocked(http, resp, authenticated=bool(headers))
        if resp.status_code == 404:
            raise SourceError(f"{label}: r/{options.subreddit} not found (HTTP 404)", source=label)
        candidates, after = parse_listing(http.json_of(resp), label)
        seen += len(candidates)
        for c in candidates:
            if in_window(c.created, ctx.window_start, ctx.window_end):
                kept.setdefault(c.id, c)
        # top is ordered by score: once we have enough in the window, later pages only add
        # weaker posts. new is ordered by date: stop once it is older than the window.
        if not after or len(kept) >= options.limit:
            break
        if sort == "new" and any(c.created and c.created < ctx.window_start for c in candidates):
            break

    if seen and not kept and not ctx.is_today:
        warnings.append(
            f"{label}: none of the {seen} listed posts was created on {ctx.window_start:%Y-%m-%d}"
        )
    result = sorted(kept.values(), key=lambda c: c.score, reverse=True)[: options.limit]
    return SourceResult(result, warnings)
