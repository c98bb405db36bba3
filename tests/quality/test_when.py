"""Prediction dates as small models write them, normalised before they are judged."""

from __future__ import annotations

from datetime import date

import pytest

from daily_ai_summary.when import When, normalise_when, read_when

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        # what Qwen2.5 0.5B/1.5B wrote in the runs that failed (docs/local-models.md)
        ("2050", "2050"),
        ("2099", "2099"),
        ("2045-10-25", "October 2045"),
        ("2050-01-01", "January 2050"),
        ("Oct 2045", "October 2045"),
        # and the other spellings seen or likely
        ("May 2035", "May 2035"),
        ("may 2035", "May 2035"),
        ("Sep. 2040", "September 2040"),
        ("Sept 2040", "September 2040"),
        ("October, 2045", "October 2045"),
        ("October 25, 2045", "October 2045"),
        ("25th October 2045", "October 2045"),
        ("2045/10", "October 2045"),
        ("10/2045", "October 2045"),
        ("2045-10-25T00:00:00Z", "October 2045"),
        ("by 2050", "2050"),
        ("around 2050.", "2050"),
        ("mid-2050", "2050"),
        ("Late 2050", "2050"),
        ("  (2050) ", "2050"),
    ],
)
def test_a_date_is_read_the_way_the_model_wrote_it(answer, shown):
    assert normalise_when(answer, today=TODAY).text == shown


def test_a_year_alone_stays_a_year_and_the_post_shows_it_in_parentheses():
    when = read_when("2050")
    assert when == When(2050, None) and when.text == "2050"


@pytest.mark.parametrize(
    "answer",
    ["2020", "March 2020", "2026-11-30", "Nov 2026", "2025"],
)
def test_past_dates_are_rejected(answer):
    with pytest.raises(ValueError, match="is in the past"):
        normalise_when(answer, today=TODAY)


@pytest.mark.parametrize("answer", ["2026", "December 2026", "2026-12-25"])
def test_this_month_or_this_year_is_not_the_past(answer):
    assert normalise_when(answer, today=TODAY).year == 2026


@pytest.mark.parametrize(
    "answer",
    [
        "soon",
        "Q2 2035",
        "the 2050s",
        "May 35",
        "Smarch 2035",
        "2045-13-01",
        "2045-10-40",
        "1899",
        "30000",
        "",
    ],
)
def test_anything_else_is_rejected_saying_what_to_write(answer):
    with pytest.raises(ValueError) as err:
        normalise_when(answer, today=TODAY)
    assert "May 2035" in str(err.value) or "four digits" in str(err.value)
