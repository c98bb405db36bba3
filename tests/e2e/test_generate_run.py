"""`daily-ai-summary run` for schedule and workflow_dispatch, end to end: real git with a bare
origin, the GitHub fake (checked against GitHub's OpenAPI description), the LLM and source fakes."""

from __future__ import annotations

from datetime import date

from daily_ai_summary.post import parse


def test_a_scheduled_run_opens_one_pr_with_the_post(harness):
    result = harness.run("schedule")
    assert result.code == 0, result.log
    out = result.outputs
    assert out["pull-request-operation"] == "created"
    assert out["branch"] == "daily-ai-summary/2025-04-16"
    assert out["post-path"] == "content/posts/2025-04-16-ai-auto-summary.md"
    assert int(out["tokens"]) > 0 and float(out["cost-usd"]) > 0

    [pr] = harness.open_pulls()
    assert pr["title"] == "[Daily Automated AI Summary] 2025-04-16"
    assert [lbl["name"] if isinstance(lbl, dict) else lbl for lbl in pr["labels"]] == ["daily-summary"]
    assert out["pull-request-url"].endswith(f"/pull/{pr['number']}")
    # the body links every item's discussion and carries the hidden metadata
    assert "https://www.reddit.com/r/MachineLearning/comments/" in pr["body"]
    assert "<!-- daily-ai-summary:metadata " in pr["body"]

    text = harness.branch_file(harness.branch, harness.post_path)
    post = parse(text)
    assert len(post.consequences) == 3 and len(post.trending) == 3 and len(post.predictions) == 2
    assert post.front_matter.startswith('title: "[Daily Automated AI Summary]"\ndate: 2025-04-16T05:35:33Z\n')
    assert harness.commits("main..daily-ai-summary/2025-04-16")[0].endswith("bot: 2025-04-16 automated summary")
    assert "41898282+github-actions[bot]@users.noreply.github.com" in harness.commits("main..daily-ai-summary/2025-04-16")[0]

    # the job summary is worth reading
    assert "| consequences | 1 |" in result.summary and "Pull request" in result.summary
    assert "| stage | seconds |" in result.summary
    # log sections are grouped, and the workspace checkout was not touched
    assert "::group::Collect" in result.stdout
    assert harness.branches() == ["daily-ai-summary/2025-04-16", "main"]


def test_a_dispatch_with_a_past_date_backfills_that_day(harness):
    harness.sources.load_sample_day(date(2025, 4, 10))
    result = harness.run("workflow_dispatch", {"inputs": {"date": "2025-04-10"}})
    assert result.code == 0, result.log
    assert result.outputs["branch"] == "daily-ai-summary/2025-04-10"
    text = harness.branch_file("daily-ai-summary/2025-04-10", "content/posts/2025-04-10-ai-auto-summary.md")
    assert "date: 2025-04-10T06:00:00Z" in text


def test_rerunning_the_same_date_keeps_one_pr(harness):
    first = harness.run("schedule")
    second = harness.run("workflow_dispatch", {"inputs": {"date": "2025-04-16"}})
    assert first.code == 0 and second.code == 0, second.log
    assert second.outputs["pull-request-operation"] in ("updated", "unchanged")
    assert second.outputs["pull-request-number"] == first.outputs["pull-request-number"]
    assert len(harness.open_pulls()) == 1
    # the stand-in model writes the same text for the same input: nothing new to commit
    assert second.outputs["pull-request-operation"] == "unchanged"
    assert len(harness.commits("main..daily-ai-summary/2025-04-16")) == 1


def test_a_post_already_merged_is_left_alone(harness):
    assert harness.run("schedule").code == 0
    harness.merge_to_main(harness.branch)
    calls = len(harness.llm.chat_bodies())
    again = harness.run("schedule")
    assert again.code == 0, again.log
    assert again.outputs["pull-request-operation"] == "none"
    assert "::notice::the post for 2025-04-16 is already on main" in again.stdout
    assert len(harness.llm.chat_bodies()) == calls  # no token spent


def test_human_commits_on_the_branch_are_never_overwritten(harness):
    assert harness.run("schedule").code == 0
    edited = harness.branch_file(harness.branch, harness.post_path).replace("## Currently trending topics", "## Currently trending topics\n\nA human note.")
    sha = harness.push_as_human(harness.branch, harness.post_path, edited)
    again = harness.run("schedule")
    assert again.code == 0, again.log
    assert again.outputs["pull-request-operation"] == "unchanged"
    assert harness.commits(harness.branch)[0].startswith(sha)
    [pr] = harness.open_pulls()
    comments = [c for c in harness.github.comments.values() if c["issue_number"] == pr["number"]] if harness.github.comments and "issue_number" in next(iter(harness.github.comments.values())) else list(harness.github.comments.values())
    assert any("someone other than the bot" in c["body"] for c in comments)
    # a third run does not comment again
    harness.run("schedule")
    assert sum("someone other than the bot" in c["body"] for c in harness.github.comments.values()) == 1


def test_a_concurrent_create_is_treated_as_found(harness):
    harness.github.race_pr_on_next_create()
    result = harness.run("schedule")
    assert result.code == 0, result.log
    assert len(harness.open_pulls()) == 1
    assert result.outputs["pull-request-number"] == str(harness.open_pulls()[0]["number"])


def test_a_dry_run_pushes_nothing_and_prints_the_post(harness):
    result = harness.run("schedule", inputs={"dry-run": "true"})
    assert result.code == 0, result.log
    assert result.outputs["pull-request-operation"] == "none"
    assert "## Possible consequences of current developments" in result.stdout
    assert harness.branches() == ["main"] and harness.open_pulls() == []


def test_the_token_never_appears_in_any_output(harness):
    from daily_ai_summary.testing.harness import TOKEN

    result = harness.run("schedule")
    assert result.code == 0
    # The ::add-mask:: line is the one place the value must appear: the runner consumes it.
    shown = "\n".join(ln for ln in result.stdout.splitlines() if not ln.startswith("::add-mask::"))
    everything = shown + result.stderr + result.summary + "".join(p["body"] for p in harness.github.pulls.values())
    assert TOKEN not in everything
    assert f"::add-mask::{TOKEN}" in result.stdout  # registered with the runner first
    assert result.stdout.index("::add-mask::") == 0


def test_the_commit_identity_is_configurable_and_its_commits_count_as_the_bots(harness):
    config = (harness.workspace / ".github" / "daily-ai-summary.yml").read_text()
    harness.write_config(config + "commit:\n  author-name: Blog Bot\n  author-email: blog-bot@example.org\n")
    first = harness.run("schedule")
    assert first.code == 0, first.log
    assert harness.commits(f"main..{harness.branch}")[0].split()[1] == "blog-bot@example.org"
    # a rerun regenerates: the branch holds only the configured bot's commits
    second = harness.run("schedule")
    assert second.outputs["pull-request-operation"] in ("updated", "unchanged"), second.log


def test_the_pr_metadata_holds_what_revisions_need(harness):
    from daily_ai_summary.report import decode_metadata

    assert harness.run("schedule").code == 0
    [pr] = harness.open_pulls()
    meta = decode_metadata(pr["body"])
    assert meta["date"] == "2025-04-16" and meta["post_path"] == harness.post_path
    assert len(meta["items"]) == 3 and all(i["url"].startswith("https://") for i in meta["items"])
    assert any(i["text"] for i in meta["items"]), "the source excerpts ground later rewrites"
    assert meta["runners_up"] and "trending_runners_up" in meta
    assert meta["usage"]["calls"] == 4 and meta["model"] == "gpt-4o-mini"
