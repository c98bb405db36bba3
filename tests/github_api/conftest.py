"""A GitHub fake checked against GitHub's OpenAPI description, and our client pointed at it.

Every test that uses ``fake`` fails at teardown if any request or response broke the schema
(``fake.assert_clean()``); a test that provokes a violation on purpose clears it itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from github_support import SPEC, TOKEN, Remote, Sleeps

from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.testing.github_fake import GitHubFake


@pytest.fixture
def fake() -> Iterator[GitHubFake]:
    with GitHubFake("octo", "blog", token=TOKEN, spec=SPEC) as gh:
        yield gh
        gh.assert_clean()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(fake: GitHubFake, sleeps: Sleeps) -> Iterator[GitHubClient]:
    gh = GitHubClient(
        TOKEN, fake.url, fake.full_name, testing=True, max_rate_limit_wait=30, sleep=sleeps
    )
    yield gh
    gh.close()


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    return Remote(tmp_path)


@pytest.fixture
def linked(remote: Remote) -> Iterator[GitHubFake]:
    """A fake whose branches and commits are the bare repository's."""
    with GitHubFake("octo", "blog", token=TOKEN, spec=SPEC, git_dir=remote.bare) as gh:
        yield gh
        gh.assert_clean()


@pytest.fixture
def linked_client(linked: GitHubFake) -> Iterator[GitHubClient]:
    gh = GitHubClient(TOKEN, linked.url, linked.full_name, testing=True)
    yield gh
    gh.close()
