"""What selection shows a user: the dedupe key of a link, the ranking order with its stated
reason, and the text of the `sources --date` dry view."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from daily_ai_summary.models import Candidate, SourceReport
from daily_ai_summary.selection import (
    _TRACKING,
    Dropped,
    Selection,
    format_selection,
    normalize_url,
    rank,
    select,
)
from tests.selection.factory import NEWS, cand, config

ML = "reddit r/ML"
FEED = "feed Lab"


def item(
    title: str,
    *,
    source: str = ML,
    score: float = 0,
    comments: int = 0,
    created: datetime | None = datetime(2025, 4, 15, 12, 0, tzinfo=UTC),
    url: str | None = None,
    **extra: object,
) -> Candidate:
    source_type = "feed" if source.startswith("feed") else "reddit"
    return Candidate(
        source=source,
        source_type=source_type,
        id=f"id-{title}",
        title=title,
        url=url or f"https://example.org/{title.replace(' ', '-')}",
        score=score,
        comments=comments,
        created=created,
        **extra,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------------------------
# the dedupe key of a link


@pytest.mark.parametrize(
    ("url", "key"),
    [
        # no link, no host, or a bare domain: no key (two posts linking a homepage are not
        # duplicates)
        (None, None),
        ("", None),
        ("   ", None),
        ("https://", None),
        ("https:///only/a/path", None),
        ("https://example.com", None),
        ("https://example.com/#top", None),
        ("https://example.com/?utm_source=x", None),
        # scheme, www., case of the host, trailing dot, fragment, slashes
        ("example.com/a", "example.com/a"),
        ("  https://Example.COM./a/  ", "example.com/a"),
        ("www.Example.com/a", "example.com/a"),
        ("https://example.com//a///b//#frag", "example.com/a/b"),
        ("https://example.com/Case/Kept", "example.com/Case/Kept"),
        ("https://example.com/BOX/", "example.com/BOX"),
        ("https://example.com/?page=2", "example.com?page=2"),
        # host prefixes, each on its own, only when a domain is left
        ("https://www.example.com/a", "example.com/a"),
        ("https://m.example.com/a", "example.com/a"),
        ("https://old.example.com/a", "example.com/a"),
        ("https://new.example.com/a", "example.com/a"),
        ("https://www.com/a", "www.com/a"),
        ("https://m.www.example.com/a", "www.example.com/a"),
        # arXiv and paper pages: the id, without version or .pdf
        ("https://arxiv.org/abs/2501.01234v3", "arxiv:2501.01234"),
        ("https://export.arxiv.org/pdf/2501.01234v2.pdf", "arxiv:2501.01234"),
        ("https://www.arxiv.org/abs/2501.0123", "arxiv:2501.0123"),
        ("https://alphaxiv.org/abs/2501.12345", "arxiv:2501.12345"),
        ("https://huggingface.co/papers/2501.01234", "arxiv:2501.01234"),
        ("https://huggingface.co/models/2501.01234", "huggingface.co/models/2501.01234"),
        ("https://arxiv.org/list/cs.LG/recent", "arxiv.org/list/cs.LG/recent"),
        # reddit: the post id, whatever the host, subreddit or slug
        ("https://redd.it/AbC12", "reddit:abc12"),
        ("https://redd.it/", None),
        ("https://redd.it/AbcX/", "reddit:abcx"),
        ("https://www.reddit.com/r/MachineLearning/comments/1AbCd2/a_title/", "reddit:1abcd2"),
        ("https://old.reddit.com/comments/XyZ9", "reddit:xyz9"),
        ("https://np.reddit.com/r/x/comments/abc/t", "reddit:abc"),
        ("https://www.reddit.com/r/MachineLearning/", "reddit.com/r/MachineLearning"),
        # YouTube: the video id (its case matters)
        ("https://youtu.be/dQw4w9WgXcQ", "youtube:dQw4w9WgXcQ"),
        ("https://youtu.be/", None),
        ("https://youtu.be/AbcX/", "youtube:AbcX"),
        ("https://www.youtube.com/watch?utm_source=x&v=dQw4w9WgXcQ&t=10", "youtube:dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=Ab1", "youtube:Ab1"),
        ("https://www.youtube.com/watch?list=PL1", "youtube.com/watch?list=PL1"),
        ("https://www.youtube.com/channel/UCx?v=1", "youtube.com/channel/UCx?v=1"),
        # tracking parameters go (whatever their case); the others stay, sorted, blanks kept
        ("https://example.com/a?UTM_Source=x&FBCLID=1&Ref=hn&id=7&b=2&a=1", "example.com/a?a=1&b=2&id=7"),
        ("https://example.com/a?x=1&flag=", "example.com/a?flag=&x=1"),
        ("https://example.com/a?utm=1&utm_medium=2&utmost=3", "example.com/a?utmost=3"),
    ],
)  # fmt: skip
def test_a_link_is_compared_by_its_normalised_key(url: str | None, key: str | None) -> None:
    assert normalize_url(url) == key


@pytest.mark.parametrize("param", sorted(_TRACKING))
def test_every_tracking_parameter_is_dropped_from_the_key(param: str) -> None:
    assert normalize_url(f"https://example.com/a?{param}=1&keep=2") == "example.com/a?keep=2"
    assert normalize_url(f"https://example.com/a?{param.upper()}=1") == "example.com/a"


# --------------------------------------------------------------------------------------------
# the ranking order and its stated reason


def test_items_with_votes_rank_by_score_and_comment_percentiles_within_their_source() -> None:
    a = item("a", score=10, comments=5)
    b = item("b", score=30, comments=0)
    c = item("c", score=20, comments=5)
    shown = [(x.title, x.rank, x.rank_reason) for x in rank([a, b, c])]
    assert shown == [
        ("b", 0.7, f"score 30 (p100 in {ML}), 0 comments (p0)"),
        ("c", 0.65, f"score 20 (p50 in {ML}), 5 comments (p100)"),
        ("a", 0.3, f"score 10 (p0 in {ML}), 5 comments (p100)"),
    ]


def test_two_items_of_a_source_are_the_best_and_the_worst_of_it() -> None:
    shown = [(x.title, x.rank) for x in rank([item("low", score=1), item("high", score=2.5)])]
    # equal comments: both are at least as commented as the other
    assert shown == [("high", 1.0), ("low", 0.3)]
    assert rank([item("one", score=2.5, comments=1)])[0].rank_reason == (
        f"score 2.5 (only item in {ML}), 1 comment"
    )


def test_a_source_whose_items_have_no_votes_ranks_them_by_recency() -> None:
    day = datetime(2025, 4, 15, tzinfo=UTC)
    old = item("old", source=FEED, created=day + timedelta(hours=8))
    # a naive time is UTC; an aware one is shown in UTC
    new = item("new", source=FEED, created=datetime(2025, 4, 15, 14, 5))
    mid = item(
        "mid",
        source=FEED,
        created=datetime(2025, 4, 15, 12, 0, tzinfo=timezone(timedelta(hours=2))),
    )
    undated = item("undated", source=FEED, created=None)
    shown = [(x.title, x.rank, x.rank_reason) for x in rank([undated, old, new, mid])]
    assert shown == [
        ("new", 1.0, f"no score; ranked by recency: 2025-04-15 14:05 UTC (p100 in {FEED})"),
        ("mid", 0.666667, f"no score; ranked by recency: 2025-04-15 10:00 UTC (p67 in {FEED})"),
        ("old", 0.333333, f"no score; ranked by recency: 2025-04-15 08:00 UTC (p33 in {FEED})"),
        ("undated", 0.0, f"no date, no score (in {FEED})"),
    ]  # fmt: skip
    [only] = rank([item("only", source=FEED)])
    assert (only.rank, only.rank_reason) == (
        1.0,
        f"no score; ranked by recency: 2025-04-15 12:00 UTC (only item in {FEED})",
    )


def test_reddit_items_without_any_votes_or_comments_rank_by_recency() -> None:
    early = item("early", created=datetime(2025, 4, 15, 6, 0, tzinfo=UTC))
    late = item("late", created=datetime(2025, 4, 15, 7, 0, tzinfo=UTC))
    assert [(x.title, x.rank) for x in rank([early, late])] == [("late", 1.0), ("early", 0.0)]
    talked = item("talked", comments=3)
    assert "3 comments" in rank([talked, early])[0].rank_reason


def test_ties_go_to_the_higher_score_then_more_comments_then_the_newer_then_the_source() -> None:
    # each item is the only one of its source, so every rank is 1.0
    def solo(title: str, source: str, **kw: object) -> Candidate:
        return item(title, source=f"reddit r/{source}", **kw)  # type: ignore[arg-type]

    at = datetime(2025, 4, 15, 12, 0, tzinfo=UTC)
    items = [
        solo("b-source", "b", score=5, comments=1, created=at),
        solo("older", "c", score=5, comments=1, created=at - timedelta(hours=1)),
        solo("a-source", "a", score=5, comments=1, created=at),
        solo("fewer comments", "d", score=5, comments=0, created=at + timedelta(hours=1)),
        solo("higher score", "e", score=6, comments=0, created=at - timedelta(hours=2)),
    ]
    ranked = rank(items)
    assert {x.rank for x in ranked} == {1.0}
    assert [x.title for x in ranked] == [
        "higher score",
        "a-source",
        "b-source",
        "older",
        "fewer comments",
    ]


# --------------------------------------------------------------------------------------------
# the `sources --date` dry view


def test_the_dry_view_shows_sources_chosen_items_runners_up_and_dropped_items() -> None:
    chosen = item(
        "Model X released",
        score=120,
        comments=1,
        created=datetime(2025, 4, 15, 9, 30, tzinfo=UTC),
        url="https://www.reddit.com/r/ML/comments/abc/x/",
        link="https://example.com/x",
        rank_reason="score 120 (p100 in reddit r/ML), 1 comment (p50)",
    )
    spare = item(
        "Lab\u202enote",
        source=FEED,
        created=None,
        url="https://lab.example/note",
        link="http://www.lab.example/note/",
    )
    votes_only = item("Votes only", score=2.5, created=datetime(2025, 4, 15, 23, 59))
    gone = item("Gone\x1b[2J title", created=None)
    selection = Selection(
        consequences=[chosen, votes_only],
        trending=[],
        runners_up={"consequences": [spare]},
        dropped=[
            Dropped(section="consequences", kind="removed", reason="removed or deleted", candidate=gone),
            Dropped(section="trending", kind="nsfw", reason="marked\nNSFW", candidate=spare),
            Dropped(section="trending", kind="stickied", reason="stickied post", candidate=spare),
        ],
    )  # fmt: skip
    reports = [
        SourceReport(
            source=ML,
            section="consequences",
            ok=True,
            fetched=12,
            seconds=1.26,
            warnings=["slow\x1b[31m answer"],
        ),
        SourceReport(
            source=FEED, section="trending", ok=False, error="HTTP 503\nretry", fallback=True
        ),
    ]
    lines = format_selection(selection, date="2025-04-16", reports=reports, max_dropped=2)
    assert lines == [
        "Sources for 2025-04-16",
        "",
        "Sources:",
        "  [consequences] reddit r/ML: 12 fetched (1.3s)",
        "      warning: slow [31m answer",
        "  [trending, fallback] feed Lab: FAILED: HTTP 503 retry (0.0s)",
        "",
        "Consequences (2 chosen):",
        "  1. Model X released",
        "     reddit r/ML | score 120, 1 comment | 2025-04-15 09:30 UTC",
        "     https://www.reddit.com/r/ML/comments/abc/x/",
        "     link: https://example.com/x",
        "     why: score 120 (p100 in reddit r/ML), 1 comment (p50)",
        "  2. Votes only",
        "     reddit r/ML | score 2.5, 0 comments | 2025-04-15 23:59 UTC",
        "     https://example.org/Votes-only",
        "  runners-up:",
        "     - Lab note",
        "       feed Lab",
        "       https://lab.example/note",
        "",
        "Trending (0 chosen):",
        "",
        "Dropped (3):",
        "  - [consequences] Gone [2J title (reddit r/ML)",
        "      removed or deleted",
        "  - [trending] Lab note (feed Lab)",
        "      marked NSFW",
        "  ... and 1 more",
    ]


def test_without_a_date_or_reports_the_dry_view_starts_with_the_sections() -> None:
    talked = item("Talked about", comments=4, created=None)
    selection = Selection(consequences=[], trending=[talked])
    assert format_selection(selection) == [
        "Consequences (0 chosen):",
        "",
        "Trending (1 chosen):",
        "  1. Talked about",
        "     reddit r/ML | score 0, 4 comments",
        "     https://example.org/Talked-about",
        "",
        "Dropped (0):",
    ]


def test_the_dry_view_lists_fifty_dropped_items_by_default() -> None:
    def dropped(n: int) -> list[Dropped]:
        return [
            Dropped(section="trending", kind="nsfw", reason="marked NSFW", candidate=item(f"t{i}"))
            for i in range(n)
        ]

    fifty = format_selection(Selection(consequences=[], trending=[], dropped=dropped(50)))
    assert fifty[-2:] == ["  - [trending] t49 (reddit r/ML)", "      marked NSFW"]
    more = format_selection(Selection(consequences=[], trending=[], dropped=dropped(51)))
    assert more[-1] == "  ... and 1 more"
    assert "  - [trending] t50 (reddit r/ML)" not in more


def test_a_source_that_failed_without_a_message_shows_only_failed() -> None:
    report = SourceReport(source=FEED, section="trending", ok=False, error=None, seconds=2.0)
    lines = format_selection(Selection(consequences=[], trending=[]), reports=[report])
    assert lines[:2] == ["Sources:", "  [trending] feed Lab: FAILED:  (2.0s)"]


@pytest.mark.parametrize(
    ("length", "quoted"),
    [(80, "x" * 80), (81, "x" * 79 + "…"), (200, "x" * 79 + "…")],
)
def test_a_dropped_items_reason_quotes_the_other_title_cut_to_80_characters(
    length: int, quoted: str
) -> None:
    kept = cand("x" * length, score=30, link="https://example.com/same")
    dup = cand("Something else entirely", score=10, link="https://example.com/same")
    chosen = select({"consequences": [kept, dup], "trending": [cand("t", source=NEWS)]}, config())
    [dropped] = [d for d in chosen.dropped if d.candidate.title == "Something else entirely"]
    assert dropped.reason == f"duplicate (same link) of {quoted!r} from {kept.source}"


def test_a_rank_is_rounded_to_six_decimals() -> None:
    ranked = rank([item(str(n), score=n) for n in (1, 2, 3, 4)])
    # 0.7 * 1/3 + 0.3 * 1 (every item has as many comments as the others)
    assert [(x.title, x.rank) for x in ranked] == [
        ("4", 1.0),
        ("3", 0.766667),
        ("2", 0.533333),
        ("1", 0.3),
    ]


def test_a_feed_or_arxiv_item_ranks_by_recency_even_when_it_carries_a_score() -> None:
    early = item("early", source=FEED, score=90, created=datetime(2025, 4, 15, 6, 0, tzinfo=UTC))
    late = item("late", source=FEED, score=1, created=datetime(2025, 4, 15, 7, 0, tzinfo=UTC))
    assert [x.title for x in rank([early, late])] == ["late", "early"]
    assert rank([early, late])[0].rank_reason.startswith("no score; ranked by recency")


def test_times_are_utc_whatever_the_machines_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A naive time is UTC, never the machine's local time; an aware one is shown in UTC."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        naive = item("naive", source=FEED, created=datetime(2025, 4, 15, 14, 5))
        plus2 = datetime(2025, 4, 15, 14, 0, tzinfo=timezone(timedelta(hours=2)))
        aware = item("aware", source=FEED, created=plus2)
        shown = [x.rank_reason for x in rank([naive, aware])]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert shown == [
        f"no score; ranked by recency: 2025-04-15 14:05 UTC (p100 in {FEED})",
        f"no score; ranked by recency: 2025-04-15 12:00 UTC (p0 in {FEED})",
    ]
