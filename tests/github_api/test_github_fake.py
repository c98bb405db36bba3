"""The fake's own behaviour, in GitHub's exact words and shapes (raw HTTP, no client in between).

Other tests and the demo rely on these details: which PRs a filtered list returns, the 422 a
second PR for the same branch gets, reactions being idempotent, permission levels mapped the
way GitHub maps them, pagination by Link header.
"""

from __future__ import annotations

import httpx
import pytest
from github_support import TOKEN, Remote

from daily_ai_summary.testing.github_fake import BOT_LOGIN, GitHubFake

H = {"Authorization": f"Bearer {TOKEN}"}


def api(fake: GitHubFake, path: str) -> str:
    return f"{fake.url}/repos/octo/blog{path}"


def numbers(r: httpx.Response) -> list[int]:
    assert r.status_code == 200, r.text
    return [p["number"] for p in r.json()]


def test_pull_list_filters(fake: GitHubFake) -> None:
    a = fake.add_pull("a")["number"]
    b = fake.add_pull("b", base="drafts")["number"]
    c = fake.add_pull("a", state="closed")["number"]

    assert numbers(httpx.get(api(fake, "/pulls"), headers=H)) == [b, a]  # open, newest first
    assert numbers(httpx.get(api(fake, "/pulls"), params={"state": "all"}, headers=H)) == [c, b, a]
    assert numbers(httpx.get(api(fake, "/pulls"), params={"state": "closed"}, headers=H)) == [c]
    assert numbers(httpx.get(api(fake, "/pulls"), params={"head": "octo:a"}, headers=H)) == [a]
    assert numbers(httpx.get(api(fake, "/pulls"), params={"head": "someone:a"}, headers=H)) == []
    assert numbers(httpx.get(api(fake, "/pulls"), params={"base": "drafts"}, headers=H)) == [b]


def test_a_second_open_pr_for_a_branch_is_refused_like_github_does(fake: GitHubFake) -> None:
    body = {"head": "octo:feature", "base": "main", "title": "t"}
    assert httpx.post(api(fake, "/pulls"), json=body, headers=H).status_code == 201

    r = httpx.post(api(fake, "/pulls"), json=body, headers=H)

    assert r.status_code == 422
    assert r.json()["message"] == "Validation Failed"
    assert r.json()["errors"] == [
        {
            "resource": "PullRequest",
            "code": "custom",
            "message": "A pull request already exists for octo:feature.",
        }
    ]


def test_after_closing_a_branch_can_get_a_new_pr(fake: GitHubFake) -> None:
    old = fake.add_pull("feature")["number"]
    fake.close_pull(old)
    r = httpx.post(
        api(fake, "/pulls"), json={"head": "feature", "base": "main", "title": "t"}, headers=H
    )
    assert r.status_code == 201 and r.json()["number"] != old


def test_a_pr_payload_has_what_pygithub_reads(fake: GitHubFake) -> None:
    r = httpx.post(
        api(fake, "/pulls"),
        json={"head": "feature", "base": "main", "title": "t", "draft": True},
        headers=H,
    )
    pr = r.json()
    n = pr["number"]
    assert pr["url"] == api(fake, f"/pulls/{n}")
    assert pr["issue_url"] == api(fake, f"/issues/{n}")
    assert (pr["head"]["ref"], pr["head"]["label"], pr["base"]["ref"]) == (
        "feature",
        "octo:feature",
        "main",
    )
    assert (pr["draft"], pr["merged"], pr["state"], pr["user"]["login"]) == (
        True,
        False,
        "open",
        BOT_LOGIN,
    )
    assert pr["node_id"] and pr["html_url"].endswith(f"/octo/blog/pull/{n}")


def test_reactions_are_idempotent_per_user(fake: GitHubFake) -> None:
    pr = fake.add_pull("feature")
    comment = fake.add_issue_comment(pr["number"], "nice")
    url = api(fake, f"/issues/comments/{comment['id']}/reactions")
    first = httpx.post(url, json={"content": "heart"}, headers=H)
    again = httpx.post(url, json={"content": "heart"}, headers=H)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    rollup = httpx.get(api(fake, f"/issues/comments/{comment['id']}"), headers=H).json()[
        "reactions"
    ]
    assert (rollup["total_count"], rollup["heart"]) == (1, 1)


def test_an_unknown_reaction_is_refused_by_the_schema(fake: GitHubFake) -> None:
    pr = fake.add_pull("feature")
    comment = fake.add_issue_comment(pr["number"], "nice")
    r = httpx.post(
        api(fake, f"/issues/comments/{comment['id']}/reactions"),
        json={"content": "tada"},
        headers=H,
    )
    assert r.status_code == 500 and "'tada' is not one of" in r.json()["message"]
    fake.violations.clear()


@pytest.mark.parametrize(
    ("role", "permission", "push"),
    [
        ("admin", "admin", True),
        ("maintain", "write", True),
        ("triage", "read", False),
        ("none", "none", False),
    ],
)
def test_permission_payload_maps_roles_like_github(
    fake: GitHubFake, role: str, permission: str, push: bool
) -> None:
    fake.set_permission("alice", role)
    data = httpx.get(api(fake, "/collaborators/alice/permission"), headers=H).json()
    assert (data["permission"], data["role_name"], data["user"]["permissions"]["push"]) == (
        permission,
        role,
        push,
    )


def test_unknown_permission_levels_are_refused(fake: GitHubFake) -> None:
    with pytest.raises(ValueError, match="unknown permission 'owner'"):
        fake.set_permission("alice", "owner")


def test_lists_are_paginated_with_link_headers(fake: GitHubFake) -> None:
    pr = fake.add_pull("feature")
    for i in range(5):
        fake.add_issue_comment(pr["number"], f"c{i}")
    url = api(fake, f"/issues/{pr['number']}/comments")
    first = httpx.get(url, params={"per_page": 2}, headers=H)
    assert [c["body"] for c in first.json()] == ["c0", "c1"]
    assert 'rel="next"' in first.headers["link"] and "page=2" in first.headers["link"]
    last = httpx.get(url, params={"per_page": 2, "page": 3}, headers=H)
    assert [c["body"] for c in last.json()] == ["c4"]
    assert 'rel="next"' not in last.headers["link"]


def test_a_linked_fake_follows_pushes(remote: Remote, linked: GitHubFake) -> None:
    remote.branch("feature")
    first = remote.bot_commit("a.md", "1\n")
    remote.push("feature")
    r = httpx.post(
        api(linked, "/pulls"), json={"head": "feature", "base": "main", "title": "t"}, headers=H
    )
    assert r.json()["head"]["sha"] == first
    second = remote.commit("a.md", "2\n", name="Alice", email="alice@example.com")
    remote.push("feature")
    n = r.json()["number"]
    assert httpx.get(api(linked, f"/pulls/{n}"), headers=H).json()["head"]["sha"] == second
    commits = httpx.get(api(linked, f"/pulls/{n}/commits"), headers=H).json()
    assert [c["sha"] for c in commits] == [first, second]
    assert [c["commit"]["author"]["email"] for c in commits] == [
        "41898282+github-actions[bot]@users.noreply.github.com",
        "alice@example.com",
    ]


def test_scripted_faults_are_used_up_in_order(fake: GitHubFake) -> None:
    fake.fail("repos/get", 503, "busy", times=2)
    statuses = [httpx.get(api(fake, ""), headers=H).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_a_permission_lookup_for_a_login_without_an_account_is_404(fake: GitHubFake) -> None:
    """GitHub answers ``GET .../collaborators/{login}/permission`` with 404 "<login> is not a
    user" for a login that has no account (never made, deleted, or renamed since it commented);
    the fake does too, and the answer passes GitHub's OpenAPI description."""
    fake.set_permission("leaver", "write")
    fake.remove_account("leaver")
    for login in ("leaver", "never-was"):
        r = httpx.get(
            f"{fake.url}/repos/{fake.full_name}/collaborators/{login}/permission",
            headers={"Authorization": f"token {TOKEN}"},
        )
        assert r.status_code == 404 and r.json()["message"] == f"{login} is not a user"
    fake.assert_clean()
