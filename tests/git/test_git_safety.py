"""Container realities: a workspace owned by another user, credentials that must never leak,
and a token that replaces the one actions/checkout stored."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import pytest
from git_repos import run_git

from daily_ai_summary.errors import GitError
from daily_ai_summary.publish.git import Git, GitCommandError, redact
from daily_ai_summary.testing.server import FakeServer, Response

TOKEN = "ghs_" + "S3cr3tT0ken" * 3
RUNNER_UID = 1001  # the runner user owns the workspace; the container runs as root


def chown_tree(root: Path, uid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        os.lchown(dirpath, uid, uid)
        for name in dirnames + filenames:
            os.lchown(os.path.join(dirpath, name), uid, uid)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the workspace to another uid")
def test_a_workspace_owned_by_the_runner_user_is_made_safe_then_publishing_works(
    workspace: Path, git_env: dict[str, str], origin: Path
) -> None:
    chown_tree(workspace, RUNNER_UID)
    git = Git(workspace, env=git_env)
    with pytest.raises(GitError, match="dubious ownership"):
        git.head_sha()

    assert git.ensure_safe_directory() is True
    assert str(workspace.resolve()) in (Path(git_env["HOME"]) / ".gitconfig").read_text()
    assert git.ensure_safe_directory() is False  # already safe: config not touched again

    with git.worktree("origin/main") as wt:
        wt.write_file_atomic("content/posts/new.md", "new\n")
        sha = wt.commit(["content/posts/new.md"], "Add", "bot", "bot@example.com")
        wt.push("daily-ai-summary/2024-05-02")
    assert (
        run_git(origin, "rev-parse", "refs/heads/daily-ai-summary/2024-05-02", env=git_env) == sha
    )


def test_a_directory_that_is_not_a_repository_points_at_actions_checkout(
    tmp_path: Path, git_env: dict[str, str]
) -> None:
    with pytest.raises(GitError, match="did the workflow run actions/checkout"):
        Git(tmp_path, env=git_env).ensure_safe_directory()


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        (f"fatal: unable to access 'https://x-access-token:{TOKEN}@github.com/o/r.git/'", TOKEN),
        ("remote: https://user:hunter22@example.com/x", "hunter22"),
        ("> AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Zm9v", "eC1hY2Nlc3MtdG9rZW46Zm9v"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("token ghp_" + "a" * 36 + " in a message", "ghp_" + "a" * 36),
        ("github_pat_" + "B" * 40, "github_pat_" + "B" * 40),
    ],
)
def test_redact_masks_credentials(text: str, leak: str) -> None:
    masked = redact(text)
    assert leak not in masked
    assert "***" in masked


def test_redact_masks_a_given_secret_and_its_basic_auth_form() -> None:
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    masked = redact(f"a {TOKEN} b {basic} c", [TOKEN])
    assert masked == "a *** b *** c"


def test_a_failing_fetch_from_a_url_with_a_token_never_shows_the_token(
    workspace: Path, git_env: dict[str, str]
) -> None:
    with FakeServer("git") as srv:
        host = srv.url.removeprefix("http://")
        remote = f"http://x-access-token:{TOKEN}@{host}/o/blog.git"
        git = Git(workspace, env=git_env, remote=remote)
        with pytest.raises(GitCommandError) as failed:
            git.fetch(["+refs/heads/main:refs/remotes/origin/main"])
    err = failed.value
    assert srv.calls("GET", r"/o/blog\.git/info/refs"), "git really asked the server"
    assert f"http://***@{host}/o/blog.git" in err.command
    for text in (str(err), err.stderr, " ".join(err.command)):
        assert TOKEN not in text


def test_a_given_token_replaces_the_checkout_header_and_stays_off_the_command_line(
    workspace: Path, git_env: dict[str, str]
) -> None:
    with FakeServer("git") as srv:
        run_git(workspace, "remote", "set-url", "origin", f"{srv.url}/o/blog.git", env=git_env)
        # What actions/checkout persists: the job token as an extra header for the server.
        old = base64.b64encode(b"x-access-token:job-token").decode()
        run_git(
            workspace,
            "config",
            f"http.{srv.url}/.extraheader",
            f"AUTHORIZATION: basic {old}",
            env=git_env,
        )

        git = Git(workspace, env={**git_env, "GIT_TRACE_CURL": "1"}, token=TOKEN)
        with pytest.raises(GitCommandError) as failed:
            git.remote_branch_exists("main")

    (request,) = srv.calls("GET", r"/info/refs")
    expected = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert request.header("authorization") == f"basic {expected}"
    trace = failed.value.stderr
    sent = re.findall(r"(?im)send header: authorization:", trace)
    assert len(sent) == 1, "the checkout's header must be replaced, not sent alongside"
    assert TOKEN not in trace and expected not in trace
    assert all(TOKEN not in arg for arg in failed.value.command)
    assert TOKEN not in (workspace / ".git" / "config").read_text()


def test_a_forbidden_push_explains_the_missing_permission(
    git: Git, workspace: Path, git_env: dict[str, str]
) -> None:
    with FakeServer("git") as srv:
        srv.add_route(
            "GET",
            r"/o/blog\.git/info/refs",
            lambda req: Response.text("Permission to o/blog.git denied", 403),
        )
        run_git(workspace, "remote", "set-url", "origin", f"{srv.url}/o/blog.git", env=git_env)
        with pytest.raises(GitCommandError, match="contents: write") as failed:
            git.push("daily-ai-summary/2024-05-02")
    assert failed.value.returncode != 0


def test_missing_git_binary_is_a_git_error(workspace: Path, git_env: dict[str, str]) -> None:
    with pytest.raises(GitError, match="git is not installed"):
        Git(workspace, env=git_env, git="/nonexistent/git").head_sha()


def test_a_credential_request_fails_at_once_instead_of_prompting(
    git: Git, workspace: Path, git_env: dict[str, str]
) -> None:
    with FakeServer("git") as srv:
        srv.add_route(
            "GET",
            r"/o/blog\.git/info/refs",
            lambda req: Response(401, headers={"WWW-Authenticate": 'Basic realm="GitHub"'}),
        )
        run_git(workspace, "remote", "set-url", "origin", f"{srv.url}/o/blog.git", env=git_env)
        with pytest.raises(GitCommandError, match="terminal prompts disabled"):
            git.remote_branch_exists("main")
