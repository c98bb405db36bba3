"""How a message names a setting, by where the user is: a workflow's action inputs, or a terminal's
flags and environment variables.

A message is written once, naming settings by placeholder: ``[[openai-api-key]]``, or
``[[set:github-token]]`` for how to provide it. The sink that shows it (the CLI's error line, a
``Log``, ``SummaryError.render``) renders it with its ``Wording``: in ``run``,
"`openai-api-key`" and "input 'date': ..."; in ``generate``, "OPENAI_API_KEY" and "--date: ...".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\[\[(set:)?([a-z][a-z0-9-]*)\]\]")


@dataclass(frozen=True)
class Wording:
    """Names of settings (``names``), how to provide some of them (``how``), and how a message
    about one setting starts (``prefix``, with ``{}`` for the name)."""

    names: Mapping[str, str]
    how: Mapping[str, str]
    prefix: str

    def name(self, setting: str) -> str:
        return self.names.get(setting, f"`{setting}`")

    def where(self, setting: str) -> str:
        return self.prefix.format(self.name(setting).strip("`"))

    def render(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            setting = m.group(2)
            if m.group(1):
                return self.how.get(setting, f"set {self.name(setting)}")
            return self.name(setting)

        return _PLACEHOLDER.sub(one, text)


ACTION = Wording(
    names={},  # an input is its own name: `openai-api-key`
    how={
        "github-token": "pass `github-token: ${{ secrets.GITHUB_TOKEN }}` (the default) and give the"
        " job `permissions: models: read`",
        "reddit": "add Reddit OAuth secrets (reddit-client-id, reddit-client-secret)",
        "openai-api-key": "set `openai-api-key: ${{ secrets.OPENAI_API_KEY }}`",
    },
    prefix="input '{}': ",
)

CLI = Wording(
    names={
        "date": "--date",
        "repo": "--repo",
        "keep": "--keep",
        "config": "--config",
        "model": "--model",
        "dry-run": "--dry-run",
        "github-token": "GITHUB_TOKEN",
        "openai-api-key": "OPENAI_API_KEY",
        "base-url": "OPENAI_BASE_URL",
        "reddit-client-id": "REDDIT_CLIENT_ID",
        "reddit-client-secret": "REDDIT_CLIENT_SECRET",
    },
    how={
        "github-token": "set GITHUB_TOKEN to a token that may use GitHub Models (a fine-grained"
        " token with Models: read, or `gh auth token`)",
        "reddit": "set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET (a Reddit 'script' app)",
        "openai-api-key": "set OPENAI_API_KEY",
    },
    prefix="{}: ",
)

__all__ = ["ACTION", "CLI", "Wording"]
