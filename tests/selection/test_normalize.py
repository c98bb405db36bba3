"""When two links or two titles are the same story."""

from __future__ import annotations

import pytest

from daily_ai_summary.selection import normalize_title, normalize_url, similar_titles


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/post/1", "http://www.example.com/post/1/"),
        ("https://example.com/post/1?utm_source=reddit&utm_medium=social", "example.com/post/1"),
        ("https://example.com/a?id=3&fbclid=XYZ#comments", "https://EXAMPLE.com/a?id=3"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://arxiv.org/abs/2504.01234v2", "https://arxiv.org/pdf/2504.01234"),
        ("https://arxiv.org/pdf/2504.01234v1.pdf", "https://huggingface.co/papers/2504.01234"),
        (
            "https://www.reddit.com/r/MachineLearning/comments/1jz9abc/d_some_title/",
            "https://old.reddit.com/r/MachineLearning/comments/1jz9abc/",
        ),
        ("https://redd.it/1jz9abc", "https://reddit.com/comments/1jz9abc"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=abc"),
    ],
)
def test_link_variants_of_one_page_share_a_key(a, b):
    assert normalize_url(a) == normalize_url(b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/post/1", "https://example.com/post/2"),
        ("https://example.com/a?id=3", "https://example.com/a?id=4"),
        ("https://arxiv.org/abs/2504.01234", "https://arxiv.org/abs/2504.01235"),
        ("https://example.com/Post", "https://example.com/post"),  # paths are case-sensitive
        ("https://github.com/org/one", "https://gitlab.com/org/one"),
    ],
)
def test_different_pages_keep_different_keys(a, b):
    assert normalize_url(a) != normalize_url(b)


@pytest.mark.parametrize("url", [None, "", "  ", "https://openai.com/", "https://openai.com"])
def test_empty_or_bare_domain_links_are_not_dedupe_keys(url):
    """Two posts that both link a homepage are not the same story."""
    assert normalize_url(url) is None


def test_title_normalisation_ignores_case_punctuation_and_spacing():
    assert normalize_title("  GPT-4o: Faster,  Cheaper!! ") == "gpt 4o faster cheaper"
    assert normalize_title("Ｆｕｌｌｗｉｄｔｈ") == "fullwidth"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Meta releases Llama 4", "Meta Releases LLaMA 4!"),
        (
            "Were running 50+ LLMs per GPU by snapshotting GPU memory",
            "We're running 50+ LLMs per GPU by snapshotting GPU memory",
        ),
        (
            "Open-source SSL pretraining for better vision models",
            "Open source SSL pretraining for better vision models (beats ImageNet)",
        ),
    ],
)
def test_near_identical_titles_are_similar(a, b):
    assert similar_titles(a, b)
    assert similar_titles(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GPT-5 released", "GPT-4 released"),
        ("Llama 4 benchmarks", "Llama 4 license concerns"),
        ("New interpretability method for transformers", "New training method for transformers"),
        ("", ""),
    ],
)
def test_different_topics_are_not_similar(a, b):
    assert not similar_titles(a, b)
