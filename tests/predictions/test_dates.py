"""The date reader: every spelling a forecast's date takes, and languages as table entries."""

from __future__ import annotations

import pytest

from daily_ai_summary import prediction_dates as dates
from daily_ai_summary.prediction_dates import (
    Language,
    PredictedDate,
    find_date,
    is_date,
    read_date,
)


@pytest.mark.parametrize(
    ("text", "year", "month", "end"),
    [
        ("May 2035", 2035, 5, None),
        ("may 2035", 2035, 5, None),
        ("MAY 2035", 2035, 5, None),
        ("Sept. 2035", 2035, 9, None),
        ("Sep 2035", 2035, 9, None),
        ("Dec. 2030", 2030, 12, None),
        ("March, 2035", 2035, 3, None),
        ("June of 2040", 2040, 6, None),
        ("2035-05", 2035, 5, None),
        ("2035/11", 2035, 11, None),
        ("(2045)", 2045, None, None),
        ("2045 (November)", 2045, 11, None),
        ("2040-2050", 2040, None, 2050),
        ("2050 to 2075", 2050, None, 2075),
        ("in the mid-2030s", 2035, None, None),
        ("the late 2040s", 2048, None, None),
        ("early 2030s", 2032, None, None),
        ("I predict December 2030, not 2040", 2030, 12, None),
    ],
)
def test_reads_each_spelling(text: str, year: int, month: int | None, end: int | None) -> None:
    assert read_date(text) == PredictedDate(year, month, end)


@pytest.mark.parametrize(
    "text", ["AGI", "unknown", "not predictable", "within 15 years", "Mayhem 2035x"]
)
def test_no_date_is_none(text: str) -> None:
    assert read_date(text) is None


def test_a_range_is_not_a_year_month() -> None:
    assert read_date("2035-2040") == PredictedDate(2035, None, 2040)


def test_is_date_means_nothing_else() -> None:
    assert is_date("June 2035") and is_date("(2045)") and is_date("2045 (November)")
    assert not is_date("AGI") and not is_date("by 2030 at the latest")


def test_the_matched_text_is_returned() -> None:
    assert find_date("will happen in Sept. 2035: because") == (PredictedDate(2035, 9), "Sept. 2035")


def test_another_language_is_one_table_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 adds languages by adding table entries; no reader code changes."""
    monkeypatch.setitem(
        dates.LANGUAGES,
        "xx",
        Language(
            months={"avril": 4, "abril": 4, "4月": 4},
            shapes=(r"{month}\s+(?:de\s+)?{year}", r"{year}年{month}"),
        ),
    )
    assert read_date("avril 2030", ("en", "xx")) == PredictedDate(2030, 4)
    assert read_date("abril de 2030", ("en", "xx")) == PredictedDate(2030, 4)
    assert read_date("2030年4月", ("en", "xx")) == PredictedDate(2030, 4)
    assert read_date("avril 2030", ("en",)) == PredictedDate(2030)  # English alone: the year
