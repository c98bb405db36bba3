"""The reliability bench: one ``ActionHarness`` per row, distinctive secrets, and the shared
"what must NOT happen" checks every row runs.

    bench = Bench(tmp_path)               # blog + bare origin + workspace + the three fakes
    result = bench.run("schedule")        # `daily-ai-summary run`, in-process (or subprocess)
    bench.assert_nothing_lost(result, forbid={"branch", "pr"})

Every run is given all three secrets (the GitHub token, an OpenAI-style API key for the LLM
fake, a Reddit client id and secret for the sources fake, which then serves Reddit only over
OAuth), so "no secret in any output" is checked for real values on every row.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from daily_ai_summary.post import parse
from daily_ai_summary.testing.harness import TOKEN, ActionHarness, RunResult, git, parse_output_file
from daily_ai_summary.testing.sources_fake import reddit_post

CONFIG = ".github/daily-ai-summary.yml"
SECTION_HEADINGS = [
    "## Possible consequences of current developments",
    "## Currently trending topics",
    "## GPT predicts future events",
]
SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"

GITHUB_TOKEN = TOKEN
OPENAI_KEY = "sk-reliabilityOPENAIkey7f3c9a1e5b2d4c6e8a0"  # noqa: S105 - fake values for fake servers
REDDIT_ID = "reliabilityRedditId42"
REDDIT_SECRET = "rdtSECRETreliability0b9d7c5e3a"  # noqa: S105
SECRETS = {"github-token": GITHUB_TOKEN, "openai-api-key": OPENAI_KEY, "reddit-client-secret": REDDIT_SECRET}



def leak_forms(name: str, value: str) -> dict[str, str]:
    """What counts as the secret showing: the value, URL-encoded, and base64 of what it is
    sent inside (Basic auth ``id:secret`` for Reddit, ``x-access-token:token`` for git's
    extraheader). Computed here, not with the code under test's ``secret_forms``."""
    forms = {"raw": value, "URL-encoded": quote(value, safe="")}
    if name == "github-token":
        forms["base64 as git's extraheader sends it"] = base64.b64encode(f"x-access-token:{value}".encode()).decode()
    if name == "reddit-client-secret":
        forms["base64 as Basic auth sends it"] = base64.b64encode(f"{REDDIT_ID}:{value}".encode()).decode()
    return forms


SECRET_INPUTS = {
    "github-token": GITHUB_TOKEN,
    "openai-api-key": OPENAI_KEY,
    "reddit-client-id": REDDIT_ID,
    "reddit-client-secret": REDDIT_SECRET,
}

# The things a row may forbid (see ``Bench.assert_nothing_lost``).
INVARIANTS = {
    "branch": "no branch pushed to origin (origin's branches unchanged)",
    "pr": "no pull request opened",
    "duplicate": "never two open PRs for one branch",
    "partial": "no partial or broken post file (origin branches, workspace, temp dirs)",
    "secret": "no secret in stdout, stderr, job summary, outputs, PR bodies, comments, commits or LLM prompts",
    "workspace": "the workspace checkout unchanged (HEAD, files, index, branches, no leftover worktree or lock)",
}
ALWAYS = frozenset({"duplicate", "partial", "secret", "workspace"})


HOOK = """
import pathlib, sys
counter = pathlib.Path({counter!r})
times = {times!r}
n = int(counter.read_text()) if counter.exists() else 0
for line in sys.stdin:
    old, new, ref = line.split()
    if ref.startswith({pattern!r}) and (times is None or n < times):
        counter.write_text(str(n + 1))
        print({message!r}.replace("{{ref}}", ref), file=sys.stderr)
        sys.exit(1)
"""


@dataclass
class Snapshot:
    head: str
    status: str
    branches: str
    origin: list[str]
    pulls: int


@dataclass
class Bench:
    """An ``ActionHarness`` with every secret set and before/after checks."""

    root: Path
    subprocess: bool = False
    harness: ActionHarness = field(init=False)
    results: list[RunResult] = field(default_factory=list)
    seconds: float = 0.0  # how long the last run took
    _posts: int = 0

    def __post_init__(self) -> None:
        self.tmp = self.root / "tmp"  # the run's TMPDIR: its worktrees land here
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.harness = ActionHarness(self.root, spec=SPEC, subprocess=self.subprocess)
        h = self.harness
        h.llm.api_key = OPENAI_KEY  # any other key gets 401, so the key really is sent
        h.sources.CLIENT_ID = REDDIT_ID  # Reddit over OAuth with the row's credentials
        h.sources.CLIENT_SECRET = REDDIT_SECRET

    def __enter__(self) -> Bench:
        self.harness.__enter__()
        self.before: Snapshot | None = None  # taken just before the first run
        return self

    def __exit__(self, *exc: object) -> None:
        self.harness.__exit__(*exc)

    # -- shortcuts -------------------------------------------------------------------------
    @property
    def h(self) -> ActionHarness:
        return self.harness

    @property
    def workspace(self) -> Path:
        return self.harness.workspace

    def snapshot(self, workspace: Path | None = None) -> Snapshot:
        ws = workspace or self.workspace
        return Snapshot(
            head=git(ws, "rev-parse", "HEAD").strip(),
            status=git(ws, "status", "--porcelain", "--ignored", "--untracked-files=all"),
            branches=git(ws, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"),
            origin=self.harness.branches(),
            pulls=len(self.harness.github.pulls),
        )

    # -- running -------------------------------------------------------------------------
    def env(self, event: str, payload: dict[str, Any] | None, inputs: dict[str, str] | None) -> dict[str, str]:
        h = self.harness
        if payload is None:
            payload = {"inputs": {"date": ""}} if event == "workflow_dispatch" else {"schedule": "35 5 * * *"}
        env = h.env(event, payload, {**SECRET_INPUTS, **(inputs or {})})
        env["TMPDIR"] = str(self.tmp)
        return env

    def run(
        self,
        event: str = "schedule",
        payload: dict[str, Any] | None = None,
        *,
        inputs: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        clients: Any = None,
        unset: Iterable[str] = (),
    ) -> RunResult:
        """``daily-ai-summary run`` as the runner starts it. ``clients`` (in-process only) swaps
        the client factories, e.g. for a shorter LLM request timeout; ``unset`` removes
        variables (a missing input, rather than an empty one)."""
        if self.before is None:
            self.before = self.snapshot()
        full = self.env(event, payload, inputs)
        full.update(env or {})
        for name in unset:
            full.pop(name, None)
        started = time.monotonic()
        if self.subprocess:
            proc = subprocess.run(
                [sys.executable, "-m", "daily_ai_summary", "run"],
                env=full, capture_output=True, text=True, cwd=self.workspace, timeout=300,
            )  # fmt: skip
            code, out, err = proc.returncode, proc.stdout, proc.stderr
        else:
            code, out, err = in_process(full, clients)
        self.seconds = time.monotonic() - started
        result = read_result(full, code, out, err)
        self.results.append(result)
        return result

    def popen(self, event: str = "schedule", payload: dict[str, Any] | None = None, *, inputs: dict[str, str] | None = None, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], dict[str, str]]:
        """Start a run in its own process group (so a kill takes git's children with it);
        ``finish`` collects it."""
        if self.before is None:
            self.before = self.snapshot()
        full = self.env(event, payload, inputs)
        full.update(env or {})
        proc = subprocess.Popen(
            [sys.executable, "-m", "daily_ai_summary", "run"], env=full, cwd=full["GITHUB_WORKSPACE"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        return proc, full

    # -- arranging a row ---------------------------------------------------------------------
    def secret(self, name: str) -> str:
        return SECRETS[name]

    def config_text(self) -> str:
        return (self.workspace / CONFIG).read_text(encoding="utf-8")

    def commit_config(self, text: str) -> None:
        self.commit_file(CONFIG, text)

    def edit_archetype(self, edit: Callable[[str], str]) -> None:
        path = "archetypes/bot-post.md"
        self.commit_file(path, edit((self.workspace / path).read_text(encoding="utf-8")))

    def commit_file(self, path: str, text: str) -> None:
        """Change a file on main the way the blog's owner would (commit, push); the workspace is
        the checkout of that commit, as actions/checkout would make it."""
        (self.workspace / path).write_text(text, encoding="utf-8")
        git(self.workspace, "add", path)
        git(self.workspace, "-c", "user.name=Owner", "-c", "user.email=owner@example.org", "commit", "--quiet", "-m", f"edit {path}")
        git(self.workspace, "push", "--quiet", "origin", "HEAD:main")

    def add_top_post(self, title: str, *, selftext: str = "", subreddit: str = "MachineLearning", url: str | None = None) -> None:
        """A Reddit post in the window with the day's highest score, so it is item 1."""
        start = datetime.combine(self.h.post_date - timedelta(days=1), datetime.min.time(), UTC)
        self._posts += 1
        self.h.sources.add_reddit_posts(subreddit, [reddit_post(
            id=f"zz{self._posts}", title=title, subreddit=subreddit, selftext=selftext,
            created_utc=(start + timedelta(hours=9)).timestamp(), score=99_000, num_comments=900, url=url,
        )])  # fmt: skip

    def reject_pushes(self, message: str, *, times: int | None = None, pattern: str = "refs/heads/daily-ai-summary/") -> None:
        """A ``pre-receive`` hook on origin that refuses pushes to the bot's branches with
        ``message`` (``{ref}`` is replaced), as GitHub's branch protection does; ``times``: only
        the first so many pushes."""
        self.hook("pre-receive", HOOK.format(pattern=pattern, message=message, times=times, counter=str(self.root / "rejections")))

    def hook(self, name: str, source: str) -> None:
        """Install a Python hook script in origin."""
        path = self.h.origin / "hooks" / name
        path.write_text(f"#!{sys.executable}\n{source}", encoding="utf-8")
        path.chmod(0o755)

    # -- facts about a run -------------------------------------------------------------------
    def llm_calls(self) -> int:
        return len(self.h.llm.chat_bodies())

    def reasked(self, word: str) -> bool:
        """The model was told in a fresh request that an answer was rejected, and why
        (``word``), without the rejected answer in the conversation (issue 17)."""
        return any(
            "A previous answer to this request was rejected" in str(m.get("content")) and word in str(m.get("content"))
            and all(x.get("role") != "assistant" for x in body["messages"])
            for body in self.h.llm.chat_bodies() for m in body["messages"]
        )  # fmt: skip

    def swapped(self, word: str) -> bool:
        """An item was replaced by a runner-up, and the PR body and job summary say why (``word``)."""
        [pr] = self.h.open_pulls()
        visible = pr["body"].split("<!--")[0]
        return "replaced by the runner-up" in visible and word in visible

    def nothing_fetched(self) -> bool:
        assert not self.h.sources.requests, "a source was fetched before the input was checked"
        assert not self.h.llm.chat_bodies(), "the model was called before the input was checked"
        return True

    def source_ok(self, result: RunResult, kind: str) -> bool:
        return "source failed" not in result.stdout

    def published(self) -> str:
        text = self.h.branch_file(self.h.branch, self.h.post_path)
        assert text is not None, "no post on the date's branch"
        return text

    def assert_inert(self, title: str) -> None:
        """The published post still has its structure, and ``title`` is in it as text only."""
        text = self.published()
        post = parse(text, path=self.h.post_path)
        assert len(post.consequences) == 3 and len(post.trending) == 3 and len(post.predictions) == 2
        body = text.split("\n---\n", 1)[1]
        assert [ln for ln in body.splitlines() if ln.startswith("#")] == SECTION_HEADINGS
        assert text.count("\n---\n") == 1, "a second front-matter fence"
        assert "{{<" not in text and "{{%" not in text, "a live Hugo shortcode"
        assert not re.search(r"<\s*(script|img|a|iframe)\b", body, re.I), "raw HTML"
        assert not re.search(r"(?<!\\)\]\(", body), "a live Markdown link"
        assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", text), "invisible or bidi control characters"
        words = [w for w in re.findall(r"[A-Za-z]{4,}", title)][:3]
        shown = post.consequences[0].title
        assert all(w in shown for w in words), f"the title's words are not shown as text: {shown[:200]!r}"
        assert len(shown) <= 400, f"a {len(shown)}-character heading"

    def assert_fenced(self, text: str) -> None:
        """``text`` reached the model only inside a nonce fence, after a system prompt that says
        fenced text is data."""
        seen = 0
        for body in self.h.llm.chat_bodies():
            system = next(m["content"] for m in body["messages"] if m["role"] == "system")
            for m in body["messages"]:
                content = str(m.get("content"))
                if m["role"] == "user" and "IGNORE PREVIOUS INSTRUCTIONS" in content:
                    seen += 1
                    fence = re.search(r"<<<DATA (\w+)>>>\n(.*)\n<<<END DATA \1>>>", content, re.S)
                    assert fence and "IGNORE PREVIOUS INSTRUCTIONS" in fence.group(2), "not fenced"
                    assert fence.group(1) in system and "data" in system.lower(), "the system prompt does not say the fence is data"
                    before, after = content[: fence.start()], content[fence.end():]
                    assert "IGNORE" not in before + after
                assert "IGNORE PREVIOUS" not in system
        assert seen, "the injected text never reached the model (was the post selected?)"
        text_out = self.published()
        assert [ln for ln in text_out.split("\n---\n", 1)[1].splitlines() if ln.startswith("#")] == SECTION_HEADINGS

    def finish(self, started: tuple[subprocess.Popen[str], dict[str, str]], timeout: float = 120) -> RunResult:
        proc, env = started
        out, err = proc.communicate(timeout=timeout)
        result = read_result(env, proc.returncode, out, err)
        self.results.append(result)
        return result

    # -- the checks every row shares ---------------------------------------------------------
    def assert_nothing_lost(self, *results: RunResult, forbid: Iterable[str] = ()) -> None:
        """Check the row's "must not happen" list plus the invariants that hold for every row."""
        forbid = set(forbid) | ALWAYS
        unknown = forbid - set(INVARIANTS)
        assert not unknown, f"unknown invariants {unknown}"
        results = results or tuple(self.results)
        if "branch" in forbid:
            assert self.harness.branches() == self.before.origin, f"a branch was pushed: {self.harness.branches()}"
        if "pr" in forbid:
            assert len(self.harness.github.pulls) == self.before.pulls, "a pull request was opened"
        self.assert_no_duplicate_pr()
        self.assert_no_partial_post()
        self.assert_no_secret(*results)
        if "workspace" in forbid:
            self.assert_workspace_unchanged()

    def assert_no_duplicate_pr(self) -> None:
        heads = [p["head"]["ref"] if isinstance(p["head"], dict) else p["head"] for p in self.harness.open_pulls()]
        assert len(heads) == len(set(heads)), f"duplicate open PRs: {heads}"

    def assert_no_partial_post(self) -> None:
        """Every post on every origin branch is whole (parses, three sections with items);
        no temp file was committed; the workspace and TMPDIR hold no stray post or temp file."""
        h = self.harness
        for branch in h.branches():
            files = git(h.origin, "ls-tree", "-r", "--name-only", branch).split()
            assert not [f for f in files if f.endswith(".tmp") or "/." in f], f"temp file committed on {branch}"
            for f in files:
                if f.endswith("-ai-auto-summary.md"):
                    post = parse(h.branch_file(branch, f), path=f)
                    assert post.consequences and post.trending and post.predictions, f"{branch}:{f} is incomplete"
        stray = [p for p in self.workspace.rglob("*") if ".git" not in p.parts and (p.name.endswith(".tmp") or p.name.endswith("-ai-auto-summary.md"))]
        assert not stray, f"stray files in the workspace: {stray}"
        leftovers = [p for p in self.tmp.glob("daily-ai-summary-wt-*")]
        assert not leftovers, f"worktrees left behind in TMPDIR: {leftovers}"

    def outputs_text(self, *results: RunResult) -> str:
        """Everything a person or a log could see."""
        h = self.harness
        parts: list[str] = []
        for r in results:
            parts += [
                "\n".join(ln for ln in r.stdout.splitlines() if not ln.startswith("::add-mask::")),
                r.stderr,
                r.summary,
                "\n".join(f"{k}={v}" for k, v in r.outputs.items()),
            ]
        gh = h.github
        parts += [f"{p.get('title')}\n{p.get('body')}" for p in gh.pulls.values()]
        parts += [str(c.get("body")) for c in gh.comments.values()]
        parts += [str(c.get("body")) for c in gh.review_comments.values()]
        parts += [str(rv.get("body")) for rv in gh.reviews.values()]
        for branch in h.branches():
            parts.append(git(h.origin, "log", "--format=%an %ae %s%n%b", branch))
            parts += [h.branch_file(branch, f) or "" for f in git(h.origin, "ls-tree", "-r", "--name-only", branch).split()]
        parts += [str(b) for b in h.llm.chat_bodies()]  # what the model was told
        return "\n".join(parts)

    def assert_no_secret(self, *results: RunResult) -> None:
        text = self.outputs_text(*results)
        for name, value in SECRETS.items():
            for how, form in leak_forms(name, value).items():
                assert form not in text, f"the {name} value leaked ({how})"
            for piece in (value[:12], value[-12:]):  # half a token is a leak too
                assert piece not in text, f"part of the {name} value leaked"
        for r in results:  # the runner was told about each secret before anything else was printed
            masks = [ln for ln in r.stdout.splitlines() if ln.startswith("::add-mask::")]
            lines = r.stdout.splitlines()
            assert lines[: len(masks)] == masks, "something was printed before the secrets were masked"
            told = {m.removeprefix("::add-mask::") for m in masks}
            for name, value in SECRETS.items():
                if r.code == 0 or value in told:  # (a run that never read its inputs masks nothing)
                    for how, form in leak_forms(name, value).items():
                        assert form in told, f"the runner was not told to mask the {name} value ({how})"

    def assert_workspace_unchanged(self) -> None:
        after = self.snapshot()
        assert (after.head, after.status, after.branches) == (self.before.head, self.before.status, self.before.branches)
        worktrees = git(self.workspace, "worktree", "list", "--porcelain").count("worktree ")
        assert worktrees == 1, git(self.workspace, "worktree", "list")
        locks = [p for p in (self.workspace / ".git").rglob("*.lock")]
        assert not locks, f"lock files left: {locks}"


def in_process(env: dict[str, str], clients: Any = None) -> tuple[int, str, str]:
    """``entrypoint.run`` in this process, with the runner's environment and this run's TMPDIR."""
    from daily_ai_summary.entrypoint import run

    out, err = io.StringIO(), io.StringIO()
    saved, saved_tmp = dict(os.environ), tempfile.tempdir
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = env.get("TMPDIR") or saved_tmp
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(env, clients=clients)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        tempfile.tempdir = saved_tmp
    return code, out.getvalue(), err.getvalue()


def read_result(env: dict[str, str], code: int, stdout: str, stderr: str) -> RunResult:
    return RunResult(
        code, stdout, stderr,
        parse_output_file(Path(env["GITHUB_OUTPUT"]).read_text()),
        Path(env["GITHUB_STEP_SUMMARY"]).read_text(),
    )  # fmt: skip


def errors(result: RunResult) -> list[str]:
    """The ``::error`` workflow commands of a run, unescaped."""
    out = []
    for line in result.stdout.splitlines():
        if line.startswith("::error"):
            out.append(line.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%"))
    return out


def warnings(result: RunResult) -> list[str]:
    return [ln for ln in result.stdout.splitlines() if ln.startswith("::warning")]


def published(bench: Bench) -> str | None:
    h = bench.harness
    return h.branch_file(h.branch, h.post_path)


__all__ = [
    "GITHUB_TOKEN", "INVARIANTS", "OPENAI_KEY", "REDDIT_SECRET", "SECRETS", "Bench", "errors",
    "published", "warnings",
]  # fmt: skip
