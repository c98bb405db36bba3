"""Mutation testing, one module at a time, each with its own tests (run by ``scripts/mutation``).

    scripts/mutation                 every module in [tool.daily-ai-summary.mutation.modules]
    scripts/mutation events selection
    scripts/mutation --trust         the hand-made trust-boundary mutants (scripts/trust_mutants.py)

For each module: a work copy under ``.mutation/<module>/`` (``src/``, ``tests/`` and a
``pyproject.toml`` whose ``[tool.mutmut]`` mutates only that module and selects only its tests),
``mutmut run`` there, then one row: module | mutants | killed | score. Mutants listed as
equivalent in docs/testing.md are not counted. ``--resume`` finishes an interrupted run.
``--floors`` exits 1 when a module is under its floor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "daily_ai_summary"
WORK = ROOT / ".mutation"
DOC = ROOT / "docs" / "testing.md"
SHARED = Path(os.environ.get("DAILY_AI_SUMMARY_SHARED", ROOT.parent / "shared")).resolve()

# mutmut's exit-code -> verdict (mutmut.stats.status_by_exit_code): what counts as killed.
KILLED_CODES = {1, 3, 36, 37, -24, 24, 152, 255}


@dataclass(frozen=True)
class Row:
    module: str
    mutants: int
    killed: int
    equivalent: int
    survivors: tuple[str, ...]

    @property
    def score(self) -> float:
        return 100.0 * self.killed / self.mutants if self.mutants else 100.0


def settings() -> dict[str, Any]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = data["tool"]
    return {
        "mutmut": tool["mutmut"],
        "modules": tool["daily-ai-summary"]["mutation"]["modules"],
        "floors": tool["daily-ai-summary"]["mutation"].get("floors", {}),
        "functions": tool["daily-ai-summary"]["mutation"].get("functions", {}),
        "pytest": tool["pytest"]["ini_options"],
    }


def equivalents() -> set[str]:
    """Mutant names in docs/testing.md's "Equivalent mutants" table (first column, in backticks)."""
    if not DOC.exists():
        return set()
    text = DOC.read_text(encoding="utf-8")
    part = text.split("## Equivalent mutants", 1)[-1] if "## Equivalent mutants" in text else ""
    part = part.split("\n## ", 1)[0]
    return set(re.findall(r"^\|\s*`([\w.]+__mutmut_\d+)`", part, flags=re.M))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _table(name: str, values: dict[str, Any]) -> str:
    return f"[{name}]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in values.items())


def prepare(module: str, tests: list[str], conf: dict[str, Any], resume: bool) -> Path:
    """The work copy for ``module``: fresh src/ and tests/, a pyproject.toml just for it, and
    no old verdicts unless ``resume`` (mutmut keeps a survivor's verdict when tests are added,
    so only an unfinished run of the same code and tests may be resumed)."""
    source = PACKAGE / f"{module}.py"
    if not source.is_file():
        raise SystemExit(f"scripts/mutation: no module {module!r} ({source} does not exist)")
    # One work copy per (module, test selection): mutmut's cached verdicts stay valid.
    selection = hashlib.sha256("\0".join(tests).encode()).hexdigest()[:8]
    work = WORK / f"{module.replace('/', '.')}-{selection}"
    work.mkdir(parents=True, exist_ok=True)
    if not resume and (work / "mutants").exists():
        shutil.rmtree(work / "mutants")
    for name in ("src", "tests"):
        if (work / name).exists():
            shutil.rmtree(work / name)
        shutil.copytree(
            ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    mutmut = dict(conf["mutmut"])
    mutmut["only_mutate"] = [f"src/daily_ai_summary/{module}.py"]
    mutmut["pytest_add_cli_args_test_selection"] = tests
    pytest_opts = {k: v for k, v in conf["pytest"].items() if k != "testpaths"}
    (work / "pyproject.toml").write_text(
        _table("tool.pytest.ini_options", pytest_opts) + "\n" + _table("tool.mutmut", mutmut),
        encoding="utf-8",
    )
    return work


def measure(
    module: str,
    tests: list[str],
    conf: dict[str, Any],
    jobs: int,
    functions: list[str],
    resume: bool = False,
) -> Row:
    """mutmut on ``module`` (only on ``functions`` when given: a part of a large module)."""
    work = prepare(module, tests, conf, resume)
    dotted = "daily_ai_summary." + module.replace("/", ".")
    globs = [f"{dotted}.x_{fn}__mutmut_*" for fn in functions]
    env = {**os.environ, "DAILY_AI_SUMMARY_SHARED": str(SHARED), "PYTHONDONTWRITEBYTECODE": "1"}
    mutmut = Path(sys.executable).with_name("mutmut")
    log = work / "mutmut.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            [str(mutmut), "run", "--max-children", str(jobs), *globs],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"scripts/mutation: mutmut failed on {module}; see {log}")
    verdicts: dict[str, int | None] = {}
    for meta in (work / "mutants").rglob("*.py.meta"):
        verdicts.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    if globs:
        verdicts = {k: v for k, v in verdicts.items() if any(fnmatch(k, g) for g in globs)}
    unchecked = [k for k, v in verdicts.items() if v is None]
    if unchecked:
        print(f"{module}: {len(unchecked)} mutants not checked (run again to finish)", flush=True)
    equivalent = equivalents()
    counted = {k: v for k, v in verdicts.items() if k not in equivalent and v is not None}
    killed = [k for k, v in counted.items() if v in KILLED_CODES]
    survivors = tuple(sorted(k for k in counted if k not in killed))
    label = f"{module} ({', '.join(functions)})" if functions else module
    return Row(label, len(counted), len(killed), len(verdicts) - len(counted), survivors)


def table(rows: list[Row]) -> str:
    lines = ["| module | mutants | killed | score |", "|---|---|---|---|"]
    for r in rows:
        name = r.module.replace(" (", ".py (", 1) if " (" in r.module else f"{r.module}.py"
        lines.append(f"| {name} | {r.mutants} | {r.killed} | {r.score:.1f}% |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/mutation", description=__doc__.split("\n")[0])
    parser.add_argument(
        "modules", nargs="*", metavar="MODULE", help="e.g. events, revise/authorize"
    )
    parser.add_argument("--jobs", type=int, default=1, help="parallel mutants (default 1)")
    parser.add_argument("--trust", action="store_true", help="run the hand-made trust mutants")
    parser.add_argument("--floors", action="store_true", help="exit 1 when a floor is not met")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument(
        "--resume", action="store_true", help="finish an interrupted run (same code and tests)"
    )
    parser.add_argument(
        "--tests", nargs="+", metavar="PATH", help="this test selection instead of the module's own"
    )
    args = parser.parse_args(argv)
    if args.trust:
        from trust_mutants import main as trust_main  # scripts/ is on sys.path

        return trust_main(args.modules, args.tests)
    conf = settings()
    modules: dict[str, list[str]] = conf["modules"]
    names = [m.removesuffix(".py") for m in args.modules] or list(modules)
    unknown = [m for m in names if m not in modules]
    if unknown:
        known = ", ".join(modules)
        raise SystemExit(f"scripts/mutation: unknown module {unknown[0]!r} (configured: {known})")
    rows = []
    for name in names:
        functions = conf["functions"].get(name, [])
        row = measure(name, args.tests or modules[name], conf, args.jobs, functions, args.resume)
        rows.append(row)
        print(f"{row.module}: {row.killed}/{row.mutants} killed ({row.score:.1f}%)", flush=True)
        if args.survivors:
            print("\n".join(f"  survived: {s}" for s in row.survivors), flush=True)
    print()
    print(table(rows))
    floors = {
        r.module: float(conf["floors"].get(name, 0)) for r, name in zip(rows, names, strict=True)
    }
    below = [r for r in rows if r.score < floors[r.module]]
    for r in below:
        print(f"{r.module}: {r.score:.1f}% is under its floor of {floors[r.module]:g}%")
    return 1 if args.floors and below else 0


if __name__ == "__main__":
    sys.exit(main())
