"""Shared helpers for the GitHub tests (a module, not conftest, so imports are unambiguous)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from daily_ai_summary.testing.github_fake import BOT_EMAIL

SPEC = Path(__file__).resolve().parents[1] / "data" / "github-openapi.json"
TOKEN = "ghs_0123456789abcdefFAKEtoken"


class Sleeps(list[float]):
    """A ``sleep`` that records how long the client chose to wait, without waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


class Remote:
    """A bare repository (what GitHub stores) and a clone to make commits in."""

    def __init__(self, root: Path) -> None:
        self.bare = root / "origin.git"
        self.work = root / "work"
        home = root / "home"
        home.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        self.env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1")
        git(root, "init", "--quiet", "--bare", "-b", "main", str(self.bare), env=self.env)
        git(root, "clone", "--quiet", str(self.bare), str(self.work), env=self.env)
        self.commit("README.md", "# blog\n", name="Owner", email="octo@example.com")
        self.push("main")

    def commit(
        self, path: str, text: str, *, name: str, email: str, committer_email: str | None = None
    ) -> str:
        file = self.work / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
        env = dict(
            self.env,
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email,
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=committer_email or email,
        )
        git(self.work, "add", path, env=env)
        git(self.work, "commit", "--quiet", "-m", f"edit {path}", env=env)
        return git(self.work, "rev-parse", "HEAD", env=env)

    def bot_commit(self, path: str, text: str) -> str:
        return self.commit(path, text, name="github-actions[bot]", email=BOT_EMAIL)

    def branch(self, name: str) -> None:
        git(self.work, "checkout", "--quiet", "-b", name, env=self.env)

    def push(self, branch: str) -> None:
        git(self.work, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", env=self.env)
