"""Logging for people: workflow commands on a runner, plain lines or rich on a terminal.

The pipeline gets a ``Log`` passed in and says what happens; how it is shown is decided here.
Every line goes through ``Redactor``, which replaces each known secret, in every form it may
take (raw, URL-encoded, inside base64 as HTTP Basic auth and git's extraheader send it), and
any recognisable credential (an ``Authorization`` value, ``Basic``/``Bearer`` credentials, URL
userinfo, GitHub token shapes) with ``***`` - on top of the runner's ``::add-mask::`` (given
every form too), because a runner only masks what it was told about, and a terminal masks
nothing. ``scrub`` is the one function that does it; other layers (git, the GitHub client, the
sources' error texts) call it rather than keeping their own.
"""

from __future__ import annotations

import base64
import contextlib
import re
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO
from urllib.parse import quote, quote_plus

from daily_ai_summary.errors import SummaryError
from daily_ai_summary.wording import ACTION, Wording

MIN_SECRET = 4  # shorter values are not treated as secrets (they would mask ordinary words)
MASK = "***"

# Credentials that need no list of secrets to be recognised: the value of an Authorization
# header (whatever the scheme), a Basic/Bearer credential standing alone, the userinfo of a URL
# and GitHub's token shapes. Applied to every line, so a secret the action was never told about
# (a proxy's, a token minted along the way) is stripped too.
_AUTH_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)"
    r"(?:((?:basic|bearer|token|digest|negotiate)\s+))?[^\s\"',;]+"
)
_SCHEME_CREDENTIAL = re.compile(
    r"(?i)\b(basic|bearer)(\s+)(?=[\w+/=.~-]*[0-9+/=_~-])[\w+/=.~-]{8,}"
)
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")
_TOKEN_SHAPES = re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b")


def _base64_cores(secret: bytes) -> set[str]:
    """The part of ``base64(... + secret + ...)`` that depends on ``secret`` alone, for each of
    the three alignments the secret can have in the encoded bytes. Whatever surrounds it (a
    ``client_id:`` as Basic auth sends it, ``x-access-token:`` as git's extraheader sends it),
    one of these is a substring of the encoding."""
    cores: set[str] = set()
    for pad in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * pad + secret).decode("ascii")
            full_groups = (pad + len(secret)) // 3
            core = encoded[4 if pad else 0 : 4 * full_groups]
            if len(core) >= 8:
                cores.add(core)
    return cores


GIT_BASIC_USER = (
    "x-access-token"  # the user git's extraheader (and actions/checkout) pairs a token with
)


def secret_forms(secret: str | None, *, basic_users: Iterable[str] = ()) -> list[str]:
    """Every form in which ``secret`` may show up in a log, longest first: as is, URL-encoded
    (a form body or a query string), ``base64(user:secret)`` whole for each of ``basic_users``
    and for ``x-access-token`` (HTTP Basic auth, git's ``http.extraheader``), and the part of
    any other base64 encoding that holds it."""
    if not secret or len(secret) < MIN_SECRET:
        return []
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe="")}
    for user in {GIT_BASIC_USER, *basic_users}:
        forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode("ascii"))
    forms |= _base64_cores(secret.encode("utf-8"))
    return sorted(forms, key=len, reverse=True)


def scrub(text: str, forms: Iterable[str] = ()) -> str:
    """``text`` with each of ``forms`` (see ``secret_forms``) and every recognisable credential
    replaced by ``***``. The one redaction function: the log, git's stderr and the GitHub and
    HTTP clients' messages all go through it."""
    # the shapes first: a whole credential goes, not just the secret's part of it
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + (m.group(2) or "") + MASK, text)
    text = _SCHEME_CREDENTIAL.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
    text = _URL_USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    text = _TOKEN_SHAPES.sub(MASK, text)
    for form in forms:
        if form:
            text = text.replace(form, MASK)
    return text


class Redactor:
    """Replaces known secrets (in every form of ``secret_forms``) and recognisable credentials."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        for s in secrets:
            self.add(s)

    def add(self, secret: str | None, *, basic_user: str | None = None) -> list[str]:
        """Learn ``secret`` (sent as Basic auth with ``basic_user``, if given); returns its
        forms that were new."""
        users = (basic_user,) if basic_user else ()
        new = [f for f in secret_forms(secret, basic_users=users) if f not in self._secrets]
        self._secrets.extend(new)
        self._secrets.sort(key=len, reverse=True)
        return new

    def __call__(self, text: str) -> str:
        return scrub(text, self._secrets)

    @property
    def secrets(self) -> list[str]:
        return list(self._secrets)


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def workflow_command(name: str, message: str, **props: str | int | None) -> str:
    """``::name k=v,...::message`` with the runner's escaping."""
    parts = ",".join(
        f"{k}={_escape_property(str(v))}" for k, v in props.items() if v not in (None, "")
    )
    return f"::{name}{' ' + parts if parts else ''}::{_escape_data(message)}"


class Log:
    """Plain lines to a stream (stderr by default). Base for the other flavours."""

    def __init__(
        self,
        redact: Redactor | None = None,
        stream: TextIO | None = None,
        wording: Wording = ACTION,
    ) -> None:
        self.redact = redact or Redactor()
        self.stream = stream or sys.stderr
        self.wording = wording  # how messages name settings (inputs, or flags and variables)
        self.warnings: list[str] = []

    def _say(self, line: str) -> str:
        return self.redact(self.wording.render(line))

    def _write(self, line: str) -> None:
        print(self._say(line), file=self.stream, flush=True)

    def info(self, message: str) -> None:
        self._write(message)

    def notice(self, message: str) -> None:
        self._write(f"notice: {message}")

    def warning(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.warnings.append(self._say(message))
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        self._write(f"warning: {where}{message}")

    def error(self, err: SummaryError | str) -> None:
        self._write(f"error: {err.render(self.wording) if isinstance(err, SummaryError) else err}")

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        start = time.monotonic()
        self._write(f"== {title}")
        try:
            yield
        finally:
            self._write(f"   ({time.monotonic() - start:.1f}s)")


class ActionLog(Log):
    """Workflow commands for the GitHub Actions runner (stdout, where the runner reads them)."""

    def __init__(self, redact: Redactor | None = None, stream: TextIO | None = None) -> None:
        super().__init__(redact, stream or sys.stdout)

    def mask(self, secrets: Iterable[str | tuple[str, str]]) -> None:
        """Register secrets with the runner. Must run before anything else is printed. A pair
        ``(user, secret)`` is a secret sent as Basic auth with that user."""
        for item in secrets:
            user, secret = item if isinstance(item, tuple) else (None, item)
            # every form the value may show up in (raw, URL-encoded, inside base64); printed
            # raw on purpose: this is the one line that tells the runner the value
            for form in self.redact.add(secret, basic_user=user):
                print(f"::add-mask::{form}", file=self.stream, flush=True)

    def notice(self, message: str) -> None:
        self._write(workflow_command("notice", message))

    def warning(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.warnings.append(self._say(message))
        self._write(workflow_command("warning", message, file=file, line=line))

    def error(self, err: SummaryError | str) -> None:
        if isinstance(err, SummaryError):
            message = err.message if err.file else err.render(self.wording)
            self._write(
                workflow_command("error", message, file=err.file, line=err.line, title=err.title)
            )
        else:
            self._write(workflow_command("error", err))

    @contextlib.contextmanager
    def group(self, title: str) -> Iterator[None]:
        self._write(f"::group::{title}")
        try:
            yield
        finally:
            self._write("::endgroup::")


class TerminalLog(Log):
    """Colours and stage timings on a TTY (rich); plain lines otherwise."""

    def __init__(
        self,
        redact: Redactor | None = None,
        stream: TextIO | None = None,
        wording: Wording = ACTION,
    ) -> None:
        super().__init__(redact, stream, wording)
        self._console = None
        if self.stream.isatty():
            from rich.console import Console

            self._console = Console(file=self.stream, highlight=False)

    def _write(self, line: str) -> None:
        if self._console is None:
            return super()._write(line)
        from rich.text import Text

        line = self._say(line)
        style = (
            "yellow" if line.startswith("warning") else "red" if line.startswith("error") else None
        )
        style = "bold cyan" if line.startswith("==") else style
        self._console.print(Text(line, style=style or ""))
