"""No import cycles in daily_ai_summary: module-level, function-level and TYPE_CHECKING imports
all count (a function-level import only hides a cycle until that function runs)."""

from __future__ import annotations

from pathlib import Path

import daily_ai_summary
from tests.import_graph import find_cycle, import_graph

PACKAGE = Path(daily_ai_summary.__file__).parent


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 40  # every module was read, sub-packages included
    assert "daily_ai_summary.publish.git" in graph["daily_ai_summary.entrypoint"] or any(
        "daily_ai_summary.publish.git" in edges for edges in graph.values()
    )
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import helper\n",
            "pkg/b.py": "def helper():\n    from pkg import a\n    return a\n",
        },
    )
    assert find_cycle(import_graph(root)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_relative_typing_only_and_parent_package_cycles_are_found(tmp_path: Path) -> None:
    relative = write(
        tmp_path / "rel",
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from ..top import X\n",
            "pkg/sub/leaf.py": "",
            "pkg/top.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from .sub.leaf import Y\nX = 1\n",
        },
    )
    # top -> sub.leaf runs pkg.sub's __init__ first, which imports top
    assert find_cycle(import_graph(relative)) == ["pkg.sub", "pkg.top", "pkg.sub"]

    own_package = write(
        tmp_path / "own",
        {"pkg/__init__.py": "from pkg.run import go\n", "pkg/run.py": "from pkg import other\n"},
    )
    # ``from pkg import other`` (not a module) names the package pkg, whose __init__ imports run
    assert find_cycle(import_graph(own_package)) == ["pkg", "pkg.run", "pkg"]


def test_a_package_without_cycles_passes(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.run import go\n",
            "pkg/run.py": "from pkg import stages\nfrom pkg.stages import one\nimport os\n",
            "pkg/stages/__init__.py": "",
            "pkg/stages/one.py": "from ..base import Value\n",
            "pkg/base.py": "Value = int\n",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.run"] == {"pkg.stages", "pkg.stages.one"}
    assert graph["pkg.stages.one"] == {"pkg.base"}
    assert find_cycle(graph) is None
