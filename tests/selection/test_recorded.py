"""Selection over real recorded listings (r/popular hot, Hacker News search), parsed by the real
source parsers: the invariants hold on real titles, links and scores."""

from __future__ import annotations

import json
import random

import pytest

from daily_ai_summary.config import parse_config
from daily_ai_summary.selection import normalize_url, select, similar_titles
from daily_ai_summary.sources.hackernews import parse_hits
from daily_ai_summary.sources.reddit import parse_listing

CONFIG = """\
consequences:
  count: 5
  sources:
    - type: reddit
      subreddit: popular
    - type: hackernews
trending:
  count: 3
  sources:
    - type: hackernews
      query: AI
"""


@pytest.fixture(scope="module")
def pools(recorded):
    cassette = json.loads(
        (recorded / "reddit/TestSubmission.test_hide_multiple_in_batches.json").read_text()
    )
    listing = next(i for i in cassette["interactions"] if "/r/popular/hot" in i["request"]["uri"])
    reddit, _ = parse_listing(json.loads(listing["response"]["body"]["string"]), "reddit r/popular")
    hn = parse_hits(
        json.loads((recorded / "hackernews/ai-news_hn_search_by_date.json").read_text()),
        "hackernews",
    )
    hn_ai = parse_hits(
        json.loads((recorded / "hackernews/newsfeedagents_hn_search_by_date.json").read_text()),
        "hackernews (AI)",
    )
    return {"consequences": reddit + hn, "trending": hn_ai}


def test_invariants_on_real_listings(pools):
    config = parse_config(CONFIG)
    sel = select(pools, config)

    assert len(sel.consequences) == 5
    chosen = sel.consequences + sel.trending
    for c in chosen:
        assert not (c.stickied or c.nsfw or c.removed)
        assert c.rank_reason.startswith(f"score {int(c.score)} (")
        assert c.source in c.rank_reason
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            assert not (normalize_url(a.link) and normalize_url(a.link) == normalize_url(b.link)), (
                a.title,
                b.title,
            )
            assert not similar_titles(a.title, b.title), (a.title, b.title)
    ranks = [c.rank for c in sel.consequences + sel.runners_up["consequences"]]
    assert ranks == sorted(ranks, reverse=True)
    # both sources compete: each one's best item is chosen
    assert {c.source for c in sel.consequences} == {"reddit r/popular", "hackernews"}


def test_real_listings_give_the_same_selection_in_any_order(pools):
    config = parse_config(CONFIG)
    first = select(pools, config)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = {k: rng.sample(v, len(v)) for k, v in pools.items()}
        assert select(shuffled, config) == first


def test_a_real_post_marked_stickied_or_nsfw_is_dropped(pools):
    config = parse_config(CONFIG)
    best = select(pools, config).consequences[:2]
    marked = {best[0].id: {"stickied": True}, best[1].id: {"nsfw": True}}
    changed = {
        "consequences": [c.model_copy(update=marked.get(c.id, {})) for c in pools["consequences"]],
        "trending": pools["trending"],
    }
    sel = select(changed, config)
    assert not {c.id for c in sel.consequences} & set(marked)
    why = {d.candidate.id: d.reason for d in sel.dropped}
    assert (why[best[0].id], why[best[1].id]) == ("stickied post", "marked NSFW")
