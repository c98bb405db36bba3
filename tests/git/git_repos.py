"""Constants and a plain-git helper shared by the git tests (fixtures are in conftest.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

POST = "content/posts/2024-05-01-ai-auto-summary.md"
POST_TEXT = "---\ntitle: May 1\n---\n\n## Trending\n\n- one\n"


def run_git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    """Plain git for arranging and checking test state (the code under test uses Git)."""
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()
