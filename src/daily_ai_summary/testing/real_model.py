"""A real small model behind llama.cpp's OpenAI-compatible server, for the ``real_model`` tests
and ``bench/real_model.py``. Not a fake: the answers are whatever the model writes.

``scripts/real-model fetch`` builds ``llama-server`` and joins Qwen2.5-Coder-1.5B-Instruct
(Q4_K_M) into a cache outside the repository. ``RealModel.start()`` runs the server from that
cache on 127.0.0.1 with an ephemeral port; ``RealModel.external(base_url, model)`` uses one
that is already running (``DAILY_AI_SUMMARY_REAL_MODEL_URL``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CACHE_ENV = "DAILY_AI_SUMMARY_REAL_MODEL_CACHE"
URL_ENV = "DAILY_AI_SUMMARY_REAL_MODEL_URL"  # an already running server's /v1 URL
MODEL_ENV = "DAILY_AI_SUMMARY_REAL_MODEL_NAME"
MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
START_TIMEOUT = 180.0  # loading 1.1 GB of weights on a busy 2-core machine


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "daily-ai-summary" / "real-model"
    return Path(os.environ.get(CACHE_ENV) or default)


def server_binary() -> Path:
    return cache_dir() / "llbuild" / "bin" / "llama-server"


def weights() -> Path:
    return cache_dir() / f"{MODEL_NAME}.gguf"


def missing() -> str | None:
    """Why no real model can be used here, or None when one can."""
    if os.environ.get(URL_ENV):
        return None
    for what, path in (("llama-server", server_binary()), ("the weights", weights())):
        if not path.exists():
            return f"{what} not found at {path}; run scripts/real-model fetch (about 10 minutes)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RealModel:
    """A running OpenAI-compatible server with a real model."""

    base_url: str
    model: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    log_path: Path | None = None

    @classmethod
    def external(cls, base_url: str, model: str = MODEL_NAME) -> RealModel:
        return cls(base_url=base_url.rstrip("/"), model=model)

    @classmethod
    def from_env(cls) -> RealModel:
        """The server named by ``DAILY_AI_SUMMARY_REAL_MODEL_URL``, or a new one from the cache."""
        url = os.environ.get(URL_ENV)
        if url:
            return cls.external(url, os.environ.get(MODEL_ENV) or MODEL_NAME)
        return cls.start()

    @classmethod
    def start(
        cls, *, slots: int = 2, context: int = 16384, threads: int | None = None
    ) -> RealModel:
        reason = missing()
        if reason:
            raise FileNotFoundError(reason)
        port = _free_port()
        log_path = cache_dir() / f"server-{port}.log"
        cmd = [
            str(server_binary()),
            *("-m", str(weights()), "--alias", MODEL_NAME),
            *("--host", "127.0.0.1", "--port", str(port)),
            *("-t", str(threads or os.cpu_count() or 2), "-c", str(context), "-np", str(slots)),
        ]
        with log_path.open("wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        model = cls(f"http://127.0.0.1:{port}/v1", MODEL_NAME, proc, log_path)
        try:
            model.wait_ready()
        except BaseException:
            model.stop()
            raise
        return model

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        root = self.base_url.removesuffix("/v1")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"llama-server exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(root + "/health", timeout=5) as resp:
                    if json.loads(resp.read() or b"{}").get("status") == "ok":
                        return
            except (OSError, ValueError):
                pass
            time.sleep(1.0)
        raise TimeoutError(f"llama-server not ready after {timeout:.0f}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> RealModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
