"""The runner's contract for a Docker container action: inputs, environment, outputs, summary.

What the runner gives us (actions/runner, see shared notes):
* every input declared in action.yml as ``INPUT_<NAME>``: upper-cased, hyphens KEPT
  (``INPUT_OPENAI-API-KEY``), present and empty when unset;
* ``GITHUB_*`` variables (event name and payload path, repository, API and server URLs,
  workspace) and the file-command paths ``GITHUB_OUTPUT`` / ``GITHUB_STEP_SUMMARY``.
This module reads them into typed values, validates them (a bad value is an ``InputError``
naming the input), and writes outputs and the job summary in the runner's file format.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from daily_ai_summary.errors import InputError

INPUT_NAMES = (
    "github-token",
    "date",
    "model",
    "openai-api-key",
    "base-url",
    "config",
    "dry-run",
    "base-branch",
    "reddit-client-id",
    "reddit-client-secret",
    "labels",
    "reviewers",
    "draft",
    "command-prefix",
    "mode",
    "dates",
    "topic",
)
SECRET_INPUTS = ("github-token", "openai-api-key", "reddit-client-secret", "reddit-client-id")
OUTPUT_NAMES = (
    "post-path",
    "branch",
    "pull-request-number",
    "pull-request-url",
    "pull-request-operation",
    "tokens",
    "cost-usd",
    "dates",
    "max-parallel",
)
MODES = ("run", "plan")


def _env_name(name: str) -> str:
    return "INPUT_" + name.replace(" ", "_").upper()


def _bool(name: str, raw: str, default: bool) -> bool:
    value = raw.strip().lower()
    if value == "":
        return default
    if value in ("true", "yes", "1", "on"):
        return True
    if value in ("false", "no", "0", "off"):
        return False
    raise InputError(f"must be true or false, got {raw.strip()[:40]!r}", input_name=name)


def _list(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in re.split(r"[,\n]", raw) if x.strip())


@dataclass(frozen=True)
class Inputs:
    github_token: str = ""
    date: str = ""
    model: str = ""
    openai_api_key: str = ""
    base_url: str = ""
    config: str = ""
    dry_run: bool = False
    base_branch: str = ""
    reddit_client_id: str = ""
    reddit_client_secret: str = ""
    labels: tuple[str, ...] = ("daily-summary",)
    reviewers: tuple[str, ...] = ()
    draft: bool = False
    command_prefix: str = "/summary"
    mode: str = "run"  # run: what the event asks for; plan: the dates of `dates` that need a post
    dates: str = ""  # a range, 2025-04-01..2025-04-30: plan's range, and a backfill job's range
    topic: str = ""  # one of the config's topics:; empty: all of them, one after another

    @property
    def secrets(self) -> list[str]:
        return [s for s in (self.github_token, self.openai_api_key, self.reddit_client_secret) if s]


def read_inputs(env: Mapping[str, str]) -> Inputs:
    """The action's inputs from ``INPUT_*`` variables. Unset means the action.yml default."""

    def raw(name: str) -> str:
        return env.get(_env_name(name), "")

    prefix = raw("command-prefix").strip() or "/summary"
    if not re.fullmatch(r"[/!@.#$%][\w-]{1,30}", prefix):
        raise InputError(
            f"must be a short command like /summary (a sign then letters), got {prefix[:40]!r}",
            input_name="command-prefix",
        )
    labels = _list(raw("labels")) if raw("labels").strip() else ("daily-summary",)
    base_url = raw("base-url").strip()
    if base_url and not re.match(r"https?://", base_url):
        raise InputError(f"must be an http(s) URL, got {base_url[:60]!r}", input_name="base-url")
    return Inputs(
        github_token=raw("github-token").strip(),
        date=raw("date").strip(),
        model=raw("model").strip(),
        openai_api_key=raw("openai-api-key").strip(),
        base_url=base_url,
        config=raw("config").strip(),
        dry_run=_bool("dry-run", raw("dry-run"), False),
        base_branch=raw("base-branch").strip(),
        reddit_client_id=raw("reddit-client-id").strip(),
        reddit_client_secret=raw("reddit-client-secret").strip(),
        labels=labels,
        reviewers=tuple(r.lstrip("@") for r in _list(raw("reviewers"))),
        draft=_bool("draft", raw("draft"), False),
        command_prefix=prefix,
        mode=_mode(raw("mode")),
        dates=raw("dates").strip(),
        topic=raw("topic").strip(),
    )


def _mode(raw: str) -> str:
    value = raw.strip().lower() or "run"
    if value not in MODES:
        raise InputError(
            f"must be one of {', '.join(MODES)}, got {raw.strip()[:40]!r}", input_name="mode"
        )
    return value


@dataclass(frozen=True)
class RunnerEnv:
    """The ``GITHUB_*`` context of this run."""

    event_name: str
    event_path: str
    repository: str
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    workspace: str = "/github/workspace"
    output_path: str = ""
    summary_path: str = ""
    run_url: str = ""
    actor: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def owner(self) -> str:
        return self.repository.split("/", 1)[0]


def read_runner_env(env: Mapping[str, str]) -> RunnerEnv:
    repository = env.get("GITHUB_REPOSITORY", "")
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
        raise InputError(
            "GITHUB_REPOSITORY is not set (owner/name): run this inside GitHub Actions, or use "
            "'daily-ai-summary generate' locally",
            input_name="GITHUB_REPOSITORY",
        )
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    run_url = ""
    if env.get("GITHUB_RUN_ID"):
        run_url = f"{server}/{repository}/actions/runs/{env['GITHUB_RUN_ID']}"
    return RunnerEnv(
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        event_path=env.get("GITHUB_EVENT_PATH", ""),
        repository=repository,
        api_url=env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        server_url=server,
        workspace=env.get("GITHUB_WORKSPACE", "") or os.getcwd(),
        output_path=env.get("GITHUB_OUTPUT", ""),
        summary_path=env.get("GITHUB_STEP_SUMMARY", ""),
        run_url=run_url,
        actor=env.get("GITHUB_ACTOR", ""),
    )


def format_outputs(outputs: Mapping[str, str]) -> str:
    """The GITHUB_OUTPUT file format: ``name=value``, or a heredoc for multi-line values."""
    lines = []
    for name, value in outputs.items():
        value = str(value)
        if "\n" in value or "\r" in value:
            delim = f"ghadelimiter_{uuid.uuid4()}"
            while delim in value:  # never let the value close the heredoc
                delim = f"ghadelimiter_{uuid.uuid4()}"
            lines.append(f"{name}<<{delim}\n{value}\n{delim}\n")
        else:
            lines.append(f"{name}={value}\n")
    return "".join(lines)


def write_outputs(path: str, outputs: Mapping[str, str]) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(format_outputs(outputs))


def write_summary(path: str, markdown: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(markdown if markdown.endswith("\n") else markdown + "\n")


def workspace_path(runner: RunnerEnv) -> Path:
    return Path(runner.workspace)
