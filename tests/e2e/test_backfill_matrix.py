"""A backfill the way examples/backfill.yml runs it: one `plan` job, then a matrix job per date,
each a separate `daily-ai-summary run` process in its own checkout, max-parallel at once.

The sample days discuss the same stories every day, so without dedupe across the open PRs
and within the range every date would pick the same topics."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from daily_ai_summary.post import parse
from daily_ai_summary.selection import normalize_title
from daily_ai_summary.testing.backfill_days import add_recurring_days
from daily_ai_summary.testing.harness import ActionHarness, RunResult

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "backfill.yml"
RANGE = "2025-04-09..2025-04-15"
DAYS = [date(2025, 4, 9) + timedelta(days=i) for i in range(7)]


@pytest.fixture
def backfill(tmp_path: Path):
    with ActionHarness(tmp_path, spec=SPEC, subprocess=True) as h:
        h.ml = add_recurring_days(h.sources, DAYS, subreddit="MachineLearning", pool="ML")  # type: ignore[attr-defined]
        add_recurring_days(h.sources, DAYS, subreddit="machinelearningnews", pool="News")
        yield h
        h.github.assert_clean()


def step_inputs(job: str, **context: str) -> dict[str, str]:
    """The action step's ``with:`` in examples/backfill.yml, its expressions filled in."""
    workflow = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"][job]["steps"] if s.get("uses", "").startswith("daily-ai-summary/")]
    given: dict[str, str] = {}
    for name, value in step["with"].items():
        text = str(value)
        for expression, filled in context.items():
            text = text.replace("${{ " + expression + " }}", filled)
        assert "${{" not in text, f"{job}: no value for {text}"
        given[name] = text
    return given


def plan(h: ActionHarness) -> RunResult:
    inputs = step_inputs("plan", **{"inputs.dates": RANGE})
    result = h.run("workflow_dispatch", {"inputs": {"dates": RANGE}}, inputs=inputs)
    assert result.code == 0, result.log
    return result


def matrix(h: ActionHarness, dates: list[str], max_parallel: int) -> list[RunResult]:
    """One job per date at once, each with its own fresh checkout (as separate runners)."""
    workspaces = {d: h.new_workspace(f"job-{d}-{h._runs}") for d in dates}

    def job(d: str) -> RunResult:
        return h.run(
            "workflow_dispatch",
            {"inputs": {"dates": RANGE}},
            inputs=step_inputs("post", **{"matrix.date": d, "inputs.dates": RANGE}),
            env_overrides={"GITHUB_WORKSPACE": str(workspaces[d])},
        )

    with ThreadPoolExecutor(max_workers=max_parallel) as pool:
        return list(pool.map(job, dates))


def covered_titles(h: ActionHarness, day: str) -> list[str]:
    post = parse(h.branch_file(f"daily-ai-summary/{day}", f"content/posts/{day}-ai-auto-summary.md"))
    return [c.title for c in post.consequences] + [t.title for t in post.trending]


@pytest.mark.timeout(900)  # 11 action processes on a shared 2-core machine
def test_a_seven_date_backfill_opens_seven_prs_with_no_repeated_topic_and_a_rerun_opens_none(backfill):
    h = backfill
    first = plan(h)
    dates = json.loads(first.outputs["dates"])
    assert dates == [d.isoformat() for d in DAYS]
    assert int(first.outputs["max-parallel"]) == 7  # an OpenAI-compatible endpoint: no published limit
    assert "7 dates x 4 calls = 28 requests" in first.stdout
    assert h.open_pulls() == [] and h.branches() == ["main"]  # planning writes nothing

    jobs = matrix(h, dates, int(first.outputs["max-parallel"]))
    assert [j.code for j in jobs] == [0] * 7, "\n".join(j.log for j in jobs if j.code)
    assert [j.outputs["pull-request-operation"] for j in jobs] == ["created"] * 7
    assert sorted(p["title"] for p in h.open_pulls()) == [f"[Daily Automated AI Summary] {d}" for d in dates]

    titles = [t for d in dates for t in covered_titles(h, d)]
    assert len(titles) == 7 * 6
    assert len({normalize_title(t) for t in titles}) == len(titles), "a topic was repeated"
    # each date covers the best of what the earlier dates left, as if run one after another
    for i, d in enumerate(dates):
        expected = [normalize_title(t.removeprefix("[ML] ")) for t in h.ml[3 * i : 3 * i + 3]]
        assert [normalize_title(t) for t in covered_titles(h, d)[:3]] == expected, d

    calls = len(h.llm.chat_bodies())
    again = plan(h)
    assert again.outputs["dates"] == "[]"
    assert "skip 2025-04-12: its pull request is open" in again.stdout
    # "Re-run jobs" on GitHub (the same matrix jobs again, here the first and the last) opens
    # nothing new either: each finds its date's PR and the same post
    rerun = matrix(h, [dates[0], dates[-1]], 2)
    assert {j.outputs["pull-request-operation"] for j in rerun} == {"unchanged"}, [j.log for j in rerun]
    assert len(h.open_pulls()) == 7
    assert len(h.llm.chat_bodies()) - calls == 2 * 4  # the rerun regenerates the same posts


def test_without_the_range_a_later_date_still_skips_what_open_prs_cover(backfill):
    """Sequential daily runs (no range): each open PR's post is history for the next date."""
    h = backfill
    for d in DAYS[:3]:
        result = h.run("workflow_dispatch", {"inputs": {"date": d.isoformat()}}, inputs={"date": d.isoformat()})
        assert result.code == 0, result.log
    titles = [t for d in DAYS[:3] for t in covered_titles(h, d.isoformat())]
    assert len({normalize_title(t) for t in titles}) == len(titles) == 18


def test_plan_leaves_out_a_merged_date_and_a_bad_range_is_one_line(backfill):
    h = backfill
    result = h.run("workflow_dispatch", {"inputs": {"date": "2025-04-10"}}, inputs={"date": "2025-04-10"})
    assert result.code == 0, result.log
    h.merge_to_main("daily-ai-summary/2025-04-10")
    planned = plan(h)
    assert json.loads(planned.outputs["dates"]) == [d.isoformat() for d in DAYS if d != date(2025, 4, 10)]
    assert "skip 2025-04-10: its post is merged" in planned.stdout

    bad = h.run("workflow_dispatch", {"inputs": {}}, inputs={"mode": "plan", "dates": "2024-01-01..2025-04-15"})
    assert bad.code == 1
    errors = [ln for ln in bad.stdout.splitlines() if ln.startswith("::error")]
    assert len(errors) == 1 and "dates" in errors[0] and "at most 366 days" in errors[0], bad.log
    assert "Traceback" not in bad.log


def test_a_date_older_than_the_listings_reach_is_read_from_the_archive_and_the_pr_says_so(tmp_path: Path):
    with ActionHarness(tmp_path, spec=SPEC) as h:
        day = date(2025, 2, 10)  # two months before the harness's "now"
        add_recurring_days(h.sources, [day], subreddit="MachineLearning", pool="ML")
        add_recurring_days(h.sources, [day], subreddit="machinelearningnews", pool="News")
        config = (h.workspace / ".github" / "daily-ai-summary.yml").read_text()
        h.write_config(config.replace(
            "      subreddit: MachineLearning\n",
            f"      subreddit: MachineLearning\n      archive: pullpush\n      archive-url: {h.sources.url}\n", 1,
        ))  # fmt: skip
        result = h.run("workflow_dispatch", {"inputs": {"date": day.isoformat()}}, inputs={"date": day.isoformat()})
        assert result.code == 0, result.log
        [pr] = h.open_pulls()
        shown = pr["body"].split("<!-- daily-ai-summary:metadata")[0]  # what people read
        items = [ln for ln in shown.splitlines() if ln[:3] in ("1. ", "2. ", "3. ")]
        assert len(items) == 3 and all("— reddit r/MachineLearning (PullPush archive), score" in ln for ln in items), items
        assert "read from the PullPush archive" in shown  # and the notes say why
        assert h.sources.calls("GET", r"/reddit/search/submission/")
        h.github.assert_clean()
