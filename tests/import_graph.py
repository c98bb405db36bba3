"""The package's import graph, read from the source with ``ast`` (nothing is imported).

Every ``import`` and ``from ... import`` counts, wherever it is: module level, inside a
function, under ``if TYPE_CHECKING``. Importing ``a.b.c`` also runs the packages ``a`` and
``a.b``, so those are edges too (except the packages the importer itself lives in, which are
already running; naming one of those explicitly is still an edge). ``find_cycle`` returns one cycle as a list of module names, or None.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

Graph = dict[str, set[str]]


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for the package directory ``root`` (its name is the package's)."""
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(importer: str, is_package: bool, level: int, target: str | None) -> str:
    if level == 0:
        return target or ""
    base = importer.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _imported(tree: ast.AST, importer: str, is_package: bool, known: set[str]) -> set[str]:
    """The known modules one module's source names in its imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(importer, is_package, node.level, node.module)
            for alias in node.names:
                # ``from pkg import name``: the submodule ``pkg.name`` when there is one
                sub = f"{base}.{alias.name}"
                names.add(sub if sub in known else base)
    found = set()
    for name in names:
        while name and name not in known:  # ``import a.b.attr`` -> the module a.b
            name = name.rpartition(".")[0]
        if name:
            found.add(name)
    return found


def import_graph(root: Path) -> Graph:
    """Edges importer -> imported module, for every module of the package at ``root``."""
    files = modules(root)
    known = set(files)
    graph: Graph = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        running = {name, *_ancestors(name)}  # already being imported when this module runs
        edges = set()
        for target in _imported(tree, name, is_package, known):
            edges.add(target)  # named explicitly: an edge even to its own package
            edges.update(a for a in _ancestors(target) if a in known and a not in running)
        edges.discard(name)
        graph[name] = edges
    return graph


def _ancestors(name: str) -> Iterable[str]:
    parts = name.split(".")
    return (".".join(parts[:i]) for i in range(1, len(parts)))


def find_cycle(graph: Graph) -> list[str] | None:
    """One import cycle (``[a, b, ..., a]``), or None when the graph has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


# -- the architecture page's diagram -------------------------------------------------------------

COMMON = ("errors", "models", "log")  # used nearly everywhere: drawn as a note, not as edges
LEFT_OUT = ("__main__", "testing")
DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
START, END = "<!-- import-graph:start -->", "<!-- import-graph:end -->"


def top_level(graph: Graph) -> Graph:
    """The graph between the package's top-level modules and sub-packages."""
    out: Graph = {}
    for importer, targets in graph.items():
        parts = importer.split(".")
        if len(parts) < 2 or parts[1] in LEFT_OUT:
            continue
        edges = out.setdefault(parts[1], set())
        for target in targets:
            t = target.split(".")
            if len(t) >= 2 and t[1] != parts[1] and t[1] not in LEFT_OUT:
                edges.add(t[1])
    return out


def diagram(root: Path) -> str:
    """A Mermaid flowchart of who imports whom, drawn from the source."""
    graph = top_level(import_graph(root))
    packages = {p.name for p in root.iterdir() if (p / "__init__.py").is_file()}

    names = sorted({n for n, ts in graph.items() for n in (n, *ts)} - set(COMMON))
    lines = ["```mermaid", "flowchart LR"]
    for name in names:
        lines.append(f'    {name}["{name}/"]' if name in packages else f'    {name}["{name}.py"]')
    for name in sorted(graph):
        for target in sorted(graph[name]):
            if name not in COMMON and target not in COMMON:
                lines.append(f"    {name} --> {target}")
    lines.append("```")
    common = ", ".join(f"`{c}.py`" for c in COMMON)
    lines.append(f"\n{common} are imported nearly everywhere and left out; so are `testing/` (the")
    lines.append("fakes) and `__main__.py`. Regenerate with `python -m tests.import_graph`.")
    return "\n".join(lines)


def with_diagram(page: str, root: Path) -> str:
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{diagram(root)}\n{END}{tail}"


if __name__ == "__main__":
    import daily_ai_summary

    package = Path(daily_ai_summary.__file__).parent
    DOC.write_text(with_diagram(DOC.read_text(encoding="utf-8"), package), encoding="utf-8")
    print(f"updated {DOC}")
