"""Rows that need more than one run, a second process, a kill or a real Hugo build.

Each test is one row of ``cases.py`` (its ``test`` names the function here) and ends with the
same shared checks as the table-driven rows (``Bench.assert_nothing_lost``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from daily_ai_summary.post import parse
from daily_ai_summary.testing.harness import git
from daily_ai_summary.testing.hugo import build_site
from tests.reliability.cases import GH006, INJECTIONS
from tests.reliability.support import GITHUB_TOKEN, SECTION_HEADINGS, Bench, errors


@pytest.fixture
def bench(tmp_path: Path):
    with Bench(tmp_path) as b:
        yield b
        b.h.github.assert_clean()


def test_actions_not_permitted_then_allowed(bench: Bench) -> None:
    bench.h.github.forbid_actions_prs()
    failed = bench.run("schedule")
    assert failed.code == 1
    [error] = errors(failed)
    assert "Allow GitHub Actions to create and approve pull requests" in error
    assert "Settings" in error and "Workflow permissions" in error
    assert bench.h.github.pulls == {}
    bench.assert_nothing_lost(failed, forbid={"pr"})

    # The owner flips the setting; the next run finds the pushed branch and only opens the PR.
    bench.h.github.forbid_actions_prs(False)
    again = bench.run("schedule")
    assert again.code == 0, again.log
    assert again.outputs["pull-request-operation"] == "created"
    assert len(bench.h.open_pulls()) == 1
    assert len(bench.h.commits(f"main..{bench.h.branch}")) == 1  # no second commit
    bench.assert_nothing_lost(failed, again)


def test_broken_event_payload(bench: Bench) -> None:
    event = bench.root / "broken-event.json"
    event.write_text('{"inputs": {"date": "2025-04-16"', encoding="utf-8")
    result = bench.run("workflow_dispatch", env={"GITHUB_EVENT_PATH": str(event)})
    assert result.code == 1
    [error] = errors(result)
    assert "GITHUB_EVENT_PATH" in error and "not JSON" in error
    assert "failed" in result.summary
    bench.nothing_fetched()
    bench.assert_nothing_lost(result, forbid={"branch", "pr"})


def hugo_build(site: Path, post: str, name: str) -> Path:
    """Build one post with real Hugo, raw HTML rendering ON: only our escaping protects the page."""
    return build_site(site, {name: post}) / "posts" / name.removesuffix(".md") / "index.html"


def test_all_injections_build_with_hugo(bench: Bench, tmp_path: Path) -> None:
    titles = list(INJECTIONS.values())
    for title in titles[:3]:
        bench.add_top_post(title)
    for title in titles[3:]:
        bench.add_top_post(title, subreddit="machinelearningnews")
    result = bench.run("schedule")
    assert result.code == 0, result.log
    text = bench.published()
    post = parse(text)
    assert [ln for ln in text.split("\n---\n", 1)[1].splitlines() if ln.startswith("#")] == SECTION_HEADINGS
    assert len(post.consequences) == 3 and len(post.trending) == 3

    page = hugo_build(tmp_path / "site", text, Path(bench.h.post_path).name).read_text()
    body = page[page.index("<main>") : page.index("</main>")]
    tags = re.findall(r"<\s*([a-zA-Z][\w-]*)([^>]*)>", body)
    assert {name.lower() for name, _ in tags} <= {"main", "p", "strong", "em", "ul", "ol", "li", "h2", "blockquote", "br"}, tags
    assert all(not attrs.strip() or (name == "h2" and re.fullmatch(r'\s*id="[\w-]+"', attrs)) for name, attrs in tags)
    assert body.count("<h2") == 3
    shown = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert "<script>alert(document.cookie)</script>" in shown  # visible as text, not run
    assert "{{< youtube" in shown
    assert "javascript:alert(1)" in shown and not re.search(r"<a\b|href=\"javascript", body, re.I)
    bench.assert_nothing_lost(result)


def test_a_crash_traceback_is_redacted(bench: Bench) -> None:
    """A payload the code does not expect (a comment id that is not a number and happens to
    contain the token) crashes the run: the traceback is printed for the bug report, redacted."""
    payload = {
        "action": "created",
        "issue": {"number": 1, "pull_request": {"url": "x"}},
        "comment": {"id": f"id-{GITHUB_TOKEN}", "body": "/summary shorter", "user": {"login": "alice", "type": "User"}},
    }
    result = bench.run("issue_comment", payload)
    assert result.code == 1
    assert "Traceback" in result.stderr and "***" in result.stderr
    assert "this is a bug in daily-ai-summary" in errors(result)[0]
    bench.assert_nothing_lost(result, forbid={"branch", "pr"})


def test_two_runs_same_date(tmp_path: Path) -> None:
    with Bench(tmp_path, subprocess=True) as bench:
        bench.h.llm.latency = 0.2  # keep both runs in flight together
        workspaces = [bench.h.new_workspace("runner-a"), bench.h.new_workspace("runner-b")]
        results = []

        def go(ws: Path) -> None:
            results.append(bench.run("schedule", env={"GITHUB_WORKSPACE": str(ws)}))

        threads = [threading.Thread(target=go, args=(ws,)) for ws in workspaces]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [r.code for r in results] == [0, 0], [r.log for r in results]
        assert bench.h.branches() == [bench.h.branch, "main"]
        [pr] = bench.h.open_pulls()
        assert {r.outputs["pull-request-number"] for r in results} == {str(pr["number"])}
        assert len(bench.h.commits(f"main..{bench.h.branch}")) == 1
        bench.assert_nothing_lost(*results)
        bench.h.github.assert_clean()


SLEEPING_HOOK = """
import pathlib, sys, time
sys.stdin.read()
pathlib.Path({marker!r}).write_text("pushing")
time.sleep(120)
"""


def test_killed_during_push_then_next_run_completes(bench: Bench) -> None:
    marker = bench.root / "pushing"
    bench.hook("pre-receive", SLEEPING_HOOK.format(marker=str(marker)))
    proc, _ = bench.popen("schedule")
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run never reached the push"
        time.sleep(0.05)
    # The post is written and committed in the temporary worktree; the push is in flight.
    [wt] = list(bench.tmp.glob("daily-ai-summary-wt-*"))
    written = parse((wt / bench.h.post_path).read_text(encoding="utf-8"))
    assert len(written.consequences) == 3
    os.killpg(proc.pid, signal.SIGKILL)  # the runner cancels the job: the process group dies
    proc.communicate()

    assert bench.h.branches() == ["main"], "a killed push must not leave a branch"
    assert bench.h.github.pulls == {}
    # The container's /tmp (the worktree) goes with the container; the workspace stays.
    shutil.rmtree(bench.tmp)
    bench.tmp.mkdir()
    (bench.h.origin / "hooks" / "pre-receive").unlink()

    again = bench.run("schedule")  # no manual clean-up
    assert again.code == 0, again.log
    assert again.outputs["pull-request-operation"] == "created"
    assert len(bench.h.commits(f"main..{bench.h.branch}")) == 1
    bench.assert_nothing_lost(again)  # includes: one worktree, no lock file


def test_push_fails_then_next_run_completes(bench: Bench) -> None:
    bench.reject_pushes(GH006, times=1)
    failed = bench.run("schedule")
    assert failed.code == 1
    assert "GH006" in errors(failed)[0]
    bench.assert_nothing_lost(failed, forbid={"branch", "pr"})

    again = bench.run("schedule")
    assert again.code == 0, again.log
    assert again.outputs["pull-request-operation"] == "created"
    assert len(bench.h.commits(f"main..{bench.h.branch}")) == 1
    bench.assert_nothing_lost(failed, again)


def test_dirty_workspace_is_left_alone(bench: Bench) -> None:
    ws = bench.workspace
    (ws / "hugo.toml").write_text((ws / "hugo.toml").read_text() + "# a local edit\n")
    (ws / "content" / "posts" / "draft-by-hand.md").write_text("---\ntitle: mine\n---\nnot committed\n")
    git(ws, "add", "hugo.toml")  # staged, too
    result = bench.run("schedule")
    assert result.code == 0, result.log
    assert "# a local edit" in (ws / "hugo.toml").read_text()
    assert (ws / "content" / "posts" / "draft-by-hand.md").exists()
    assert "hugo.toml" in git(ws, "diff", "--cached", "--name-only")
    published = bench.h.commits(f"main..{bench.h.branch}")
    assert len(published) == 1
    # The PR carries the post and the predictions tracker's chart and page (issue 13), and
    # nothing of the dirty workspace.
    assert sorted(git(bench.h.origin, "diff", "--name-only", f"main..{bench.h.branch}").split()) == sorted(
        [bench.h.post_path, "content/predictions.md", "static/daily-ai-summary/predictions.svg"]
    )
    bench.assert_nothing_lost(result)
