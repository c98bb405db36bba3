"""Fixtures for the rule tests.

``steer``: one open PR made by the generate flow (a ``Revisions`` on an ``ActionHarness``, the
GitHub fake checked against GitHub's OpenAPI description), shared by a module's tests to keep
them fast. Each test first records the PR's state (``Steer.mark``) and checks afterwards what a
reviewer or an attacker would see: a commit on the branch, a model call, a comment, a reply or
a reaction. ``alice`` may write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from daily_ai_summary.testing.harness import ActionHarness, RunResult
from tests.revise.harness import Revisions

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"


class Steer:
    def __init__(self, rv: Revisions) -> None:
        self.rv = rv
        self.mark()

    def mark(self) -> None:
        self.head, self.calls, self.written = (
            self.rv.head(),
            self.rv.llm_requests(),
            self.rv.bot_output(),
        )

    def run(self, payload: dict[str, Any], event_name: str | None = None) -> RunResult:
        return self.rv.action.run(event_name or Revisions.event_name(payload), payload)

    def assert_ignored(self, payload: dict[str, Any], event_name: str | None = None) -> None:
        """``payload`` is run and nothing at all happens: exit 0, nothing pushed, no model
        call, no comment, no reply, no reaction."""
        self.mark()
        result = self.run(payload, event_name)
        assert result.code == 0, result.log
        assert "Nothing to do" in result.log, result.log
        assert result.outputs["pull-request-operation"] == "none"
        assert self.rv.head() == self.head, "a commit was pushed"
        assert self.rv.llm_requests() == self.calls, "the model was called"
        assert self.rv.bot_output() == self.written, "the bot commented or reacted"

    def assert_obeyed(self, payload: dict[str, Any]) -> None:
        """The control: ``payload`` is carried out (a new commit on the PR's branch)."""
        self.mark()
        result = self.run(payload)
        assert result.code == 0, result.log
        assert self.rv.head() != self.head, result.log


@pytest.fixture(scope="module")
def steer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Steer]:
    with ActionHarness(tmp_path_factory.mktemp("steer"), spec=SPEC, consequences=4) as action:
        rv = Revisions(action)
        rv.open_pr()
        try:
            yield Steer(rv)
        finally:
            rv.close()
        action.github.assert_clean()
