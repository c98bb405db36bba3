"""Reading repository state with real git: refs, files on refs, logs, diffs, the remote."""

from __future__ import annotations

from pathlib import Path

import pytest
from git_repos import POST, POST_TEXT, run_git

from daily_ai_summary.errors import GitError
from daily_ai_summary.publish.git import Git, NumStat


def test_file_on_ref_reads_committed_text_not_the_working_tree(git: Git, workspace: Path) -> None:
    (workspace / POST).write_text("local edit\n")
    assert git.file_on_ref("origin/main", POST) == POST_TEXT
    assert git.file_on_ref("HEAD", "content/posts/missing.md") is None
    assert git.file_on_ref("HEAD", "content/posts") is None  # a directory is not a file


def test_file_on_an_unknown_ref_is_an_error_not_a_missing_file(git: Git) -> None:
    with pytest.raises(GitError, match="unknown git ref 'origin/daily-ai-summary/1999-01-01'"):
        git.file_on_ref("origin/daily-ai-summary/1999-01-01", POST)


def test_list_files_under_a_directory(git: Git, workspace: Path, git_env) -> None:
    (workspace / "content/posts/2024-05-02-ai-auto-summary.md").write_text("x\n")
    (workspace / "content/about.md").write_text("about\n")
    run_git(workspace, "add", ".", env=git_env)
    run_git(workspace, "commit", "-qm", "more", env=git_env)
    assert git.list_files("HEAD", "content/posts") == [
        POST,
        "content/posts/2024-05-02-ai-auto-summary.md",
    ]
    assert git.list_files("HEAD") == [
        "README.md",
        "content/about.md",
        *git.list_files("HEAD", "content/posts"),
    ]
    assert git.list_files("HEAD", "nowhere") == []


def test_current_branch_is_none_on_a_detached_head(git: Git, workspace: Path, git_env) -> None:
    assert git.current_branch() is None
    run_git(workspace, "checkout", "-q", "main", env=git_env)
    assert git.current_branch() == "main"


def test_remote_branches_and_default_branch(git: Git) -> None:
    assert git.remote_default_branch() == "main"
    assert git.remote_branch_exists("main")
    assert git.remote_branch_sha("main") == git.rev_parse("origin/main")
    assert not git.remote_branch_exists("daily-ai-summary/2024-05-02")
    assert git.remote_branch_sha("mai") is None  # no prefix matching


def test_remote_url_is_returned_without_credentials(git: Git, workspace: Path, git_env) -> None:
    run_git(
        workspace,
        "remote",
        "set-url",
        "origin",
        "https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123@github.com/o/blog.git",
        env=git_env,
    )
    assert git.remote_url() == "https://github.com/o/blog.git"
    assert Git(workspace, env=git_env, remote="upstream").remote_url() is None


def test_diff_numstat_counts_lines_and_marks_binary_files(
    git: Git, workspace: Path, git_env
) -> None:
    base = git.head_sha()
    (workspace / POST).write_text(POST_TEXT.replace("- one\n", "- uno\n- dos\n"))
    (workspace / "static").mkdir()
    (workspace / "static/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    run_git(workspace, "add", ".", env=git_env)
    run_git(workspace, "commit", "-qm", "edit", env=git_env)
    assert git.diff_numstat(base, "HEAD") == [
        NumStat(2, 1, POST),
        NumStat(None, None, "static/logo.png"),
    ]
    assert git.diff_numstat(base, "HEAD", paths=[POST]) == [NumStat(2, 1, POST)]
    assert git.diff_numstat("HEAD") == []  # working tree is clean


def test_log_authors_lists_every_commit_newest_first(git: Git, workspace: Path, git_env) -> None:
    base = git.head_sha()
    for name in ("Ann", "Bob"):
        (workspace / "README.md").write_text(f"# blog by {name}\n")
        run_git(
            workspace,
            "commit",
            "-qam",
            name,
            env={**git_env, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": f"{name}@x.org"},
        )
    authors = git.log_authors(f"{base}..HEAD")
    assert [(a.name, a.email) for a in authors] == [("Bob", "Bob@x.org"), ("Ann", "Ann@x.org")]
    assert authors[0].sha == git.head_sha()
    assert git.log_authors("HEAD..HEAD") == []


def test_shallow_and_ancestry(git: Git, workspace: Path, git_env) -> None:
    assert not git.is_shallow()
    first = git.head_sha()
    (workspace / "README.md").write_text("2\n")
    run_git(workspace, "commit", "-qam", "2", env=git_env)
    assert git.is_ancestor(first, "HEAD")
    assert not git.is_ancestor("HEAD", first)
    assert git.rev_parse("no-such-ref") is None
    assert git.rev_parse("--help") is None  # a ref is never taken for an option
