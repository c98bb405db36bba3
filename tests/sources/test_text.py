"""Pure text helpers: titles, HTML to text, truncation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daily_ai_summary.sources import clean_title, strip_html
from daily_ai_summary.sources.text import truncate


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("[D] Self-Promotion Thread", "Self-Promotion Thread"),
        ("[R][P]  Sparse   attention\n at scale", "Sparse attention at scale"),
        ("[N] - Open weights released", "Open weights released"),
        ("[Discussion]: evals", "evals"),
        ("Show HN: [beta] tool", "Show HN: [beta] tool"),  # only leading tags go
        ("[2506.01234] A paper id is not a tag", "[2506.01234] A paper id is not a tag"),
        ("[D]", "[D]"),  # nothing left: keep the tag rather than an empty title
        ("Q&amp;A with the authors", "Q&A with the authors"),
        ("", ""),
    ],
)
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


@given(st.text(alphabet=st.characters(blacklist_characters="&")))  # "&amp;amp;" decodes twice
def test_clean_title_is_idempotent_and_has_no_whitespace_runs(raw):
    once = clean_title(raw)
    assert clean_title(once) == once
    assert "  " not in once and once == once.strip() and "\n" not in once


def test_strip_html_keeps_paragraphs_and_decodes_entities():
    html = 'I&#x27;m <b>here</b>.<p>Link: <a href="https:&#x2F;&#x2F;x.org">x.org</a><p><p>End &amp; done'
    assert strip_html(html) == "I'm here.\nLink: x.org\nEnd & done"


def test_truncate_cuts_at_a_word_with_an_ellipsis():
    text = "word " * 400
    out = truncate(text, 100)
    assert len(out) <= 100 and out.endswith("…") and not out[:-1].endswith(" ")
    assert truncate("short", 100) == "short"
