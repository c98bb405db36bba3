"""Reddit's past through the PullPush archive (``archive: pullpush``): used only for a date
older than the listings reach, labelled as the archive, and failing over to the listing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sources_support import fetch

from daily_ai_summary.sources import reddit
from daily_ai_summary.testing.sources_fake import reddit_post

NOW = datetime(2026, 12, 4, 7, tzinfo=UTC)
YEAR_BACK = (datetime(2025, 12, 3, tzinfo=UTC), datetime(2025, 12, 4, tzinfo=UTC))
LAST_WEEK = (datetime(2026, 11, 28, tzinfo=UTC), datetime(2026, 11, 29, tzinfo=UTC))


def posts_around(fake, start: datetime) -> None:
    fake.add_reddit_posts("MachineLearning", [
        reddit_post(id="before", title="[D] The day before", created_utc=(start - timedelta(hours=2)).timestamp(), score=900),
        reddit_post(id="on1", title="[R] On the day, popular", created_utc=(start + timedelta(hours=3)).timestamp(), score=300),
        reddit_post(id="on2", title="[D] On the day, quiet", created_utc=(start + timedelta(hours=20)).timestamp(), score=4),
        reddit_post(id="after", title="[N] The day after", created_utc=(start + timedelta(days=1, hours=1)).timestamp(), score=800),
    ])  # fmt: skip


def run(fake, policy, window, **options):
    opts = fake.reddit_options("MachineLearning", archive="pullpush", archive_url=fake.url, **options)
    return fetch(opts, window, is_today=False, policy=policy, fn=lambda o, ctx: reddit.fetch(o, ctx, now=NOW))


def test_a_year_back_reads_the_archive_for_exactly_that_day_labelled_as_such(fake, policy):
    posts_around(fake, YEAR_BACK[0])
    result = run(fake, policy, YEAR_BACK)

    assert [c.title for c in result.candidates] == ["On the day, popular", "On the day, quiet"]
    assert {c.source for c in result.candidates} == {"reddit r/MachineLearning (PullPush archive)"}
    assert result.candidates[0].url == "https://www.reddit.com/r/MachineLearning/comments/on1/r_on_the_day_popular/"
    assert result.warnings == [
        "reddit r/MachineLearning: 2025-12-03 is older than Reddit's listings reach; read from the PullPush archive"
    ]
    (req,) = fake.calls("GET", r"/reddit/search/submission/")
    assert req.arg("subreddit") == "MachineLearning" and req.arg("sort_type") == "score"
    assert (int(req.arg("after")), int(req.arg("before"))) == tuple(int(t.timestamp()) for t in YEAR_BACK)
    assert fake.calls("GET", r"/r/MachineLearning/top") == []  # the listing is not asked


def test_the_sources_own_min_score_applies_to_archived_items(fake, policy):
    posts_around(fake, YEAR_BACK[0])
    result = run(fake, policy, YEAR_BACK, min_score=10)
    assert [c.title for c in result.candidates] == ["On the day, popular"]


def test_an_archive_that_is_down_falls_back_to_the_listing_with_a_warning(fake, policy):
    posts_around(fake, YEAR_BACK[0])
    fake.pullpush_down = True
    result = run(fake, policy, YEAR_BACK)
    assert any(
        w.startswith("reddit r/MachineLearning (PullPush archive): gave up after 3 attempts")
        and "HTTP 503" in w and w.endswith("; falling back to Reddit's listing")
        for w in result.warnings
    ), result.warnings
    assert len(fake.calls("GET", r"/reddit/search/submission/")) == 3  # retried, then given up
    assert fake.calls("GET", r"/r/MachineLearning/top")  # the listing was read instead
    assert all("PullPush" not in c.source for c in result.candidates)


def test_a_date_the_listings_reach_never_asks_the_archive(fake, policy):
    posts_around(fake, LAST_WEEK[0])
    fake.now = NOW
    result = run(fake, policy, LAST_WEEK)
    assert fake.calls("GET", r"/reddit/search/submission/") == []
    assert [c.title for c in result.candidates] == ["On the day, popular", "On the day, quiet"]
    assert {c.source for c in result.candidates} == {"reddit r/MachineLearning"}


def test_the_archive_is_off_unless_configured(fake, policy):
    posts_around(fake, YEAR_BACK[0])
    opts = fake.reddit_options("MachineLearning")
    assert opts.archive == "none"
    fetch(opts, YEAR_BACK, is_today=False, policy=policy, fn=lambda o, ctx: reddit.fetch(o, ctx, now=NOW))
    assert fake.calls("GET", r"/reddit/search/submission/") == []
