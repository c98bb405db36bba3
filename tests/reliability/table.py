"""Render ``docs/reliability.md`` from the rows in ``cases.py`` and a pytest run's results.

The document is generated, never edited by hand: ``scripts/reliability-table`` runs the suite
(or reads a JUnit XML file) and writes it; ``test_doc.py`` renders it again with the results
every row must have (pass, or xfail for a known bug) and fails when the file differs - so a
row added, changed or removed without regenerating the document, or a row that no longer
passes, fails CI.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from tests.reliability.cases import GROUPS, ROWS, Row
from tests.reliability.support import ALWAYS, INVARIANTS

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
SHORT = {"branch": "branch", "pr": "PR", "duplicate": "duplicate PR", "partial": "partial post", "secret": "secret", "workspace": "workspace change"}

NOTES = """\
## How the rows run

Every row runs `daily-ai-summary run` exactly as the runner does (`INPUT_*` and `GITHUB_*`
variables, an event payload file, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`) against local
fakes: a bare `origin` blog repository with a workspace clone of it, the GitHub API fake
(every request and response checked against GitHub's OpenAPI description), the
OpenAI-compatible fake and the sources fake (Reddit over OAuth, Hacker News, Hugging Face
papers, arXiv, an RSS feed). Most rows run in-process; the timeout rows, the concurrency rows
and the kill run as separate processes. Every row is given distinctive values for all three
secrets (`github-token`, `openai-api-key`, `reddit-client-secret`), and every captured output
is searched for each of them: stdout, stderr, the job summary, the outputs file, PR titles and
bodies, comments, replies, reviews, commit messages, every file on every branch of origin,
and every prompt sent to the model. Half a secret counts as a leak.

## Cases that are not what they seem, and limits

- **Timeouts.** Source timeouts run with the production settings (20 s per request, 4 tries,
  120 s per source): the five rows run at the same time, so the suite waits about 22 s once.
  The LLM request timeout is the client's (90 s in production); its row gives the client
  factory a 3 s timeout instead of waiting a minute and a half, through the `clients=`
  parameter `run` has for exactly this.
- **"Actions may not open PRs" pushes the branch first.** The branch with the complete post is
  pushed before GitHub refuses the PR. That is deliberate: nothing is partial, and after the
  setting is turned on the next run finds the branch and only opens the PR (no second commit).
  The row checks exactly that.
- **A GitHub 5xx on creating the PR is not retried.** A POST that timed out or failed with a 5xx
  may still have opened the PR, and retrying it could open a second one; the run fails cleanly
  and the next run finds or opens the PR.
- **Killed during the push.** The row kills the whole process group (as a cancelled job does)
  while origin's `pre-receive` hook holds the push, after the post was written and committed
  in the temporary worktree. The container's `/tmp` (where that worktree lives) goes with the
  container, so the test removes it before the next run; the workspace, which outlives the
  container, needs no clean-up: the next run prunes the stale worktree entry and publishes.
- **Branch protection** is simulated by a `pre-receive` hook in the bare origin that answers
  like GitHub (`GH006: Protected branch update failed`), because the GitHub fake does not run
  the git server.
- **"Unknown model"** means what a provider does with it: the endpoint answers 404
  `model_not_found` on the first call. A name cannot be validated earlier, because
  OpenAI-compatible servers (Ollama, vLLM, Azure deployments) each have their own names.
- **Comment rows** reuse the revise suite's payload builders (`tests/revise/harness.py`), which
  read each comment back from the GitHub fake in the exact webhook shape.
"""


def results_from_junit(path: Path) -> dict[str, str]:
    """node id -> pass | fail | xfail | skip, from a pytest ``--junitxml`` file."""
    out: dict[str, str] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        node = case.get("classname", "").replace(".", "/") + ".py::" + case.get("name", "")
        if case.find("failure") is not None or case.find("error") is not None:
            out[node] = "fail"
        elif (skipped := case.find("skipped")) is not None:
            out[node] = "xfail" if skipped.get("type") == "pytest.xfail" else "skip"
        else:
            out[node] = "pass"
    return out


def expected_results() -> dict[str, str]:
    """The result each row must have for CI to be green."""
    return {r.node: "xfail" if r.xfail else "pass" for r in ROWS}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _must_not(row: Row) -> str:
    keys = [k for k in INVARIANTS if k in row.must_not] + [k for k in INVARIANTS if k in ALWAYS and k not in row.must_not]
    return ", ".join(SHORT[k] for k in keys)


def render(results: Mapping[str, str]) -> str:
    counts = {status: sum(results.get(r.node, "not run") == status for r in ROWS) for status in ("pass", "xfail", "fail", "skip", "not run")}
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    lines = [
        "# Reliability and security: faults, bad inputs and abuse",
        "",
        "<!-- GENERATED by scripts/reliability-table from tests/reliability/cases.py and a test run.",
        "     Do not edit: change the rows, then run scripts/reliability-table. -->",
        "",
        "A bot that runs unattended every morning is judged on its bad days. Each row below is one",
        "bad day: what goes wrong, what the action must do, and what must **not** happen. Each",
        "row is a test in `tests/reliability/`; the Result column comes from running it, and",
        "`tests/reliability/test_doc.py` fails CI when this page and the rows disagree.",
        "",
        f"**{len(ROWS)} cases: {summary}.**",
        "",
        "What the \"Must not happen\" column names (the last four are checked on every row):",
        "",
        *[f"- **{SHORT[k]}**: {text}" for k, text in INVARIANTS.items()],
        "",
        "An error outcome means: exit code 1, exactly one `::error` annotation (naming the input,",
        "or the file and line), the failure in the job summary, and no traceback.",
        "",
    ]
    for group in GROUPS:
        rows = [r for r in ROWS if r.group == group]
        if not rows:
            continue
        lines += [f"## {group}", "", "| Case | Expected behaviour | Must not happen | Test | Result |", "|---|---|---|---|---|"]
        for r in rows:
            result = results.get(r.node, "not run")
            if r.xfail:
                result += f" (known bug: {r.xfail})"
            lines.append(f"| {_cell(r.case)} | {_cell(r.expected)} | {_must_not(r)} | `{_cell(r.node)}` | {result} |")
        lines.append("")
    lines.append(NOTES)
    return "\n".join(lines)


__all__ = ["DOC", "expected_results", "render", "results_from_junit"]
