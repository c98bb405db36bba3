"""The Dockerfile follows GitHub's rules for Docker actions (checked without an engine)."""

from __future__ import annotations

import json
import re

from container import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text()
INSTRUCTIONS = [
    line.strip()
    for line in re.sub(r"\\\n", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def instructions(keyword: str) -> list[str]:
    return [i for i in INSTRUCTIONS if i.split(None, 1)[0].upper() == keyword]


def test_base_image_is_debian_bookworm_slim() -> None:
    assert instructions("FROM") == ["FROM debian:bookworm-slim"]


def test_runs_as_root_and_relies_on_no_workdir() -> None:
    # The runner mounts the workspace (owned by uid 1001) and needs root; it also mounts over
    # any WORKDIR, so the image must not depend on one.
    assert instructions("USER") == []
    assert instructions("WORKDIR") == []


def test_entrypoint_is_exec_form_with_an_absolute_path() -> None:
    (entrypoint,) = instructions("ENTRYPOINT")
    argv = json.loads(entrypoint.split(None, 1)[1])
    assert argv == ["/opt/venv/bin/daily-ai-summary", "run"]


def test_system_packages_are_minimal_and_leave_no_apt_lists() -> None:
    (apt,) = [i for i in instructions("RUN") if "apt-get install" in i]
    assert "--no-install-recommends" in apt
    for package in ("python3", "python3-venv", "git", "ca-certificates"):
        assert re.search(rf"\s{re.escape(package)}(\s|$)", apt), package
    assert "rm -rf /var/lib/apt/lists/*" in apt


def test_only_pyproject_readme_and_src_are_copied() -> None:
    sources = {s for i in instructions("COPY") for s in i.split()[1:-1]}
    assert sources == {"pyproject.toml", "README.m[d]", "src"}
    lines = (REPO / ".dockerignore").read_text().splitlines()
    ignore = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert ignore[0] == "*", "the build context starts empty and allows files back in"
    assert {p for p in ignore if p.startswith("!")} == {"!pyproject.toml", "!README.md", "!src/"}
