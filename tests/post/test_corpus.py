"""Three years of the reference blog: every post parses and round-trips byte for byte."""

from __future__ import annotations

import pytest

from daily_ai_summary.post import parse, render

pytestmark = pytest.mark.corpus


def test_every_corpus_post_round_trips_byte_for_byte(corpus_dir):
    files = sorted(corpus_dir.glob("*.md"))
    assert len(files) >= 600, "the corpus should hold the reference blog's posts"
    mismatched = [f.name for f in files if render(parse(f.read_text(encoding="utf-8"), path=f.name)) != f.read_text(encoding="utf-8")]
    assert mismatched == []


def test_every_corpus_post_yields_its_sections(corpus_dir):
    counts = set()
    for f in sorted(corpus_dir.glob("*.md")):
        post = parse(f.read_text(encoding="utf-8"), path=f.name)
        assert 1 <= len(post.consequences) <= 7, f.name
        assert all(c.title for c in post.consequences), f.name
        assert post.trending_titles, f.name
        assert post.date is not None and post.date.date().isoformat() == f.name[:10], f.name
        counts.add(len(post.consequences))
        # Most posts have structured paragraphs; the few truncated ones ("- ...") read as empty.
    assert max(counts) >= 5 and min(counts) == 1


def test_drifted_formats_read_their_values(corpus_dir):
    """The 2023 layout (blank lines after *Benefits:*) reads the same values as 2025's."""
    early = parse((corpus_dir / "2023-04-14-ai-auto-summary.md").read_text(encoding="utf-8"))
    assert all(c.benefits and c.ramifications for c in early.consequences)
    prose = parse((corpus_dir / "2023-05-20-ai-auto-summary.md").read_text(encoding="utf-8"))
    assert prose.predictions, "prose predictions are read best-effort"
    assert any(p.when for p in prose.predictions)
