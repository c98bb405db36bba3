"""scripts/release end to end: a real registry on 127.0.0.1, a bare git origin, the real image.

The project is copied into a fresh repository whose ``origin`` is a local bare repository (the
stand-in for GitHub), and released to a local ``docker-registry`` (the stand-in for ghcr.io).
There is no buildx on this machine (Debian bookworm does not package it), so the script builds
with the plain engine: linux/amd64 only, no SBOM or provenance. The multi-arch path with its
attestations runs in .github/workflows/release.yml.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from container import BASE_IMAGE, REPO
from registry import REQUIRE, LocalRegistry, registry_binary

pytestmark = [pytest.mark.docker, pytest.mark.timeout(1800)]

OWNER = "Octo-Org"  # GHCR names are lower case: the script lowers it
REPOSITORY = "octo-org/daily-ai-summary"
FILES = [
    "Dockerfile", ".dockerignore", "requirements.lock", "requirements-build.lock",
    "pyproject.toml", "README.md", "action.yml", "scripts/release", "src",
]  # fmt: skip


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def set_version(repo: Path, version: str, message: str) -> str:
    path = repo / "pyproject.toml"
    path.write_text(
        re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', path.read_text()),
        encoding="utf-8",
    )
    git(repo, "commit", "--quiet", "-am", message)
    git(repo, "push", "--quiet", "origin", "main")
    return git(repo, "rev-parse", "HEAD")


class Project:
    def __init__(self, root: Path) -> None:
        self.origin = root / "origin.git"
        self.repo = root / "project"
        self.repo.mkdir()
        for name in FILES:
            src, dst = REPO / name, self.repo / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(
                    src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
                )
            else:
                shutil.copy2(src, dst)
        git(self.repo, "init", "--quiet", "--initial-branch=main")
        git(self.repo, "config", "user.name", "Release Tester")
        git(self.repo, "config", "user.email", "release@example.org")
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "--quiet", "-m", "the project")
        subprocess.run(["git", "init", "--quiet", "--bare", str(self.origin)], check=True)
        git(self.repo, "remote", "add", "origin", str(self.origin))
        git(self.repo, "push", "--quiet", "origin", "main")

    def release(self, version: str, registry: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        return subprocess.run(
            [str(self.repo / "scripts" / "release"), version, "--registry", registry,
             "--owner", OWNER, "--builder", "docker", "--base-image", BASE_IMAGE],
            cwd=self.repo, env=env, capture_output=True, text=True, timeout=1500, check=False,
        )  # fmt: skip

    def tags(self) -> dict[str, str]:
        out = git(
            self.origin, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/tags"
        )
        return dict(line.split() for line in out.splitlines())


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRegistry]:
    if registry_binary() is None:
        message = "docker-registry is not installed (apt-get install docker-registry; .ci/run does)"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    with LocalRegistry(tmp_path_factory.mktemp("registry")) as reg:
        yield reg
    forget_local_images(f"{reg.host}/{REPOSITORY}")


def forget_local_images(repository: str) -> None:
    """Untag what the releases left in the engine (tags and pulled digests of ``repository``);
    the layers shared with the test image stay."""
    out = subprocess.run(
        ["docker", "image", "ls", "--digests", "--filter", f"reference={repository}",
         "--format", "{{.Repository}} {{.Tag}} {{.Digest}}"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    refs = set()
    for line in out.splitlines():
        repo, tag, digest = line.split()
        refs.add(f"{repo}:{tag}" if tag != "<none>" else f"{repo}@{digest}")
    if refs:
        subprocess.run(["docker", "image", "rm", *sorted(refs)], capture_output=True, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(tmp_path_factory.mktemp("release"))


@pytest.fixture(scope="module")
def first(docker_engine: None, registry: LocalRegistry, project: Project) -> dict[str, str]:
    """v1.2.3 released once (the other tests build on it)."""
    source = set_version(project.repo, "1.2.3", "version 1.2.3")
    proc = project.release("v1.2.3", registry.host)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {"source": source, "stdout": proc.stdout}


@pytest.mark.parametrize(
    "version", ["1.2.3", "v1.2", "v1.2.3-rc.1", "v01.2.3", "v1.2.3; rm -rf /", "", "v1.2.3\n"]
)
def test_a_bad_version_is_one_clear_line_and_nothing_is_pushed(
    docker_engine: None, registry: LocalRegistry, tmp_path: Path, version: str
) -> None:
    project = Project(tmp_path)
    proc = project.release(version, registry.host)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("scripts/release: version ")
    assert "is not vMAJOR.MINOR.PATCH (e.g. v1.2.3)" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert project.tags() == {}


def test_a_version_that_is_not_pyprojects_is_refused_before_any_build(
    docker_engine: None, registry: LocalRegistry, tmp_path: Path
) -> None:
    project = Project(tmp_path)  # pyproject says 0.1.0 (or whatever main has), not 7.0.0
    proc = project.release("v7.0.0", registry.host)
    assert proc.returncode == 1
    assert "pyproject.toml says version" in proc.stderr and "set it to 7.0.0" in proc.stderr
    assert project.tags() == {} and "building" not in proc.stdout


def test_the_release_pushes_the_image_and_tags_a_commit_that_runs_it_by_digest(
    first: dict[str, str], registry: LocalRegistry, project: Project
) -> None:
    tags = project.tags()
    assert set(tags) == {"v1.2.3", "v1.2", "v1"}
    assert len(set(tags.values())) == 1, "v1 and v1.2 point at the release commit"
    commit = tags["v1"]
    assert git(project.origin, "rev-parse", f"{commit}^") == first["source"]
    assert git(project.origin, "diff", "--name-only", f"{commit}^", commit) == "action.yml"

    digest = registry.digest(REPOSITORY, "v1.2.3")
    assert registry.tags(REPOSITORY) == ["v1", "v1.2", "v1.2.3"]
    assert {registry.digest(REPOSITORY, t) for t in ("v1", "v1.2")} == {digest}
    action = git(project.origin, "show", f"{commit}:action.yml")
    pinned = f"docker://{registry.host}/{REPOSITORY}@{digest}"
    assert re.search(rf"(?m)^  image: {re.escape(pinned)}$", action)
    before = git(project.origin, "show", f"{commit}^:action.yml")
    assert action.replace(pinned, "Dockerfile") == before, "only the image line changed"


def test_the_pinned_image_pulls_by_digest_and_runs_the_released_version(
    first: dict[str, str], registry: LocalRegistry, project: Project
) -> None:
    digest = registry.digest(REPOSITORY, "v1")
    ref = f"{registry.host}/{REPOSITORY}@{digest}"
    for tag in ("v1.2.3", "v1.2", "v1"):  # forget the local tags: the digest alone must pull
        subprocess.run(["docker", "image", "rm", f"{registry.host}/{REPOSITORY}:{tag}"],
                       capture_output=True, check=False)  # fmt: skip
    pull = subprocess.run(["docker", "pull", ref], capture_output=True, text=True, check=False)
    assert pull.returncode == 0, pull.stderr
    assert digest in pull.stdout
    version = subprocess.run(
        ["docker", "run", "--rm", "--network", "none", "--entrypoint",
         "/opt/venv/bin/daily-ai-summary", ref, "--version"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert version.stdout.strip() == "daily-ai-summary 1.2.3", version.stderr


def test_re_releasing_the_same_version_changes_nothing(
    first: dict[str, str], registry: LocalRegistry, project: Project
) -> None:
    tags, digest = project.tags(), registry.digest(REPOSITORY, "v1.2.3")
    proc = project.release("v1.2.3", registry.host)
    assert proc.returncode == 0, proc.stderr
    assert "already released from this commit" in proc.stdout and "building" not in proc.stdout
    assert project.tags() == tags
    assert registry.digest(REPOSITORY, "v1.2.3") == digest


def test_a_released_version_cannot_be_released_again_from_another_commit(
    first: dict[str, str], registry: LocalRegistry, project: Project
) -> None:
    tags = project.tags()
    (project.repo / "NOTES").write_text("a later change\n")
    git(project.repo, "add", "NOTES")
    git(project.repo, "commit", "--quiet", "-m", "a later change")
    proc = project.release("v1.2.3", registry.host)
    git(project.repo, "reset", "--quiet", "--hard", "HEAD^")
    assert proc.returncode == 1
    assert "v1.2.3 was already released from" in proc.stderr
    assert "released versions do not change" in proc.stderr
    assert project.tags() == tags


def test_the_next_patch_moves_v1_and_v1_2_and_keeps_v1_2_3(
    first: dict[str, str], registry: LocalRegistry, project: Project
) -> None:
    old = project.tags()
    source = set_version(project.repo, "1.2.4", "version 1.2.4")
    proc = project.release("v1.2.4", registry.host)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tags = project.tags()
    assert tags["v1.2.3"] == old["v1.2.3"]
    assert tags["v1"] == tags["v1.2"] == tags["v1.2.4"] != old["v1"]
    assert git(project.origin, "rev-parse", f"{tags['v1']}^") == source
    new_digest = registry.digest(REPOSITORY, "v1.2.4")
    assert registry.digest(REPOSITORY, "v1") == new_digest
    action = git(project.origin, "show", f"{tags['v1']}:action.yml")
    assert re.search(rf"(?m)^  image: docker://\S+@{new_digest}$", action)
