"""Run the action the way the runner does, against local fakes and real git.

    with ActionHarness(tmp_path) as h:
        result = h.run("workflow_dispatch", {"inputs": {"date": "2025-04-16"}})
        assert result.code == 0 and result.outputs["pull-request-operation"] == "created"

It builds a blog repository (the seed's archetype, a config whose sources point at the
``SourcesFake``), a bare ``origin`` and a checkout of it (the workspace), a ``GitHubFake`` for
``octo/blog`` linked to the bare repository, and an ``OpenAIFake``. ``run`` writes the event
payload, sets exactly the variables a container action gets (``INPUT_<NAME>`` with hyphens
kept, every declared input present; ``GITHUB_*``; output and summary files) and calls
``entrypoint.run`` in a subprocess (``subprocess=True``) or in-process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from daily_ai_summary.action import INPUT_NAMES
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.github_fake import BOT_LOGIN, GitHubFake
from daily_ai_summary.testing.openai_fake import OpenAIFake
from daily_ai_summary.testing.sources_fake import SourcesFake

TOKEN = "ghs_harnessTOKEN0123456789abcdefghij"  # noqa: S105 - a fake token for fake servers
_spec_lock = threading.Lock()
_spec_cache: dict[str, dict[str, Any]] = {}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", "-C", str(cwd), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


class FileCommandError(ValueError):
    """A GITHUB_OUTPUT-style file the runner would reject."""


def parse_output_file(text: str) -> dict[str, str]:
    """Parse a ``GITHUB_OUTPUT``/``GITHUB_ENV`` file the way the runner does.

    ``name=value`` lines, or ``name<<DELIM`` then value lines then ``DELIM``; whichever of
    ``=`` and ``<<`` comes first on the line decides. Later values win. Errors as the runner's:
    an empty name, an empty delimiter, a missing closing delimiter.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    values: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i].removesuffix("\r")
        i += 1
        if line == "":
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if eq >= 0 and (heredoc < 0 or eq < heredoc):
            name, value = line[:eq], line[eq + 1 :]
            if not name:
                raise FileCommandError(f"Invalid format {line!r}: name must not be empty")
            values[name] = value
            continue
        if heredoc < 0:
            raise FileCommandError(f"Invalid format {line!r}")
        name, delimiter = line[:heredoc], line[heredoc + 2 :]
        if not name or not delimiter:
            raise FileCommandError(f"Invalid format {line!r}: name and delimiter are required")
        body: list[str] = []
        while True:
            if i >= len(lines):
                raise FileCommandError(f"Invalid value. Matching delimiter not found {delimiter!r}")
            value_line = lines[i].removesuffix("\r")
            i += 1
            if value_line == delimiter:
                break
            body.append(value_line)
        values[name] = "\n".join(body)
    return values


@dataclass
class RunResult:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str

    @property
    def log(self) -> str:
        return self.stdout + self.stderr


@dataclass
class ActionHarness:
    root: Path
    post_date: date = date(2025, 4, 16)
    owner: str = "octo"
    repo_name: str = "blog"
    consequences: int = 3
    spec: Path | None = None
    subprocess: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    skeleton: Path | None = None  # another generator's site to start from (make_blog)
    post_template: str = "content/posts/{date}-ai-auto-summary.md"  # where the post lands

    def __post_init__(self) -> None:
        self.origin = self.root / "origin.git"
        self.workspace = self.root / "workspace"
        self.seed_dir = self.root / "seed"
        self.files = self.root / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        (self.root / "home").mkdir(exist_ok=True)
        self.sources = SourcesFake.with_sample_day(self.post_date)
        self.now = datetime.combine(self.post_date, time(5, 35, 33), tzinfo=UTC)
        self.sources.now = self.now
        self.llm = OpenAIFake()
        self.github = GitHubFake(
            self.owner, self.repo_name, token=TOKEN, git_dir=self.origin, spec=self._spec()
        )
        self._runs = 0
        self._clones = 0
        self._lock = threading.Lock()

    def _spec(self) -> dict[str, Any] | None:
        if self.spec is None:
            return None
        with _spec_lock:
            key = str(self.spec)
            if key not in _spec_cache:
                _spec_cache[key] = json.loads(Path(self.spec).read_text(encoding="utf-8"))
            return _spec_cache[key]

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> ActionHarness:
        self.sources.start()
        self.llm.start()
        self.github.start()
        self._make_repos()
        return self

    def __exit__(self, *exc: object) -> None:
        for fake in (self.github, self.llm, self.sources):
            fake.stop()

    def _make_repos(self) -> None:
        make_blog(
            self.seed_dir, self.sources.url, consequences=self.consequences, skeleton=self.skeleton
        )
        subprocess.run(
            ["git", "clone", "--quiet", "--bare", str(self.seed_dir), str(self.origin)], check=True
        )
        subprocess.run(
            ["git", "clone", "--quiet", str(self.origin), str(self.workspace)], check=True
        )

    def new_workspace(self, name: str) -> Path:
        """Another checkout of origin, as a second runner would have (concurrent runs never
        share a workspace)."""
        path = self.root / name
        subprocess.run(["git", "clone", "--quiet", str(self.origin), str(path)], check=True)
        return path

    def write_config(self, text: str, repo: Path | None = None) -> None:
        (repo or self.workspace).joinpath(".github", "daily-ai-summary.yml").write_text(
            text, encoding="utf-8"
        )

    # -- git views of origin -----------------------------------------------------------------
    def branch_file(self, branch: str, path: str) -> str | None:
        proc = subprocess.run(
            ["git", "-C", str(self.origin), "show", f"{branch}:{path}"],
            capture_output=True,
            text=True,
        )
        return proc.stdout if proc.returncode == 0 else None

    def branches(self) -> list[str]:
        out = git(self.origin, "for-each-ref", "--format=%(refname:short)", "refs/heads")
        return sorted(out.split())

    def commits(self, rev_range: str) -> list[str]:
        return git(self.origin, "log", "--format=%H %ae %s", rev_range).splitlines()

    def push_as_human(
        self,
        branch: str,
        path: str,
        text: str,
        *,
        name: str = "Alice",
        email: str = "alice@example.org",
    ) -> str:
        """Commit to ``branch`` on origin as a person would (a clone, a commit, a push)."""
        self._clones += 1
        clone = self.root / f"human-{self._clones}"
        subprocess.run(
            ["git", "clone", "--quiet", "--branch", branch, str(self.origin), str(clone)],
            check=True,
        )
        (clone / path).write_text(text, encoding="utf-8")
        git(
            clone,
            "-c",
            f"user.name={name}",
            "-c",
            f"user.email={email}",
            "commit",
            "--quiet",
            "-am",
            "a human edit",
        )
        git(clone, "push", "--quiet", "origin", branch)
        return git(clone, "rev-parse", "HEAD").strip()

    def merge_to_main(self, branch: str) -> None:
        """Fast-forward-merge ``branch`` into main on origin (what the merge button does here)."""
        self._clones += 1
        clone = self.root / f"merge-{self._clones}"
        subprocess.run(["git", "clone", "--quiet", str(self.origin), str(clone)], check=True)
        git(
            clone,
            "-c",
            "user.name=Owner",
            "-c",
            "user.email=owner@example.org",
            "merge",
            "--quiet",
            "--no-edit",
            f"origin/{branch}",
        )
        git(clone, "push", "--quiet", "origin", "main")

    # -- running the action ------------------------------------------------------------------
    def env(
        self, event_name: str, payload: dict[str, Any], inputs: dict[str, str] | None = None
    ) -> dict[str, str]:
        with self._lock:  # matrix jobs run at once (threads, each its own process)
            self._runs += 1
            n = self._runs
        event_path = self.files / f"event-{n}.json"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        output = self.files / f"set_output_{n}"
        summary = self.files / f"step_summary_{n}"
        output.write_text("")
        summary.write_text("")
        given = {
            "github-token": TOKEN,
            "base-url": self.llm.base_url,
            "model": "gpt-4o-mini",
            "labels": "daily-summary",
            "command-prefix": "/summary",
            "config": ".github/daily-ai-summary.yml",
            "dry-run": "false",
            "draft": "false",
            **(inputs or {}),
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
        env.update({"INPUT_" + name.upper(): given.get(name, "") for name in INPUT_NAMES})
        env.update(
            GITHUB_EVENT_NAME=event_name,
            GITHUB_EVENT_PATH=str(event_path),
            GITHUB_REPOSITORY=f"{self.owner}/{self.repo_name}",
            GITHUB_API_URL=self.github.url,
            GITHUB_SERVER_URL="https://github.com",
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_OUTPUT=str(output),
            GITHUB_STEP_SUMMARY=str(summary),
            GITHUB_RUN_ID=str(1000 + n),
            GITHUB_ACTIONS="true",
            CI="true",
            DAILY_AI_SUMMARY_TESTING="1",
            HOME=str(self.root / "home"),  # git config --global (safe.directory) lands here
            DAILY_AI_SUMMARY_NOW=self.now.isoformat(),
            **self.extra_env,
        )
        return env

    def run(
        self,
        event_name: str = "workflow_dispatch",
        payload: dict[str, Any] | None = None,
        *,
        inputs: dict[str, str] | None = None,
        env_overrides: dict[str, str] | None = None,
    ) -> RunResult:
        if payload is None:
            payload = (
                {"inputs": {"date": ""}}
                if event_name == "workflow_dispatch"
                else {"schedule": "35 5 * * *"}
            )
        env = self.env(event_name, payload, inputs)
        env.update(env_overrides or {})
        if self.subprocess:
            proc = subprocess.run(
                [sys.executable, "-m", "daily_ai_summary", "run"],
                env=env,
                capture_output=True,
                text=True,
                cwd=self.workspace,
                timeout=300,
            )
            code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
        else:
            code, stdout, stderr = self._in_process(env)
        return RunResult(
            code,
            stdout,
            stderr,
            parse_output_file(Path(env["GITHUB_OUTPUT"]).read_text()),
            Path(env["GITHUB_STEP_SUMMARY"]).read_text(),
        )

    @staticmethod
    def _in_process(env: dict[str, str]) -> tuple[int, str, str]:
        from daily_ai_summary.entrypoint import run

        out, err = io.StringIO(), io.StringIO()
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(env)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return code, out.getvalue(), err.getvalue()

    @property
    def post_path(self) -> str:
        return self.post_template.replace("{date}", self.post_date.isoformat())

    @property
    def branch(self) -> str:
        return f"daily-ai-summary/{self.post_date.isoformat()}"

    def open_pulls(self) -> list[dict[str, Any]]:
        return [p for p in self.github.pulls.values() if p["state"] == "open"]


__all__ = [
    "BOT_LOGIN",
    "TOKEN",
    "FileCommandError",
    "ActionHarness",
    "RunResult",
    "git",
    "parse_output_file",
]
