"""SHAs and refs from payloads never reach git as options (issue 11, case 6).

A line comment's ``commit_id`` comes from the event payload; the revise flow fetches it when
it is not local. Before, ``git fetch ... origin <commit_id>`` took ``--upload-pack=<cmd>`` as
an option - a command run on the runner with a local or ssh remote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_ai_summary.errors import GitError
from daily_ai_summary.events import Ignore, Revise, classify
from daily_ai_summary.publish.git import Git, is_sha

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_is_sha_accepts_only_40_lower_hex() -> None:
    assert is_sha(SHA)
    for bad in (SHA.upper(), SHA[:39], SHA + "0", "--upload-pack=x", f"{SHA}\n", None, 40, "HEAD"):
        assert not is_sha(bad), bad


def line_comment(commit_id: object) -> dict:
    return {
        "action": "created",
        "pull_request": {"number": 3, "head": {"ref": "daily-ai-summary/2025-04-16"}, "labels": []},
        "comment": {"id": 7, "body": "/summary shorter", "user": {"login": "alice", "type": "User"},
                    "path": "content/posts/x.md", "line": 12, "commit_id": commit_id},
    }  # fmt: skip


@pytest.mark.parametrize(
    "forged", ["--upload-pack=touch /tmp/pwned;", "HEAD~1", SHA.upper(), "main"]
)
def test_a_line_comment_with_a_forged_commit_id_is_ignored(forged: str) -> None:
    decision = classify(
        "pull_request_review_comment",
        line_comment(forged),
        date_input="",
        command_prefix="/summary",
    )
    assert isinstance(decision, Ignore) and "not a commit SHA" in decision.reason


def test_a_real_commit_id_goes_through() -> None:
    decision = classify(
        "pull_request_review_comment", line_comment(SHA), date_input="", command_prefix="/summary"
    )
    assert isinstance(decision, Revise) and decision.comment.commit_id == SHA


@pytest.mark.parametrize(
    "call",
    [
        lambda g, m: g.fetch([f"--upload-pack=touch {m};"]),
        lambda g, m: g.rebase_onto(f"--exec=touch {m}"),
        lambda g, m: g.log_authors(f"--output={m}"),
        lambda g, m: g.diff_numstat(f"--output={m}"),
        lambda g, m: g.file_on_ref("HEAD", "README.md") and g.list_files(f"--output={m}"),
        lambda g, m: g.set_branch("x", f"--stdin={m}"),
    ],
    ids=["fetch", "rebase", "log", "diff", "ls-tree", "update-ref"],
)
def test_an_option_shaped_ref_is_refused_before_git_runs(
    workspace: Path, git_env: dict[str, str], tmp_path: Path, call
) -> None:
    marker = tmp_path / "pwned"
    git = Git(workspace, env=git_env)
    with pytest.raises(GitError, match="looks like an option"):
        call(git, marker)
    assert not marker.exists(), "git ran the injected option"
