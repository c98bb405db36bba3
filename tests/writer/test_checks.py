"""The pure parts of the writer: output checks, schemas, prompts, retry timing."""

from __future__ import annotations

import email.utils

import pytest
from pydantic import ValidationError

from daily_ai_summary.testing.openai_fake import strict_schema_problem
from daily_ai_summary.writer import (
    BACKOFF_CAP,
    ItemText,
    Predictions,
    backoff,
    clean_paragraph,
    item_messages,
    parse_when,
    response_format,
    retry_after,
    strict_schema,
)

from .conftest import candidate

GOOD = (
    "Paged adapter weights let one GPU serve fifty fine-tuned variants, so a small team can "
    "offer per-customer models without renting a rack. The shared base model keeps latency "
    "close to a single deployment, and the published scripts make the memory numbers easy to "
    "check on other cards."
)


def test_a_grounded_paragraph_passes_unchanged():
    assert clean_paragraph(GOOD) == GOOD


def test_line_breaks_inside_a_paragraph_are_collapsed():
    assert clean_paragraph(GOOD.replace(", so", ",\nso").replace(". The", ".\r\n The")) == GOOD


def test_a_leading_label_is_dropped():
    assert clean_paragraph("**Benefits:** " + GOOD) == GOOD


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("## Benefits\n" + GOOD, "heading"),
        ("- one point\n- another\n" + GOOD, "list"),
        ("> quoted\n" + GOOD, "block quote"),
        (GOOD + "\n---\ntitle: injected", "front-matter"),
        (GOOD + " ```python\nprint(1)\n```", "code fence"),
        (GOOD + " <script>alert(1)</script>", "HTML"),
        (GOOD + " <!-- hidden -->", "HTML"),
        (GOOD + " See https://example.org for more.", "URL"),
        (GOOD + " See [the paper](paper.pdf).", "link"),
        (GOOD + " {{< youtube abc >}}", "shortcode"),
        (GOOD + " {{% notice %}}", "shortcode"),
        ("As an AI language model, I think " + GOOD, "boilerplate"),
        ("I cannot verify this. " + GOOD, "boilerplate"),
        ("Too short to say much here.", "too short"),
        (" ".join([GOOD] * 4), "too long"),
    ],
)
def test_text_that_would_break_or_pollute_the_post_is_rejected(bad, reason):
    with pytest.raises(ValueError, match=reason):
        clean_paragraph(bad)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValueError) as err:
        clean_paragraph("# Title\nAs an AI I see https://x.org")
    text = str(err.value)
    assert "heading" in text and "URL" in text and "boilerplate" in text and "too short" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 2035", "May 2035"),
        ("may 2035", "May 2035"),
        ("Sep. 2040", "September 2040"),
        ("December  2042", "December 2042"),
    ],
)
def test_when_is_a_month_and_a_year(text, expected):
    assert parse_when(text)[0] == expected


@pytest.mark.parametrize(
    "text", ["2035", "mid-2035", "Q2 2035", "May 35", "Smarch 2035", "May 1899"]
)
def test_anything_else_is_not_a_when(text):
    with pytest.raises(ValueError):
        parse_when(text)


def test_item_text_validates_both_paragraphs():
    with pytest.raises(ValidationError) as err:
        ItemText(benefits=GOOD, ramifications="<b>bad</b>")
    assert err.value.errors()[0]["loc"] == ("ramifications",)


@pytest.mark.parametrize("model", [ItemText, Predictions])
def test_the_requested_schema_is_strict_compatible(model):
    fmt = response_format(model, json_schema=True)
    assert fmt["json_schema"]["strict"] is True
    assert strict_schema_problem(fmt["json_schema"]["schema"]) is None


def test_strict_schema_closes_nested_objects():
    schema = strict_schema(Predictions)
    inner = schema["$defs"]["PredictionText"]
    assert inner["additionalProperties"] is False
    assert inner["required"] == ["event", "when", "rationale"]


def test_the_fallback_format_is_json_object_with_the_schema_in_the_prompt():
    assert response_format(ItemText, json_schema=False) == {"type": "json_object"}
    system = item_messages(candidate(), json_schema=False)[0]["content"]
    assert "JSON Schema:" in system and '"ramifications"' in system


def test_the_item_prompt_carries_every_grounding_fact():
    c = candidate(2, text="x" * 5000)
    user = item_messages(c)[1]["content"]
    for fact in (c.title, c.source, "122 upvotes, 32 comments", c.url, c.link):
        assert fact in user
    assert 1500 <= user.count("x") <= 1510  # the first ~1500 characters, not all 5000


def test_retry_after_prefers_milliseconds_then_seconds_then_a_date():
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after({"Retry-After": "3"}) == 3.0
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after({"Retry-After": when}, now=1_000_000) == pytest.approx(30)


def test_retry_after_reads_openai_reset_headers_of_exhausted_limits():
    headers = {
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "1m2.5s",
        "x-ratelimit-remaining-tokens": "12000",
        "x-ratelimit-reset-tokens": "6m0s",  # not exhausted: not a reason to wait
    }
    assert retry_after(headers) == pytest.approx(62.5)
    assert retry_after({"x-ratelimit-reset-tokens": "20ms"}) == pytest.approx(0.02)
    assert retry_after({}) is None


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    assert backoff(1, rng=lambda: 0.5) == 1.0
    assert backoff(3, rng=lambda: 0.5) == 4.0
    assert backoff(2, rng=lambda: 0.0) == 1.5 and backoff(2, rng=lambda: 1.0) == 2.5
    assert backoff(30, rng=lambda: 0.5) == BACKOFF_CAP
