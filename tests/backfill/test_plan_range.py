"""The pure planning core: ranges, what is left out, the rate-limit budget, max-parallel."""

from __future__ import annotations

from datetime import date

import pytest

from daily_ai_summary.backfill import budget, max_parallel, parse_range, plan_range
from daily_ai_summary.errors import InputError

TODAY = date(2025, 5, 10)


def test_a_range_is_every_day_from_start_to_end_inclusive():
    days = parse_range("2025-04-01..2025-04-30", today=TODAY, input_name="--dates")
    assert len(days) == 30 and days[0] == date(2025, 4, 1) and days[-1] == date(2025, 4, 30)
    assert parse_range(" 2025-04-03 ", today=TODAY, input_name="dates") == (date(2025, 4, 3),)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2025-04-30..2025-04-01", "the range ends (2025-04-01) before it starts (2025-04-30)"),
        ("2025-04-01..2025-06-01", "in the future"),
        ("2025-02-30..2025-03-02", "not a calendar date"),
        ("April..May", "must be a date range like 2025-04-01..2025-04-30"),
        ("2025-04-01...2025-04-03", "must be a date range"),
        ("", "is empty"),
    ],
)
def test_a_bad_range_is_one_clear_error_naming_the_flag(text, says):
    with pytest.raises(InputError) as err:
        parse_range(text, today=TODAY, input_name="--dates")
    assert says in str(err.value) and str(err.value).startswith("input '--dates': ")
    assert "\n" not in str(err.value)


def test_a_range_is_at_most_366_days():
    assert len(parse_range("2024-01-01..2024-12-31", today=TODAY, input_name="dates")) == 366
    with pytest.raises(InputError) as err:
        parse_range("2024-01-01..2025-01-01", today=TODAY, input_name="dates")
    assert "367 days; a backfill covers at most 366 days: split the range" in str(err.value)


def test_the_budget_of_the_free_tier_is_told_in_requests():
    told, fits = budget("github-models", dates=30, calls=6)
    assert not fits
    assert told == (
        "30 dates x 6 calls = 180 requests, over GitHub Models' free tier's 150/day: "
        "split the range or use an API key"
    )
    told, fits = budget("github-models", dates=25, calls=6)
    assert fits and told.startswith("25 dates x 6 calls = 150 requests, within")
    assert budget("openai", dates=300, calls=6)[1]


def test_max_parallel_follows_the_providers_limits():
    # GitHub Models: 5 concurrent, 4 in flight per job -> one job at a time
    n, why = max_parallel("github-models", calls=6, in_flight=4, dates=30)
    assert n == 1 and "5 concurrent requests" in why and "15 requests/min" in why
    # 2 calls per post, 2 in flight: 5 // 2 = 2 by concurrency, 15 // 2 = 7 by the minute
    assert max_parallel("github-models", calls=2, in_flight=4, dates=30)[0] == 2
    # no published limit: as many as dates, at most GitHub's 20 concurrent jobs
    assert max_parallel("openai", calls=6, in_flight=8, dates=7)[0] == 7
    assert max_parallel("openai", calls=6, in_flight=8, dates=30)[0] == 20
    assert max_parallel("openai", calls=6, in_flight=8, dates=0)[0] == 1


def test_dates_with_a_merged_post_or_an_open_pr_are_left_out_unless_forced():
    days = parse_range("2025-04-01..2025-04-05", today=TODAY, input_name="dates")
    common = {"provider": "openai", "calls": 6, "in_flight": 8}
    plan, fits = plan_range(days, merged={date(2025, 4, 2)}, open_prs={date(2025, 4, 4)}, force=False, **common)
    assert fits and plan.as_json_dates() == ["2025-04-01", "2025-04-03", "2025-04-05"]
    assert plan.skipped == {date(2025, 4, 2): "its post is merged", date(2025, 4, 4): "its pull request is open"}
    assert plan.requests == 18 and plan.max_parallel == 3
    forced, _ = plan_range(days, merged={date(2025, 4, 2)}, open_prs={date(2025, 4, 4)}, force=True, **common)
    assert len(forced.dates) == 5 and not forced.skipped


def test_the_budget_counts_only_the_dates_left_to_do():
    days = parse_range("2025-04-01..2025-04-30", today=TODAY, input_name="dates")
    done = set(days[:10])
    plan, fits = plan_range(days, merged=done, open_prs=set(), force=False, provider="github-models", calls=6, in_flight=4)
    assert fits and plan.budget.startswith("20 dates x 6 calls = 120 requests")
    _, fits = plan_range(days, merged=done, open_prs=set(), force=True, provider="github-models", calls=6, in_flight=4)
    assert not fits
