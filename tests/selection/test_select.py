"""Selection: which discussions the post is about, why, and what was left out."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daily_ai_summary.errors import SelectionError
from daily_ai_summary.history import CoveredTitle
from daily_ai_summary.selection import format_selection, rank, select
from tests.selection.factory import ML, NEWS, cand, config


def titles(items) -> list[str]:
    return [c.title for c in items]


def reasons(selection) -> dict[str, str]:
    return {d.candidate.title: d.reason for d in selection.dropped}


def trending_pool(n: int = 3) -> list:
    topics = ["chips", "policy", "funding", "benchmarks", "robotics"]
    return [cand(f"Trending news on {t}", source=NEWS, score=50) for t in topics[:n]]


# ----------------------------------------------------------------------------- choosing


def test_the_best_count_items_are_chosen_and_the_next_are_runners_up():
    topics = [
        "robots",
        "vision",
        "speech",
        "graphs",
        "kernels",
        "agents",
        "proteins",
        "music",
        "maps",
    ]
    ml = [
        cand(f"A paper about {t}", score=s) for t, s in zip(topics, range(90, 0, -10), strict=True)
    ]
    sel = select({"consequences": ml, "trending": trending_pool()}, config(consequences=3))

    assert titles(sel.consequences) == [f"A paper about {t}" for t in topics[:3]]
    assert titles(sel.runners_up["consequences"]) == [f"A paper about {t}" for t in topics[3:8]]
    assert len(sel.trending) == 3


def test_fewer_candidates_than_count_is_not_an_error():
    sel = select({"consequences": [cand("Only one today")], "trending": trending_pool(1)}, config())
    assert titles(sel.consequences) == ["Only one today"]
    assert sel.runners_up["consequences"] == []


def test_the_input_is_not_modified():
    ml = [cand("First thing", score=3), cand("Second thing", score=9)]
    before = [c.model_dump() for c in ml]
    select({"consequences": ml, "trending": trending_pool()}, config())
    assert [c.model_dump() for c in ml] == before


# ----------------------------------------------------------------------------- ranking


def test_rank_reason_explains_score_percentile_and_comments():
    ml = [cand(f"Post {i} of the day", score=i * 10, comments=i) for i in range(1, 21)]
    ranked = rank(ml)

    top = ranked[0]
    assert top.title == "Post 20 of the day"
    assert top.rank_reason == f"score 200 (p100 in {ML}), 20 comments (p100)"
    p95 = next(c for c in ranked if c.title == "Post 19 of the day")
    assert p95.rank_reason.startswith(f"score 190 (p95 in {ML}), 19 comments")
    assert [c.rank for c in ranked] == sorted((c.rank for c in ranked), reverse=True)


def test_comments_count_but_less_than_score():
    talked = cand("Heated debate", score=50, comments=400)
    liked = cand("Popular link", score=60, comments=2)
    quiet = cand("Quiet post", score=10, comments=1)
    assert titles(rank([quiet, talked, liked])) == ["Popular link", "Heated debate", "Quiet post"]


def test_sources_are_ranked_on_their_own_scale():
    """A small subreddit's best post competes with a big one's best, not with its raw score."""
    big = [cand(f"Big sub post {i}", score=1000 + i) for i in range(3)]
    small = [cand(f"Small sub post {i}", source="reddit r/LocalML", score=5 + i) for i in range(3)]
    ranked = rank(big + small)
    assert {ranked[0].title, ranked[1].title} == {"Big sub post 2", "Small sub post 2"}
    assert ranked[0].rank == ranked[1].rank == 1.0


def test_a_feed_without_scores_ranks_by_recency():
    feed = [cand(f"Feed story at {h}h", source="feed MarkTechPost", hour=h) for h in (3, 20, 9)]
    ranked = rank(feed)
    assert titles(ranked) == ["Feed story at 20h", "Feed story at 9h", "Feed story at 3h"]
    assert ranked[0].rank_reason == (
        "no score; ranked by recency: 2025-04-15 20:00 UTC (p100 in feed MarkTechPost)"
    )


def test_ties_break_deterministically():
    a = cand("Tie alpha", score=10, comments=1)
    b = cand("Tie beta", score=10, comments=1)
    assert titles(rank([a, b])) == titles(rank([b, a]))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_selection_does_not_depend_on_input_order(seed):
    rng = random.Random(seed)
    words = ["model", "paper", "agent", "robot", "vision", "speech", "graph", "kernel"]
    ml = [
        cand(
            f"{rng.choice(words)} {rng.choice(words)} {i}",
            score=rng.choice([1, 5, 5, 40, 200]),
            comments=rng.choice([0, 3, 3, 50]),
            hour=rng.choice([1, 6, 6, 23]),
            link=rng.choice([None, "https://example.com/shared", f"https://example.com/{i}"]),
        )
        for i in range(12)
    ]
    news = [
        cand(f"news {rng.choice(words)} {i}", source=NEWS, score=rng.choice([1, 9]))
        for i in range(6)
    ]
    cfg = config(consequences=4)
    first = select({"consequences": ml, "trending": news}, cfg)
    rng.shuffle(ml)
    rng.shuffle(news)
    again = select({"consequences": ml, "trending": news}, cfg)
    assert again == first


# ----------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (cand("Rules and announcements", stickied=True), "stickied post"),
        (cand("Self-Promotion Thread", raw_title="[D] Self-Promotion Thread"), "recurring thread"),
        (
            cand("Simple Questions Thread", raw_title="[D] Simple Questions Thread"),
            "recurring thread",
        ),
        (cand("Ask HN: Who is hiring? (April 2025)"), "recurring thread"),
        (cand('Monthly "Who\'s Hiring and Who wants to be Hired?"'), "recurring thread"),
        (cand("Weekly Entering & Transitioning Thread"), "recurring thread"),
        (cand("ICLR 2025 megathread"), "recurring thread"),
        (cand("Spicy content", nsfw=True), "marked NSFW"),
        (cand("Gone now", removed=True), "removed or deleted"),
        (cand("[deleted]"), "removed or deleted"),
        (cand("Mod removed this", text="[removed]"), "removed or deleted"),
    ],
    ids=lambda x: x if isinstance(x, str) else x.title,
)
def test_filtered_candidates_are_dropped_with_a_reason(candidate, reason):
    keep = cand("A normal research discussion", score=1)
    sel = select({"consequences": [candidate, keep], "trending": trending_pool()}, config())
    assert titles(sel.consequences) == ["A normal research discussion"]
    [dropped] = [d for d in sel.dropped if d.candidate.id == candidate.id]
    assert dropped.section == "consequences"
    assert dropped.reason.startswith(reason)


def test_ordinary_discussion_titles_are_not_mistaken_for_recurring_threads():
    normal = [
        cand("ACL 2025 Meta Reviews Discussion"),
        cand("Thread on why attention sinks appear"),
        cand("Weekly active users of open models doubled"),
    ]
    sel = select({"consequences": normal, "trending": trending_pool()}, config())
    assert sorted(titles(sel.consequences)) == sorted(titles(normal))


def test_min_score_global_and_per_source_override():
    cfg = config(
        "consequences:\n  sources:\n"
        "    - type: reddit\n      subreddit: MachineLearning\n      min-score: 50\n"
        "    - type: reddit\n      subreddit: LocalML\n"
        "selection:\n  min-score: 5\n"
    )
    ml_low = cand("Low score in main sub", score=40)
    ml_high = cand("High score in main sub", score=60)
    small_low = cand("Low score in small sub", source="reddit r/LocalML", score=3)
    small_ok = cand("Fine score in small sub", source="reddit r/LocalML", score=7)
    sel = select(
        {"consequences": [ml_low, ml_high, small_low, small_ok], "trending": trending_pool()}, cfg
    )

    assert sorted(titles(sel.consequences)) == ["Fine score in small sub", "High score in main sub"]
    why = reasons(sel)
    assert why["Low score in main sub"] == "score 40 below min-score 50"
    assert why["Low score in small sub"] == "score 3 below min-score 5"


def test_min_score_does_not_apply_to_sources_without_scores():
    feed = [cand("Feed story", source="feed MarkTechPost")]
    sel = select(
        {"consequences": feed, "trending": trending_pool()}, config("selection:\n  min-score: 10\n")
    )
    assert titles(sel.consequences) == ["Feed story"]


# ----------------------------------------------------------------------------- dedupe


def test_the_same_link_from_two_sources_is_kept_once_the_better_ranked():
    hn_url = "https://news.ycombinator.com/item?id=1"
    best = cand("Llama 4 is out", score=300, link="https://ai.meta.com/blog/llama-4/?utm_source=x")
    other = cand(
        "Meta announces Llama 4 herd of models",
        source="hackernews",
        score=10,
        url=hn_url,
        link="http://www.ai.meta.com/blog/llama-4",
    )
    other2 = cand("Something else on HN", source="hackernews", score=5)
    sel = select({"consequences": [other, best, other2], "trending": trending_pool()}, config())

    assert "Llama 4 is out" in titles(sel.consequences)
    assert "Meta announces Llama 4 herd of models" not in titles(sel.consequences)
    assert reasons(sel)["Meta announces Llama 4 herd of models"] == (
        f"duplicate (same link) of 'Llama 4 is out' from {ML}"
    )


def test_near_identical_titles_across_sources_are_kept_once():
    a = cand("LightlyTrain: open-source SSL pretraining for vision models", score=80)
    b = cand(
        "Lightlytrain open source SSL pretraining for vision models",
        source="reddit r/computervision",
        score=3,
    )
    sel = select({"consequences": [a, b], "trending": trending_pool()}, config())
    assert len(sel.consequences) == 1
    assert reasons(sel)[b.title].startswith("duplicate (similar title) of")


def test_an_item_chosen_for_consequences_is_not_reused_in_trending():
    story = "https://example.org/agents-paper"
    ml = [cand("Agents that write their own tools", score=100, link=story)]
    news = [
        cand("Agents that write their own tools", source=NEWS, score=50, link=story),
        cand("Unrelated news one", source=NEWS, score=5),
    ]
    sel = select({"consequences": ml, "trending": news}, config())
    assert titles(sel.trending) == ["Unrelated news one"]
    assert reasons(sel)["Agents that write their own tools"].startswith(
        "already chosen for consequences (same link)"
    )


def test_a_consequences_runner_up_shown_in_trending_is_not_offered_again():
    ml = [cand("Main story", score=100), cand("Also in trending", score=10)]
    news = [cand("Also in trending", source=NEWS, score=50)]
    sel = select({"consequences": ml, "trending": news}, config(consequences=1))
    assert titles(sel.trending) == ["Also in trending"]
    assert sel.runners_up["consequences"] == []


def test_topics_covered_recently_are_dropped_naming_the_day():
    history = [
        CoveredTitle(
            date=date(2025, 4, 14),
            title="Neuron alignment isn't fundamental",
            section="consequences",
            file="x.md",
        ),
        CoveredTitle(
            date=date(2025, 4, 12), title="THUDM releases GLM 4", section="trending", file="y.md"
        ),
    ]
    ml = [cand("Neuron Alignment Isn't Fundamental"), cand("A brand new topic")]
    news = [cand("THUDM Releases GLM-4", source=NEWS), cand("Another new topic", source=NEWS)]
    sel = select({"consequences": ml, "trending": news}, config(), history)

    assert titles(sel.consequences) == ["A brand new topic"]
    assert titles(sel.trending) == ["Another new topic"]
    why = reasons(sel)
    assert (
        why["Neuron Alignment Isn't Fundamental"]
        == 'covered on 2025-04-14: "Neuron alignment isn\'t fundamental"'
    )
    assert why["THUDM Releases GLM-4"] == "covered on 2025-04-12: 'THUDM releases GLM 4'"


# ----------------------------------------------------------------------------- empty sections


def test_an_empty_section_says_why():
    history = [
        CoveredTitle(
            date=date(2025, 4, 14), title=f"Old topic {w}", section="trending", file="p.md"
        )
        for w in "abc"
    ]
    news = [cand(f"Old topic {w}", source=NEWS) for w in "abc"] + [
        cand("Mega thread", source=NEWS, stickied=True)
    ]
    with pytest.raises(SelectionError) as err:
        select({"consequences": [cand("Fine")], "trending": news}, config(), history)
    assert err.value.message == (
        "no candidates left for trending: 4 found, 3 dropped as covered recently, 1 dropped as stickied"
    )


def test_a_section_whose_sources_returned_nothing():
    with pytest.raises(
        SelectionError, match="no candidates left for consequences: its sources returned nothing"
    ):
        select({"consequences": [], "trending": trending_pool()}, config())


# ----------------------------------------------------------------------------- dry view


def test_the_dry_view_lists_choices_with_source_score_link_and_drops_with_reasons():
    ml = [
        cand("Best discussion", score=812, comments=143, link="https://example.org/paper"),
        cand("Second discussion", score=20),
        cand("Self-Promotion Thread", stickied=True),
    ]
    news = [cand("Trending \x1b[31mred\x1b[0m item", source=NEWS, score=9)]
    sel = select({"consequences": ml, "trending": news}, config(consequences=1))

    text = "\n".join(format_selection(sel, date="2025-04-16"))

    assert text.startswith("Sources for 2025-04-16\n")
    assert "Consequences (1 chosen):\n  1. Best discussion\n" in text
    assert f"     {ML} | score 812, 143 comments | 2025-04-15 12:00 UTC\n" in text
    assert "     link: https://example.org/paper\n" in text
    assert f"     why: score 812 (p100 in {ML}), 143 comments (p100)\n" in text
    assert "  runners-up:\n     - Second discussion\n" in text
    assert (
        "Dropped (1):\n  - [consequences] Self-Promotion Thread (reddit r/MachineLearning)\n      stickied post"
        in text
    )
    assert "\x1b" not in text  # terminal escapes in untrusted titles are neutralised
    assert "Trending [31mred [0m item" in text


def test_a_time_without_zone_is_read_as_utc_not_local_time():
    naive = cand("Feed story", source="feed MarkTechPost").model_copy(
        update={"created": datetime(2025, 4, 15, 8, 30)}
    )
    [ranked] = rank([naive])
    assert "2025-04-15 08:30 UTC" in ranked.rank_reason


def test_one_comment_is_singular():
    [ranked] = rank([cand("Lonely post", score=3, comments=1)])
    assert ranked.rank_reason.endswith(", 1 comment")
