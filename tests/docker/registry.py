"""A real OCI registry on 127.0.0.1 for the release tests: Debian's ``docker-registry``
(the distribution project's registry, v2 API), with a temporary storage directory and an
ephemeral port. The Docker engine pushes to 127.0.0.0/8 over plain HTTP without any
configuration (loopback registries are insecure-allowed by default).

    with LocalRegistry(tmp_path) as reg:
        reg.host  # "127.0.0.1:41234"
        reg.tags("octo/daily-ai-summary")  # ["v1", ...]
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REQUIRE = os.environ.get("CI", "") == "true" or os.environ.get(
    "DAILY_AI_SUMMARY_REQUIRE_DOCKER", ""
) not in ("", "0", "false")
MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)


def registry_binary() -> str | None:
    return shutil.which("docker-registry") or (
        "/usr/bin/docker-registry" if Path("/usr/bin/docker-registry").exists() else None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalRegistry:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: subprocess.Popen[bytes] | None = None
        self.host = ""

    def __enter__(self) -> LocalRegistry:
        binary = registry_binary()
        if binary is None:
            raise RuntimeError("docker-registry is not installed (apt-get install docker-registry)")
        storage = self.root / "registry-storage"
        storage.mkdir(parents=True, exist_ok=True)
        for _ in range(5):  # another process may take the port between probe and bind
            port = free_port()
            config = self.root / "registry.yml"
            config.write_text(
                json.dumps(  # YAML is a superset of JSON
                    {
                        "version": 0.1,
                        "log": {"level": "warn"},
                        "storage": {"filesystem": {"rootdirectory": str(storage)}},
                        "http": {"addr": f"127.0.0.1:{port}"},
                    }
                ),
                encoding="utf-8",
            )
            log = (self.root / "registry.log").open("wb")
            self.proc = subprocess.Popen(
                [binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT
            )
            self.host = f"127.0.0.1:{port}"
            if self._wait_up():
                return self
            self.proc.kill()
            self.proc.wait()
        raise RuntimeError(
            f"docker-registry did not start: {(self.root / 'registry.log').read_text()}"
        )

    def _wait_up(self) -> bool:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"http://{self.host}/v2/", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        return False

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def tags(self, repository: str) -> list[str]:
        try:
            with urllib.request.urlopen(
                f"http://{self.host}/v2/{repository}/tags/list", timeout=10
            ) as r:
                return sorted(json.load(r).get("tags") or [])
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return []
            raise

    def digest(self, repository: str, reference: str) -> str:
        """The registry's digest for a tag (HEAD of the manifest, as a client resolves it)."""
        req = urllib.request.Request(
            f"http://{self.host}/v2/{repository}/manifests/{reference}",
            method="HEAD",
            headers={"Accept": MANIFEST_TYPES},
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            return str(r.headers["Docker-Content-Digest"])
