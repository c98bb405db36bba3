"""The only place that runs git.

Every command is a list of arguments passed to ``subprocess.run`` (never a shell), in the C
locale so messages can be matched, with ``GIT_TERMINAL_PROMPT=0`` so a missing credential
fails at once instead of waiting for a password nobody will type.

**Working tree strategy: a temporary worktree.** Publishing and revising never touch the
user's checkout. ``Git.worktree(start_point)`` adds a detached ``git worktree`` in a temporary
directory, the caller writes, commits and pushes there (``push`` sends ``HEAD`` to
``refs/heads/<branch>``, so no local branch is needed and a branch already checked out in the
workspace is no obstacle), and the worktree is removed on exit. The workspace's HEAD (often a
detached merge ref), index and files - including uncommitted ones - stay exactly as they were,
so later steps of the user's job still work. The worktree shares the object store, so nothing
is cloned twice.

**Credentials.** ``actions/checkout`` stores the job token in ``.git/config`` as an
``http.<server>/.extraheader``; that is used as is. When a different token is given (a PAT or
an App token, so that the PR's own workflows run), ``Git(token=...)`` replaces that header
for the remote's host through ``GIT_CONFIG_*`` environment variables: the token never
appears on a command line (``ps``), in a URL or in ``.git/config``.

**Errors** are ``git_values``' types (``GitCommandError``, ``PushRejected``).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from daily_ai_summary.errors import GitError
from daily_ai_summary.publish.git_values import (
    SHA_RE,
    CommitAuthor,
    GitCommandError,
    NumStat,
    PushRejected,
    RebaseConflict,
    _arg,
    _count,
    _porcelain_status,
    _repo_path,
    is_sha,
    push_reason,
    redact,
    strip_credentials,
    write_atomic,
)

__all__ = ["SHA_RE", "CommitAuthor", "Git", "GitCommandError", "NumStat", "PushRejected"]
__all__ += ["RebaseConflict", "is_sha", "redact", "strip_credentials"]

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

DEFAULT_TIMEOUT = 300.0  # seconds; network commands on a big blog repo can be slow


class Git:
    """git commands on one working tree (the workspace, or a worktree from ``worktree()``)."""

    def __init__(
        self,
        repo_path: str | os.PathLike[str],
        *,
        token: str | None = None,
        remote: str = "origin",
        env: Mapping[str, str] | None = None,
        identity: tuple[str, str] = (BOT_NAME, BOT_EMAIL),
        timeout: float = DEFAULT_TIMEOUT,
        git: str = "git",
    ) -> None:
        self.root = Path(repo_path).resolve()
        self.remote = remote
        self.identity = identity
        self.timeout = timeout
        self._git = git
        self._token = token or None
        self._base_env = dict(os.environ if env is None else env)
        self._auth_env: dict[str, str] | None = None

    @classmethod
    def for_action(cls, workspace: str | os.PathLike[str], token: str | None) -> Git:
        """THE way the action gets its ``Git`` (generate and revise alike): on the workspace,
        fetching and pushing with the ``github-token`` input - never with whatever
        ``actions/checkout`` stored (nothing, with ``persist-credentials: false``; the job token,
        when the input is a PAT or an App token) - and accepted by git when the workspace
        belongs to another user (the container runs as root)."""
        git = cls(workspace, token=token or None)
        git.ensure_safe_directory()
        return git

    # -- plumbing ------------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        """The environment every git command runs with (includes the auth header config)."""
        return self._environment(auth=True)

    def _environment(self, *, auth: bool) -> dict[str, str]:
        env = dict(self._base_env)
        for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_PARAMETERS"):
            env.pop(key, None)
        env.update(
            GIT_TERMINAL_PROMPT="0",
            GIT_ASKPASS="",
            SSH_ASKPASS="",
            LC_ALL="C",
            LANG="C",
            LANGUAGE="",
            GIT_COMMITTER_NAME=self.identity[0],
            GIT_COMMITTER_EMAIL=self.identity[1],
        )
        if auth:
            env.update(self._auth_config())
        return env

    def _auth_config(self) -> dict[str, str]:
        if not self._token:
            return {}
        if self._auth_env is None:
            self._auth_env = {}
            url = self._run(["remote", "get-url", self.remote], check=False, auth=False).stdout
            parts = urlsplit(url.strip())
            if parts.scheme in ("http", "https"):
                host = parts.netloc.rsplit("@", 1)[-1]
                key = f"http.{parts.scheme}://{host}/.extraheader"
                basic = base64.b64encode(f"x-access-token:{self._token}".encode()).decode()
                # An empty value clears headers set before (actions/checkout's job token).
                self._auth_env = {
                    "GIT_CONFIG_COUNT": "2",
                    "GIT_CONFIG_KEY_0": key,
                    "GIT_CONFIG_VALUE_0": "",
                    "GIT_CONFIG_KEY_1": key,
                    "GIT_CONFIG_VALUE_1": f"AUTHORIZATION: basic {basic}",
                }
        return self._auth_env

    def redact(self, text: str) -> str:
        return redact(text, [self._token] if self._token else [])

    def _run(
        self,
        args: Sequence[str],
        *,
        check: bool = True,
        env: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: float | None = None,
    ) -> subprocess.CompletedProcess[str]:
        full_env = self._environment(auth=auth)
        if env:
            full_env.update(env)
        command = [self._git, *args]
        try:
            proc = subprocess.run(
                command,
                cwd=self.root,
                env=full_env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout or self.timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            raise GitError(f"git is not installed (could not run {self._git!r})") from exc
        except NotADirectoryError as exc:
            raise GitError(f"{self.root} is not a directory") from exc
        except subprocess.TimeoutExpired as exc:
            raise GitCommandError(
                f"git {args[0]} timed out after {exc.timeout:.0f}s",
                command=[self.redact(a) for a in command],
                returncode=-1,
                stderr="",
            ) from None
        if check and proc.returncode != 0:
            raise self._error(command, proc)
        return proc

    def _error(
        self, command: Sequence[str], proc: subprocess.CompletedProcess[str]
    ) -> GitCommandError:
        stderr = self.redact(proc.stderr.strip())
        detail = stderr or self.redact(proc.stdout.strip()) or "(no output)"
        lines = detail.splitlines()
        if len(lines) > 12:
            detail = "\n".join(["...", *lines[-12:]])
        message = f"git {command[1]} failed (exit {proc.returncode}): {detail}"
        if re.search(r"(?i)\b403\b|permission to .* denied|authentication failed", stderr):
            message += (
                "\nhint: the token cannot push here; the workflow needs `permissions: "
                "contents: write` (or a token with write access)"
            )
        return GitCommandError(
            message,
            command=[self.redact(a) for a in command],
            returncode=proc.returncode,
            stderr=stderr,
        )

    def _out(self, *args: str) -> str:
        return self._run(list(args)).stdout.strip()

    # -- repository and safety -----------------------------------------------------------
    def ensure_safe_directory(self) -> bool:
        """Make git accept this repository when it is owned by another user.

        In a container action the workspace belongs to the runner's user (uid 1001) while the
        container runs as root, and git >= 2.35.2 refuses it with "detected dubious
        ownership". Then, and only then, add it to ``safe.directory`` in the global config
        (``$HOME/.gitconfig``; ``/github/home`` in the container). Returns True if it did.
        Raises GitError when the path is not a git repository at all.
        """
        probe = ["rev-parse", "--show-toplevel"]
        proc = self._run(probe, check=False, auth=False)
        added = False
        if proc.returncode != 0 and "dubious ownership" in proc.stderr:
            self._run(["config", "--global", "--add", "safe.directory", str(self.root)], auth=False)
            added = True
            proc = self._run(probe, check=False, auth=False)
        if proc.returncode != 0:
            err = self._error([self._git, *probe], proc)
            raise GitError(
                f"{self.root} is not a usable git repository (did the workflow run "
                f"actions/checkout first?): {err.stderr or err.message}"
            )
        return added

    def head_sha(self) -> str:
        return self._out("rev-parse", "--verify", "HEAD^{commit}")

    def rev_parse(self, ref: str) -> str | None:
        """The commit ``ref`` names, or None if it names nothing."""
        proc = self._run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
            check=False,
        )
        return proc.stdout.strip() if proc.returncode == 0 else None

    def toplevel(self) -> Path | None:
        """The top folder of the repository holding ``root``; None outside any repository."""
        proc = self._run(["rev-parse", "--show-toplevel"], check=False, auth=False)
        return Path(proc.stdout.strip()).resolve() if proc.returncode == 0 else None

    def current_branch(self) -> str | None:
        """The checked-out branch's short name; None on a detached HEAD."""
        proc = self._run(["symbolic-ref", "--quiet", "--short", "HEAD"], check=False)
        return proc.stdout.strip() if proc.returncode == 0 else None

    def remote_url(self) -> str | None:
        """The remote's URL without credentials, or None if there is no such remote."""
        proc = self._run(["remote", "get-url", self.remote], check=False, auth=False)
        return strip_credentials(proc.stdout.strip()) if proc.returncode == 0 else None

    def has_local_changes(self) -> bool:
        """True if the working tree or index differs from HEAD (untracked files count)."""
        return bool(self._out("status", "--porcelain", "--untracked-files=normal"))

    def is_shallow(self) -> bool:
        return self._out("rev-parse", "--is-shallow-repository") == "true"

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        proc = self._run(["merge-base", "--is-ancestor", ancestor, descendant], check=False)
        if proc.returncode in (0, 1):
            return proc.returncode == 0
        raise self._error([self._git, "merge-base"], proc)

    # -- remote --------------------------------------------------------------------------
    def remote_branch_sha(self, branch: str) -> str | None:
        """The branch's commit on the remote (asks the remote), or None if it does not exist."""
        proc = self._run(
            [
                "ls-remote",
                "--exit-code",
                "--heads",
                "--end-of-options",
                _arg(self.remote, "remote"),
                _arg(f"refs/heads/{branch}"),
            ],
            check=False,
        )
        if proc.returncode == 2:
            return None
        if proc.returncode != 0:
            raise self._error([self._git, "ls-remote"], proc)
        for line in proc.stdout.splitlines():
            sha, _, ref = line.partition("\t")
            if ref == f"refs/heads/{branch}":
                return sha
        return None

    def remote_branch_exists(self, branch: str) -> bool:
        return self.remote_branch_sha(branch) is not None

    def remote_default_branch(self) -> str | None:
        """The branch the remote's HEAD points to (its default branch), if it says."""
        proc = self._run(
            ["ls-remote", "--symref", "--end-of-options", _arg(self.remote, "remote"), "HEAD"],
            check=False,
        )
        if proc.returncode != 0:
            raise self._error([self._git, "ls-remote"], proc)
        m = re.search(r"^ref: refs/heads/(\S+)\tHEAD$", proc.stdout, re.MULTILINE)
        return m.group(1) if m else None

    def fetch(self, refspecs: Sequence[str], *, depth: int | None = None) -> None:
        """``git fetch --no-tags <remote> <refspecs...>``; fails if a source ref is missing."""
        args = ["fetch", "--no-tags", "--quiet", "--no-write-fetch-head"]
        if depth:
            args.append(f"--depth={depth}")
        self._run(
            [
                *args,
                "--end-of-options",
                _arg(self.remote, "remote"),
                *(_arg(r, "refspec") for r in refspecs),
            ]
        )

    def fetch_branch(self, branch: str) -> str | None:
        """Fetch ``branch`` into ``refs/remotes/<remote>/<branch>``; its sha, or None if absent.

        The remote-tracking ref is deleted when the branch no longer exists on the remote.
        """
        tracking = f"refs/remotes/{self.remote}/{branch}"
        if self.remote_branch_sha(branch) is None:
            self._run(["update-ref", "-d", tracking], check=False)
            return None
        self.fetch([f"+refs/heads/{branch}:{tracking}"])
        return self.rev_parse(tracking)

    # -- reading -------------------------------------------------------------------------
    def file_on_ref(self, ref: str, path: str | PurePosixPath) -> str | None:
        """The text of ``path`` (relative to the repository root) at ``ref``; None if absent.

        Raises GitError if ``ref`` itself does not exist.
        """
        if self.rev_parse(ref) is None:
            raise GitError(f"unknown git ref {ref!r}")
        spec = f"{_arg(ref)}:{_repo_path(path)}"
        if self._run(["cat-file", "-e", "--end-of-options", spec], check=False).returncode != 0:
            return None
        if self._out("cat-file", "-t", "--end-of-options", spec) != "blob":
            return None
        return self._run(["cat-file", "blob", "--end-of-options", spec]).stdout

    def fetch_branches(self, prefix: str) -> dict[str, str]:
        """Fetch every remote branch under ``prefix`` (e.g. ``daily-ai-summary/``) into
        ``refs/remotes/<remote>/``, pruning those gone from the remote; {branch: sha}."""
        pattern = f"refs/heads/{prefix}*"
        tracking = f"refs/remotes/{self.remote}/{prefix}"
        self._run(
            [
                "fetch",
                "--no-tags",
                "--quiet",
                "--no-write-fetch-head",
                "--prune",
                self.remote,
                f"+{pattern}:{tracking}*",
            ]
        )
        out = self._run(["for-each-ref", "--format=%(objectname) %(refname)", tracking]).stdout
        found: dict[str, str] = {}
        for line in out.splitlines():
            sha, _, ref = line.partition(" ")
            found[ref.removeprefix(f"refs/remotes/{self.remote}/")] = sha
        return found

    def list_files(self, ref: str, directory: str | PurePosixPath = "") -> list[str]:
        """Paths (relative to the repository root) of the files under ``directory`` at ``ref``."""
        directory = _repo_path(directory) if str(directory) not in ("", ".") else ""
        args = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", _arg(ref)]
        if directory:
            args += ["--", directory]
        out = self._run(args).stdout
        return [p for p in out.split("\0") if p]

    def log_authors(self, rev_range: str) -> list[CommitAuthor]:
        """One entry per commit in ``rev_range`` (e.g. ``base..head``), newest first."""
        out = self._run(
            ["log", "--format=%H%x00%an%x00%ae", "--end-of-options", _arg(rev_range), "--"]
        ).stdout
        authors = []
        for line in out.splitlines():
            sha, name, email = line.split("\0")
            authors.append(CommitAuthor(sha, name, email))
        return authors

    def diff_numstat(
        self, base: str, head: str | None = None, paths: Sequence[str] = ()
    ) -> list[NumStat]:
        """Lines added/deleted per file between ``base`` and ``head`` (or the working tree)."""
        args = ["diff", "--numstat", "-z", "--no-renames", "--no-ext-diff", _arg(base)]
        if head:
            args.append(_arg(head))
        out = self._run([*args, "--", *(_repo_path(p) for p in paths)]).stdout
        stats = []
        for record in out.split("\0"):
            if not record:
                continue
            added, deleted, path = record.split("\t", 2)
            stats.append(NumStat(_count(added), _count(deleted), path))
        return stats

    # -- changing ------------------------------------------------------------------------
    @contextmanager
    def worktree(self, start_point: str = "HEAD") -> Iterator[Git]:
        """A temporary detached worktree at ``start_point``, removed on exit.

        Yields a ``Git`` for it with the same remote, token and identity. Everything done
        there (commits, rebases, pushes) leaves this working tree untouched.
        """
        if self.rev_parse(start_point) is None:
            raise GitError(f"cannot start a worktree at unknown ref {start_point!r}")
        path = Path(tempfile.mkdtemp(prefix="daily-ai-summary-wt-"))
        try:
            self._run(
                [
                    "worktree",
                    "add",
                    "--detach",
                    "--quiet",
                    "--end-of-options",
                    str(path),
                    _arg(start_point),
                ]
            )
            yield Git(
                path,
                token=self._token,
                remote=self.remote,
                env=self._base_env,
                identity=self.identity,
                timeout=self.timeout,
                git=self._git,
            )
        finally:
            self._run(["worktree", "remove", "--force", str(path)], check=False, auth=False)
            shutil.rmtree(path, ignore_errors=True)
            self._run(["worktree", "prune"], check=False, auth=False)

    def checkout_new_branch(self, branch: str, start_point: str, *, reset: bool = False) -> None:
        """Create ``branch`` at ``start_point`` and check it out (``reset``: move it if it exists).

        Refuses when the working tree has local changes, so nothing uncommitted is lost.
        """
        self._require_clean("switch branches")
        self._run(
            ["checkout", "--quiet", "-B" if reset else "-b", _arg(branch), _arg(start_point), "--"]
        )

    def checkout(self, ref: str) -> None:
        """Check out an existing branch (or detach at a commit); refuses with local changes."""
        self._require_clean("check out another ref")
        self._run(["checkout", "--quiet", _arg(ref), "--"])

    def set_branch(self, branch: str, sha: str) -> None:
        """Point the local ``branch`` at ``sha`` (created if missing). Refuses when that branch
        is checked out here, which would leave the files out of step with it."""
        if self.current_branch() == branch:
            raise GitError(
                f"{branch} is checked out in {self.root}; switch to another branch first"
            )
        self._run(
            ["update-ref", "-m", "daily-ai-summary", "--", _arg(f"refs/heads/{branch}"), _arg(sha)]
        )

    def _require_clean(self, what: str) -> None:
        if self.has_local_changes():
            raise GitError(f"refusing to {what} in {self.root}: it has uncommitted changes")

    def write_file_atomic(self, path: str | PurePosixPath, text: str) -> Path:
        """Write ``text`` to ``path`` inside this working tree, atomically (``write_atomic``)."""
        return write_atomic(self.root / _repo_path(path), text)

    def commit(
        self,
        paths: Sequence[str | PurePosixPath],
        message: str,
        author_name: str,
        author_email: str,
    ) -> str | None:
        """Commit exactly ``paths`` (added, changed or deleted); the new sha, or None if unchanged.

        Other staged or modified files are left out of the commit and left alone. The author
        is also the committer; hooks and signing config are skipped (a bot commit in CI).
        """
        if not paths:
            raise GitError("commit: no paths given")
        rel = [_repo_path(p) for p in paths]
        self._run(["add", "--all", "--", *rel])
        staged = self._run(["diff", "--cached", "--quiet", "HEAD", "--", *rel], check=False)
        if staged.returncode == 0:
            return None
        if staged.returncode != 1:
            raise self._error([self._git, "diff"], staged)
        who = {
            "GIT_AUTHOR_NAME": author_name,
            "GIT_AUTHOR_EMAIL": author_email,
            "GIT_COMMITTER_NAME": author_name,
            "GIT_COMMITTER_EMAIL": author_email,
        }
        self._run(
            [
                "-c",
                "commit.gpgsign=false",
                "commit",
                "--quiet",
                "--no-verify",
                f"--message={message}",
                "--",
                *rel,
            ],
            env=who,
        )
        return self.head_sha()

    def push(self, branch: str, *, force_with_lease: str | None = None) -> str:
        """Push ``HEAD`` to ``refs/heads/<branch>`` on the remote; returns the pushed sha.

        ``force_with_lease=None``: a plain push (creates the branch, or fast-forwards it).
        ``force_with_lease=sha``: overwrite only if the remote branch is still at ``sha``;
        ``""``: only if the branch does not exist yet. Raises ``PushRejected`` when refused.
        """
        head = self.head_sha()
        ref = f"refs/heads/{branch}"
        args = ["push", "--porcelain", "--no-verify"]
        if force_with_lease is not None:
            args.append(f"--force-with-lease={ref}:{force_with_lease}")
        command = [*args, "--end-of-options", _arg(self.remote, "remote"), _arg(f"HEAD:{ref}")]
        proc = self._run(command, check=False)
        status = _porcelain_status(proc.stdout, ref)
        if proc.returncode == 0 and (status is None or status[0] != "!"):
            return head
        raise self._push_error([self._git, *command], proc, status)

    def _push_error(
        self,
        command: Sequence[str],
        proc: subprocess.CompletedProcess[str],
        status: tuple[str, str] | None,
    ) -> GitCommandError:
        base = self._error(command, proc)
        summary = status[1] if status else ""
        reason = push_reason(summary, proc.stderr, status)
        if reason is None:
            return base
        return PushRejected(
            f"push to {command[-1].split(':', 1)[1]} was rejected ({reason}): {self.redact(summary)}"
            f"\n{base.stderr}".rstrip(),
            reason=reason,
            command=base.command,
            returncode=base.returncode,
            stderr=base.stderr,
        )

    def rebase_onto(self, upstream: str) -> str:
        """Replay this branch's commits not in ``upstream`` on top of it; the new HEAD sha.

        On a conflict the rebase is aborted (HEAD, index and files as before) and
        ``RebaseConflict`` is raised.
        """
        proc = self._run(
            [
                "-c",
                "commit.gpgsign=false",
                "rebase",
                "--quiet",
                "--no-autostash",
                "--end-of-options",
                _arg(upstream),
            ],
            check=False,
        )
        if proc.returncode != 0:
            err = self._error([self._git, "rebase"], proc)
            for state in ("rebase-merge", "rebase-apply"):
                where = self._run(["rev-parse", "--git-path", state], check=False).stdout.strip()
                if where and (self.root / where).exists():
                    self._run(["rebase", "--abort"], check=False)
                    break
            raise RebaseConflict(
                f"rebase onto {upstream} failed, aborted: {err.stderr or err.message}",
                command=err.command,
                returncode=err.returncode,
                stderr=err.stderr,
            )
        return self.head_sha()
