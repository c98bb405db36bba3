"""When GitHub says no: every refusal becomes a GitHubError that tells the user what to change.

The faults are the ones a daily run really meets: the repository setting that stops Actions from
opening PRs, a workflow without the right ``permissions:``, the secondary rate limit, a bad
token, a wrong repository name, GitHub having a bad minute. None of the messages may contain the
token.
"""

from __future__ import annotations

import time
import traceback

import httpx
import pytest
from github_support import TOKEN, Sleeps

from daily_ai_summary.errors import GitHubError
from daily_ai_summary.publish.github import ACTIONS_SETTING, GitHubAPIError, GitHubClient
from daily_ai_summary.testing.github_fake import (
    ACTIONS_NOT_PERMITTED,
    GitHubFake,
)

BRANCH = "daily-ai-summary/2026-05-01"


def full_text(exc: BaseException) -> str:
    """The message and the whole traceback chain, as a runner log would show them."""
    return "".join(traceback.format_exception(exc))


def test_actions_not_permitted_names_the_repository_setting(
    fake: GitHubFake, client: GitHubClient
) -> None:
    fake.forbid_actions_prs()
    with pytest.raises(GitHubError) as raised:
        client.create_pr(BRANCH, "main", "t", "b")
    message = raised.value.message
    assert ACTIONS_NOT_PERMITTED in message
    assert ACTIONS_SETTING in message
    assert "Settings → Actions → General → Workflow permissions" in message
    assert fake.pulls == {}


def test_a_person_token_is_not_bound_by_the_actions_setting(fake: GitHubFake) -> None:
    fake.token_user = "octo"  # a personal access token of the owner
    fake.forbid_actions_prs()
    client = GitHubClient(TOKEN, fake.url, fake.full_name, testing=True)
    pr, created = client.create_pr(BRANCH, "main", "t", "b")
    assert created and pr.user_login == "octo"


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda c: c.create_pr(BRANCH, "main", "t", "b"), "pull-requests: write"),
        (lambda c: c.comment(1, "hi"), "pull-requests: write"),
        (lambda c: c.update_pr(1, body="x"), "pull-requests: write"),
    ],
)
def test_a_missing_workflow_permission_is_named(
    fake: GitHubFake, client: GitHubClient, call, key: str
) -> None:
    fake.add_pull(BRANCH)
    fake.token_permissions = {"contents": "write", "pull-requests": "read"}
    with pytest.raises(GitHubError) as raised:
        call(client)
    assert "Resource not accessible by integration" in raised.value.message
    assert f"`permissions:` `{key}`" in raised.value.message


def test_reading_works_with_read_permissions(fake: GitHubFake, client: GitHubClient) -> None:
    fake.add_pull(BRANCH)
    fake.token_permissions = {"contents": "read", "pull-requests": "read"}
    assert client.find_open_pr(BRANCH) is not None


def test_a_bad_token_says_so_without_showing_it(fake: GitHubFake) -> None:
    client = GitHubClient("ghs_wrongWRONGwrong", fake.url, fake.full_name, testing=True)
    with pytest.raises(GitHubError) as raised:
        client.find_open_pr(BRANCH)
    assert raised.value.message.startswith(
        "GitHub rejected the token while reading repository octo/blog (401"
    )
    assert "invalid, expired or revoked" in raised.value.message
    assert "ghs_wrongWRONGwrong" not in full_text(raised.value)
    assert TOKEN not in full_text(raised.value)


def test_a_wrong_repository_is_named(fake: GitHubFake) -> None:
    client = GitHubClient(TOKEN, fake.url, "octo/missing", testing=True)
    with pytest.raises(GitHubError, match="repository octo/missing not found at http://127.0.0.1:"):
        client.find_open_pr(BRANCH)


# -- rate limits ------------------------------------------------------------------------------


def test_the_fake_words_the_secondary_rate_limit_like_github(fake: GitHubFake) -> None:
    fake.secondary_rate_limit("pulls/create", retry_after=7)
    r = httpx.post(
        f"{fake.url}/repos/octo/blog/pulls",
        json={"head": "x", "base": "main", "title": "t"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 403
    assert r.headers["retry-after"] == "7"
    assert r.json()["message"].startswith("You have exceeded a secondary rate limit")


def test_a_secondary_rate_limit_is_waited_out(
    fake: GitHubFake, client: GitHubClient, sleeps: Sleeps
) -> None:
    fake.secondary_rate_limit("pulls/create", times=2, retry_after=3)
    pr, created = client.create_pr(BRANCH, "main", "t", "b")
    assert created
    assert sleeps == [3.0, 3.0]
    assert len(fake.server.calls("POST", "/pulls$")) == 3
    assert len(fake.pulls) == 1


def test_the_wait_really_happens(fake: GitHubFake) -> None:
    fake.secondary_rate_limit("issues/create-comment", retry_after=1)
    fake.add_pull(BRANCH)
    client = GitHubClient(TOKEN, fake.url, fake.full_name, testing=True)
    start = time.monotonic()
    client.comment(1, "hello")
    assert time.monotonic() - start >= 1.0
    assert [c["body"] for c in fake.comments.values()] == ["hello"]


def test_without_retry_after_the_client_waits_a_minute(fake: GitHubFake, sleeps: Sleeps) -> None:
    fake.secondary_rate_limit("pulls/list", retry_after=None)
    client = GitHubClient(
        TOKEN, fake.url, fake.full_name, testing=True, max_rate_limit_wait=60, sleep=sleeps
    )
    assert client.find_open_pr(BRANCH) is None
    assert sleeps == [60.0]


def test_a_429_is_a_rate_limit_too(fake: GitHubFake, client: GitHubClient, sleeps: Sleeps) -> None:
    fake.secondary_rate_limit("pulls/list", retry_after=2, status=429)
    assert client.find_open_pr(BRANCH) is None
    assert sleeps == [2.0]


def test_waiting_is_bounded(fake: GitHubFake, client: GitHubClient, sleeps: Sleeps) -> None:
    fake.secondary_rate_limit("pulls/create", times=100, retry_after=10)  # the client allows 30 s
    with pytest.raises(GitHubAPIError) as raised:
        client.create_pr(BRANCH, "main", "t", "b")
    assert sleeps == [10.0, 10.0, 10.0]
    assert len(fake.server.calls("POST", "/pulls$")) == 4
    assert raised.value.status == 403
    assert "rate limit stopped opening a pull request" in raised.value.message
    assert "after 30s already waited (the limit is 30s)" in raised.value.message


def test_a_primary_rate_limit_hours_away_fails_at_once(
    fake: GitHubFake, client: GitHubClient, sleeps: Sleeps
) -> None:
    reset = str(int(time.time()) + 3600)
    fake.fail(
        "pulls/list",
        403,
        "API rate limit exceeded for installation ID 1.",
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
    )
    with pytest.raises(GitHubError, match="rate limit stopped looking for an open pull request"):
        client.find_open_pr(BRANCH)
    assert sleeps == []


# -- GitHub or the network failing ------------------------------------------------------------


def test_a_server_error_is_reported_with_githubs_words(
    fake: GitHubFake, client: GitHubClient
) -> None:
    fake.fail("pulls/list", 502, "Server Error")
    with pytest.raises(GitHubAPIError) as raised:
        client.find_open_pr(BRANCH)
    assert raised.value.status == 502
    assert raised.value.message == (
        f"GitHub API error 502 while looking for an open pull request from {BRANCH}: Server Error"
    )


def test_production_settings_retry_a_read_after_a_server_error(fake: GitHubFake) -> None:
    fake.fail("pulls/list", 502, "Server Error")
    client = GitHubClient(TOKEN, fake.url, fake.full_name)
    assert client.find_open_pr(BRANCH) is None
    assert len(fake.server.calls("GET", "/pulls$")) == 2


def test_production_settings_never_repeat_a_comment(fake: GitHubFake) -> None:
    """A 502 on a POST may hide a comment that was made: retrying could post it twice."""
    fake.add_pull(BRANCH)
    fake.fail("issues/create-comment", 502, "Server Error")
    client = GitHubClient(TOKEN, fake.url, fake.full_name)
    with pytest.raises(GitHubError, match="502"):
        client.comment(1, "hello")
    assert len(fake.server.calls("POST", "/comments$")) == 1


def test_an_unreachable_api_is_named(fake: GitHubFake) -> None:
    url = fake.url
    fake.stop()
    client = GitHubClient(TOKEN, url, "octo/blog", testing=True, timeout=2)
    with pytest.raises(
        GitHubError, match=f"could not reach the GitHub API at {url} while reading repository"
    ):
        client.find_open_pr(BRANCH)


@pytest.mark.parametrize("status", [401, 403, 404, 422, 500])
def test_no_message_ever_contains_the_token(
    fake: GitHubFake, client: GitHubClient, status: int
) -> None:
    """Even when a broken or hostile server echoes the token back in its error message."""
    fake.fail(None, status, f"echo: token {TOKEN}", times=10)
    with pytest.raises(GitHubError) as raised:
        client.find_open_pr(BRANCH)
    assert TOKEN not in full_text(raised.value)
    if status in (403, 422, 500):  # GitHub's own words are kept, with the secret blanked
        assert "echo: token ***" in raised.value.message
