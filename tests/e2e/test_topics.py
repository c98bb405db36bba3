"""Many topics per blog: `topics:` profiles, each its own post path, branch, PR title, sources
and dedupe, run against the local fakes the way examples/topics.yml runs them."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from daily_ai_summary.post import parse

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "topics.yml"
DAY = "2025-04-16"


def topics_config(harness, *, across: bool = False) -> None:
    base = (harness.workspace / ".github" / "daily-ai-summary.yml").read_text()
    harness.write_config(
        base
        + ("selection:\n  dedupe-across-topics: true\n" if across else "")
        + """topics:
  - name: llms
    title: "LLM news {date}"
    tags: [llm]
  - name: robotics
    path: content/robots/{date}-{topic}.md
"""
    )


def titles(harness, branch: str, path: str) -> list[str]:
    text = harness.branch_file(branch, path)
    assert text is not None, f"{path} is not on {branch}"
    return [c.title for c in parse(text).consequences]


def test_two_topics_open_two_prs_on_their_own_branches_paths_and_titles(harness):
    topics_config(harness)
    result = harness.run("schedule")
    assert result.code == 0, result.log
    pulls = {p["head"]: p for p in harness.open_pulls()}
    assert set(pulls) == {f"daily-ai-summary/llms/{DAY}", f"daily-ai-summary/robotics/{DAY}"}
    assert pulls[f"daily-ai-summary/llms/{DAY}"]["title"] == f"LLM news {DAY}"
    assert pulls[f"daily-ai-summary/robotics/{DAY}"]["title"] == (
        f"[Daily Automated AI Summary] {DAY} (robotics)"
    )
    llms = harness.branch_file(
        f"daily-ai-summary/llms/{DAY}", f"content/posts/{DAY}-llms-ai-auto-summary.md"
    )
    assert llms is not None and f'title: "LLM news {DAY}"' in llms and '"llm"' in llms
    assert harness.branch_file(
        f"daily-ai-summary/robotics/{DAY}", f"content/robots/{DAY}-robotics.md"
    )
    assert f"daily-ai-summary/{DAY}" not in harness.branches()
    # per topic dedupe (the default): same sources, so both topics chose the same stories
    llm_titles = titles(
        harness, f"daily-ai-summary/llms/{DAY}", f"content/posts/{DAY}-llms-ai-auto-summary.md"
    )
    robot_titles = titles(
        harness, f"daily-ai-summary/robotics/{DAY}", f"content/robots/{DAY}-robotics.md"
    )
    assert llm_titles == robot_titles


def test_dedupe_across_topics_reads_the_other_topics_posts(harness):
    topics_config(harness, across=True)
    result = harness.run("schedule")
    assert result.code == 0, result.log
    llm_titles = titles(
        harness, f"daily-ai-summary/llms/{DAY}", f"content/posts/{DAY}-llms-ai-auto-summary.md"
    )
    robot_titles = titles(
        harness, f"daily-ai-summary/robotics/{DAY}", f"content/robots/{DAY}-robotics.md"
    )
    assert llm_titles and robot_titles
    assert not set(llm_titles) & set(robot_titles)


def test_the_topic_input_runs_one_topic_as_the_example_matrix_does(harness):
    topics_config(harness)
    workflow = YAML(typ="safe").load(EXAMPLE.read_text(encoding="utf-8"))
    job = workflow["jobs"]["post"]
    assert job["strategy"]["matrix"]["topic"] == ["llms", "robotics"]
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("daily-ai-summary/")]
    assert step["with"]["topic"] == "${{ matrix.topic }}"
    result = harness.run("schedule", inputs={"topic": "robotics"})
    assert result.code == 0, result.log
    assert [p["head"] for p in harness.open_pulls()] == [f"daily-ai-summary/robotics/{DAY}"]
    assert result.outputs["branch"] == f"daily-ai-summary/robotics/{DAY}"
    assert result.outputs["post-path"] == f"content/robots/{DAY}-robotics.md"


def test_an_unknown_topic_is_one_clear_error_and_nothing_is_pushed(harness):
    topics_config(harness)
    before = harness.branches()
    result = harness.run("schedule", inputs={"topic": "biology"})
    assert result.code == 1
    errors = [line for line in result.log.splitlines() if line.startswith("::error")]
    assert len(errors) == 1, result.log
    assert "topic" in errors[0] and "biology" in errors[0] and "llms, robotics" in errors[0]
    assert "Traceback" not in result.log
    assert harness.branches() == before and harness.open_pulls() == []
    assert harness.llm.requests == [] if hasattr(harness.llm, "requests") else True


def test_without_topics_the_topic_input_is_an_error(harness):
    result = harness.run("schedule", inputs={"topic": "llms"})
    assert result.code == 1
    assert "no topics" in result.log and "Traceback" not in result.log


def test_a_revision_on_a_topic_pr_commits_on_the_topics_branch(harness):
    from daily_ai_summary.testing.harness import git
    from tests.revise.harness import Revisions

    topics_config(harness)
    rv = Revisions(harness)
    opened = harness.run("schedule", inputs={"topic": "llms"})
    assert opened.code == 0, opened.log
    rv.pr_number = int(opened.outputs["pull-request-number"])
    branch, path = f"daily-ai-summary/llms/{DAY}", f"content/posts/{DAY}-llms-ai-auto-summary.md"
    before = git(harness.origin, "rev-parse", f"refs/heads/{branch}").strip()
    items = titles(harness, branch, path)
    result = rv.run(rv.conversation("/summary drop 1"))
    assert result.code == 0, result.log
    assert git(harness.origin, "rev-parse", f"refs/heads/{branch}").strip() != before
    assert titles(harness, branch, path) == items[1:]
