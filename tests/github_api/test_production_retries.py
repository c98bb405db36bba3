"""The production retry path (issue 11, case 10): ``testing=False``, as in a real run.

The test suite runs the action with ``DAILY_AI_SUMMARY_TESTING=1``, which turns PyGithub's
retries and write pacing off; so "a POST is not blindly retried" was never exercised with the
retries that production has. Here the client is built exactly as a real run builds it.
"""

from __future__ import annotations

import pytest
from github_support import TOKEN

from daily_ai_summary.errors import GitHubError
from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.testing.github_fake import GitHubFake

BRANCH = "daily-ai-summary/2025-04-16"


def production_client(fake: GitHubFake) -> GitHubClient:
    return GitHubClient(TOKEN, fake.url, fake.full_name, testing=False)


def test_a_post_that_failed_with_a_5xx_is_not_retried(fake: GitHubFake) -> None:
    fake.fail("pulls/create", 502, "Server Error")
    client = production_client(fake)
    try:
        with pytest.raises(GitHubError) as failed:
            client.create_pr(BRANCH, "main", "t", "b")
    finally:
        client.close()
    assert "502" in failed.value.message
    assert len(fake.calls("POST", r"/repos/octo/blog/pulls$")) == 1, "the POST was sent again"
    assert fake.pulls == {}


def test_a_get_that_failed_with_a_5xx_is_retried(fake: GitHubFake) -> None:
    """The same client does retry what is safe to repeat: the retries are really on."""
    fake.fail("repos/get", 502, "Server Error", times=2)
    client = production_client(fake)
    try:
        assert client.default_branch() == "main"
    finally:
        client.close()
    assert len(fake.calls("GET", r"/repos/octo/blog$")) == 3
