"""requirements.lock and requirements-build.lock match pyproject.toml (no engine needed).

The image installs only from these files (``pip install --require-hashes``), so a dependency
added to pyproject but not locked would be missing from the image, and a stale pin would ship
a version pyproject no longer allows. ``scripts/lock`` rewrites both files.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from container import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
FIX = "run scripts/lock"


def pins(path: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    """name -> (version, hashes, 'via' sources) of a pip-compile --generate-hashes file."""
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text(encoding="utf-8"))
    for block in blocks:
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", block)
        if not m:
            continue
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        comments = [ln.strip().lstrip("#").strip() for ln in block.splitlines()[1:]]
        via = [c.removeprefix("via").strip() for c in comments if c and not c.startswith("--")]
        found[canonicalize_name(m[1])] = (m[2], hashes, [v for v in via if v])
    return found


def check(requirements: list[str], lock: Path) -> None:
    locked = pins(lock)
    assert locked, f"{lock.name} pins nothing"
    for name, (_, hashes, _) in locked.items():
        assert hashes, f"{lock.name}: {name} has no --hash ({FIX})"
    direct = set()
    for line in requirements:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        direct.add(name)
        assert name in locked, f"{lock.name} does not pin {req.name} ({FIX})"
        version = locked[name][0]
        assert req.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {req.name}=={version}, outside pyproject's {req.specifier} ({FIX})"
        )
    # What the lock says came straight from pyproject is exactly pyproject's list: a dependency
    # dropped from pyproject must not linger in the image.
    from_pyproject = {
        name for name, (_, _, via) in locked.items() if any("(pyproject.toml" in v for v in via)
    }
    assert from_pyproject == direct, f"{lock.name} was made from another dependency list ({FIX})"


def test_the_runtime_lock_pins_exactly_pyprojects_dependencies_with_hashes() -> None:
    check(PYPROJECT["project"]["dependencies"], REPO / "requirements.lock")


def test_the_build_lock_pins_the_build_system_with_hashes() -> None:
    check(PYPROJECT["build-system"]["requires"], REPO / "requirements-build.lock")


def test_the_check_rejects_a_lock_that_lost_a_dependency(tmp_path: Path) -> None:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    broken = tmp_path / "requirements.lock"
    broken.write_text(re.sub(r"(?m)^feedparser==.*\n(    .*\n)*", "", text), encoding="utf-8")
    try:
        check(PYPROJECT["project"]["dependencies"], broken)
    except AssertionError as e:
        assert "does not pin feedparser" in str(e)
    else:
        raise AssertionError("a lock without feedparser passed")


def test_the_check_rejects_a_pin_outside_pyprojects_range(tmp_path: Path) -> None:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    broken = tmp_path / "requirements.lock"
    broken.write_text(re.sub(r"(?m)^httpx==\S+", "httpx==0.26.0", text), encoding="utf-8")
    try:
        check(PYPROJECT["project"]["dependencies"], broken)
    except AssertionError as e:
        assert "httpx==0.26.0, outside" in str(e)
    else:
        raise AssertionError("httpx 0.26 passed a range of >=0.27")
