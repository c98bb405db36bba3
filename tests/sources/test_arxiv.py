"""arXiv: the submittedDate query for the window, and the recorded Atom feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sources_support import fetch

from daily_ai_summary.errors import SourceError
from daily_ai_summary.sources.arxiv import ArxivOptions, arxiv_id, search_query

DEC21 = (datetime(2020, 12, 21, tzinfo=UTC), datetime(2020, 12, 22, tzinfo=UTC))


def test_recorded_feed_is_parsed_and_kept_to_the_window(recorded, fake, policy):
    fake.set_arxiv_response((recorded / "arxiv/arxiv.xml").read_bytes())
    result = fetch(fake.arxiv_options(categories=["cs.RO"]), DEC21, policy=policy)

    (paper,) = result.candidates  # the feed holds papers of 21, 22 and 24 Dec; one is in the window
    assert paper.id == "2012.11345" and paper.url == "https://arxiv.org/abs/2012.11345"
    assert paper.title.startswith("Analysis of Safe Ultrawideband Human-Robot Communication")
    assert paper.author == "Branimir Ivšić, Zvonimir Šipuš, Juraj Bartolić et al."
    assert paper.flair == "cs.RO" and paper.created == datetime(2020, 12, 21, 13, 55, 21, tzinfo=UTC)
    assert paper.text.startswith("The paper presents the propagation analysis") and "\n" not in paper.text
    assert result.warnings == ["arxiv cs.RO: dropped 2 entries submitted outside the window"]


def test_the_query_asks_for_the_window_in_gmt_minutes(fake, policy):
    fetch(fake.arxiv_options(categories=["cs.LG", "cs.CL"], limit=30), DEC21, policy=policy)
    (req,) = fake.calls("GET", "/api/query")
    assert req.arg("search_query") == "(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202012210000 TO 202012212359]"
    assert (req.arg("sortBy"), req.arg("sortOrder"), req.arg("max_results")) == ("submittedDate", "descending", "30")


def test_own_entries_filtered_by_category_and_date(fake, policy):
    t = DEC21[0]
    fake.add_arxiv_entries([
        {"id": "2012.00001", "title": "in", "published": t + timedelta(hours=1), "categories": ["cs.LG"]},
        {"id": "2012.00002", "title": "other cat", "published": t + timedelta(hours=2), "categories": ["math.AG"]},
        {"id": "2012.00003", "title": "late", "published": t + timedelta(days=1), "categories": ["cs.LG"]},
    ])
    result = fetch(fake.arxiv_options(), DEC21, policy=policy)
    assert [c.id for c in result.candidates] == ["2012.00001"] and result.warnings == []


def test_an_api_error_feed_is_an_error(fake, policy):
    err = (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry>"
           b"<id>http://arxiv.org/api/errors#incorrect_id_format</id><title>Error</title>"
           b"<summary>incorrect id format for 1234</summary></entry></feed>")
    fake.set_arxiv_response(err)
    with pytest.raises(SourceError, match="arXiv rejected the query: incorrect id format"):
        fetch(fake.arxiv_options(), DEC21, policy=policy)


def test_search_query_end_is_inclusive_minute_before_the_window_end():
    q = search_query(["cs.AI"], datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 6, tzinfo=UTC))
    assert q == "cat:cs.AI AND submittedDate:[202601050000 TO 202601052359]"


def test_ids_lose_their_version():
    assert arxiv_id("http://arxiv.org/abs/2012.11345v12") == "2012.11345"
    assert arxiv_id("http://arxiv.org/abs/hep-th/9901001v1") == "hep-th/9901001"


def test_categories_default_and_validation():
    assert ArxivOptions().categories == ["cs.LG"]
    with pytest.raises(ValidationError):
        ArxivOptions(categories=[])
    with pytest.raises(ValidationError):
        ArxivOptions(categories=["cs.LG OR 1"])
