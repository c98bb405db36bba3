"""scripts/mutation.py's own parts, without mutmut: which tests import a module (``--rest``),
the shards, the table's rows (a partial one too), and stopping a run with what it forked."""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_script", REPO / "scripts/mutation.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


mutation = _load()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


MODULES = ["when", "sources/tokens", "sources/__init__", "revise/locate", "publish/__init__"]


def test_the_tests_that_import_a_module(tmp_path: Path) -> None:
    write(
        tmp_path / "tests",
        {
            "quality/test_when.py": "import daily_ai_summary.when as when\n",
            "sources/test_a.py": "from daily_ai_summary.sources import tokens, collect\n",
            "sources/test_b.py": "def test():\n    from daily_ai_summary.sources.tokens import x\n",
            "revise/test_c.py": "from daily_ai_summary.revise.locate import (\n    a,\n    b,\n)\n",
            "revise/c_test.py": "from daily_ai_summary import when\n",
            # not test modules, not selected, or not an import of one of ours
            "revise/conftest.py": "from daily_ai_summary.revise.locate import a\n",
            "revise/helper.py": "from daily_ai_summary.revise.locate import a\n",
            "docker/test_d.py": "import pytest\nimport daily_ai_summary.when\n"
            "pytestmark = [pytest.mark.docker, pytest.mark.timeout(9)]\n",
            "test_e.py": "from daily_ai_summary.whenever import x\nfrom .when import y\n",
            "test_broken.py": "from daily_ai_summary.when import (\n",
        },
    )
    found = mutation.importers(MODULES, tmp_path / "tests")
    assert found == {
        "when": ["tests/quality/test_when.py", "tests/revise/c_test.py"],
        "sources/tokens": ["tests/sources/test_a.py", "tests/sources/test_b.py"],
        "sources/__init__": ["tests/sources/test_a.py"],  # `collect` is the package's own
        "revise/locate": ["tests/revise/test_c.py"],
        "publish/__init__": [],
    }
    assert mutation.importers(["when"], tmp_path / "tests", leave_out=())["when"] == [
        "tests/docker/test_d.py",
        "tests/quality/test_when.py",
        "tests/revise/c_test.py",
    ]


def test_import_names() -> None:
    assert mutation.import_name("revise/locate") == "daily_ai_summary.revise.locate"
    assert mutation.import_name("publish/__init__") == "daily_ai_summary.publish"


def test_the_rest_is_every_other_module_but_the_fakes_and_the_empty() -> None:
    configured = mutation.settings()["modules"]
    rest = mutation.rest_modules(configured)
    assert rest == sorted(rest) and "when" in rest and "publish/git" in rest
    assert not set(rest) & set(configured)
    assert not [m for m in rest if m.startswith("testing/")]
    assert "__init__" not in rest and "revise/__init__" not in rest  # no function at all


def test_the_shards_split_the_modules_once() -> None:
    modules = [f"m{i:02}" for i in range(14)]
    shards = [mutation.pick(modules, (k, 6)) for k in range(1, 7)]
    assert shards[0] == ["m00", "m06", "m12"] and shards[5] == ["m05", "m11"]
    assert sorted(m for shard in shards for m in shard) == modules
    assert mutation.pick(modules, None) == modules
    assert mutation.shard_spec("2/6") == (2, 6)
    for bad in ("0/6", "7/6", "6", "a/b"):
        with pytest.raises(argparse.ArgumentTypeError, match="not K/N"):
            mutation.shard_spec(bad)


def test_the_rows() -> None:
    Row = mutation.Row
    rows = [
        Row("events", 10, 9, 1, ("a",)),
        Row("post (render)", 4, 4, 0, ()),
        Row("when", 120, 100, 0, (), total=300),
        Row("dedupe", 0, 0, 0, (), total=177),
        Row("sources/tokens", 21, 0, 0, (), note="no tests"),
        Row("writer/llm", 0, 0, 0, (), note="mutmut failed"),
        Row("revise/request", 12, 0, 0, (), note="no test runs it"),
    ]
    assert mutation.table(rows).splitlines() == [
        "| module | mutants | killed | score |",
        "|---|---|---|---|",
        "| events.py | 10 | 9 | 90.0% |",
        "| post.py (render) | 4 | 4 | 100.0% |",
        "| when.py | 120 of 300 checked | 100 | 83.3% (partial) |",
        "| dedupe.py | 0 of 177 checked | 0 | - |",
        "| sources/tokens.py | 21 (no tests) | 0 | 0.0% |",
        "| writer/llm.py | mutmut failed | 0 | - |",
        "| revise/request.py | 12 (no test runs it) | 0 | 0.0% |",
    ]
    assert [mutation.summary(r) for r in rows[::2]] == [
        "events: 9/10 killed (90.0%)",
        "when: 100/120 killed (83.3%), 120 of 300 checked (partial)",
        "sources/tokens: no tests (21 mutants, none killed)",
        "revise/request: no test runs it (12 mutants, none killed)",
    ]


def test_stopping_a_run_stops_what_it_forked(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = (
        "import os, time\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        f"    open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n')\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    deadline = time.monotonic() + 10
    while not pids.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pids.read_text().split()[0])
    mutation.stop(proc, grace=5)
    assert proc.returncode is not None

    def alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        return state != "Z"

    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)


def test_a_module_no_test_imports_is_measured_with_its_callers_tests() -> None:
    """``post`` re-exports ``escape``'s functions: the post tests are escape's."""
    direct = {"escape": [], "post": ["tests/post/test_a.py"], "selection": ["tests/b.py"], "x": []}
    via = {"escape": ["post", "selection"], "post": [], "selection": [], "x": []}
    assert mutation.rest_tests("escape", direct, via) == ["tests/b.py", "tests/post/test_a.py"]
    assert mutation.rest_tests("post", direct, via) == ["tests/post/test_a.py"]
    assert mutation.rest_tests("x", direct, via) == []


def test_the_package_modules_that_import_a_module() -> None:
    via = mutation.package_importers(mutation.all_modules())
    assert "post" in via["escape"] and "escape" not in via["escape"]
    assert "revise/commands" in via["post"]
