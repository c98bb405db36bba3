"""RSS/Atom feeds: window filtering, undated entries, recorded feeds, not-a-feed answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError
from sources_support import DATA, fetch

from daily_ai_summary.errors import SourceError
from daily_ai_summary.sources.feed import FeedOptions
from daily_ai_summary.testing.server import Response
from daily_ai_summary.testing.sources_fake import rss

MAR10 = (datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=UTC))


def test_recorded_marktechpost_items_of_the_day(recorded, fake, policy):
    fake.add_feed("/feed/", (recorded / "feeds/marktechpost_feed.xml").read_bytes())
    window = (datetime(2026, 7, 21, tzinfo=UTC), datetime(2026, 7, 22, tzinfo=UTC))
    result = fetch(fake.feed_options("/feed/"), window, policy=policy)
    assert len(result.candidates) == 3
    first = result.candidates[0]  # newest first
    assert first.title.startswith("Validating Distributed LLM Serving Benchmarks")
    assert first.url.startswith("https://www.marktechpost.com/2026/07/21/validating-")
    assert first.created == datetime(2026, 7, 21, 16, 29, 36, tzinfo=UTC)
    assert first.flair == "AI Infrastructure" and first.score == 0
    assert "<a href" not in first.text and "&lt;" not in first.text and "[…]" in first.text


def test_recorded_cursor_feed_keeps_only_the_window(recorded, fake, policy):
    fake.add_feed("/cursor.xml", (recorded / "feeds/ai_blogs_cursor.xml").read_bytes())
    window = (datetime(2026, 9, 2, tzinfo=UTC), datetime(2026, 9, 3, tzinfo=UTC))
    result = fetch(fake.feed_options("/cursor.xml"), window, is_today=False, policy=policy)
    assert len(result.candidates) == 2  # the two items of 2 Sep 2026
    assert all(c.created == datetime(2026, 9, 2, 12, tzinfo=UTC) for c in result.candidates)
    assert result.warnings == []


def test_own_rss_window_title_cleaning_and_html_text(fake, policy):
    fake.add_feed("/blog.xml", (DATA / "blog_rss.xml").read_bytes())
    result = fetch(fake.feed_options("/blog.xml"), MAR10, policy=policy)
    assert [c.title for c in result.candidates] == ["Evaluating agents", "Quantised models ship"]
    quantised = result.candidates[1]
    assert quantised.raw_title.strip().startswith("[News]")
    assert quantised.text == "We ship 4-bit models & tools.\nSecond paragraph."
    assert quantised.id == "https://blog.example.org/quantised" and quantised.link is None


def test_undated_entries_are_kept_today(fake, policy):
    fake.add_feed("/undated.xml", (DATA / "undated_atom.xml").read_bytes(), "application/atom+xml")
    result = fetch(fake.feed_options("/undated.xml"), MAR10, is_today=True, policy=policy)
    assert [c.url for c in result.candidates] == ["https://example.org/notes/1", "https://example.org/notes/2"]
    assert result.candidates[0].text == "First note." and result.warnings == []


def test_undated_entries_are_skipped_with_a_warning_for_a_past_date(fake, policy):
    fake.add_feed("/undated.xml", (DATA / "undated_atom.xml").read_bytes(), "application/atom+xml")
    result = fetch(fake.feed_options("/undated.xml"), MAR10, is_today=False, policy=policy)
    assert result.candidates == []
    (warning,) = result.warnings
    assert "skipped 2 entries without a date" in warning and "2026-03-10" in warning


def test_generated_rss_round_trips(fake, policy):
    fake.add_feed("/gen.xml", rss([
        {"title": "dated", "link": "https://e.org/a", "published": datetime(2026, 3, 10, 5, tzinfo=UTC)},
        {"title": "undated", "link": "https://e.org/b"},
    ]))
    result = fetch(fake.feed_options("/gen.xml"), MAR10, is_today=False, policy=policy)
    assert [c.title for c in result.candidates] == ["dated"] and len(result.warnings) == 1


def test_an_html_page_is_not_a_feed(fake, policy):
    fake.inject("GET", "/feed", Response.text("<!DOCTYPE html><html><title>Blocked</title></html>",
                                              content_type="text/html"))
    with pytest.raises(SourceError, match="answered with an HTML page, not a feed"):
        fetch(fake.feed_options("/feed"), MAR10, policy=policy)


def test_garbage_is_not_a_feed(fake, policy):
    fake.add_feed("/junk", b"\x00\x01 not xml at all {", "application/octet-stream")
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        fetch(fake.feed_options("/junk"), MAR10, policy=policy)


def test_a_missing_feed_is_a_404_error(fake, policy):
    with pytest.raises(SourceError, match=r"HTTP 404 from http://127\.0\.0\.1:\d+/nowhere\.xml"):
        fetch(fake.feed_options("/nowhere.xml"), MAR10, policy=policy)


def test_url_is_required_and_names_the_label():
    with pytest.raises(ValidationError, match="url"):
        FeedOptions.model_validate({"type": "feed"})
    assert FeedOptions(url="https://www.marktechpost.com/feed/").label == "feed marktechpost.com"
