"""What a run is given at its edge, for both paths (generate and revise).

``entrypoint.run`` (the action) and ``generate.generate_local`` (a local clone) read the
process environment once, here, into typed values, and pass them down; no module below reads
``os.environ`` for these.

The test hooks (the only environment variables that are not the runner's contract):

* ``DAILY_AI_SUMMARY_NOW`` (ISO 8601, e.g. ``2025-04-16T05:35:33Z``): pins the run's clock,
  so a run is reproducible (tests, the demo). Becomes ``Hooks.clock``.
* ``DAILY_AI_SUMMARY_MODELS_URL``: the GitHub Models endpoint (a GHES proxy, or the local
  OpenAI fake in tests). Becomes ``Hooks.models_url``.
* ``DAILY_AI_SUMMARY_TESTING=1``: no PyGithub write pacing (only against the local fakes).
  Becomes ``Hooks.testing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from daily_ai_summary.action import Inputs, RunnerEnv
from daily_ai_summary.config import CONFIG_PATH, Config, load_config
from daily_ai_summary.errors import InputError
from daily_ai_summary.log import ActionLog
from daily_ai_summary.pipeline import Clients
from daily_ai_summary.providers import ProviderSettings, make_client, resolve_provider
from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.sources import build_client
from daily_ai_summary.sources.base import Credentials

NOW_ENV = "DAILY_AI_SUMMARY_NOW"  # pins the clock (tests, the demo)
MODELS_URL_ENV = "DAILY_AI_SUMMARY_MODELS_URL"  # GitHub Models endpoint (GHES proxies, tests)
TESTING_ENV = "DAILY_AI_SUMMARY_TESTING"  # "1": no PyGithub write pacing (local fakes only)
LLM_TIMEOUT = 90.0


class Clock:
    """The run's "now": the system clock, or a pinned instant (always timezone-aware UTC)."""

    def __init__(self, pinned: datetime | None = None) -> None:
        if pinned is not None and pinned.tzinfo is None:
            pinned = pinned.replace(tzinfo=UTC)
        self.pinned = pinned

    def now(self) -> datetime:
        return self.pinned if self.pinned is not None else datetime.now(UTC)


@dataclass(frozen=True)
class Hooks:
    """The test hooks, read once at the edge (see the module docstring)."""

    clock: Clock = field(default_factory=Clock)
    models_url: str | None = None
    testing: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Hooks:
        raw = env.get(NOW_ENV, "").strip()
        pinned = None
        if raw:
            try:
                pinned = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise InputError(
                    f"{NOW_ENV} must be an ISO 8601 time like 2025-04-16T05:35:33Z, got {raw[:40]!r}"
                ) from None
        return cls(
            clock=Clock(pinned),
            models_url=env.get(MODELS_URL_ENV) or None,
            testing=env.get(TESTING_ENV) == "1",
        )


def default_clients() -> Clients:
    return Clients(http=build_client, llm=lambda s: make_client(s, timeout=LLM_TIMEOUT))


def provider_for(inputs: Inputs, hooks: Hooks) -> ProviderSettings:
    return resolve_provider(
        model=inputs.model,
        github_token=inputs.github_token,
        openai_api_key=inputs.openai_api_key,
        base_url=inputs.base_url,
        api_url_for_models=hooks.models_url,
    )


def credentials_for(inputs: Inputs) -> Credentials:
    return Credentials(
        reddit_client_id=inputs.reddit_client_id,
        reddit_client_secret=inputs.reddit_client_secret,
    )


def local_inputs(env: Mapping[str, str]) -> Inputs:
    """The inputs of ``daily-ai-summary generate``: the usual environment variables of each
    client (``GITHUB_TOKEN``, ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ...)."""
    return Inputs(
        github_token=env.get("GITHUB_TOKEN", ""),
        model=env.get("DAILY_AI_SUMMARY_MODEL", ""),
        openai_api_key=env.get("OPENAI_API_KEY", ""),
        base_url=env.get("OPENAI_BASE_URL", ""),
        reddit_client_id=env.get("REDDIT_CLIENT_ID", ""),
        reddit_client_secret=env.get("REDDIT_CLIENT_SECRET", ""),
    )


@dataclass
class RunContext:
    """One action run: its inputs, the runner's environment, the log, the client factories
    and the test hooks."""

    inputs: Inputs
    runner: RunnerEnv
    log: ActionLog
    clients: Clients
    hooks: Hooks = field(default_factory=Hooks)

    def github(self) -> GitHubClient:
        """The REST client for the run's repository, with the run's token."""
        return GitHubClient(
            self.inputs.github_token,
            self.runner.api_url,
            self.runner.repository,
            testing=self.hooks.testing,
        )

    def provider(self) -> ProviderSettings:
        return provider_for(self.inputs, self.hooks)

    def blog_config(self) -> Config:
        """The blog's configuration in the workspace (the ``config`` input, else the default
        file, else the defaults), as the generate run reads it."""
        path = self.inputs.config if self.inputs.config not in ("", CONFIG_PATH) else None
        return load_config(Path(self.runner.workspace), path)


__all__ = [
    "LLM_TIMEOUT",
    "MODELS_URL_ENV",
    "NOW_ENV",
    "TESTING_ENV",
    "Clock",
    "Hooks",
    "RunContext",
    "credentials_for",
    "default_clients",
    "local_inputs",
    "provider_for",
]
