"""git's value types, errors and argument checks, shared by ``publish.git`` and its callers.

**Errors.** A failing command raises ``GitCommandError`` (a ``GitError``) carrying the git
stderr with secrets removed: URL credentials (``https://x-access-token:TOKEN@host``),
``Authorization`` headers, GitHub token shapes and the configured token. A rejected push raises
``PushRejected`` with a ``reason`` and ``retryable`` (fetch + rebase + retry makes sense for
a non-fast-forward or a stale lease; not for a protected branch).

``redact`` masks credentials in git's output; ``is_sha`` and ``_arg`` are the checks a ref or
commit from a payload passes before it reaches a git command line.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from daily_ai_summary import log as _log
from daily_ai_summary.errors import GitError


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with credentials masked (``log.scrub``): every form of each of ``secrets``
    (raw, URL-encoded, inside base64 as the extraheader sends it), URL userinfo, auth
    headers and GitHub token shapes."""
    forms = sorted({f for s in secrets for f in _log.secret_forms(s)}, key=len, reverse=True)
    return _log.scrub(text, forms)


SHA_RE = re.compile(r"[0-9a-f]{40}")


def is_sha(value: object) -> bool:
    """A full lower-case hex commit SHA, as GitHub sends ``commit_id``: the only shape a
    commit from a payload may have before it reaches git."""
    return isinstance(value, str) and SHA_RE.fullmatch(value) is not None


def _arg(value: str, what: str = "ref") -> str:
    """A ref, refspec or remote for a git command line: never an option (no leading ``-``),
    no whitespace or control characters. Options end before it (``--end-of-options``) where
    git allows; this check holds where it does not (``diff``, ``checkout``)."""
    if not value or value.startswith("-") or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise GitError(
            f"refusing a git {what} that looks like an option or has blanks: {value[:60]!r}"
        )
    return value


def strip_credentials(url: str) -> str:
    """A remote URL without its ``user:password@`` part (scp-like URLs are returned as is)."""
    parts = urlsplit(url)
    if not parts.scheme or "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


class GitCommandError(GitError):
    """A git command exited non-zero. ``stderr`` and ``command`` are already redacted."""

    def __init__(self, message: str, *, command: Sequence[str], returncode: int, stderr: str):
        super().__init__(message)
        self.command = list(command)
        self.returncode = returncode
        self.stderr = stderr


class PushRejected(GitCommandError):
    """The remote refused the update.

    ``reason``: ``non-fast-forward`` (the branch moved: fetch, rebase, retry), ``stale`` (the
    ``--force-with-lease`` expectation no longer holds: fetch and decide again),
    ``protected`` (GH006 / a protected-branch rule), ``refused`` (GitHub "refusing to allow",
    e.g. touching workflow files without the ``workflows`` permission) or ``rejected``.
    """

    RETRYABLE = frozenset({"non-fast-forward", "stale"})

    def __init__(self, message: str, *, reason: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.reason = reason

    @property
    def retryable(self) -> bool:
        return self.reason in self.RETRYABLE


class RebaseConflict(GitCommandError):
    """``rebase_onto`` stopped on a conflict; the rebase was aborted, HEAD is unchanged."""


class CommitAuthor(NamedTuple):
    sha: str
    name: str
    email: str


class NumStat(NamedTuple):
    """One line of ``git diff --numstat``; ``added``/``deleted`` are None for binary files."""

    added: int | None
    deleted: int | None
    path: str


def _repo_path(path: str | PurePosixPath) -> str:
    """A repository-relative POSIX path; rejects absolute paths and ``..`` escapes."""
    text = str(path).replace("\\", "/")
    p = PurePosixPath(text)
    if p.is_absolute() or ".." in p.parts or not p.parts or text.strip() in ("", "."):
        raise GitError(f"not a path inside the repository: {str(path)!r}")
    return p.as_posix()


def _count(field: str) -> int | None:
    return None if field == "-" else int(field)


def _porcelain_status(stdout: str, ref: str) -> tuple[str, str] | None:
    """(flag, summary) of ``ref``'s line in ``git push --porcelain`` output."""
    for line in stdout.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[1].endswith(f":{ref}"):
            return parts[0], parts[2]
    return None


def push_reason(summary: str, stderr: str, status: tuple[str, str] | None) -> str | None:
    """Why the remote refused a push (a ``PushRejected.reason``), or None if it did not."""
    text = f"{summary}\n{stderr}"
    if re.search(r"GH006|protected branch", text, re.IGNORECASE):
        return "protected"
    if "refusing to allow" in text:
        return "refused"
    if "stale info" in summary:
        return "stale"
    if re.search(r"non-fast-forward|fetch first", summary):
        return "non-fast-forward"
    if re.search(r"cannot lock ref|reference already exists|incorrect old value", text):
        # Two pushes created or moved the branch at the same moment and the other one won
        # the ref lock: the branch moved, exactly like a non-fast-forward.
        return "non-fast-forward"
    if status is not None and status[0] == "!":
        return "rejected"
    return None


def write_atomic(target: Path, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``target``: a temp file in the same
    directory, fsync, ``os.replace``, so readers see the old or the new file, never half of
    one. Keeps an existing file's mode. Returns ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return target
