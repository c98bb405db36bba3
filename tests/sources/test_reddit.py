"""Reddit: OAuth or public JSON, the blocked page, windows for past dates, recorded listings."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from pydantic import ValidationError
from sources_support import cassette_body, fetch

from daily_ai_summary.errors import SourceError
from daily_ai_summary.sources import reddit
from daily_ai_summary.sources.reddit import BLOCKED, RedditOptions, listing_time
from daily_ai_summary.testing.server import Response
from daily_ai_summary.testing.sources_fake import SourcesFake, reddit_post

HOUR = 3600


def now_window(hours_back: float = 24) -> tuple[datetime, datetime]:
    end = datetime.now(UTC) + timedelta(minutes=1)
    return end - timedelta(hours=hours_back), end


# -- recorded payloads ------------------------------------------------------------------------
def test_recorded_listing_through_oauth(recorded, fake, policy):
    """The real 2026 /r/popular/hot listing, read through app-only OAuth."""
    body = cassette_body(recorded / "reddit/TestSubmission.test_hide_multiple_in_batches.json", "/r/popular/hot")
    fake.set_reddit_listing("popular", "hot", body)
    posts = [c["data"] for c in json.loads(body)["data"]["children"]]
    start = datetime.fromtimestamp(min(p["created_utc"] for p in posts), UTC)
    end = datetime.fromtimestamp(max(p["created_utc"] for p in posts) + 1, UTC)
    opts = fake.reddit_options("popular", sort="hot", limit=100)

    result = fetch(opts, (start, end), credentials=fake.credentials(), policy=policy,
                   fn=lambda o, ctx: reddit.fetch(o, ctx, now=end))

    assert len(result.candidates) == len(posts) == 100
    by_id = {c.id: c for c in result.candidates}
    for p in posts:
        c = by_id[p["name"]]
        assert c.url == "https://www.reddit.com" + p["permalink"]
        assert (c.score, c.comments, c.raw_title) == (p["score"], p["num_comments"], p["title"])
        assert c.created == datetime.fromtimestamp(p["created_utc"], UTC)
        assert c.nsfw == p["over_18"] and c.stickied == p["stickied"]
        assert c.flair == (p["link_flair_text"] or None)
    oc = by_id["t3_1sk9zvm"]  # "[OC] THANK TRUMP FOR ..." - an image post
    assert not oc.title.startswith("[OC]") and oc.raw_title.startswith("[OC]")
    assert oc.link == "https://i.redd.it/5qhc9d1bgyug1.jpeg"
    assert result.candidates == sorted(result.candidates, key=lambda c: c.score, reverse=True)


def test_token_exchange_is_basic_auth_with_client_credentials(fake, policy):
    fake.add_reddit_posts("MachineLearning", [reddit_post(id="a1", title="x", created_utc=time.time() - HOUR)])
    fetch(fake.reddit_options("MachineLearning"), now_window(), credentials=fake.credentials(), policy=policy)

    (token_req,) = fake.calls("POST", r"/api/v1/access_token")
    expected = base64.b64encode(f"{fake.CLIENT_ID}:{fake.CLIENT_SECRET}".encode()).decode()
    assert token_req.header("authorization") == f"Basic {expected}"
    assert token_req.header("content-type") == "application/x-www-form-urlencoded"
    assert parse_qs(token_req.body.decode()) == {"grant_type": ["client_credentials"]}
    (listing,) = fake.calls("GET", r"/r/MachineLearning/top$")
    assert listing.header("authorization", "").startswith("bearer fake-token-")
    assert listing.arg("raw_json") == "1" and listing.arg("limit") == "100" and listing.arg("t") == "day"
    assert listing.header("user-agent").startswith("github-actions:daily-ai-summary:")
    assert not fake.calls("GET", r"\.json$")


def test_wrong_credentials_say_so(fake, policy):
    fake.add_reddit_posts("MachineLearning", [])
    bad = fake.credentials()
    bad.reddit_client_secret = "not-the-secret"
    with pytest.raises(SourceError, match="rejected reddit-client-id/secret") as err:
        fetch(fake.reddit_options("MachineLearning"), now_window(), credentials=bad, policy=policy)
    assert "not-the-secret" not in str(err.value)


def test_without_credentials_the_public_json_is_used(fake, policy):
    fake.add_reddit_posts("MachineLearning", [reddit_post(id="a1", title="[D] hi", created_utc=time.time() - HOUR)])
    result = fetch(fake.reddit_options("MachineLearning"), now_window(), policy=policy)
    assert [c.title for c in result.candidates] == ["hi"]
    assert not fake.calls("POST")
    (req,) = fake.calls("GET", r"/r/MachineLearning/top\.json$")
    assert req.header("authorization") is None


def test_the_blocked_page_is_a_clear_message_not_a_json_error(fake, policy):
    fake.add_reddit_posts("MachineLearning", [])
    fake.reddit_blocked = True
    with pytest.raises(SourceError) as err:
        fetch(fake.reddit_options("MachineLearning"), now_window(), policy=policy)
    assert str(err.value) == f"reddit r/MachineLearning: {BLOCKED}"


def test_an_html_page_with_status_200_is_also_blocked(fake, policy):
    fake.inject("GET", r"/r/", Response.text("<!DOCTYPE html><html><title>You've been blocked by network security"
                                             "</title></html>", content_type="text/html"))
    with pytest.raises(SourceError, match=BLOCKED):
        fetch(fake.reddit_options("MachineLearning"), now_window(), policy=policy)


def test_recorded_empty_listing_gives_no_candidates(recorded, fake, policy):
    body = cassette_body(recorded / "reddit/TestListingGenerator.test_no_items.json", "/user/spez")
    fake.set_reddit_listing("MachineLearning", "top", body)
    result = fetch(fake.reddit_options("MachineLearning"), now_window(), credentials=fake.credentials(), policy=policy)
    assert result.candidates == [] and result.warnings == []


def test_comments_in_a_listing_are_not_posts(recorded, fake, policy):
    """The recorded /user/spez/overview listing holds 100 t1 comments: none is a candidate."""
    body = cassette_body(recorded / "reddit/TestRedditorListings.test_overview__top.json", "/overview")
    assert {c["kind"] for c in json.loads(body)["data"]["children"]} == {"t1"}
    fake.set_reddit_listing("spez", "top", body)
    result = fetch(fake.reddit_options("spez"), (datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC)),
                   credentials=fake.credentials(), policy=policy)
    assert result.candidates == []


def test_empty_own_listing(fake, policy):
    fake.add_reddit_posts("MachineLearning", [])
    result = fetch(fake.reddit_options("MachineLearning"), now_window(), policy=policy)
    assert result.candidates == []
    (req,) = fake.calls("GET")
    assert req.arg("after") is None


def test_unknown_subreddit_is_a_404_error(fake, policy):
    with pytest.raises(SourceError, match=r"r/NoSuchSub not found \(HTTP 404\)"):
        fetch(fake.reddit_options("NoSuchSub"), now_window(), policy=policy)


# -- flags and fields ---------------------------------------------------------------------------
def test_flags_removed_deleted_stickied_nsfw_and_text_cut():
    now = time.time()
    posts = {
        "mod": reddit_post(id="m", title="t", removed_by_category="moderator", created_utc=now),
        "selfrm": reddit_post(id="s", title="t", selftext="[removed]", created_utc=now),
        "gone": reddit_post(id="g", title="t", selftext="[deleted]", author="[deleted]", created_utc=now),
        "sticky": reddit_post(id="k", title="[D] Megathread", stickied=True, created_utc=now),
        "nsfw": reddit_post(id="n", title="t", over_18=True, selftext="x" * 5000, created_utc=now),
    }
    c = {k: reddit.post_to_candidate(p, "reddit r/x") for k, p in posts.items()}
    assert c["mod"].removed and c["selfrm"].removed and c["gone"].removed
    assert c["selfrm"].text == "" and c["gone"].author is None
    assert not c["sticky"].removed and c["sticky"].stickied and c["sticky"].title == "Megathread"
    assert c["nsfw"].nsfw and len(c["nsfw"].text) <= 1500
    assert c["nsfw"].link is None  # a self post links to nothing outside Reddit


# -- windows and past dates ---------------------------------------------------------------------
def test_past_date_pages_a_wider_listing_and_keeps_only_the_window(fake, policy):
    """Three days ago: top of the week, paged with `after`, filtered by created_utc."""
    now = datetime.now(UTC)
    start = (now - timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)
    window = (start, start + timedelta(days=1))
    posts = []
    for i in range(150):  # the day's posts score lowest, so they sit on the second page
        created = start + timedelta(hours=(i % 3 - 1) * 24 + 12)
        posts.append(reddit_post(id=f"p{i:03d}", title=f"post {i}", score=1000 - i, created_utc=created.timestamp()))
    fake.add_reddit_posts("MachineLearning", posts)
    in_window = {p["name"] for p in posts if window[0].timestamp() <= p["created_utc"] < window[1].timestamp()}

    result = fetch(fake.reddit_options("MachineLearning", limit=100), window, is_today=False, policy=policy)

    assert {c.id for c in result.candidates} == in_window and len(in_window) == 50
    pages = fake.calls("GET", r"/r/MachineLearning/top")
    assert [p.arg("t") for p in pages] == ["week", "week"]
    assert pages[0].arg("after") is None and pages[1].arg("after") == "t3_p099"
    assert result.warnings == []


def test_paging_honours_a_real_short_ratelimit_reset(policy):
    """Reddit says 0 requests remain for 1 s: the second page waits for it (for real)."""
    now = datetime.now(UTC)
    start = (now - timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    posts = [reddit_post(id=f"q{i:03d}", title="t", score=500 - i,
                         created_utc=(start - timedelta(hours=1 + i / 2)).timestamp()) for i in range(120)]
    real_sleep = type(policy)(timeout=2, attempts=3, backoff=0.1, budget=30)
    with SourcesFake(reddit_rate_limit=1, reddit_rate_period=1.0) as fake:
        fake.add_reddit_posts("MachineLearning", posts)
        t0 = time.monotonic()
        result = fetch(fake.reddit_options("MachineLearning"), (start, start + timedelta(days=1)),
                       is_today=False, policy=real_sleep)
        elapsed = time.monotonic() - t0
        pages = fake.calls("GET", r"/r/MachineLearning/top")
    assert result.candidates == []
    assert len(pages) == 2 and elapsed >= 0.5
    assert result.warnings and "none of the 120 listed posts" in result.warnings[0]


def test_hot_for_a_past_date_falls_back_to_top_with_a_warning(fake, policy):
    fake.add_reddit_posts("MachineLearning", [])
    start = (datetime.now(UTC) - timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    result = fetch(fake.reddit_options("MachineLearning", sort="hot"), (start, start + timedelta(days=1)),
                   is_today=False, policy=policy)
    assert fake.calls("GET", r"/top\.json$") and not fake.calls("GET", r"/hot\.json$")
    assert any("sort=hot cannot look back" in w for w in result.warnings)


@pytest.mark.parametrize(("days", "t", "warns"), [(0.5, "day", False), (3, "week", False), (20, "month", False),
                                                  (60, "year", True), (400, "all", True)])
def test_listing_time_reaches_back_to_the_window(days, t, warns, fake, policy):
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    opts = RedditOptions(subreddit="MachineLearning")
    assert listing_time(opts, now - timedelta(days=days), now) == t
    assert listing_time(opts.model_copy(update={"time": "month"}), now - timedelta(days=1), now) == "month"

    fake.add_reddit_posts("MachineLearning", [])
    start = datetime.now(UTC) - timedelta(days=days)
    result = fetch(fake.reddit_options("MachineLearning"), (start, start + timedelta(hours=12)),
                   is_today=days < 1, policy=policy)
    assert fake.calls("GET")[0].arg("t") == t
    assert any("may hold few posts of that day" in w for w in result.warnings) == warns


# -- options -----------------------------------------------------------------------------------
def test_options_accept_r_prefix_and_kebab_keys_and_forbid_extras():
    opts = RedditOptions.model_validate({"type": "reddit", "subreddit": "r/MachineLearning", "oauth-url": "http://x"})
    assert opts.subreddit == "MachineLearning" and opts.oauth_url == "http://x"
    assert opts.label == "reddit r/MachineLearning"
    with pytest.raises(ValidationError):
        RedditOptions.model_validate({"subreddit": "MachineLearning", "sorting": "top"})
    with pytest.raises(ValidationError):
        RedditOptions.model_validate({"subreddit": "Machine Learning!"})
    with pytest.raises(ValidationError):
        RedditOptions.model_validate({"subreddit": "x", "time": "decade"})


# -- one OAuth token per run ---------------------------------------------------------------
def test_all_reddit_sources_of_a_run_share_one_token_and_refresh_it_once_on_401(fake, policy):
    import asyncio

    from daily_ai_summary.sources import collect
    from daily_ai_summary.sources.base import FetchContext
    from daily_ai_summary.sources.http import build_client

    for sub in ("MachineLearning", "machinelearningnews", "LocalLLaMA"):
        fake.add_reddit_posts(sub, [reddit_post(id=f"{sub[:4]}1", title=f"A post in {sub}", subreddit=sub, created_utc=time.time() - HOUR, score=10)])
    sources = [
        ("consequences", fake.reddit_options("MachineLearning")),
        ("trending", fake.reddit_options("machinelearningnews", sort="hot")),
        ("trending", fake.reddit_options("LocalLLaMA", sort="new")),
    ]
    creds = fake.credentials()  # one per run, as the entrypoint makes it
    start, end = now_window()

    async def run_once() -> dict:
        async with build_client() as http:
            ctx = FetchContext(http, start, end, is_today=True, credentials=creds, http_policy=policy)
            by_section, reports = await collect(sources, ctx)
        assert all(r.ok for r in reports), [r.error for r in reports]
        return by_section

    def token_requests() -> int:
        return len(fake.calls("POST", r"/api/v1/access_token"))

    found = asyncio.run(run_once())
    assert len(found["trending"]) == 2 and len(found["consequences"]) == 1
    assert token_requests() == 1  # three sources at once, one token

    # the dedupe replay and the generation are two asyncio.run calls of one run: still one token
    asyncio.run(run_once())
    assert token_requests() == 1

    fake.revoke_reddit_tokens()  # the token expires mid-run: every source gets a 401
    found = asyncio.run(run_once())
    assert len(found["trending"]) == 2
    assert token_requests() == 2  # one new token, shared by the three retries
    assert len(fake.calls("GET", r"/r/LocalLLaMA/new")) == 4  # 1 + 1 + (401 + retry)


def test_a_token_refused_again_after_the_refresh_is_a_clear_source_error(fake, policy):
    fake.add_reddit_posts("MachineLearning", [reddit_post(id="z1", title="x", created_utc=time.time() - HOUR)])
    unauthorized = Response.json({"message": "Unauthorized", "error": 401}, 401)
    fake.server.inject("GET", r"/r/MachineLearning/top", unauthorized, unauthorized)
    with pytest.raises(SourceError, match=r"reddit r/MachineLearning: Reddit refused the OAuth token \(HTTP 401\)"):
        fetch(fake.reddit_options("MachineLearning"), now_window(), credentials=fake.credentials(), policy=policy)
    assert len(fake.calls("POST", r"/api/v1/access_token")) == 2  # the first, and one refresh
