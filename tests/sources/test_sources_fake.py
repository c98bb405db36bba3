"""SourcesFake answers like the real services (shapes of the recorded payloads, auth, 404s)."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sources_support import cassette_body

from daily_ai_summary.testing.sources_fake import (
    SourcesFake,
    hf_paper,
    hn_hit,
    reddit_post,
    sample_window,
)


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def token(fake: SourcesFake) -> str:
    r = httpx.post(fake.url + "/api/v1/access_token", data={"grant_type": "client_credentials"},
                   auth=(fake.CLIENT_ID, fake.CLIENT_SECRET))
    return r.json()["access_token"]


def test_unknown_routes_are_404(fake):
    assert httpx.get(fake.url + "/api/v2/whatever").status_code == 404
    assert httpx.get(fake.url + "/r/MachineLearning/comments.json").status_code == 404


def test_oauth_listing_needs_a_bearer_token_the_fake_issued(fake):
    fake.add_reddit_posts("MachineLearning", [])
    url = fake.url + "/r/MachineLearning/top"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "bearer made-up"}).status_code == 401
    ok = httpx.get(url, headers={"Authorization": f"bearer {token(fake)}"})
    assert ok.status_code == 200 and ok.json()["kind"] == "Listing"
    assert float(ok.headers["x-ratelimit-remaining"]) >= 0 and "x-ratelimit-reset" in ok.headers


def test_token_endpoint_checks_basic_auth_and_grant_type(fake):
    url = fake.url + "/api/v1/access_token"
    assert httpx.post(url, data={"grant_type": "client_credentials"}, auth=("x", "y")).status_code == 401
    wrong_grant = httpx.post(url, data={"grant_type": "password"}, auth=(fake.CLIENT_ID, fake.CLIENT_SECRET))
    assert wrong_grant.json() == {"error": "unsupported_grant_type"}
    good = httpx.post(url, data={"grant_type": "client_credentials"},
                      headers={"Authorization": basic(fake.CLIENT_ID, fake.CLIENT_SECRET)}).json()
    assert good["token_type"] == "bearer" and good["expires_in"] == 86400 and good["scope"] == "*"


def test_listing_honours_t_limit_and_after(fake):
    now = time.time()
    fake.add_reddit_posts("ml", [reddit_post(id=f"p{i}", title="t", score=i, created_utc=now - i * 3600)
                                 for i in range(30)])
    day = httpx.get(fake.url + "/r/ml/top.json", params={"t": "day", "limit": 100}).json()["data"]
    assert [c["data"]["id"] for c in day["children"]] == [f"p{i}" for i in range(23, -1, -1)]
    first = httpx.get(fake.url + "/r/ml/top.json", params={"t": "week", "limit": 10}).json()["data"]
    second = httpx.get(fake.url + "/r/ml/top.json", params={"t": "week", "limit": 10,
                                                             "after": first["after"]}).json()["data"]
    assert first["after"] == "t3_p20" and second["children"][0]["data"]["id"] == "p19"
    newest = httpx.get(fake.url + "/r/ml/new.json", params={"limit": 2}).json()["data"]["children"]
    assert [c["data"]["id"] for c in newest] == ["p0", "p1"]


def test_blocked_reddit_answers_the_html_page(fake):
    fake.add_reddit_posts("ml", [])
    fake.reddit_blocked = True
    r = httpx.get(fake.url + "/r/ml/top.json")
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "<title>Blocked</title>" in r.text


def test_algolia_rejects_points_on_demand_like_in_2026(fake):
    fake.hn_reject_points = True
    r = httpx.get(fake.url + "/api/v1/search_by_date", params={"numericFilters": "points>=5"})
    assert r.status_code == 400 and "invalid numeric attribute(points)" in r.json()["message"]
    assert httpx.get(fake.url + "/api/v1/search_by_date", params={"numericFilters": "created_at_i>1"}).status_code == 200


def test_algolia_query_matches_words_not_substrings(fake):
    fake.add_hn_hits([hn_hit(id=1, title="AI chips", created_at_i=1), hn_hit(id=2, title="Training tips", created_at_i=2)])
    hits = httpx.get(fake.url + "/api/v1/search_by_date", params={"query": "ai"}).json()["hits"]
    assert [h["objectID"] for h in hits] == ["1"]


# -- the builders produce the recorded shapes -----------------------------------------------------
def test_reddit_post_has_the_fields_of_a_recorded_post(recorded):
    body = cassette_body(recorded / "reddit/TestSubmission.test_hide_multiple_in_batches.json", "/r/popular/hot")
    real = json.loads(body)["data"]["children"][0]["data"]
    ours = reddit_post(id="x", title="t", url="https://example.org")
    assert set(ours) <= set(real)
    assert {type(real[k]) for k in ("score", "num_comments")} == {type(ours["score"])}


def test_hn_hit_has_the_keys_of_a_recorded_hit(recorded):
    real = json.loads((recorded / "hackernews/ai-news_hn_search_by_date.json").read_text())["hits"][0]
    assert set(hn_hit(id=1, title="t", created_at_i=1, url="https://e.org")) == set(real)


def test_hf_paper_has_the_keys_of_a_recorded_item(recorded):
    real = json.loads((recorded / "huggingface/hf_daily_papers.json").read_text())[0]
    ours = hf_paper(id="1", title="t", summary="s", day=date(2026, 1, 1))
    assert set(ours) == set(real) - {"organization"}  # organization is optional
    assert set(ours["paper"]) <= set(real["paper"])


def test_the_sample_day_is_stamped_inside_the_window():
    post_date = date(2026, 4, 16)
    start, end = sample_window(post_date)
    assert (start, end) == (datetime(2026, 4, 15, tzinfo=UTC), datetime(2026, 4, 16, tzinfo=UTC))
    with SourcesFake.with_sample_day(post_date) as fake:
        def posts(sub):
            r = httpx.get(f"{fake.url}/r/{sub}/new.json", params={"limit": 100})
            return [c["data"] for c in r.json()["data"]["children"]]

        ml, news = posts("MachineLearning"), posts("machinelearningnews")
        hits = httpx.get(fake.url + "/api/v1/search_by_date", params={"hitsPerPage": 100}).json()["hits"]
        papers = httpx.get(fake.url + "/api/daily_papers", params={"date": "2026-04-15"}).json()
    assert len(ml) == 8 and len(news) == 5 and len(papers) == 3 and len(hits) == 4
    assert sum(p["stickied"] for p in ml) == 1
    assert sum(bool(p["removed_by_category"]) for p in ml) == 1
    stamps = [p["created_utc"] for p in ml + news] + [h["created_at_i"] for h in hits]
    assert all(start.timestamp() <= s < end.timestamp() for s in stamps)


@pytest.mark.parametrize("day", [date(2026, 1, 1), date(2024, 3, 1)])
def test_the_sample_day_loads_for_any_date(day):
    with SourcesFake.with_sample_day(day) as fake:
        q = "cat:cs.LG AND submittedDate:[{0:%Y%m%d}0000 TO {0:%Y%m%d}2359]".format(day - timedelta(days=1))
        atom = httpx.get(fake.url + "/api/query", params={"search_query": q}).text
    assert atom.count("<entry>") == 1  # the sample day has one cs.LG entry
