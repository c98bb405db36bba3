"""Publishing with real git: a temporary worktree, commits, pushes to a bare origin, rebases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from git_repos import POST, POST_TEXT, run_git

from daily_ai_summary.errors import GitError
from daily_ai_summary.publish.git import Git, PushRejected, RebaseConflict

BRANCH = "daily-ai-summary/2024-05-02"
NEW_POST = "content/posts/2024-05-02-ai-auto-summary.md"
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


def publish(git: Git, text: str, *, start: str = "origin/main", lease: str | None = None) -> str:
    with git.worktree(start) as wt:
        wt.write_file_atomic(NEW_POST, text)
        sha = wt.commit([NEW_POST], "Add summary for 2024-05-02", *BOT)
        assert sha is not None
        return wt.push(BRANCH, force_with_lease=lease)


def test_publishing_in_a_worktree_leaves_the_users_checkout_exactly_as_it_was(
    git: Git, workspace: Path, origin: Path, git_env: dict[str, str]
) -> None:
    (workspace / "README.md").write_text("# blog\nedited, not committed\n")
    (workspace / "notes.txt").write_text("untracked\n")
    head_before = git.head_sha()
    status_before = run_git(workspace, "status", "--porcelain", env=git_env)

    pushed = publish(git, "---\ntitle: May 2\n---\n")

    assert run_git(origin, "rev-parse", f"refs/heads/{BRANCH}", env=git_env) == pushed
    assert run_git(origin, "show", f"{pushed}:{NEW_POST}", env=git_env) == "---\ntitle: May 2\n---"
    assert git.head_sha() == head_before
    assert git.current_branch() is None  # still detached
    assert run_git(workspace, "status", "--porcelain", env=git_env) == status_before
    assert (workspace / "README.md").read_text() == "# blog\nedited, not committed\n"
    assert not (workspace / NEW_POST).exists()
    worktrees = run_git(workspace, "worktree", "list", "--porcelain", env=git_env)
    assert worktrees.count("worktree ") == 1


def test_worktree_is_removed_even_when_the_caller_fails(git: Git, workspace: Path) -> None:
    with pytest.raises(RuntimeError), git.worktree("origin/main") as wt:
        path = wt.root
        wt.write_file_atomic(NEW_POST, "x\n")
        raise RuntimeError("writer crashed")
    assert not path.exists()
    assert not any((workspace / ".git" / "worktrees").glob("*"))


def test_worktree_from_an_unknown_ref_is_a_clear_error(git: Git) -> None:
    with pytest.raises(GitError, match="unknown ref 'origin/nope'"), git.worktree("origin/nope"):
        pass


def test_commit_returns_none_when_the_file_did_not_change(git: Git) -> None:
    with git.worktree("origin/main") as wt:
        wt.write_file_atomic(POST, POST_TEXT)
        assert wt.commit([POST], "no-op", *BOT) is None
        assert wt.head_sha() == git.rev_parse("origin/main")


def test_commit_takes_only_the_given_paths_and_records_the_author(
    git: Git, git_env: dict[str, str]
) -> None:
    with git.worktree("origin/main") as wt:
        (wt.root / "README.md").write_text("changed but not ours to commit\n")
        wt.write_file_atomic(POST, POST_TEXT + "- two\n")
        sha = wt.commit([POST], "Revise trending", "Ada", "ada@example.com")
        assert sha == wt.head_sha()
        changed = run_git(wt.root, "show", "--name-only", "--format=", sha, env=git_env)
        assert changed.splitlines() == [POST]
        assert run_git(wt.root, "status", "--porcelain", env=git_env) == "M README.md"
        assert wt.log_authors("origin/main..HEAD") == [(sha, "Ada", "ada@example.com")]
        committer = run_git(wt.root, "log", "-1", "--format=%cn <%ce>", env=git_env)
        assert committer == "Ada <ada@example.com>"


def test_commit_records_a_deletion(git: Git) -> None:
    with git.worktree("origin/main") as wt:
        (wt.root / POST).unlink()
        sha = wt.commit([POST], "Remove post", *BOT)
        assert sha is not None
        assert wt.file_on_ref(sha, POST) is None


def test_a_message_that_looks_like_an_option_is_committed_verbatim(git: Git, git_env) -> None:
    with git.worktree("origin/main") as wt:
        wt.write_file_atomic(NEW_POST, "x\n")
        wt.commit([NEW_POST], "--amend; $(rm -rf /)", *BOT)
        assert run_git(wt.root, "log", "-1", "--format=%s", env=git_env) == "--amend; $(rm -rf /)"


def test_push_behind_the_remote_is_a_retryable_rejection_and_rebase_fixes_it(
    git: Git, workspace: Path, git_env: dict[str, str]
) -> None:
    first = publish(git, "v1\n")
    # A reviewer pushes a commit to the PR branch meanwhile.
    with git.worktree(first) as other:
        other.write_file_atomic("README.md", "# blog\nreviewer fix\n")
        theirs = other.commit(["README.md"], "Fix README", "Reviewer", "rev@example.com")
        other.push(BRANCH)

    with git.worktree(first) as wt:
        wt.write_file_atomic(NEW_POST, "v2\n")
        wt.commit([NEW_POST], "Revise", *BOT)
        with pytest.raises(PushRejected) as rejected:
            wt.push(BRANCH)
        assert rejected.value.reason == "non-fast-forward"
        assert rejected.value.retryable

        assert wt.fetch_branch(BRANCH) == theirs
        new_head = wt.rebase_onto(f"origin/{BRANCH}")
        assert wt.is_ancestor(theirs, new_head)
        assert wt.push(BRANCH) == new_head

    authors = {(a.name, a.email) for a in git.log_authors(f"origin/main..{new_head}")}
    assert authors == {BOT, ("Reviewer", "rev@example.com")}


def test_force_with_lease_overwrites_only_the_expected_commit(git: Git) -> None:
    first = publish(git, "v1\n")
    with pytest.raises(PushRejected) as stale:
        publish(git, "v2\n", lease=git.rev_parse("origin/main"))
    assert stale.value.reason == "stale"
    assert stale.value.retryable
    assert git.remote_branch_sha(BRANCH) == first

    second = publish(git, "v2\n", lease=first)
    assert git.remote_branch_sha(BRANCH) == second
    assert not git.is_ancestor(first, second)  # really rewritten, not stacked


def test_empty_lease_means_the_branch_must_not_exist_yet(git: Git) -> None:
    publish(git, "v1\n", lease="")
    with pytest.raises(PushRejected) as rejected:
        publish(git, "v2\n", lease="")
    assert rejected.value.reason == "stale"


def test_protected_branch_rejection_is_reported_as_not_retryable(git: Git, origin: Path) -> None:
    hook = origin / "hooks" / "pre-receive"
    hook.write_text(
        "#!/bin/sh\n"
        "echo 'error: GH006: Protected branch update failed for refs/heads/main.' >&2\n"
        "echo 'error: Changes must be made through a pull request.' >&2\n"
        "exit 1\n"
    )
    hook.chmod(0o755)
    with git.worktree("origin/main") as wt:
        wt.write_file_atomic(NEW_POST, "x\n")
        wt.commit([NEW_POST], "Add", *BOT)
        with pytest.raises(PushRejected) as rejected:
            wt.push("main")
    assert rejected.value.reason == "protected"
    assert not rejected.value.retryable
    assert "GH006" in str(rejected.value)


def test_rebase_conflict_is_aborted_and_reported(git: Git) -> None:
    first = publish(git, "v1\n")
    with git.worktree(first) as other:
        other.write_file_atomic(NEW_POST, "reviewer's version\n")
        other.commit([NEW_POST], "Reviewer edit", "Reviewer", "rev@example.com")
        other.push(BRANCH)
    with git.worktree(first) as wt:
        wt.write_file_atomic(NEW_POST, "bot's version\n")
        ours = wt.commit([NEW_POST], "Bot edit", *BOT)
        wt.fetch_branch(BRANCH)
        with pytest.raises(RebaseConflict, match="conflict|CONFLICT|could not apply"):
            wt.rebase_onto(f"origin/{BRANCH}")
        assert wt.head_sha() == ours
        assert (wt.root / NEW_POST).read_text() == "bot's version\n"
        assert not wt.has_local_changes()


def test_fetch_branch_of_a_missing_branch_returns_none(git: Git) -> None:
    assert git.fetch_branch("daily-ai-summary/1999-01-01") is None
    assert git.rev_parse("origin/daily-ai-summary/1999-01-01") is None


def test_checkout_refuses_to_run_over_uncommitted_work(git: Git, workspace: Path) -> None:
    (workspace / "README.md").write_text("precious\n")
    with pytest.raises(GitError, match="uncommitted changes"):
        git.checkout_new_branch(BRANCH, "origin/main")
    assert (workspace / "README.md").read_text() == "precious\n"


def test_plain_checkout_of_a_new_and_an_existing_branch(git: Git) -> None:
    git.checkout_new_branch(BRANCH, "origin/main")
    assert git.current_branch() == BRANCH
    git.checkout("main")
    assert git.current_branch() == "main"
    with pytest.raises(GitError, match="already exists"):
        git.checkout_new_branch(BRANCH, "origin/main")
    git.checkout_new_branch(BRANCH, "origin/main", reset=True)
    assert git.current_branch() == BRANCH


def test_write_file_atomic_keeps_mode_and_newlines_and_leaves_no_temp_files(git: Git) -> None:
    target = git.root / "scripts" / "run.sh"
    git.write_file_atomic("scripts/run.sh", "#!/bin/sh\r\necho hi\n")
    os.chmod(target, 0o755)
    git.write_file_atomic("scripts/run.sh", "#!/bin/sh\r\necho bye\n")
    assert target.read_bytes() == b"#!/bin/sh\r\necho bye\n"
    assert target.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in target.parent.iterdir()) == ["run.sh"]


@pytest.mark.parametrize("bad", ["../outside.md", "/etc/passwd", "content/../../x", "", "."])
def test_paths_outside_the_repository_are_refused(git: Git, bad: str) -> None:
    with pytest.raises(GitError, match="not a path inside the repository"):
        git.write_file_atomic(bad, "x")


def test_set_branch_points_a_local_branch_at_a_commit_without_a_checkout(git: Git) -> None:
    pushed = publish(git, "v1\n")
    head = git.head_sha()
    git.set_branch(BRANCH, pushed)
    assert git.rev_parse(f"refs/heads/{BRANCH}") == pushed
    assert git.head_sha() == head and git.current_branch() is None
    git.checkout(BRANCH)
    with pytest.raises(GitError, match="is checked out"):
        git.set_branch(BRANCH, head)
