"""A git smart-HTTP server on 127.0.0.1 that wants a token, as github.com does.

    with GitHttpServer(projects_root, token="ghs_...") as srv:
        url = srv.url_for("origin.git")          # http://127.0.0.1:PORT/origin.git
        ...git clone/fetch/push against url...
        srv.pushes                               # who pushed what

Real git on both ends: requests are handed to ``git http-backend`` (CGI), so fetch and push
speak the real protocol. Every request must carry HTTP Basic credentials whose password is
the token (the user name is free, as on GitHub: git's extraheader sends ``x-access-token``);
otherwise 401 with a ``WWW-Authenticate`` challenge, and git fails at once because the action
runs it with ``GIT_TERMINAL_PROMPT=0``. ``pass_authorization=True`` hands the request's
``Authorization`` header to the backend (and so to hooks) as ``HTTP_AUTHORIZATION``: a
misconfigured server whose hook can print it back in ``remote:`` lines.
"""

from __future__ import annotations

import base64
import hmac
import os
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class GitRequest:
    method: str
    path: str
    service: str  # git-upload-pack (fetch) | git-receive-pack (push) | ""
    user: str | None  # the Basic user name, when the credentials were accepted
    authorized: bool


@dataclass
class GitHttpServer:
    root: Path  # the directory holding the bare repositories
    token: str
    pass_authorization: bool = False
    requests: list[GitRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> GitHttpServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server._handle(self)

            def do_POST(self) -> None:
                server._handle(self)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> GitHttpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"  # (an IPv4 server: host is a str)

    def url_for(self, repo: str) -> str:
        return f"{self.url}/{repo}"

    # -- what happened ---------------------------------------------------------------------
    @property
    def pushes(self) -> list[GitRequest]:
        """Accepted ``git-receive-pack`` POSTs (the pack upload of a push)."""
        with self._lock:
            return [
                r
                for r in self.requests
                if r.authorized and r.service == "git-receive-pack" and r.method == "POST"
            ]

    @property
    def refused(self) -> list[GitRequest]:
        with self._lock:
            return [r for r in self.requests if not r.authorized]

    # -- serving ---------------------------------------------------------------------------
    def _credentials(self, header: str | None) -> str | None:
        """The Basic user name when the password is the token, else None."""
        scheme, _, value = (header or "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = (
                base64.b64decode(value.strip(), validate=True).decode().partition(":")
            )
        except (ValueError, UnicodeDecodeError):
            return None
        return user if hmac.compare_digest(password.encode(), self.token.encode()) else None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        service = ""
        for piece in (parts.query, parts.path):
            for name in ("git-upload-pack", "git-receive-pack"):
                if name in piece:
                    service = name
        user = self._credentials(h.headers.get("Authorization"))
        body = _read_body(h)
        with self._lock:
            self.requests.append(GitRequest(h.command, parts.path, service, user, user is not None))
        if user is None:
            message = b"Authentication required\n"
            h.send_response(401)
            h.send_header("WWW-Authenticate", 'Basic realm="git"')
            h.send_header("Content-Type", "text/plain")
            h.send_header("Content-Length", str(len(message)))
            h.end_headers()
            h.wfile.write(message)
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/"),
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": h.command,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "CONTENT_TYPE": h.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user or "x-access-token",
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_PROTOCOL": h.headers.get("Git-Protocol", ""),
        }
        if h.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = h.headers["Content-Encoding"]
        if self.pass_authorization:
            env["HTTP_AUTHORIZATION"] = h.headers.get("Authorization", "")
        proc = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
        )
        head, _, payload = proc.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = proc.stdout.partition(b"\n\n")
        status = 200
        headers: list[tuple[str, str]] = []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        h.send_response(status)
        for name, value in headers:
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)


def _read_body(h: BaseHTTPRequestHandler) -> bytes:
    """The request body, whether sent with a length or chunked (git chunks big packs)."""
    if h.headers.get("Transfer-Encoding", "").lower() == "chunked":
        out = bytearray()
        while True:
            size = int(h.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                h.rfile.readline()
                return bytes(out)
            out += h.rfile.read(size)
            h.rfile.readline()
    length = int(h.headers.get("Content-Length") or 0)
    return h.rfile.read(length) if length else b""


__all__ = ["GitHttpServer", "GitRequest"]
