"""Who the github-token writes as (issue 11: only the action's own PRs are revised)."""

from __future__ import annotations

from github_support import TOKEN

from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.testing.github_fake import GitHubFake


def test_token_login_is_the_pat_user_and_none_for_an_installation_token(fake: GitHubFake) -> None:
    """``GET /user``: a personal token's user; the job token or an App token get 403 from
    GitHub ("Resource not accessible by integration"), so they have no user login."""
    client = GitHubClient(TOKEN, fake.url, fake.full_name, testing=True)
    try:
        assert client.token_login() is None  # the fake's default token: github-actions[bot]
    finally:
        client.close()
    fake.token_user = "octo"  # a personal access token of the owner
    client = GitHubClient(TOKEN, fake.url, fake.full_name, testing=True)
    try:
        assert client.token_login() == "octo"
        assert client.token_login() == "octo"
    finally:
        client.close()
    assert len(fake.calls("GET", r"^/user$")) == 2  # one per client: asked once, remembered
