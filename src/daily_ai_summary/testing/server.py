r"""A small, real HTTP server for fakes: routes, a request log, and injected faults.

    with FakeServer() as srv:
        @srv.route("GET", r"/r/(?P<sub>\w+)/top\.json")
        def top(req):
            return Response.json({"kind": "Listing", ...})
        srv.inject("GET", r"/r/", Response(429, headers={"Retry-After": "1"}))
        httpx.get(srv.url + "/r/MachineLearning/top.json")

Faults are consumed in order by the next matching requests, then the route answers normally.
A ``Response`` can delay (``delay=``), cut its body short (``truncate=``) or drop the
connection, which is how tests make timeouts and truncated bodies happen for real. A body that
contains ``ECHO_HEADERS`` gets the request's headers in its place (``Name: value; ...``, sorted by name), as a
misconfigured server or proxy echoes them in an error page: that is how tests make a server
send back the ``Authorization`` header the client sent, whatever form the secret took.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

ECHO_HEADERS = "{{request-headers}}"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # named groups of the route pattern

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts, latency)
    truncate: int | None = None  # send only this many body bytes, then close
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(
        cls, data: Any, status: int = 200, headers: dict[str, str] | None = None, **kw: Any
    ) -> Response:
        h = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(data), h, **kw)

    @classmethod
    def text(
        cls,
        text: str,
        status: int = 200,
        content_type: str = "text/plain; charset=utf-8",
        **kw: Any,
    ) -> Response:
        return cls(status, text, {"Content-Type": content_type}, **kw)


Handler = Callable[[Request], Response]


class FakeServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, name: str = "fake") -> None:
        self.name = name
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[tuple[str, re.Pattern[str], list[Response]]] = []
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self._in_flight = 0
        self.max_in_flight = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- configuration -----------------------------------------------------------------
    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.add_route(method, pattern, fn)
            return fn

        return register

    def add_route(self, method: str, pattern: str, fn: Handler) -> None:
        self._routes.append((method.upper(), re.compile(pattern + r"\Z"), fn))

    def inject(self, method: str, pattern: str, *responses: Response) -> None:
        """The next ``len(responses)`` requests matching (method, pattern) get these answers."""
        with self._lock:
            self._faults.append((method.upper(), re.compile(pattern), list(responses)))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def calls(self, method: str | None = None, pattern: str | None = None) -> list[Request]:
        rx = re.compile(pattern) if pattern else None
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (rx is None or rx.search(r.path))
            ]

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"

    def start(self, port: int = 0) -> Self:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _serve(self) -> None:
                server._handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=self.name,
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling ----------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        req = Request(
            method=h.command,
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in h.headers.items()},
            body=body,
        )
        with self._lock:
            self.requests.append(req)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            resp = self._fault_for(req) or self._dispatch(req)
            self._send(h, _echo(resp, req))
        finally:
            with self._lock:
                self._in_flight -= 1

    def _fault_for(self, req: Request) -> Response | None:
        with self._lock:
            for method, rx, queue in self._faults:
                if queue and method == req.method and rx.search(req.path):
                    return queue.pop(0)
        return None

    def _dispatch(self, req: Request) -> Response:
        path_matched = False
        for method, rx, fn in self._routes:
            m = rx.match(req.path)
            if not m:
                continue
            path_matched = True
            if method != req.method:
                continue
            req.params = {k: v for k, v in m.groupdict().items() if v is not None}
            try:
                return fn(req)
            except Exception as exc:  # noqa: BLE001 - a fake must answer, and say what broke
                return Response.json({"message": f"fake {self.name} crashed: {exc!r}"}, 500)
        if path_matched:
            return Response.json({"message": "Method Not Allowed"}, 405)
        return Response.json({"message": "Not Found", "path": req.path}, 404)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, resp: Response) -> None:
        if resp.delay:
            time.sleep(resp.delay)
        if resp.drop:
            h.close_connection = True
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        body = resp.body.encode("utf-8") if isinstance(resp.body, str) else resp.body
        try:
            h.send_response(resp.status)
            headers = {"Content-Type": "application/octet-stream", **resp.headers}
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            if resp.truncate is not None:
                h.send_header("Connection", "close")
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(body if resp.truncate is None else body[: resp.truncate])
            if resp.truncate is not None:
                h.wfile.flush()
                h.close_connection = True
                h.connection.shutdown(socket.SHUT_RDWR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)


def _echo(resp: Response, req: Request) -> Response:
    """``resp`` with ``ECHO_HEADERS`` in its body replaced by the request's headers."""
    body = resp.body.encode("utf-8") if isinstance(resp.body, str) else resp.body
    if ECHO_HEADERS.encode() not in body:
        return resp
    text = "; ".join(f"{k.title()}: {v}" for k, v in sorted(req.headers.items()))
    if "json" in resp.headers.get("Content-Type", "").lower():
        text = json.dumps(text)[1:-1]
    return Response(resp.status, body.replace(ECHO_HEADERS.encode(), text.encode("utf-8")), resp.headers,
                    delay=resp.delay, truncate=resp.truncate, drop=resp.drop)  # fmt: skip


class FakeService:
    """Base for a fake that owns a ``FakeServer`` (``self.server``): lifecycle and the request
    log, so each fake only adds its API."""

    server: FakeServer

    def start(self) -> Self:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def calls(self, method: str | None = None, pattern: str | None = None) -> list[Request]:
        return self.server.calls(method, pattern)

    @property
    def max_in_flight(self) -> int:
        return self.server.max_in_flight

    def inject(self, method: str, pattern: str, *responses: Response) -> None:
        self.server.inject(method, pattern, *responses)
