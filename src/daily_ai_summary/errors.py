"""One exception type per failure class.

Each carries what an ``::error`` annotation needs: a message, and where there is one, the file
and line (config, archetype, post) or the action input it is about. ``action.py`` turns them
into workflow commands; the CLI prints them plainly. Messages never contain secrets: callers
build them from data they control, never from raw exception text of HTTP clients that might
echo headers.
"""

from __future__ import annotations

from typing import Any

from daily_ai_summary.wording import ACTION, Wording


class SummaryError(Exception):
    """Base class: a failure the user can act on. Exit code 1, nothing pushed."""

    title = "daily-ai-summary"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        input_name: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.input_name = input_name

    def __str__(self) -> str:
        return self.render(ACTION)

    def render(self, wording: Wording = ACTION) -> str:
        """The one line a user reads, naming settings as ``wording`` does (the action's inputs,
        or the CLI's flags and environment variables)."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.input_name:
            where = wording.where(self.input_name)
        return wording.render(where + self.message)


class InputError(SummaryError):
    """A bad action input or CLI argument (date, dry-run, token, model...)."""

    title = "Invalid input"


class ConfigError(SummaryError):
    """The config file is broken: YAML syntax, unknown key, wrong type."""

    title = "Invalid configuration"


class ArchetypeError(ConfigError):
    """The Hugo archetype is missing or uses a template action we cannot evaluate."""

    title = "Invalid archetype"


class PostFormatError(SummaryError):
    """A file is not a daily summary post (or not one we can read)."""

    title = "Not a summary post"


class SourceError(SummaryError):
    """A source failed (network, HTTP status, unparseable body, blocked)."""

    title = "Source failed"

    def __init__(self, message: str, *, source: str = "", blocked: bool = False, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.source = source
        self.blocked = blocked  # the service refused this client (Reddit's 403 to cloud runners)


class SelectionError(SummaryError):
    """Nothing left to write about in a section (never publish an empty section)."""

    title = "Nothing to write about"


class LLMError(SummaryError):
    """The model failed: HTTP errors after retries, refusal, truncation, invalid output."""

    title = "LLM failed"


class GitError(SummaryError):
    """A git command failed."""

    title = "git failed"


class GitHubError(SummaryError):
    """The GitHub API refused or failed."""

    title = "GitHub API failed"
