"""Real git repositories for the git helper's tests: a bare ``origin`` and a workspace clone.

The workspace is set up the way ``actions/checkout`` leaves it on a pull-request event: a
clone of origin with a detached HEAD. git runs with its own HOME so no test reads or writes
the developer's ~/.gitconfig.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from git_repos import POST, POST_TEXT, run_git

from daily_ai_summary.publish.git import Git


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Setup",
        GIT_AUTHOR_EMAIL="setup@example.com",
        GIT_COMMITTER_NAME="Setup",
        GIT_COMMITTER_EMAIL="setup@example.com",
    )
    return env


@pytest.fixture
def origin(tmp_path: Path, git_env: dict[str, str]) -> Path:
    """A bare repository with one commit on ``main``: a post and a README."""
    bare = tmp_path / "origin.git"
    run_git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(bare), env=git_env)
    seed = tmp_path / "seed"
    run_git(tmp_path, "clone", "--quiet", str(bare), str(seed), env=git_env)
    (seed / "content/posts").mkdir(parents=True)
    (seed / POST).write_text(POST_TEXT)
    (seed / "README.md").write_text("# blog\n")
    run_git(seed, "add", ".", env=git_env)
    run_git(seed, "commit", "--quiet", "-m", "initial", env=git_env)
    run_git(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main", env=git_env)
    return bare


@pytest.fixture
def workspace(tmp_path: Path, origin: Path, git_env: dict[str, str]) -> Path:
    """A clone of origin on a detached HEAD, like actions/checkout on a PR merge ref."""
    ws = tmp_path / "workspace"
    run_git(tmp_path, "clone", "--quiet", str(origin), str(ws), env=git_env)
    run_git(ws, "checkout", "--quiet", "--detach", "HEAD", env=git_env)
    return ws


@pytest.fixture
def git(workspace: Path, git_env: dict[str, str]) -> Git:
    return Git(workspace, env=git_env)
