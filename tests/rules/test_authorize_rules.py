"""Who may steer which PR, decided by ``authorize`` against the GitHub fake (checked against
GitHub's OpenAPI description) through the real client over a socket.

Each test states one rule and checks what the maintainer would see: the commands that will be
carried out (who, where, which line), or the one line saying why nothing happens. These are
the fast companions of ``test_who_may_steer.py``, which runs the whole action on the same rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from daily_ai_summary.action import Inputs
from daily_ai_summary.events import Comment, Revise
from daily_ai_summary.publish.github import GitHubClient
from daily_ai_summary.report import encode_metadata
from daily_ai_summary.revise.authorize import (
    MAX_COMMANDS_PER_RUN,
    Ignored,
    Steering,
    action_authors,
    authorize,
)
from daily_ai_summary.revise.commands import Drop, Instruct
from daily_ai_summary.revise.request import REPLY_MARK
from daily_ai_summary.testing.github_fake import GitHubFake
from tests.rules.conftest import SPEC

TOKEN = "ghs_rules_token"  # noqa: S105 - the fake's credential
REPO = "octo/blog"
BOT = "github-actions[bot]"
BRANCH = "daily-ai-summary/2026-03-04"
POST = "content/posts/2026-03-04-daily.md"
META = {"date": "2026-03-04", "post_path": POST}
BODY = "The post for review.\n\n" + encode_metadata(META)
INPUTS = Inputs(github_token=TOKEN)


@pytest.fixture
def fake() -> Iterator[GitHubFake]:
    with GitHubFake("octo", "blog", token=TOKEN, spec=SPEC) as gh:
        gh.add_user("alice", permission="write")
        yield gh
        gh.assert_clean()


def client(fake: GitHubFake) -> GitHubClient:
    return GitHubClient(TOKEN, fake.url, fake.full_name, testing=True)


def our_pr(fake: GitHubFake, **kw: Any) -> int:
    """A PR as the action opens it; ``kw`` changes one property."""
    args: dict[str, Any] = {"body": BODY, "user": BOT, "labels": ["daily-summary"]}
    args.update(kw)
    head = args.pop("head", BRANCH)
    return int(fake.add_pull(head, **args)["number"])


def said(
    fake: GitHubFake, number: int, body: str = "/summary drop 2", user: str = "alice"
) -> Revise:
    """A conversation comment ``body`` by ``user`` on PR ``number`` (as ``events.classify``
    hands it over)."""
    c = fake.add_issue_comment(number, body, user=user)
    return Revise("conversation", number, Comment(c["id"], body, user, "User"))


def decide(
    fake: GitHubFake,
    decision: Revise,
    inputs: Inputs = INPUTS,
    *,
    repository: str = REPO,
    authors: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
) -> Steering | Ignored:
    gh = client(fake)
    try:
        return authorize(gh, decision, inputs, repository, lambda: authors, lambda: topics)
    finally:
        gh.close()


def ignored(outcome: Steering | Ignored) -> str:
    assert isinstance(outcome, Ignored), f"expected nothing to happen, got {outcome}"
    return outcome.reason


def steering(outcome: Steering | Ignored) -> Steering:
    assert isinstance(outcome, Steering), f"expected a revision, got: {outcome}"
    return outcome


# -- whose PR ------------------------------------------------------------------------------------


def test_a_write_collaborators_command_on_our_pr_is_carried_out_with_the_prs_post(
    fake: GitHubFake,
) -> None:
    number = our_pr(fake)
    decision = said(fake, number, "/summary drop 2")
    s = steering(decide(fake, decision))
    assert (s.pr.number, s.user, s.permission, s.post_path, s.meta) == (
        number, "alice", "write", POST, META,
    )  # fmt: skip
    [r] = s.requests
    assert (r.comment_id, r.where, r.user, r.body) == (
        decision.comment.id, "issue", "alice", "/summary drop 2",
    )  # fmt: skip
    assert r.command == Drop(2)
    assert s.deferred == []


def test_a_pr_from_a_fork_is_not_ours_whatever_its_branch_and_label(fake: GitHubFake) -> None:
    number = our_pr(fake, head_repo="mallory/blog")
    reason = ignored(decide(fake, said(fake, number)))
    assert reason == (
        f"pull request #{number} is not one of ours (its branch is in mallory/blog, not octo/blog)"
    )


def test_the_repository_name_is_compared_without_case(fake: GitHubFake) -> None:
    number = our_pr(fake)
    steering(decide(fake, said(fake, number), repository="Octo/Blog"))


def test_a_pr_opened_by_someone_else_is_not_ours_unless_listed_in_revise_authors(
    fake: GitHubFake,
) -> None:
    fake.add_user("mallory", permission="write")
    number = our_pr(fake, user="mallory")
    reason = ignored(decide(fake, said(fake, number)))
    assert reason == (
        f"pull request #{number} is not one of ours (opened by mallory; the action writes as "
        f"{BOT}; list other authors in revise.authors)"
    )
    steering(decide(fake, said(fake, number), authors=("mallory",)))
    assert f"the action writes as app[bot], {BOT};" in ignored(
        decide(fake, said(fake, number), authors=("app[bot]",))
    )


def test_a_personal_tokens_user_counts_as_the_action_and_the_job_bot_still_does() -> None:
    with GitHubFake("octo", "blog", token=TOKEN, spec=SPEC, token_user="maintainer") as fake:
        fake.add_user("alice", permission="write")
        gh = client(fake)
        assert action_authors(gh, ("app[bot]",)) == {BOT, "maintainer", "app[bot]"}
        gh.close()
        for opener in ("maintainer", BOT):
            steering(decide(fake, said(fake, our_pr(fake, user=opener))))
        fake.assert_clean()


def test_an_installation_token_has_no_user_of_its_own(fake: GitHubFake) -> None:
    gh = client(fake)
    assert action_authors(gh) == {BOT}
    gh.close()


@pytest.mark.parametrize(
    "head",
    ["feature/x", "evil/daily-ai-summary/2026-03-04", "daily-ai-summaryx/2026-03-04", "x" + BRANCH],
)
def test_a_branch_that_does_not_start_with_the_prefix_is_not_ours(
    fake: GitHubFake, head: str
) -> None:
    number = our_pr(fake, head=head)
    reason = ignored(decide(fake, said(fake, number)))
    assert reason == (
        f"pull request #{number} is not one of ours (its branch {head!r} does not start with "
        "'daily-ai-summary/')"
    )


def test_a_topic_branch_is_ours_only_for_a_configured_topic(fake: GitHubFake) -> None:
    robots = our_pr(fake, head="daily-ai-summary/robots/2026-03-04")
    steering(decide(fake, said(fake, robots), topics=("robots", "papers")))
    for topics in [(), ("papers",)]:
        reason = ignored(decide(fake, said(fake, robots), topics=topics))
        assert reason == (
            f"pull request #{robots} is not one of ours (its branch "
            "'daily-ai-summary/robots/2026-03-04' names no configured topic)"
        )
    deeper = our_pr(fake, head="daily-ai-summary/robots/extra/2026-03-04")
    assert "names no configured topic" in ignored(
        decide(fake, said(fake, deeper), topics=("robots", "robots/extra"))
    )


def test_a_pr_without_any_of_the_actions_labels_is_not_ours(fake: GitHubFake) -> None:
    bare = our_pr(fake, labels=[])
    reason = ignored(decide(fake, said(fake, bare)))
    assert reason == f"pull request #{bare} does not carry the label daily-summary"
    two = Inputs(github_token=TOKEN, labels=("daily-summary", "ai"))
    assert ignored(decide(fake, said(fake, bare), two)) == (
        f"pull request #{bare} does not carry the label daily-summary, ai"
    )
    one_of_two = our_pr(fake, labels=["ai"])
    steering(decide(fake, said(fake, one_of_two), two))
    # with no labels configured, the label is not a condition
    steering(decide(fake, said(fake, bare), Inputs(github_token=TOKEN, labels=())))


def test_a_closed_pr_is_not_revised(fake: GitHubFake) -> None:
    number = our_pr(fake)
    fake.close_pull(number, merged=True)
    assert ignored(decide(fake, said(fake, number))) == f"pull request #{number} is closed"


def test_a_pr_without_our_metadata_is_not_ours(fake: GitHubFake) -> None:
    number = our_pr(fake, body="Looks like ours, but the hidden metadata is gone.")
    assert ignored(decide(fake, said(fake, number))) == (
        f"pull request #{number} has no daily-ai-summary metadata in its description"
    )


# -- who asks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "verdict"), [("admin", "admin"), ("maintain", "write")])
def test_admins_and_maintainers_may_steer(fake: GitHubFake, role: str, verdict: str) -> None:
    fake.add_user("carol", permission=role)
    s = steering(decide(fake, said(fake, our_pr(fake), user="carol")))
    assert (s.user, s.permission) == ("carol", verdict)


@pytest.mark.parametrize(
    ("role", "verdict"), [("triage", "read"), ("read", "read"), ("none", "none")]
)
def test_collaborators_without_write_access_may_not_steer_and_are_told_in_the_log(
    fake: GitHubFake, role: str, verdict: str
) -> None:
    fake.add_user("bob", permission=role)
    number = our_pr(fake)
    outcome = decide(fake, said(fake, number, user="bob"))
    assert ignored(outcome) == (
        f"bob has {verdict} permission on octo/blog; revising needs write or admin"
    )
    assert isinstance(outcome, Ignored)
    assert outcome.pr is not None and outcome.pr.number == number
    assert outcome.post_path == POST


def test_a_commenter_whose_permission_lookup_is_404_has_none(fake: GitHubFake) -> None:
    fake.add_user("ghost", permission="write")
    number = our_pr(fake)
    decision = said(fake, number, user="ghost")
    fake.remove_account("ghost")
    assert ignored(decide(fake, decision)).startswith("ghost has none permission")


# -- which comments ------------------------------------------------------------------------------


def reply(fake: GitHubFake, number: int, comment_id: int, user: str = BOT) -> None:
    fake.add_issue_comment(number, f"Done.\n<!-- {REPLY_MARK} {comment_id} -->", user=user)


def test_an_answered_comment_is_not_carried_out_twice(fake: GitHubFake) -> None:
    number = our_pr(fake)
    decision = said(fake, number)
    reply(fake, number, decision.comment.id)
    outcome = decide(fake, decision)
    assert ignored(outcome) == f"comment {decision.comment.id} was already answered"
    assert isinstance(outcome, Ignored) and outcome.pr is not None
    assert (outcome.pr.number, outcome.post_path) == (number, POST)  # the job summary names them


def test_a_strangers_copy_of_the_answer_mark_does_not_silence_a_command(fake: GitHubFake) -> None:
    number = our_pr(fake)
    decision = said(fake, number)
    reply(fake, number, decision.comment.id, user="mallory")
    steering(decide(fake, decision))
    # a reply from a listed author (an App's bot) does count
    reply(fake, number, decision.comment.id, user="app[bot]")
    assert "already answered" in ignored(decide(fake, decision, authors=("app[bot]",)))


def test_the_actions_own_reply_is_never_a_command(fake: GitHubFake) -> None:
    number = our_pr(fake)
    decision = said(fake, number, f"/summary help\n<!-- {REPLY_MARK} 1 -->")
    assert ignored(decide(fake, decision)) == "the comment is one of the action's own replies"


def line_comment(fake: GitHubFake, number: int, body: str, line: int = 9) -> Revise:
    """A single line comment outside any review (older API shapes carry no review id)."""
    c = fake.add_review_comment(number, body, path=POST, line=line)
    comment = Comment(c["id"], body, "alice", "User", POST, line, "RIGHT", c["commit_id"])
    return Revise("line", number, comment)


def test_a_line_command_outside_a_review_carries_its_place_in_the_file(fake: GitHubFake) -> None:
    number = our_pr(fake)
    decision = line_comment(fake, number, "/summary shorter")
    [r] = steering(decide(fake, decision)).requests
    c = decision.comment
    assert (r.comment_id, r.where, r.path, r.line, r.side, r.commit_id) == (
        c.id, "review", POST, 9, "RIGHT", c.commit_id,
    )  # fmt: skip
    assert (r.user, r.body, r.command) == ("alice", "/summary shorter", Instruct("shorter"))
    fake.add_review_comment(number, f"ok <!-- {REPLY_MARK} {c.id} -->", path=POST, line=9, user=BOT)
    fake.review_comments[max(fake.review_comments)]["in_reply_to_id"] = c.id
    assert ignored(decide(fake, decision)) == f"comment {c.id} was already answered"


def review(
    fake: GitHubFake,
    number: int,
    bodies: list[str],
    *,
    body: str | None = None,
    user: str = "alice",
) -> tuple[Revise, list[int]]:
    """A submitted review with one line comment per body; the event is the review itself."""
    r = fake.add_review(
        number, user=user, body=body, comments=[(POST, 5 + i, b) for i, b in enumerate(bodies)]
    )
    ids = sorted(c["id"] for c in fake.review_comments.values() if c["review_id"] == r["id"])
    comment = Comment(r["id"], body or "", user, "User", review_id=r["id"])
    return Revise("review", number, comment), ids


def test_a_review_is_one_unit_its_line_commands_and_its_body_carried_out_together(
    fake: GitHubFake,
) -> None:
    number = our_pr(fake)
    decision, ids = review(
        fake, number, ["/summary shorter", "nice paragraph", "/summary less generic"],
        body="/summary drop 3",
    )  # fmt: skip
    s = steering(decide(fake, decision))
    got = [(r.comment_id, r.where, r.line) for r in s.requests]
    assert got == [
        (ids[0], "review", 5),
        (ids[2], "review", 7),
        (decision.comment.id, "review-body", None),
    ]
    said_what = [(r.user, r.body, r.command) for r in s.requests]
    assert said_what == [
        ("alice", "/summary shorter", Instruct("shorter")),
        ("alice", "/summary less generic", Instruct("less generic")),
        ("alice", "/summary drop 3", Drop(3)),
    ]


@pytest.mark.parametrize(
    ("login", "kind"), [("helper[bot]", "Bot"), ("helper", "Bot"), ("helper[bot]", "User")]
)
def test_a_bots_line_command_inside_a_review_is_not_obeyed_whether_its_type_or_login_says_bot(
    fake: GitHubFake, login: str, kind: str
) -> None:
    number = our_pr(fake)
    decision, ids = review(fake, number, ["/summary shorter"])
    fake.add_user(login, type=kind, permission="write")
    fake._new_review_comment(  # noqa: SLF001 - a bot's line comment in the same review
        number, "/summary drop 1", login, path=POST, line=12, review_id=decision.comment.id
    )
    s = steering(decide(fake, decision))
    assert [r.comment_id for r in s.requests] == [ids[0]]


def test_a_line_comment_carrying_the_reply_mark_is_not_a_command(fake: GitHubFake) -> None:
    """The action's own replies quote commands; one that starts with the prefix is still a
    reply, not an order."""
    number = our_pr(fake)
    decision, ids = review(
        fake, number, ["/summary shorter", f"/summary drop 1 <!-- {REPLY_MARK} 3 -->"]
    )
    assert [r.comment_id for r in steering(decide(fake, decision)).requests] == [ids[0]]


def test_a_review_whose_commands_were_answered_or_that_has_none_is_ignored(
    fake: GitHubFake,
) -> None:
    number = our_pr(fake)
    plain, _ = review(fake, number, ["nice", "also nice"])
    assert ignored(decide(fake, plain)) == f"review {plain.comment.id}: no commands"
    decision, ids = review(fake, number, ["/summary shorter", "/summary drop 2"])
    for cid in ids:
        reply(fake, number, cid)
    assert ignored(decide(fake, decision)) == (
        f"review {decision.comment.id}: its commands were already answered"
    )
    # one of them answered: only the other is carried out
    decision, ids = review(fake, number, ["/summary shorter", "/summary drop 2"])
    reply(fake, number, ids[0])
    assert [r.comment_id for r in steering(decide(fake, decision)).requests] == [ids[1]]


def test_a_review_body_that_is_the_only_command_and_was_answered_is_ignored(
    fake: GitHubFake,
) -> None:
    number = our_pr(fake)
    decision, _ = review(fake, number, ["fine"], body="/summary drop 1")
    reply(fake, number, decision.comment.id)
    assert ignored(decide(fake, decision)) == (
        f"review {decision.comment.id}: its commands were already answered"
    )


def test_at_most_twenty_commands_run_at_once_and_the_rest_are_deferred_in_order(
    fake: GitHubFake,
) -> None:
    assert MAX_COMMANDS_PER_RUN == 20
    number = our_pr(fake)
    decision, ids = review(fake, number, [f"/summary drop {i % 5 + 1}" for i in range(23)])
    s = steering(decide(fake, decision))
    assert [r.comment_id for r in s.requests] == ids[:20]
    assert [r.comment_id for r in s.deferred] == ids[20:]
    exactly, eids = review(fake, number, ["/summary shorter"] * 20)
    s = steering(decide(fake, exactly))
    assert ([r.comment_id for r in s.requests], s.deferred) == (eids, [])


@pytest.mark.parametrize("foreign", [{"head_repo": "mallory/blog"}, {"labels": []}])
def test_a_fork_or_unlabelled_pr_is_refused_before_asking_who_the_token_is(
    fake: GitHubFake, foreign: dict[str, Any]
) -> None:
    ignored(decide(fake, said(fake, our_pr(fake, **foreign))))
    assert fake.calls("GET", r"/user$") == []


def test_a_foreign_pr_costs_no_permission_lookup(fake: GitHubFake) -> None:
    """The cheap checks come first: a stranger's PR is refused before anyone's permission is
    asked (each lookup is a request against the repository's rate limit)."""
    number = our_pr(fake, head="feature/x")
    ignored(decide(fake, said(fake, number)))
    assert fake.calls("GET", r"/user$") == []
    assert fake.calls("GET", r"/permission$") == []
    steering(decide(fake, said(fake, our_pr(fake))))  # the control: ours is looked up
    assert [r.path for r in fake.calls("GET", r"/permission$")] == [
        "/repos/octo/blog/collaborators/alice/permission"
    ]
