"""GitHubClient against the fake, through the real PyGithub over 127.0.0.1.

What the publish step relies on: one PR per branch (found, or created, or found after losing a
race), labels and reviewers, comments and replies and reactions for revisions, and the facts
the revise step authorizes with (permission, who wrote each commit on the branch).
"""

from __future__ import annotations

import pytest
from github_support import TOKEN, Remote

from daily_ai_summary.errors import GitHubError, InputError
from daily_ai_summary.publish.github import CommitAuthor, GitHubClient
from daily_ai_summary.testing.github_fake import BOT_EMAIL, BOT_LOGIN, GitHubFake

BRANCH = "daily-ai-summary/2026-05-01"
TITLE = "[Daily Automated AI Summary] 2026-05-01"


# -- one PR per branch ------------------------------------------------------------------------


def test_create_opens_a_pr_that_find_then_returns(fake: GitHubFake, client: GitHubClient) -> None:
    assert client.find_open_pr(BRANCH) is None

    pr, created = client.create_pr(BRANCH, "main", TITLE, "body text", draft=True)

    assert created is True
    assert (pr.head_ref, pr.base_ref, pr.title, pr.body, pr.draft) == (
        BRANCH,
        "main",
        TITLE,
        "body text",
        True,
    )
    assert (pr.state, pr.merged, pr.user_login) == ("open", False, BOT_LOGIN)
    assert pr.url == f"{fake.url}/octo/blog/pull/{pr.number}"
    assert fake.pulls[pr.number]["head"] == BRANCH
    assert client.find_open_pr(BRANCH) == pr


def test_find_ignores_closed_prs_and_other_branches(fake: GitHubFake, client: GitHubClient) -> None:
    old = fake.add_pull(BRANCH, title="old")
    fake.close_pull(old["number"], merged=True)
    fake.add_pull("daily-ai-summary/2026-04-30")
    assert client.find_open_pr(BRANCH) is None

    current = fake.add_pull(BRANCH, title="current")
    found = client.find_open_pr(BRANCH)
    assert found is not None and found.number == current["number"]


def test_find_can_require_a_base(fake: GitHubFake, client: GitHubClient) -> None:
    fake.add_pull(BRANCH, base="drafts")
    assert client.find_open_pr(BRANCH, base="main") is None
    found = client.find_open_pr(BRANCH, base="drafts")
    assert found is not None and found.base_ref == "drafts"


def test_find_costs_one_list_request_not_one_per_pr(fake: GitHubFake, client: GitHubClient) -> None:
    fake.add_pull(BRANCH)
    client.find_open_pr(BRANCH)
    assert [(r.method, r.path) for r in fake.server.requests] == [
        ("GET", "/repos/octo/blog"),
        ("GET", "/repos/octo/blog/pulls"),
    ]
    assert fake.server.requests[1].query["head"] == [f"octo:{BRANCH}"]


def test_an_existing_pr_is_returned_not_duplicated(fake: GitHubFake, client: GitHubClient) -> None:
    existing = fake.add_pull(BRANCH, title="earlier run")
    pr, created = client.create_pr(BRANCH, "main", TITLE, "body")
    assert created is False
    assert pr.number == existing["number"] and pr.title == "earlier run"
    assert len(fake.pulls) == 1


def test_losing_the_race_between_list_and_create_is_treated_as_found(
    fake: GitHubFake, client: GitHubClient
) -> None:
    assert client.find_open_pr(BRANCH) is None
    fake.race_pr_on_next_create()  # another run opens the PR right now

    pr, created = client.create_pr(BRANCH, "main", TITLE, "body")

    assert created is False
    assert [p["number"] for p in fake.pulls.values() if p["head"] == BRANCH] == [pr.number]
    assert len(fake.server.calls("POST", r"/pulls$")) == 1


def test_a_repository_without_drafts_gets_a_ready_pr(
    fake: GitHubFake, client: GitHubClient
) -> None:
    fake.drafts_supported = False
    pr, created = client.create_pr(BRANCH, "main", TITLE, "body", draft=True)
    assert created and pr.draft is False


def test_update_changes_only_what_is_given(fake: GitHubFake, client: GitHubClient) -> None:
    pr, _ = client.create_pr(BRANCH, "main", TITLE, "first body")
    updated = client.update_pr(pr.number, body="second body")
    assert (updated.title, updated.body) == (TITLE, "second body")
    assert fake.pulls[pr.number]["body"] == "second body"
    sent = fake.server.calls("PATCH")[0].json()
    assert sent == {"body": "second body"}


def test_get_pr_reads_the_current_state(fake: GitHubFake, client: GitHubClient) -> None:
    pr = fake.add_pull(BRANCH, labels=["daily-summary"])
    fake.close_pull(pr["number"], merged=True)
    got = client.get_pr(pr["number"])
    assert (got.state, got.merged, got.labels) == ("closed", True, ("daily-summary",))


def test_a_missing_pr_is_named(client: GitHubClient) -> None:
    with pytest.raises(GitHubError, match="pull request #42 does not exist in octo/blog"):
        client.get_pr(42)


# -- labels and reviewers -------------------------------------------------------------------


def test_labels_are_added_in_the_documented_form(fake: GitHubFake, client: GitHubClient) -> None:
    pr, _ = client.create_pr(BRANCH, "main", TITLE, "body")
    assert client.add_labels(pr.number, ["daily-summary", "ai"]) == ("daily-summary", "ai")
    assert client.add_labels(pr.number, ["daily-summary"]) == ("daily-summary", "ai")
    assert fake.pulls[pr.number]["labels"] == ["daily-summary", "ai"]
    assert fake.server.calls("POST", "/labels$")[0].json() == {"labels": ["daily-summary", "ai"]}
    assert client.get_pr(pr.number).labels == ("daily-summary", "ai")


def test_reviewers_are_requested(fake: GitHubFake, client: GitHubClient) -> None:
    fake.set_permission("alice", "write")
    pr, _ = client.create_pr(BRANCH, "main", TITLE, "body")
    assert client.request_reviewers(pr.number, ["alice"]) is None
    assert fake.pulls[pr.number]["requested_reviewers"] == ["alice"]


@pytest.mark.parametrize(
    ("reviewer", "said"),
    [
        ("mallory", "may only be requested from collaborators"),
        (BOT_LOGIN, "cannot be requested from pull request author"),
    ],
)
def test_a_refused_review_request_is_a_warning_not_a_failure(
    fake: GitHubFake, client: GitHubClient, reviewer: str, said: str
) -> None:
    fake.add_user("mallory")
    pr, _ = client.create_pr(BRANCH, "main", TITLE, "body")
    warning = client.request_reviewers(pr.number, [reviewer])
    assert warning is not None
    assert warning.startswith(f"could not request a review from {reviewer}: ")
    assert said in warning
    assert fake.pulls[pr.number]["requested_reviewers"] == []


def test_no_reviewers_means_no_request(fake: GitHubFake, client: GitHubClient) -> None:
    assert client.request_reviewers(1, []) is None
    assert fake.server.requests == []


# -- comments, replies, reactions -------------------------------------------------------------


def test_comment_and_list_comments(fake: GitHubFake, client: GitHubClient) -> None:
    pr = fake.add_pull(BRANCH)
    human = fake.add_issue_comment(pr["number"], "/summary shorter please", user="alice")
    mine = client.comment(pr["number"], "Done. <!-- blog-bot -->")
    assert (mine.user_login, mine.body) == (BOT_LOGIN, "Done. <!-- blog-bot -->")
    assert fake.comments[mine.id]["issue_number"] == pr["number"]
    listed = client.list_comments(pr["number"])
    assert [(c.id, c.user_login) for c in listed] == [(human["id"], "alice"), (mine.id, BOT_LOGIN)]


def test_comments_beyond_one_page_are_all_listed(fake: GitHubFake, client: GitHubClient) -> None:
    pr = fake.add_pull(BRANCH)
    for i in range(130):
        fake.add_issue_comment(pr["number"], f"comment {i}")
    listed = client.list_comments(pr["number"])
    assert [c.body for c in listed] == [f"comment {i}" for i in range(130)]
    assert len(fake.server.calls("GET", "/comments$")) == 2  # per_page=100


def test_reply_lands_in_the_thread(fake: GitHubFake, client: GitHubClient) -> None:
    pr = fake.add_pull(BRANCH)
    root = fake.add_review_comment(pr["number"], "too long", path="content/posts/x.md", line=12)
    reply = client.reply_to_review_comment(pr["number"], root["id"], "Shortened.")
    stored = fake.review_comments[reply.id]
    assert (stored["in_reply_to_id"], stored["path"], stored["line"]) == (
        root["id"],
        "content/posts/x.md",
        12,
    )
    assert reply.user_login == BOT_LOGIN

    again = client.reply_to_review_comment(pr["number"], reply.id, "And again.")
    assert fake.review_comments[again.id]["in_reply_to_id"] == root["id"]


def test_reply_to_a_comment_of_another_pr_is_not_found(
    fake: GitHubFake, client: GitHubClient
) -> None:
    one, two = fake.add_pull("a"), fake.add_pull("b")
    c = fake.add_review_comment(one["number"], "x", path="p.md", line=1)
    with pytest.raises(
        GitHubError, match=f"review comment {c['id']} is not on pull request #{two['number']}"
    ):
        client.reply_to_review_comment(two["number"], c["id"], "hi")


@pytest.mark.parametrize("kind", ["issue", "review"])
def test_reactions_are_recorded_once(fake: GitHubFake, client: GitHubClient, kind: str) -> None:
    pr = fake.add_pull(BRANCH)
    if kind == "issue":
        target = fake.add_issue_comment(pr["number"], "/summary redo")
    else:
        target = fake.add_review_comment(pr["number"], "redo", path="p.md", line=3)

    client.react(kind, target["id"], "eyes")  # type: ignore[arg-type]
    client.react(kind, target["id"], "eyes")  # type: ignore[arg-type]
    client.react(kind, target["id"], "rocket")  # type: ignore[arg-type]

    mine = [(r["kind"], r["comment_id"], r["content"], r["user"]) for r in fake.reactions]
    assert mine == [
        (kind, target["id"], "eyes", BOT_LOGIN),
        (kind, target["id"], "rocket", BOT_LOGIN),
    ]
    assert [r.method for r in fake.server.calls(pattern="/reactions$")] == [
        "POST"
    ] * 3  # no GETs first


def test_an_unknown_reaction_is_refused_before_any_request(
    fake: GitHubFake, client: GitHubClient
) -> None:
    with pytest.raises(ValueError, match="not a GitHub reaction"):
        client.react("issue", 1, "thumbsup")
    assert fake.server.requests == []


def test_review_comments_of_one_review(fake: GitHubFake, client: GitHubClient) -> None:
    pr = fake.add_pull(BRANCH)
    fake.add_review_comment(pr["number"], "other review", path="a.md", line=1)
    review = fake.add_review(
        pr["number"],
        user="alice",
        comments=[("content/posts/x.md", 5, "fix this"), ("content/posts/x.md", 9, "and this")],
    )
    got = client.list_review_comments(pr["number"], review["id"])
    assert [
        (c.body, c.path, c.line, c.user_login, c.user_type, c.review_id, c.in_reply_to_id)
        for c in got
    ] == [
        ("fix this", "content/posts/x.md", 5, "alice", "User", review["id"], None),
        ("and this", "content/posts/x.md", 9, "alice", "User", review["id"], None),
    ]
    assert client.get_review_comment(got[0].id) == got[0]
    assert not fake.server.calls("GET", r"/pulls/comments/\d+$")[1:], (
        "listing did not re-fetch each comment"
    )


# -- authorization facts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "permission"),
    [
        ("admin", "admin"),
        ("maintain", "write"),
        ("write", "write"),
        ("triage", "read"),
        ("read", "read"),
    ],
)
def test_permission_reports_githubs_base_roles(
    fake: GitHubFake, client: GitHubClient, role: str, permission: str
) -> None:
    fake.set_permission("alice", role)
    assert client.permission("alice") == permission


def test_strangers_have_no_permission(fake: GitHubFake, client: GitHubClient) -> None:
    fake.add_user("bob")  # exists, not a collaborator
    assert client.permission("bob") == "none"
    assert client.permission("no-such-user") == "none"


def test_commit_authors_come_from_the_branch_as_pushed(
    remote: Remote, linked: GitHubFake, linked_client: GitHubClient
) -> None:
    linked.add_user("alice", email="alice@example.com")
    remote.branch(BRANCH)
    bot_sha = remote.bot_commit("content/posts/p.md", "draft\n")
    remote.push(BRANCH)
    pr, _ = linked_client.create_pr(BRANCH, "main", TITLE, "body")
    assert linked_client.pr_commit_authors(pr.number) == [
        CommitAuthor(bot_sha, BOT_LOGIN, BOT_EMAIL, BOT_EMAIL)
    ]
    assert pr.head_sha == bot_sha

    human_sha = remote.commit(
        "content/posts/p.md", "edited\n", name="Alice", email="alice@example.com"
    )
    stranger_sha = remote.commit(
        "notes.md", "x\n", name="X", email="x@example.org", committer_email=BOT_EMAIL
    )
    remote.push(BRANCH)

    assert linked_client.pr_commit_authors(pr.number) == [
        CommitAuthor(bot_sha, BOT_LOGIN, BOT_EMAIL, BOT_EMAIL),
        CommitAuthor(human_sha, "alice", "alice@example.com", "alice@example.com"),
        CommitAuthor(stranger_sha, None, "x@example.org", BOT_EMAIL),
    ]
    assert linked_client.get_pr(pr.number).head_sha == stranger_sha


def test_commit_authors_without_git(fake: GitHubFake, client: GitHubClient) -> None:
    pr = fake.add_pull(BRANCH)
    sha = fake.push_commit(BRANCH, author_email=BOT_EMAIL, author_name=BOT_LOGIN)
    assert client.pr_commit_authors(pr["number"]) == [
        CommitAuthor(sha, BOT_LOGIN, BOT_EMAIL, BOT_EMAIL)
    ]


def test_a_branch_that_was_not_pushed_cannot_get_a_pr(
    remote: Remote, linked: GitHubFake, linked_client: GitHubClient
) -> None:
    with pytest.raises(
        GitHubError, match=f"GitHub does not know branch {BRANCH} in octo/blog: push it"
    ):
        linked_client.create_pr(BRANCH, "main", TITLE, "body")
    assert linked.pulls == {}


def test_a_branch_without_new_commits_cannot_get_a_pr(
    remote: Remote, linked: GitHubFake, linked_client: GitHubClient
) -> None:
    remote.branch(BRANCH)
    remote.push(BRANCH)
    with pytest.raises(GitHubError, match=f"No commits between main and {BRANCH}"):
        linked_client.create_pr(BRANCH, "main", TITLE, "body")


# -- construction ---------------------------------------------------------------------------


def test_constructing_a_client_sends_nothing(fake: GitHubFake) -> None:
    GitHubClient(TOKEN, fake.url, "octo/blog", testing=True)
    GitHubClient(TOKEN, fake.url, "octo/blog")  # production settings
    assert fake.server.requests == []


def test_default_branch_is_read_once(fake: GitHubFake, client: GitHubClient) -> None:
    assert client.default_branch() == "main"
    client.find_open_pr(BRANCH)
    assert len(fake.server.calls("GET", "^/repos/octo/blog$")) == 1


@pytest.mark.parametrize("name", ["blog", "octo/", "/blog", "octo/blog/extra"])
def test_a_malformed_repository_name_is_an_input_error(name: str) -> None:
    with pytest.raises(InputError, match="owner/name"):
        GitHubClient(TOKEN, "http://127.0.0.1:9", name)
