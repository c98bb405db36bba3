"""A local stand-in for every source API: Reddit, Algolia HN, HF daily papers, arXiv, feeds.

One real HTTP server (``FakeServer``) on 127.0.0.1 answers with the same JSON/XML shapes as the
real services (see the recorded responses in ``../shared/fixtures``) and keeps a request log:

    with SourcesFake() as fake:
        fake.add_reddit_posts("MachineLearning", [reddit_post(title="[D] ...", score=120, ...)])
        fake.set_hn_response(recorded_bytes)            # or add_hn_hits([...])
        opts = fake.reddit_options("MachineLearning")   # points url/oauth-url at the fake
        ...
        fake.calls("GET", r"/r/MachineLearning/top")    # what the client asked

It behaves like the real APIs, not like whatever is asked: unknown routes answer 404, OAuth
routes without a valid bearer token 401, the token endpoint checks Basic auth and
``grant_type``, listings honour ``t``/``limit``/``after``, Algolia honours ``numericFilters``,
``tags``, ``hitsPerPage`` and ``page`` (and can reject ``points`` like it did in 2026), arXiv
honours ``cat:`` and ``submittedDate:``. Payloads given as bytes are served verbatim (recorded
fixtures), so the client's parser sees the real thing.

``SourcesFake.with_sample_day(date)`` loads a small, self-written sample day (clearly marked
sample content) for ``daily-ai-summary demo`` and for trying a configuration offline.
"""

from __future__ import annotations

import base64
import dataclasses
import hmac
import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from importlib import resources
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from daily_ai_summary.models import Section
from daily_ai_summary.sources.arxiv import ArxivOptions
from daily_ai_summary.sources.base import Credentials, SourceOptions
from daily_ai_summary.sources.feed import FeedOptions
from daily_ai_summary.sources.hackernews import HackerNewsOptions
from daily_ai_summary.sources.huggingface import HuggingFacePapersOptions
from daily_ai_summary.sources.reddit import RedditOptions
from daily_ai_summary.testing.server import FakeServer, FakeService, Request, Response

JSON = "application/json; charset=UTF-8"
SPANS = {"hour": 3600, "day": 86400, "week": 7 * 86400, "month": 31 * 86400, "year": 366 * 86400}

# What Reddit serves to blocked (cloud/datacenter) clients: an HTML page, status 403.
BLOCKED_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Blocked</title></head>
<body><h1>whoa there, pardner!</h1>
<p>Your request has been blocked due to a network policy.</p>
<p>Try logging in or creating an account to get back to browsing, or use your developer token.</p>
</body></html>"""


# -- payload builders: the shapes of the real APIs ---------------------------------------------
def reddit_post(
    *,
    id: str,
    title: str,
    subreddit: str = "MachineLearning",
    created_utc: float = 0.0,
    score: int = 1,
    num_comments: int = 0,
    selftext: str = "",
    author: str = "sample_user",
    url: str | None = None,
    link_flair_text: str | None = None,
    stickied: bool = False,
    over_18: bool = False,
    removed_by_category: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ``t3`` ``data`` object with the fields a 2026 listing carries (see the praw cassette)."""
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:50]
    permalink = f"/r/{subreddit}/comments/{id}/{slug}/"
    is_self = url is None
    link = f"https://www.reddit.com{permalink}" if is_self else url
    data: dict[str, Any] = {
        "approved_at_utc": None,
        "subreddit": subreddit,
        "selftext": selftext,
        "author_fullname": f"t2_{author.lower()[:8]}",
        "title": title,
        "subreddit_name_prefixed": f"r/{subreddit}",
        "hidden": False,
        "link_flair_text": link_flair_text,
        "downs": 0,
        "name": f"t3_{id}",
        "upvote_ratio": 0.95,
        "ups": score,
        "score": score,
        "is_self": is_self,
        "created": created_utc,
        "domain": f"self.{subreddit}"
        if is_self
        else re.sub(r"^https?://([^/]+).*$", r"\1", url or ""),
        "selftext_html": None,
        "over_18": over_18,
        "removed_by_category": removed_by_category,
        "author": author,
        "num_comments": num_comments,
        "permalink": permalink,
        "stickied": stickied,
        "url": link,
        "created_utc": created_utc,
        "id": id,
        "subreddit_id": "t5_sample",
        "distinguished": "moderator" if stickied else None,
        "pinned": False,
        "locked": False,
    }
    if not is_self:
        data["url_overridden_by_dest"] = url
    data.update(extra)
    return data


def reddit_listing(posts: list[dict[str, Any]], after: str | None = None) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": after,
            "dist": len(posts),
            "modhash": None,
            "geo_filter": None,
            "children": [{"kind": "t3", "data": p} for p in posts],
            "before": None,
        },
    }


def hn_hit(
    *,
    id: int | str,
    title: str,
    created_at_i: int,
    points: int = 1,
    num_comments: int = 0,
    author: str = "sample_user",
    url: str | None = None,
    story_text: str | None = None,
    kind: str | None = None,  # "ask_hn" | "show_hn"
) -> dict[str, Any]:
    """An Algolia ``search_by_date`` hit, shaped like the recorded ones."""
    when = datetime.fromtimestamp(created_at_i, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    hit: dict[str, Any] = {
        "_highlightResult": {
            "author": {"matchLevel": "none", "matchedWords": [], "value": author},
            "title": {"matchLevel": "none", "matchedWords": [], "value": title},
        },
        "_tags": ["story", f"author_{author}", f"story_{id}", *([kind] if kind else [])],
        "author": author,
        "children": [],
        "created_at": when,
        "created_at_i": created_at_i,
        "num_comments": num_comments,
        "objectID": str(id),
        "points": points,
        "story_id": int(id),
        "title": title,
        "updated_at": when,
    }
    if url is not None:
        hit["url"] = url
    if story_text is not None:
        hit["story_text"] = story_text
    return hit


def hf_paper(
    *,
    id: str,
    title: str,
    summary: str,
    day: date,
    upvotes: int = 0,
    num_comments: int = 0,
    authors: Iterable[str] = ("Sample Author",),
) -> dict[str, Any]:
    """A ``/api/daily_papers`` item, shaped like the recorded ones."""
    at = f"{day.isoformat()}T00:00:00.000Z"
    user = {
        "_id": "sample",
        "avatarUrl": "",
        "fullname": "Sample Submitter",
        "name": "sample",
        "type": "user",
    }
    return {
        "paper": {
            "id": id,
            "authors": [
                {"_id": f"a{i}", "name": n, "hidden": False} for i, n in enumerate(authors)
            ],
            "publishedAt": at,
            "submittedOnDailyAt": at,
            "title": title,
            "submittedOnDailyBy": user,
            "summary": summary,
            "upvotes": upvotes,
            "discussionId": f"d{id}",
            "ai_summary": "",
            "ai_keywords": [],
        },
        "publishedAt": at,
        "title": title,
        "summary": summary,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{id}.png",
        "numComments": num_comments,
        "submittedBy": {**user, "isPro": False, "followerCount": 0},
        "isAuthorParticipating": False,
    }


def arxiv_atom(
    entries: list[dict[str, Any]], *, total: int | None = None, query: str = ""
) -> bytes:
    """An arXiv API Atom feed. Each entry: id, title, summary, published (datetime),
    categories (list, first is primary), authors (list)."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">',
        "  <id>https://arxiv.org/api/fake</id>",
        f"  <title>arXiv Query: {escape(query)}</title>",
        f"  <updated>{now}</updated>",
        f"  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{len(entries) if total is None else total}</opensearch:totalResults>",
        "  <opensearch:startIndex>0</opensearch:startIndex>",
    ]
    for e in entries:
        published = e["published"].strftime("%Y-%m-%dT%H:%M:%SZ")
        cats = e.get("categories") or ["cs.LG"]
        parts += [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{e['id']}v1</id>",
            f"    <title>{escape(e['title'])}</title>",
            f"    <updated>{published}</updated>",
            f'    <link href="https://arxiv.org/abs/{e["id"]}v1" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{e["id"]}v1" rel="related" type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(e.get('summary', ''))}</summary>",
            *(f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in cats),
            f"    <published>{published}</published>",
            f'    <arxiv:primary_category term="{cats[0]}"/>',
            *(
                f"    <author>\n      <name>{escape(a)}</name>\n    </author>"
                for a in e.get("authors", ["Sample Author"])
            ),
            "  </entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


def rss(
    items: list[dict[str, Any]], *, title: str = "Sample feed", link: str = "https://example.org/"
) -> bytes:
    """An RSS 2.0 document. Each item: title, link, and optionally description, published
    (datetime; omitted means no pubDate), guid, category."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0">',
        "  <channel>",
        f"    <title>{escape(title)}</title>",
        f"    <link>{escape(link)}</link>",
        "    <description>Sample feed served by daily-ai-summary's SourcesFake</description>",
    ]
    for it in items:
        parts.append("    <item>")
        parts.append(f"      <title>{escape(it['title'])}</title>")
        parts.append(f"      <link>{escape(it['link'])}</link>")
        parts.append(f'      <guid isPermaLink="false">{escape(it.get("guid", it["link"]))}</guid>')
        if it.get("published"):
            parts.append(f"      <pubDate>{format_datetime(it['published'])}</pubDate>")
        if it.get("category"):
            parts.append(f"      <category>{escape(it['category'])}</category>")
        if it.get("description"):
            parts.append(f"      <description>{escape(it['description'])}</description>")
        parts.append("    </item>")
    parts += ["  </channel>", "</rss>"]
    return "\n".join(parts).encode("utf-8")


def _searchable(hit: Mapping[str, Any]) -> str:
    return " ".join(str(hit.get(k) or "") for k in ("title", "url", "story_text")).lower()


def sample_window(post_date: date) -> tuple[datetime, datetime]:
    """The window a post for ``post_date`` covers: the UTC day before it."""
    end = datetime(post_date.year, post_date.month, post_date.day, tzinfo=UTC)
    return end - timedelta(days=1), end


# -- the fake ----------------------------------------------------------------------------------
class SourcesFake(FakeService):
    """All source APIs on one local server. Thread-safe; start it, point options at ``url``."""

    CLIENT_ID = "fake-reddit-client-id"
    CLIENT_SECRET = "fake-reddit-client-secret"  # noqa: S105 - a fake's credential, not a secret

    def __init__(self, *, reddit_rate_limit: int = 1000, reddit_rate_period: float = 600.0) -> None:
        self.server = FakeServer("sources")
        self._lock = threading.Lock()
        self._reddit_posts: dict[str, list[dict[str, Any]]] = {}
        self._reddit_raw: dict[tuple[str, str], Response] = {}
        self.reddit_blocked = (
            False  # public .json routes answer 403 "Blocked" (as on cloud runners)
        )
        self.reddit_rate_limit = reddit_rate_limit
        self.reddit_rate_period = reddit_rate_period
        self._period_start = time.monotonic()
        self._reddit_used = 0
        self._tokens: set[str] = set()
        self._token_ids = itertools.count(1)
        self._hn_hits: list[dict[str, Any]] = []
        self._hn_raw: bytes | None = None
        self.hn_reject_points = False  # answer 400 to a points filter, like Algolia in June 2026
        self._hf: dict[str, list[dict[str, Any]]] = {}
        self._hf_raw: bytes | None = None
        self._arxiv_entries: list[dict[str, Any]] = []
        self._arxiv_raw: bytes | None = None
        self.pullpush_down = False  # the archive answers 503 with a CDN's HTML error page
        self.latency = 0.0  # seconds every answer waits, like a network round trip
        self.now: datetime | None = None  # Reddit's "now" for t=day/week listings; None: the clock
        self._routes()

    # -- data --------------------------------------------------------------------------
    def add_reddit_posts(self, subreddit: str, posts: Iterable[Mapping[str, Any]]) -> None:
        """Posts (``reddit_post(...)`` dicts, or any t3 ``data``) the listings are built from."""
        with self._lock:
            self._reddit_posts.setdefault(subreddit.lower(), []).extend(dict(p) for p in posts)

    def set_reddit_listing(
        self, subreddit: str, sort: str, payload: Mapping[str, Any] | bytes | str
    ) -> None:
        """Serve this exact listing for ``/r/<subreddit>/<sort>``, whatever the parameters."""
        body = json.dumps(payload) if isinstance(payload, Mapping) else payload
        with self._lock:
            self._reddit_raw[(subreddit.lower(), sort)] = Response(
                200, body, {"Content-Type": JSON}
            )

    def add_hn_hits(self, hits: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._hn_hits.extend(dict(h) for h in hits)

    def set_hn_response(self, payload: Mapping[str, Any] | bytes | str) -> None:
        body = json.dumps(payload) if isinstance(payload, Mapping) else payload
        self._hn_raw = body.encode("utf-8") if isinstance(body, str) else body

    def add_hf_papers(self, day: date, items: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._hf.setdefault(day.isoformat(), []).extend(dict(i) for i in items)

    def set_hf_response(self, payload: list[Any] | bytes | str) -> None:
        body = json.dumps(payload) if isinstance(payload, list) else payload
        self._hf_raw = body.encode("utf-8") if isinstance(body, str) else body

    def add_arxiv_entries(self, entries: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            self._arxiv_entries.extend(dict(e) for e in entries)

    def set_arxiv_response(self, body: bytes | str) -> None:
        self._arxiv_raw = body.encode("utf-8") if isinstance(body, str) else body

    def add_feed(
        self, path: str, body: bytes | str, content_type: str = "application/rss+xml; charset=UTF-8"
    ) -> str:
        """Serve a feed document at ``path`` (see ``feed_options(path)``); returns the path."""
        path = "/" + path.lstrip("/")
        resp = Response(200, body, {"Content-Type": content_type})
        self.server.add_route("GET", re.escape(path), self._with_latency(lambda req: resp))
        return path

    # -- options pointing at the fake --------------------------------------------------
    def credentials(self) -> Credentials:
        return Credentials(reddit_client_id=self.CLIENT_ID, reddit_client_secret=self.CLIENT_SECRET)

    def reddit_options(self, subreddit: str, **kw: Any) -> RedditOptions:
        return RedditOptions(subreddit=subreddit, url=self.url, oauth_url=self.url, **kw)

    def hackernews_options(self, **kw: Any) -> HackerNewsOptions:
        return HackerNewsOptions(url=self.url, **kw)

    def huggingface_options(self, **kw: Any) -> HuggingFacePapersOptions:
        return HuggingFacePapersOptions(url=self.url, **kw)

    def arxiv_options(self, **kw: Any) -> ArxivOptions:
        return ArxivOptions(url=self.url, **kw)

    def feed_options(self, path: str, **kw: Any) -> FeedOptions:
        return FeedOptions(url=self.url + "/" + path.lstrip("/"), **kw)

    # -- routes ------------------------------------------------------------------------
    def _with_latency(self, fn: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def answer(req: Request) -> Response:
            resp = fn(req)
            if self.latency > resp.delay:
                resp = dataclasses.replace(resp, delay=self.latency)
            return resp

        return answer

    def _routes(self) -> None:
        for method, pattern, fn in [
            ("POST", r"/api/v1/access_token", self._reddit_token),
            ("GET", r"/r/(?P<sub>\w+)/(?P<sort>top|hot|new|rising)\.json", self._reddit_public),
            ("GET", r"/r/(?P<sub>\w+)/(?P<sort>top|hot|new|rising)", self._reddit_oauth),
            ("GET", r"/api/v1/search_by_date", self._hn_search),
            ("GET", r"/api/v1/search", self._hn_search),
            ("GET", r"/api/daily_papers", self._hf_papers),
            ("GET", r"/api/query", self._arxiv_query),
            ("GET", r"/reddit/search/submission/?", self._pullpush_search),
        ]:
            self.server.add_route(method, pattern, self._with_latency(fn))

    # Reddit ---------------------------------------------------------------------------
    def _reddit_token(self, req: Request) -> Response:
        expected = base64.b64encode(f"{self.CLIENT_ID}:{self.CLIENT_SECRET}".encode()).decode()
        auth = req.header("authorization") or ""
        if not (auth.startswith("Basic ") and hmac.compare_digest(auth[6:].strip(), expected)):
            return Response.json({"message": "Unauthorized", "error": 401}, 401)
        if "application/x-www-form-urlencoded" not in (req.header("content-type") or ""):
            return Response.json({"error": "unsupported_grant_type"})
        form = parse_qs(req.body.decode("utf-8", "replace"))
        if form.get("grant_type") != ["client_credentials"]:
            return Response.json({"error": "unsupported_grant_type"})
        token = f"fake-token-{next(self._token_ids)}"
        with self._lock:
            self._tokens.add(token)
        return Response.json(
            {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"}
        )

    def revoke_reddit_tokens(self) -> None:
        """Every token issued so far stops working (expiry, revocation): OAuth answers 401."""
        with self._lock:
            self._tokens.clear()

    def _rate_headers(self) -> tuple[dict[str, str], bool]:
        with self._lock:
            now = time.monotonic()
            if now - self._period_start >= self.reddit_rate_period:
                self._period_start, self._reddit_used = now, 0
            self._reddit_used += 1
            used = self._reddit_used
            reset = max(0, math.ceil(self._period_start + self.reddit_rate_period - now))
        remaining = max(0, self.reddit_rate_limit - used)
        headers = {
            "x-ratelimit-remaining": f"{float(remaining)}",
            "x-ratelimit-used": str(used),
            "x-ratelimit-reset": str(reset),
        }
        return headers, used > self.reddit_rate_limit

    def _reddit_public(self, req: Request) -> Response:
        if self.reddit_blocked:
            return Response.text(BLOCKED_PAGE, 403, content_type="text/html; charset=utf-8")
        return self._reddit_listing(req)

    def _reddit_oauth(self, req: Request) -> Response:
        auth = req.header("authorization") or ""
        scheme, _, token = auth.partition(" ")
        with self._lock:
            ok = scheme.lower() == "bearer" and token in self._tokens
        if not ok:
            return Response.json({"message": "Unauthorized", "error": 401}, 401)
        return self._reddit_listing(req)

    def _reddit_listing(self, req: Request) -> Response:
        headers, limited = self._rate_headers()
        if limited:
            return Response.json({"message": "Too Many Requests", "error": 429}, 429, headers)
        sub, sort = req.params["sub"].lower(), req.params["sort"]
        with self._lock:
            raw = self._reddit_raw.get((sub, sort))
            posts = list(self._reddit_posts.get(sub, [])) if sub in self._reddit_posts else None
        if raw is not None:
            return Response(raw.status, raw.body, {**raw.headers, **headers})
        if posts is None:
            return Response.json({"message": "Not Found", "error": 404}, 404, headers)
        now = self.now.timestamp() if self.now else time.time()
        if sort == "top":
            span = SPANS.get(req.arg("t", "day") or "day")
            if span is not None:
                posts = [p for p in posts if p.get("created_utc", 0) >= now - span]
            posts.sort(key=lambda p: p.get("score", 0), reverse=True)
        elif sort == "new":
            posts.sort(key=lambda p: p.get("created_utc", 0), reverse=True)
        else:  # hot / rising: score decayed by age, stickied first on hot

            def heat(p: dict[str, Any]) -> float:
                age_h = max(0.0, (now - p.get("created_utc", now)) / 3600)
                decay: float = (age_h + 2) ** (1.5 if sort == "hot" else 2.5)
                return float(p.get("score", 0)) / decay

            posts.sort(key=heat, reverse=True)
            if sort == "hot":
                posts.sort(key=lambda p: not p.get("stickied"))
        try:
            limit = max(1, min(100, int(req.arg("limit", "25") or 25)))
        except ValueError:
            limit = 25
        start = 0
        after = req.arg("after")
        if after:
            names = [p.get("name") for p in posts]
            start = names.index(after) + 1 if after in names else len(posts)
        page = posts[start : start + limit]
        next_after = page[-1]["name"] if page and start + limit < len(posts) else None
        return Response.json(reddit_listing(page, next_after), headers=headers)

    # Algolia HN -----------------------------------------------------------------------
    def _hn_search(self, req: Request) -> Response:
        filters = [f for f in (req.arg("numericFilters") or "").split(",") if f]
        parsed: list[tuple[str, str, float]] = []
        for f in filters:
            m = re.fullmatch(r"\s*(\w+)\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*", f)
            if not m:
                return Response.json({"code": 400, "message": f"invalid numeric filter: {f}"}, 400)
            attr, op, value = m.group(1), m.group(2), float(m.group(3))
            if attr not in ("created_at_i", "points", "num_comments") or (
                attr == "points" and self.hn_reject_points
            ):
                msg = (
                    f"invalid numeric attribute({attr}), attribute not specified in "
                    "numericAttributesForFiltering setting"
                )
                return Response.json({"code": 400, "message": msg}, 400)
            parsed.append((attr, op, value))
        if self._hn_raw is not None:
            return Response(200, self._hn_raw, {"Content-Type": JSON})
        ops = {
            ">=": float.__ge__,
            "<=": float.__le__,
            ">": float.__gt__,
            "<": float.__lt__,
            "=": float.__eq__,
        }
        tags = [t for t in (req.arg("tags") or "").split(",") if t]
        query = (req.arg("query") or "").lower()
        with self._lock:
            hits = list(self._hn_hits)
        hits = [
            h
            for h in hits
            if all(ops[op](float(h.get(attr) or 0), v) for attr, op, v in parsed)
            and all(t in h.get("_tags", []) for t in tags)
            and all(re.search(rf"\b{re.escape(word)}", _searchable(h)) for word in query.split())
        ]
        if req.path.endswith("search_by_date"):
            hits.sort(key=lambda h: h.get("created_at_i", 0), reverse=True)
        else:
            hits.sort(key=lambda h: h.get("points", 0), reverse=True)
        per_page = max(1, min(1000, int(req.arg("hitsPerPage", "20") or 20)))
        page = max(0, int(req.arg("page", "0") or 0))
        chunk = hits[page * per_page : (page + 1) * per_page]
        raw_query = "&".join(f"{k}={v[0]}" for k, v in req.query.items())
        return Response.json(
            {
                "exhaustive": {"nbHits": True, "typo": True},
                "exhaustiveNbHits": True,
                "exhaustiveTypo": True,
                "hits": chunk,
                "hitsPerPage": per_page,
                "nbHits": len(hits),
                "nbPages": math.ceil(len(hits) / per_page),
                "page": page,
                "params": raw_query,
                "processingTimeMS": 1,
                "processingTimingsMS": {"_request": {"roundTrip": 1}, "total": 1},
                "query": req.arg("query") or "",
                "serverTimeMS": 1,
            }
        )

    # Hugging Face ---------------------------------------------------------------------
    def _hf_papers(self, req: Request) -> Response:
        if self._hf_raw is not None:
            return Response(200, self._hf_raw, {"Content-Type": JSON})
        day = req.arg("date")
        with self._lock:
            if day is None and self._hf:
                day = max(self._hf)
            items = list(self._hf.get(day or "", []))
        if day is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return Response.json({"error": "Invalid date format"}, 400)
        items.sort(key=lambda i: i["paper"].get("upvotes", 0), reverse=True)
        try:
            limit = int(req.arg("limit", "50") or 50)
        except ValueError:
            return Response.json({"error": "Invalid limit"}, 400)
        return Response.json(items[:limit])

    # arXiv ----------------------------------------------------------------------------
    def _arxiv_query(self, req: Request) -> Response:
        atom = "application/atom+xml; charset=utf-8"
        q = req.arg("search_query")
        if not q and not req.arg("id_list"):
            err = arxiv_atom([], total=0, query="")  # arXiv answers a bad query with an Atom error
            err = err.replace(
                b"</feed>",
                b"  <entry><id>http://arxiv.org/api/errors#missing_query</id><title>Error</title>"
                b"<summary>search_query or id_list is required</summary></entry>\n</feed>",
            )
            return Response(400, err, {"Content-Type": atom})
        if self._arxiv_raw is not None:
            return Response(200, self._arxiv_raw, {"Content-Type": atom})
        cats = set(re.findall(r"cat:([\w.-]+)", q or ""))
        m = re.search(r"submittedDate:\[(\d{12}) TO (\d{12})\]", q or "")
        with self._lock:
            entries = list(self._arxiv_entries)
        if cats:
            entries = [e for e in entries if cats & set(e.get("categories") or ["cs.LG"])]
        if m:
            lo = datetime.strptime(m.group(1), "%Y%m%d%H%M").replace(tzinfo=UTC)
            hi = datetime.strptime(m.group(2), "%Y%m%d%H%M").replace(tzinfo=UTC) + timedelta(
                minutes=1
            )
            entries = [e for e in entries if lo <= e["published"] < hi]
        entries.sort(key=lambda e: e["published"], reverse=req.arg("sortOrder") != "ascending")
        start = int(req.arg("start", "0") or 0)
        count = int(req.arg("max_results", "10") or 10)
        return Response(
            200,
            arxiv_atom(entries[start : start + count], total=len(entries), query=q or ""),
            {"Content-Type": atom},
        )

    # PullPush (the Reddit archive) ---------------------------------------------------------
    def _pullpush_search(self, req: Request) -> Response:
        """``/reddit/search/submission/``: a subreddit's posts with ``after`` <= created_utc <
        ``before`` (epoch seconds), ``sort_type=score`` or created_utc, ``size`` <= 100, as
        ``{"data": [...], "metadata": {...}}``."""
        if self.pullpush_down:
            page = "<html><head><title>503 Service Temporarily Unavailable</title></head><body>503</body></html>"
            return Response.text(page, 503, content_type="text/html")
        sub = (req.arg("subreddit") or "").lower()
        try:
            after = float(req.arg("after") or 0)
            before = float(req.arg("before") or 1e12)
            size = max(1, min(100, int(req.arg("size", "25") or 25)))
        except ValueError:
            return Response.json({"detail": "invalid parameter"}, 400)
        with self._lock:
            posts = [dict(p) for p in self._reddit_posts.get(sub, [])]
        posts = [p for p in posts if after <= p.get("created_utc", 0) < before]
        key = "score" if req.arg("sort_type") == "score" else "created_utc"
        posts.sort(key=lambda p: p.get(key, 0), reverse=req.arg("sort", "desc") != "asc")
        for p in posts:  # archived copies: the fields PullPush adds, no live-only state
            p.update(retrieved_on=int(p.get("created_utc", 0)) + 3600, utc_datetime_str="")
        return Response.json(
            {"data": posts[:size], "metadata": {"total_results": len(posts), "size": size}}
        )

    # -- the sample day ----------------------------------------------------------------
    @classmethod
    def with_sample_day(cls, post_date: date, **kw: Any) -> SourcesFake:
        """A fake (not yet started) holding the bundled SAMPLE day for the post of ``post_date``:
        every item is stamped inside that post's window (the UTC day before ``post_date``)."""
        fake = cls(**kw)
        fake.load_sample_day(post_date)
        return fake

    def load_sample_day(self, post_date: date) -> None:
        start, _ = sample_window(post_date)
        data = json.loads(
            resources.files("daily_ai_summary.testing")
            .joinpath("data/sources/sample_day.json")
            .read_text("utf-8")
        )

        def at(hours: float) -> datetime:
            return start + timedelta(hours=hours)

        for sub, posts in data["reddit"].items():
            self.add_reddit_posts(
                sub,
                [
                    reddit_post(
                        subreddit=sub,
                        created_utc=at(p.pop("hour")).timestamp(),
                        **{k: v for k, v in p.items() if not k.startswith("_")},
                    )
                    for p in posts
                ],
            )
        self.add_hn_hits(
            hn_hit(created_at_i=int(at(h.pop("hour")).timestamp()), **h) for h in data["hackernews"]
        )
        self.add_hf_papers(
            start.date(), (hf_paper(day=start.date(), **p) for p in data["huggingface"])
        )
        self.add_arxiv_entries({**e, "published": at(e.pop("hour"))} for e in data["arxiv"])

    def sample_sources(self) -> list[tuple[Section, SourceOptions]]:
        """The sources the sample day was written for, pointing at this (started) fake."""
        return [
            ("consequences", self.reddit_options("MachineLearning")),
            ("trending", self.reddit_options("machinelearningnews")),
            ("trending", self.hackernews_options(query="AI", min_score=20)),
            ("trending", self.huggingface_options()),
            ("trending", self.arxiv_options(categories=["cs.LG", "cs.CL"])),
        ]
