"""A real runner: nektos/act runs the example workflow end to end against the local fakes.

What is real: act (container mode, ``--network host``) parses the example workflow
(.github/workflows/daily-ai-summary.yml), evaluates its ``if:``, ``with:`` and expressions,
starts the job container, writes the event file and the runner's file commands, runs the action
as a Docker action container with the workspace and event mounted, reads its outputs and hands
them to the next step. The job image is the action image itself (act needs only a shell and
``tail`` in it). The action's image is the one built from this working copy.

The stand-ins, because this machine has no github.com:
- the blog's repository is a local bare ``origin`` (the harness's), linked to the GitHub fake;
  GITHUB_API_URL points at the fake, DAILY_AI_SUMMARY_MODELS_URL at the OpenAI fake (as GitHub
  Models), the config's sources at the sources fake;
- ``actions/checkout``: act runs in a clone of that origin (what checkout would have made) and,
  as it always does for a checkout of the workflow's own repository, uses that directory as the
  checkout instead of fetching actions/checkout from github.com. ``--bind`` mounts it, so the
  action's pushes reach origin (also mounted into the containers at its own path);
- ``uses: daily-ai-summary/daily-ai-summary@v1`` becomes ``uses: ./`` (one mechanical line,
  ``local_workflow``); the blog's clone then holds this working copy's action.yml, its image
  pinned to the local build exactly as scripts/release pins the pushed digest.
One step is appended to the workflow to show that the outputs reach a next step.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.revise.harness import Revisions

from daily_ai_summary.testing.harness import TOKEN, ActionHarness, git
from daily_ai_summary.testing.openai_fake import Reply

pytestmark = [pytest.mark.docker, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / ".github" / "workflows" / "daily-ai-summary.yml"
SPEC = REPO / "tests" / "data" / "github-openapi.json"
USES = re.compile(r"(?m)^(\s+(?:-\s+)?uses: )daily-ai-summary/daily-ai-summary@v\d+(?:[ \t]+#.*)?$")
FRESH = (
    "The regenerated note on {} is concrete: it names the change, who gains or loses, and what"
    " to watch next, so a reader can judge it without the source."
)
NEXT_STEP = """\
      - name: The outputs reach the next step
        run: |
          echo "next-step operation=${{ steps.summary.outputs.pull-request-operation }}"
          echo "next-step number=${{ steps.summary.outputs.pull-request-number }}"
          echo "next-step branch=${{ steps.summary.outputs.branch }}"
"""


def local_workflow(text: str) -> str:
    """The example with its one ``uses: daily-ai-summary/daily-ai-summary@vN`` line replaced
    by ``uses: ./``; anything else (none or several such lines) is an error."""
    new, n = USES.subn(r"\1./", text)
    if n != 1:
        raise ValueError(
            f"expected one 'uses: daily-ai-summary/daily-ai-summary@vN' line, found {n}"
        )
    return new


def local_action(text: str, image: str) -> str:
    new, n = re.subn(r"(?m)^  image: Dockerfile$", f"  image: docker://{image}", text)
    if n != 1:
        raise ValueError("action.yml: expected one 'image: Dockerfile' line")
    return new


def test_the_substitution_changes_exactly_the_uses_line() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    diff = [
        d for d in difflib.ndiff(text.splitlines(), local_workflow(text).splitlines())
        if d[:1] in "+-"
    ]  # fmt: skip
    # the example's line may carry a comment (zizmor's justification); it goes with the line
    got = [d[:1] + " " + d[1:].strip() for d in diff]
    assert len(got) == 2 and got[1] == "+ uses: ./", got
    assert got[0].startswith("- uses: daily-ai-summary/daily-ai-summary@v1"), got
    with pytest.raises(ValueError, match="found 0"):
        local_workflow(text.replace("daily-ai-summary/daily-ai-summary@v1", "someone/else@v1"))
    with pytest.raises(ValueError, match="found 2"):
        local_workflow(text + "      - uses: daily-ai-summary/daily-ai-summary@v1\n")


class Act:
    """The blog (harness), the workflow and action committed to it, and ``act`` runs."""

    def __init__(self, h: ActionHarness, act: str, image: str) -> None:
        self.h, self.act, self.image = h, act, image
        self.rv = Revisions(h)
        ws = h.workspace
        (ws / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        workflow = local_workflow(EXAMPLE.read_text(encoding="utf-8")) + NEXT_STEP
        (ws / ".github" / "workflows" / "daily-ai-summary.yml").write_text(workflow)
        action = local_action((REPO / "action.yml").read_text(encoding="utf-8"), image)
        (ws / "action.yml").write_text(action, encoding="utf-8")
        git(ws, "add", "-A")
        git(ws, "-c", "user.name=Owner", "-c", "user.email=owner@example.org", "commit",
            "--quiet", "-m", "the daily-ai-summary workflow")  # fmt: skip
        git(ws, "push", "--quiet", "origin", "main")
        self.runs = 0

    def run(self, event_name: str, payload: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        self.runs += 1
        event = self.h.root / f"act-event-{self.runs}.json"
        event.write_text(json.dumps(payload), encoding="utf-8")
        h = self.h
        env = {
            "GITHUB_API_URL": h.github.url,
            "GITHUB_REPOSITORY": h.github.full_name,
            "DAILY_AI_SUMMARY_MODELS_URL": h.llm.base_url,
            "DAILY_AI_SUMMARY_TESTING": "1",
            "DAILY_AI_SUMMARY_NOW": h.sources.now.isoformat(),
        }
        cmd = [
            self.act, event_name,
            "--workflows", ".github/workflows/daily-ai-summary.yml",
            "--eventpath", str(event),
            "--platform", f"ubuntu-latest={self.image}",  # the job image is the action image
            "--pull=false",  # local images only; there is no registry to pull from
            "--bind", "--network", "host",
            "--container-options", f"-v {h.origin}:{h.origin}",
            "--container-daemon-socket", "-",  # no docker socket in the job container
            "--no-cache-server",
            "--secret", f"GITHUB_TOKEN={TOKEN}",
        ]  # fmt: skip
        for name, value in env.items():
            cmd += ["--env", f"{name}={value}"]
        return subprocess.run(
            cmd, cwd=h.workspace, capture_output=True, text=True, timeout=900, check=False,
            env={**__import__("os").environ, "NO_COLOR": "1"},
        )  # fmt: skip


def outputs(stdout: str) -> dict[str, str]:
    """What act says the action set (``::set-output:: name=value``)."""
    return dict(re.findall(r"::set-output:: ([a-z-]+)=(.*)", stdout))


def next_step(stdout: str) -> dict[str, str]:
    return dict(re.findall(r"\| next-step ([a-z]+)=(.*)", stdout))


@pytest.fixture(scope="module")
def blog(
    act_binary: str, action_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Act]:
    with ActionHarness(tmp_path_factory.mktemp("act"), spec=SPEC) as h:
        yield Act(h, act_binary, action_image)
        h.github.assert_clean()


@pytest.fixture(scope="module")
def dispatched(blog: Act) -> subprocess.CompletedProcess[str]:
    return blog.run("workflow_dispatch", {"inputs": {"date": ""}})


def test_dispatch_opens_the_pr_and_the_next_step_sees_the_outputs(
    blog: Act, dispatched: subprocess.CompletedProcess[str]
) -> None:
    log = dispatched.stdout + dispatched.stderr
    assert dispatched.returncode == 0, log[-4000:]
    assert "Job succeeded" in log
    assert re.search(r"Success - Main actions/checkout@(?:v\d+|[0-9a-f]{40})", log), "checkout satisfied locally"
    [pr] = blog.h.open_pulls()
    assert pr["title"] == "[Daily Automated AI Summary] 2025-04-16"
    assert outputs(log)["pull-request-operation"] == "created"
    assert next_step(log) == {
        "operation": "created",
        "number": str(pr["number"]),
        "branch": "daily-ai-summary/2025-04-16",
    }
    assert blog.h.branch_file(blog.h.branch, blog.h.post_path)
    assert TOKEN not in log


def test_a_re_run_of_the_dispatch_is_unchanged(
    blog: Act, dispatched: subprocess.CompletedProcess[str]
) -> None:
    head = blog.rv.head()
    rerun = blog.run("workflow_dispatch", {"inputs": {"date": ""}})
    log = rerun.stdout + rerun.stderr
    assert rerun.returncode == 0, log[-4000:]
    assert next_step(log)["operation"] == "unchanged"
    assert len(blog.h.open_pulls()) == 1 and blog.rv.head() == head


def test_the_schedule_runs_the_same_job(
    blog: Act, dispatched: subprocess.CompletedProcess[str]
) -> None:
    scheduled = blog.run("schedule", {"schedule": "17 6 * * *"})
    log = scheduled.stdout + scheduled.stderr
    assert scheduled.returncode == 0, log[-4000:]
    # Same day as the dispatch, so the post is already there: the PR is left as it is.
    assert outputs(log)["pull-request-operation"] == "unchanged"
    assert outputs(log)["branch"] == "daily-ai-summary/2025-04-16"


def test_a_summary_comment_on_the_bots_pr_revises_it(
    blog: Act, dispatched: subprocess.CompletedProcess[str]
) -> None:
    [pr] = blog.h.open_pulls()
    blog.rv.pr_number = pr["number"]
    before = blog.rv.head()
    title = blog.rv.post().consequences[0].title
    fresh = {"benefits": FRESH.format("gains"), "ramifications": FRESH.format("risks")}
    blog.h.llm.queue(Reply.json(fresh, match=title))
    payload = blog.rv.conversation("/summary regenerate 1")
    comment_id = payload["comment"]["id"]
    revised = blog.run("issue_comment", payload)
    log = revised.stdout + revised.stderr
    assert revised.returncode == 0, log[-4000:]
    assert len(blog.rv.commits_since(before)) == 1, log[-3000:]
    after = blog.rv.post().consequences[0]
    assert (after.benefits, after.ramifications) == (fresh["benefits"], fresh["ramifications"])
    assert blog.rv.replies_to(comment_id), "the bot answered the comment"
    assert TOKEN not in log
