"""Logging for people: workflow commands on a runner, plain lines or rich on a terminal.

The pipeline gets a ``Log`` passed in and says what happens; how it is shown is decided here.
Every line goes through ``Redactor``, which replaces each known secret with ``***`` - on top
of the runner's ``::add-mask::``, because a runner only masks what it was told about, and a
terminal masks nothing.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from daily_ai_summary.errors import SummaryError
from daily_ai_summary.wording import ACTION, Wording


class Redactor:
    """Replaces secret values (and their URL-encoded forms) in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        for s in secrets:
            self.add(s)

    def add(self, secret: str | None) -> None:
        from urllib.parse import quote

        if secret and len(secret) >= 4:
            for form in {secret, quote(secret, safe="")}:
                if form not in self._secrets:
                    self._secrets.append(form)
            self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for s in self._secrets:
            text = text.replace(s, "***")
        return text

    @property
    def secrets(self) -> list[str]:
        return list(self._secrets)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def workflow_command(name: str, message: str, **props: str | int | None) -> str:
    """``::name k=v,...::message`` with the runner's escaping."""
    parts = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props.items() if v not in (None, ""))
    return f"::{name}{' ' + parts if parts else ''}::{_escape_data(message)}"


class Log:
    """Plain lines to a stream (stderr by default). Base for the other flavours."""

    def __init__(
        self, redact: Redactor | None = None, stream: TextIO | None = None, wording: Wording = ACTION
    ) -> None:
        self.redact = redact or Redactor()
        self.stream = stream or sys.stderr
        self.wording = wording  # how messages name settings (inputs, or flags and variables)
        self.warnings: list[str] = []

    def _say(self, line: str) -> str:
        return self.redact(self.wording.render(line))

    def _write(self, line: str) -> None:
        print(self._say(line), file=self.stream, flush=True)

    def info(self, message: str) -> None:
        self._write(message)

    def notice(self, message: str) -> None:
        self._write(f"notice: {message}")

    def warning(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.warnings.append(self._say(message))
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        self._write(f"warning: {where}{message}")

    def error(self, err: SummaryError | str) -> None:
        self._write(f"error: {err.render(self.wording) if isinstance(err, SummaryError) else err}")

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        start = time.monotonic()
        self._write(f"== {title}")
        try:
            yield
        finally:
            self._write(f"   ({time.monotonic() - start:.1f}s)")


class ActionLog(Log):
    """Workflow commands for the GitHub Actions runner (stdout, where the runner reads them)."""

    def __init__(self, redact: Redactor | None = None, stream: TextIO | None = None) -> None:
        super().__init__(redact, stream or sys.stdout)

    def mask(self, secrets: Iterable[str]) -> None:
        """Register secrets with the runner. Must run before anything else is printed."""
        for s in secrets:
            if s:
                self.redact.add(s)
                # printed raw on purpose: this is the one line that tells the runner the value
                print(f"::add-mask::{s}", file=self.stream, flush=True)

    def notice(self, message: str) -> None:
        self._write(workflow_command("notice", message))

    def warning(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.warnings.append(self._say(message))
        self._write(workflow_command("warning", message, file=file, line=line))

    def error(self, err: SummaryError | str) -> None:
        if isinstance(err, SummaryError):
            message = err.message if err.file else err.render(self.wording)
            self._write(workflow_command("error", message, file=err.file, line=err.line, title=err.title))
        else:
            self._write(workflow_command("error", err))

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        self._write(f"::group::{title}")
        try:
            yield
        finally:
            self._write("::endgroup::")


class TerminalLog(Log):
    """Colours and stage timings on a TTY (rich); plain lines otherwise."""

    def __init__(
        self, redact: Redactor | None = None, stream: TextIO | None = None, wording: Wording = ACTION
    ) -> None:
        super().__init__(redact, stream, wording)
        self._console = None
        if self.stream.isatty():
            from rich.console import Console

            self._console = Console(file=self.stream, highlight=False)

    def _write(self, line: str) -> None:
        if self._console is None:
            return super()._write(line)
        from rich.text import Text

        line = self._say(line)
        style = "yellow" if line.startswith("warning") else "red" if line.startswith("error") else None
        style = "bold cyan" if line.startswith("==") else style
        self._console.print(Text(line, style=style or ""))
