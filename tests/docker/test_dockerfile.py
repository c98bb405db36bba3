"""The Dockerfile follows GitHub's rules for Docker actions and installs only what is pinned
(checked without an engine)."""

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
FINAL_STAGE = INSTRUCTIONS[max(i for i, x in enumerate(INSTRUCTIONS) if x.startswith("FROM ")) :]


def instructions(keyword: str, within: list[str] = INSTRUCTIONS) -> list[str]:
    return [i for i in within if i.split(None, 1)[0].upper() == keyword]


def test_the_base_is_debian_bookworm_slim_pinned_by_digest() -> None:
    (arg,) = instructions("ARG")
    assert INSTRUCTIONS[0] == arg, "the ARG comes before every FROM, so both stages see it"
    assert re.fullmatch(r"ARG BASE_IMAGE=debian:bookworm-slim@sha256:[0-9a-f]{64}", arg), arg
    assert instructions("FROM") == ["FROM ${BASE_IMAGE} AS build", "FROM ${BASE_IMAGE}"]


def test_runs_as_root_and_relies_on_no_workdir() -> None:
    # The runner mounts the workspace (owned by uid 1001) and needs root; it also mounts over
    # any WORKDIR, so the image must not depend on one.
    assert instructions("USER") == []
    assert instructions("WORKDIR") == []


def test_entrypoint_is_exec_form_with_an_absolute_path() -> None:
    (entrypoint,) = instructions("ENTRYPOINT")
    argv = json.loads(entrypoint.split(None, 1)[1])
    assert argv == ["/opt/venv/bin/daily-ai-summary", "run"]


def test_the_image_gets_python_git_and_certificates_and_leaves_no_apt_state() -> None:
    (apt,) = [i for i in instructions("RUN", FINAL_STAGE) if "apt-get install" in i]
    assert "--no-install-recommends" in apt
    for package in ("python3", "ca-certificates"):
        assert re.search(rf"\s{re.escape(package)}(\s|$)", apt), package
    assert "apt-get download git" in apt
    assert "dpkg --ignore-depends=perl,liberror-perl,git-man --install git_" in apt
    assert "python3-venv" not in apt, "the venv is built in the build stage"
    for leftover in ("/var/lib/apt/lists/*", "/var/cache/apt/*"):
        assert leftover in apt


def test_python_packages_come_only_from_the_hash_pinned_lock() -> None:
    pips = [i for i in instructions("RUN") if "pip" in i and "install" in i]
    lock_installs = [i for i in pips if "-r /locks/" in i]
    assert len(lock_installs) == 1
    (locked,) = lock_installs
    for part in locked.split("&&"):
        if " install " in part:
            assert "--require-hashes" in part and "--only-binary :all:" in part, part
            assert "--no-deps" in part, part
    # The package's own wheel: built without build isolation (no unpinned setuptools download)
    # and installed without dependencies (they all came from the lock).
    (own,) = [i for i in instructions("RUN") if "pip wheel" in i]
    assert "--no-build-isolation" in own and "--no-deps" in own
    assert own.count("--no-deps") == 2


def test_the_final_stage_copies_only_the_venv() -> None:
    assert instructions("COPY", FINAL_STAGE) == ["COPY --from=build /opt/venv /opt/venv"]


def test_only_the_locks_pyproject_readme_and_src_are_copied() -> None:
    sources = {s for i in instructions("COPY") if "--from" not in i for s in i.split()[1:-1]}
    assert sources == {
        "requirements.lock", "requirements-build.lock", "pyproject.toml", "README.m[d]", "src"
    }  # fmt: skip
    lines = (REPO / ".dockerignore").read_text().splitlines()
    ignore = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert ignore[0] == "*", "the build context starts empty and allows files back in"
    assert {p for p in ignore if p.startswith("!")} == {
        "!requirements.lock", "!requirements-build.lock", "!pyproject.toml", "!README.md", "!src/"
    }  # fmt: skip
