"""Selection rules at their edges: what is a duplicate, what sorts first, what a title may
carry into the terminal."""

from __future__ import annotations

import pytest

from daily_ai_summary.selection import (
    format_selection,
    normalize_url,
    rank,
    select,
    similar_titles,
)
from tests.selection.factory import ML, NEWS, cand, config

FEED = "feed Lab blog"


def dry_view(*titles: str) -> str:
    items = [cand(t, score=50 - i) for i, t in enumerate(titles)]
    chosen = select({"consequences": items, "trending": [cand("trend", source=NEWS)]}, config())
    return "\n".join(format_selection(chosen))


@pytest.mark.parametrize(
    "unsafe", ["\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2069", "\x1b", "\x07"]
)
def test_bidi_overrides_and_control_characters_are_removed_from_titles(unsafe: str) -> None:
    """U+202A..U+202E and U+2066..U+2069 reorder what a terminal shows (a title could show a
    different text than it has); control characters can drive the terminal."""
    shown = dry_view(f"Safe{unsafe}txt.exe title")
    assert unsafe not in shown
    assert "Safe txt.exe title" in shown


@pytest.mark.parametrize("kept", ["\u2065", "\u206a", "\u200f", "é", "→"])
def test_characters_next_to_the_bidi_ranges_are_kept(kept: str) -> None:
    assert f"Safe{kept}title" in dry_view(f"Safe{kept}title")


def test_the_dedupe_key_keeps_the_links_path() -> None:
    assert normalize_url("https://example.com/a") != normalize_url("https://example.com/b")
    assert normalize_url("https://www.example.com/a/?utm_source=x#top") == "example.com/a"
    a = cand("A first finding", score=30, link="https://example.com/posts/one")
    b = cand("Another result entirely", score=20, link="https://example.com/posts/two")
    c = cand("Same link as the first", score=10, link="http://example.com/posts/one/")
    chosen = select({"consequences": [a, b, c], "trending": [cand("t", source=NEWS)]}, config())
    assert [x.title for x in chosen.consequences] == ["A first finding", "Another result entirely"]
    [dup] = [d for d in chosen.dropped if d.kind == "duplicate"]
    assert dup.candidate.title == "Same link as the first" and "same link" in dup.reason


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        # word-set Jaccard exactly 0.8 (4 of 5 words) is similar; the texts differ too much
        # for the character ratio to decide it
        ("alpha beta gamma delta", "alpha beta gamma delta epsilon", True),
        ("alpha beta gamma delta", "alpha beta gamma epsilon zeta", False),  # 3 of 6
        # two words: Jaccard does not apply (3+ words), and the ratio is low
        ("deep learning", "learning deep", False),
        # one word each: character ratio exactly 0.9 is similar, 0.7 is not
        ("abcdefghij", "abcdefghik", True),
        ("abcdefghij", "abcdefgxyz", False),
        # the same numbers are required: versions and years are not typos
        ("GPT-4 released today for all", "GPT-5 released today for all", False),
        ("Llama 3 tops the board in 2025", "Llama 3 tops the board in 2024", False),
        ("Llama 3 tops the leaderboard", "Llama 3 tops the leaderboard!", True),
        ("Ｆｕｌｌｗｉｄｔｈ Title", "fullwidth title", True),
        ("!!!", "!!!", False),  # nothing to compare
        ("", "x", False),
    ],
)
def test_similar_titles_at_their_boundaries(a: str, b: str, similar: bool) -> None:
    assert similar_titles(a, b) is similar
    assert similar_titles(b, a) is similar


def test_undated_items_never_sort_first() -> None:
    dated = [cand(f"Dated {h}", source=FEED, hour=h) for h in (1, 5, 9)]
    undated = cand("Undated", source=FEED).model_copy(update={"created": None})
    ranked = rank([undated, *dated])
    assert [c.title for c in ranked] == ["Dated 9", "Dated 5", "Dated 1", "Undated"]
    assert ranked[-1].rank == 0.0 and "no date" in (ranked[-1].rank_reason or "")
    # scored sources: an undated item loses the tie with an equal dated one
    same = [
        cand("Undated twin", score=40, comments=3).model_copy(update={"created": None}),
        cand("Dated twin", score=40, comments=3),
    ]
    assert [c.title for c in rank(same)] == ["Dated twin", "Undated twin"]


def test_an_undated_feed_item_is_not_chosen_before_dated_ones() -> None:
    items = [
        cand("Undated entry", source=FEED).model_copy(update={"created": None}),
        cand("Morning entry", source=FEED, hour=8),
        cand("Evening entry", source=FEED, hour=20),
    ]
    chosen = select({"consequences": [cand("c", source=ML)], "trending": items}, config())
    assert chosen.trending[0].title == "Evening entry"
