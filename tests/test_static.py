"""The type checker: ``mypy --strict`` with pydantic's plugin over ``src/`` (configured in
pyproject's ``[tool.mypy]``) finds nothing. mypy is in the test extras, so this runs wherever
``./scripts/test`` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_passes_on_src() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "", run.stdout


def test_mypy_really_checks_the_package(tmp_path: Path) -> None:
    """The configuration is strict: an unannotated function in a copy of the config fails."""
    bad = tmp_path / "src" / "pkg" / "__init__.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("def untyped(x):\n    return x\n")
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1
    assert "src/pkg/__init__.py:1: error: Function is missing a type annotation" in run.stdout


PACKAGE = ROOT / "src" / "daily_ai_summary"
MAX_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    """The shipped fakes (testing/) aside."""
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if "testing" not in path.relative_to(PACKAGE).parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


# All of src/ is formatted; of tests/, the modules written since the formatter was adopted.
FORMATTED = [
    "src",
    "tests/import_graph.py",
    "tests/test_import_graph.py",
    "tests/test_architecture_doc.py",
    "tests/test_static.py",
    "tests/test_mutation_script.py",
    "tests/writer/test_prompts.py",
]


def test_ruff_format_leaves_the_formatted_modules_unchanged() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *FORMATTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
