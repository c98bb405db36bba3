"""Mutation testing, one module at a time, each with its own tests (run by ``scripts/mutation``).

    scripts/mutation                 every module in [tool.daily-ai-summary.mutation.modules]
    scripts/mutation events selection
    scripts/mutation --trust         the hand-made trust-boundary mutants (scripts/trust_mutants.py)
    scripts/mutation --rest          every other module of src/ (testing/ aside), with the tests
                                     that import it, ``--budget`` minutes each (default 20)
    scripts/mutation --rest --shard 2/6 --budget 40     the 2nd, 8th, ... of those (a CI matrix)

For each module: a work copy under ``.mutation/<module>/`` (``src/``, ``tests/`` and a
``pyproject.toml`` whose ``[tool.mutmut]`` mutates only that module and selects only its tests),
``mutmut run`` there, then one row: module | mutants | killed | score. Mutants listed as
equivalent in docs/testing.md are not counted. ``--resume`` finishes an interrupted run.
``--floors`` exits 1 when a module is under its floor.

``--rest`` measures the modules without a configured selection, each with the test files that
import it (``from daily_ai_summary.x import``, ``import daily_ai_summary.x``, ``from
daily_ai_summary import x``), or when none does, with those of the package modules that import
it, and without the ``docker`` and ``real_model`` tests; a module no such test reaches gets a
"no tests" row, a module mutmut makes no mutant of none. A run over its
``--budget`` is stopped and its row counts only the mutants that got a verdict ("partial").
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
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
# --rest: the shipped fakes are not product code; the container and real-model tests need a
# Docker engine or a model (and minutes a mutant), so they are left out
REST_EXCLUDED = ("testing",)
REST_MARKERS = ("docker", "real_model")
REST_PYTEST_ARGS = ["-m", " and ".join(f"not {marker}" for marker in REST_MARKERS)]
REST_BUDGET = 20  # minutes a module, by default
# what mutmut 3.8 says (and exits 1) when the selected tests run none of the mutated functions
NO_TEST_REACHES = "could not find any test case for any mutant"


@dataclass(frozen=True)
class Row:
    module: str
    mutants: int
    killed: int
    equivalent: int
    survivors: tuple[str, ...]
    # the non-equivalent mutants in all, when the run was stopped (at its budget) before every
    # one got a verdict: ``mutants`` and the score count only those that did
    total: int | None = None
    # "no tests": nothing imports the module; "no test runs it": its tests run none of its
    # mutated code; "mutmut failed": see its log
    note: str = ""

    @property
    def score(self) -> float:
        return 100.0 * self.killed / self.mutants if self.mutants else 100.0

    @property
    def partial(self) -> bool:
        return self.total is not None


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


def prepare(
    module: str,
    tests: list[str],
    conf: dict[str, Any],
    resume: bool,
    pytest_args: list[str] | None = None,
) -> Path:
    """The work copy for ``module``: fresh src/ and tests/, a pyproject.toml just for it, and
    no old verdicts unless ``resume`` (mutmut keeps a survivor's verdict when tests are added,
    so only an unfinished run of the same code and tests may be resumed). ``pytest_args`` go
    to every pytest run of mutmut's (after the configured ``pytest_add_cli_args``)."""
    pytest_args = pytest_args or []
    source = PACKAGE / f"{module}.py"
    if not source.is_file():
        raise SystemExit(f"scripts/mutation: no module {module!r} ({source} does not exist)")
    # One work copy per (module, test selection): mutmut's cached verdicts stay valid.
    selection = hashlib.sha256("\0".join(tests + pytest_args).encode()).hexdigest()[:8]
    work = WORK / f"{module.replace('/', '.')}-{selection}"
    work.mkdir(parents=True, exist_ok=True)
    if not resume and (work / "mutants").exists():
        shutil.rmtree(work / "mutants")
    # The tests also read the rest of the checkout (examples/, docs/, action.yml, ...) and
    # build the wheel from pyproject.toml: the work copy and mutmut's mutants/ get all of it.
    others = [
        name for name in tracked_top_level() if name not in ("src", "tests", "pyproject.toml")
    ]
    for name in ("src", "tests", *others):
        if (work / name).is_dir():
            shutil.rmtree(work / name)
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        elif (ROOT / name).is_file():
            shutil.copy2(ROOT / name, work / name)
    mutmut = dict(conf["mutmut"])
    mutmut["only_mutate"] = [f"src/daily_ai_summary/{module}.py"]
    mutmut["pytest_add_cli_args_test_selection"] = tests
    mutmut["also_copy"] = [*mutmut.get("also_copy", []), *others]
    if pytest_args:
        mutmut["pytest_add_cli_args"] = [*mutmut.get("pytest_add_cli_args", []), *pytest_args]
    # the project's own pyproject.toml (the wheel's metadata), its [tool.mutmut] this run's and
    # without pytest's testpaths (mutmut names the tests)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", project)
    project = re.sub(r"(?m)^testpaths = .*\n", "", project)
    (work / "pyproject.toml").write_text(
        project + "\n" + _table("tool.mutmut", mutmut), encoding="utf-8"
    )
    return work


def tracked_top_level() -> list[str]:
    """The checkout's top-level files and folders that git tracks (.git and .mutation aside)."""
    out = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return sorted({line.split("/", 1)[0] for line in out.splitlines() if line})


def all_modules() -> list[str]:
    """Every module of the package as this script names it: ``events``, ``revise/commands``,
    ``publish/__init__``."""
    return sorted(
        p.relative_to(PACKAGE).with_suffix("").as_posix()
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts
    )


def import_name(module: str) -> str:
    """``revise/commands`` -> ``daily_ai_summary.revise.commands`` (a package: its name)."""
    return ".".join(["daily_ai_summary", *module.split("/")]).removesuffix(".__init__")


def rest_modules(configured: Iterable[str]) -> list[str]:
    """The modules with no configured selection, the fakes (testing/) and the modules without
    a function (nothing for mutmut to mutate) aside, sorted."""
    return [
        m
        for m in all_modules()
        if m not in configured
        and m.split("/")[0] not in REST_EXCLUDED
        and _has_function((PACKAGE / f"{m}.py").read_text(encoding="utf-8"))
    ]


def _has_function(source: str) -> bool:
    tree = ast.parse(source)
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(tree))


def mutant_count(module: str) -> int:
    """How many mutants mutmut makes of ``module`` (mutmut leaves some functions alone, e.g.
    ``return PRESETS[name]`` has no mutant, so a function is not enough)."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    path = PACKAGE / f"{module}.py"
    with contextlib.chdir(ROOT):  # mutmut reads its config from the working directory
        mutated = mutate_file_contents(str(path), path.read_text(encoding="utf-8"))
    return len(mutated.mutant_names)


def _imported(tree: ast.AST, known: set[str]) -> set[str]:
    """The package's modules (dotted) a test module imports, anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:  # `from pkg import module` imports the module
                whole = f"{node.module}.{alias.name}"
                names.add(whole if whole in known else node.module)
    return names & known


def _marked(tree: ast.Module, markers: Iterable[str]) -> bool:
    """Whether the module's ``pytestmark`` names one of ``markers`` (``pytest.mark.docker``)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            marks = {n.attr for n in ast.walk(node.value) if isinstance(n, ast.Attribute)}
            return bool(marks & set(markers))
    return False


def importers(
    modules: Iterable[str], tests: Path, leave_out: Iterable[str] = REST_MARKERS
) -> dict[str, list[str]]:
    """module -> the test files under ``tests`` (``test_*.py``, ``*_test.py``; as paths from
    its parent, sorted) that import it: ``from daily_ai_summary.x import``, ``import
    daily_ai_summary.x``, ``from daily_ai_summary import x``. A file whose ``pytestmark`` is
    one of the ``leave_out`` markers is not one (``-m`` deselects all of it)."""
    by_dotted = {import_name(m): m for m in modules}
    found: dict[str, list[str]] = {m: [] for m in by_dotted.values()}
    for path in sorted(tests.rglob("*.py")):
        if not (path.name.startswith("test_") or path.name.endswith("_test.py")):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        if _marked(tree, leave_out):
            continue
        for name in _imported(tree, set(by_dotted)):
            found[by_dotted[name]].append(path.relative_to(tests.parent).as_posix())
    return found


def package_importers(modules: Iterable[str]) -> dict[str, list[str]]:
    """module -> the package's modules that import it (``post`` re-exports ``escape``'s
    functions, so a test of the post model tests ``escape`` though it never names it)."""
    modules = list(modules)
    by_dotted = {import_name(m): m for m in modules}
    found: dict[str, list[str]] = {m: [] for m in modules}
    for m in modules:
        tree = ast.parse((PACKAGE / f"{m}.py").read_text(encoding="utf-8"))
        for name in _imported(tree, set(by_dotted)):
            if by_dotted[name] != m:
                found[by_dotted[name]].append(m)
    return found


def rest_tests(module: str, direct: dict[str, list[str]], via: dict[str, list[str]]) -> list[str]:
    """The test files that import ``module``, or when none does, those that import a module of
    the package that imports it (one step: its callers' tests)."""
    if direct[module]:
        return direct[module]
    return sorted({t for caller in via[module] for t in direct.get(caller, [])})


def shard_spec(text: str) -> tuple[int, int]:
    """``K/N`` (1-based) -> (K, N)."""
    match = re.fullmatch(r"(\d+)/(\d+)", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N with 1 <= K <= N")
    return int(match[1]), int(match[2])


def pick(modules: list[str], shard: tuple[int, int] | None) -> list[str]:
    """The K-th, K+N-th, ... of ``modules`` for shard K/N: N shards cover them once."""
    if shard is None:
        return modules
    k, n = shard
    return modules[k - 1 :: n]


def _verdicts(work: Path) -> dict[str, int | None] | None:
    """Every mutant's exit code (None: not checked yet) from mutmut's meta files; None when one
    cannot be read (mutmut rewrites it after every verdict, so it may be mid-write)."""
    verdicts: dict[str, int | None] = {}
    for _ in range(10):
        try:
            for meta in (work / "mutants").rglob("*.py.meta"):
                verdicts.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
            return verdicts
        except (OSError, ValueError, KeyError):
            verdicts.clear()
            time.sleep(0.2)
    return None


def _signal(pid: int, sig: int, group: bool) -> None:
    try:
        (os.killpg if group else os.kill)(pid, sig)
    except ProcessLookupError:
        pass


def stop(proc: subprocess.Popen[bytes], grace: float = 30.0) -> None:
    """Stop mutmut and what it forked (its own process group): SIGINT to mutmut first, which
    stops its workers the way Ctrl-C does, then SIGTERM and SIGKILL to the whole group."""
    for sig, group, wait in (
        (signal.SIGINT, False, grace),
        (signal.SIGTERM, True, 10.0),
        (signal.SIGKILL, True, 10.0),
    ):
        _signal(proc.pid, sig, group)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    _signal(proc.pid, signal.SIGKILL, True)  # a forked child that outlived mutmut


def _sigint_default() -> None:  # a background shell may have left SIGINT ignored
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_mutmut(
    argv: list[str], work: Path, env: dict[str, str], log: Path, budget: float | None
) -> tuple[int, dict[str, int | None] | None]:
    """mutmut's exit code; when it ran over ``budget`` minutes, it is stopped and the verdicts
    read just before are returned too (-1 for the exit code)."""
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            argv, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_sigint_default,
        )  # fmt: skip
        try:
            return proc.wait(timeout=budget * 60 if budget else None), None
        except subprocess.TimeoutExpired:
            before = _verdicts(work)
            stop(proc)
            return -1, before if before is not None else {}
        except BaseException:  # Ctrl-C: mutmut is in a group of its own, so it is not told
            stop(proc)
            raise


def measure(
    module: str,
    tests: list[str],
    conf: dict[str, Any],
    jobs: int,
    functions: list[str],
    resume: bool = False,
    budget: float | None = None,
    pytest_args: list[str] | None = None,
    keep_going: bool = False,
) -> Row:
    """mutmut on ``module`` (only on ``functions`` when given: a part of a large module),
    stopped after ``budget`` minutes (a partial row); when mutmut fails, a "mutmut failed"
    row if ``keep_going``, else the end of the run."""
    work = prepare(module, tests, conf, resume, pytest_args)
    dotted = "daily_ai_summary." + module.replace("/", ".")
    globs = [f"{dotted}.x_{fn}__mutmut_*" for fn in functions]
    env = {**os.environ, "DAILY_AI_SUMMARY_SHARED": str(SHARED), "PYTHONDONTWRITEBYTECODE": "1"}
    mutmut = Path(sys.executable).with_name("mutmut")
    log = work / "mutmut.log"
    argv = [str(mutmut), "run", "--max-children", str(jobs), *globs]
    returncode, before = run_mutmut(argv, work, env, log, budget)
    label = f"{module} ({', '.join(functions)})" if functions else module
    stopped = before is not None
    if returncode != 0 and not stopped:
        if keep_going and NO_TEST_REACHES in log.read_text(encoding="utf-8", errors="replace"):
            # the tests import the module but run none of its mutated code
            print(f"{module}: its tests run none of its code", flush=True)
            return Row(label, mutant_count(module), 0, 0, (), note="no test runs it")
        if keep_going:
            print(f"{module}: mutmut failed; see {log}", flush=True)
            return Row(label, 0, 0, 0, (), note="mutmut failed")
        raise SystemExit(f"scripts/mutation: mutmut failed on {module}; see {log}")
    verdicts = _verdicts(work)
    if verdicts is None:
        if not stopped:
            raise SystemExit(f"scripts/mutation: cannot read mutmut's verdicts in {work}")
        verdicts = before or {}  # stopped while writing them: the ones read just before
    if globs:
        verdicts = {k: v for k, v in verdicts.items() if any(fnmatch(k, g) for g in globs)}
    unchecked = [k for k, v in verdicts.items() if v is None]
    equivalent = equivalents()
    counted = {k: v for k, v in verdicts.items() if k not in equivalent and v is not None}
    killed = [k for k, v in counted.items() if v in KILLED_CODES]
    survivors = tuple(sorted(k for k in counted if k not in killed))
    total = None  # a partial row: stopped before every mutant got a verdict
    if stopped and (unchecked or not verdicts):
        total = len([k for k in verdicts if k not in equivalent]) or mutant_count(module)
        print(
            f"{module}: stopped after its budget of {budget:g} min, "
            f"{total - len(counted)} of {total} mutants not checked",
            flush=True,
        )
    elif unchecked:
        print(f"{module}: {len(unchecked)} mutants not checked (run again to finish)", flush=True)
    return Row(
        label, len(counted), len(killed), len(verdicts) - len(counted), survivors, total=total
    )


def table(rows: list[Row]) -> str:
    lines = ["| module | mutants | killed | score |", "|---|---|---|---|"]
    for r in rows:
        name = r.module.replace(" (", ".py (", 1) if " (" in r.module else f"{r.module}.py"
        mutants, score = str(r.mutants), f"{r.score:.1f}%"
        if r.partial:
            mutants = f"{r.mutants} of {r.total} checked"
            score = f"{r.score:.1f}% (partial)" if r.mutants else "-"
        if r.note:
            mutants = f"{r.mutants} ({r.note})" if r.mutants else r.note
            score = score if r.mutants else "-"
        lines.append(f"| {name} | {mutants} | {r.killed} | {score} |")
    return "\n".join(lines)


def summary(r: Row) -> str:
    """The line printed as each module is done."""
    if r.note:
        return f"{r.module}: {r.note}" + (
            f" ({r.mutants} mutants, none killed)" if r.mutants else ""
        )
    line = f"{r.module}: {r.killed}/{r.mutants} killed ({r.score:.1f}%)"
    return f"{line}, {r.mutants} of {r.total} checked (partial)" if r.partial else line


def show(row: Row, survivors: bool) -> None:
    """The line printed as a module is done, and its surviving mutants when asked."""
    print(summary(row), flush=True)
    if survivors:
        print("\n".join(f"  survived: {s}" for s in row.survivors), flush=True)


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
    parser.add_argument(
        "--rest",
        action="store_true",
        help="the modules with no configured selection (testing/ aside), with the tests that "
        "import them; MODULEs, when given, are some of those",
    )
    parser.add_argument(
        "--budget",
        type=float,
        metavar="MINUTES",
        help=f"stop a module's run after this long, its row partial (default {REST_BUDGET} "
        "with --rest, none without)",
    )
    parser.add_argument(
        "--shard",
        type=shard_spec,
        metavar="K/N",
        help="only the K-th, K+N-th, ... of the modules (1-based): a CI matrix of N",
    )
    args = parser.parse_args(argv)
    if args.trust:
        from trust_mutants import main as trust_main  # scripts/ is on sys.path

        return trust_main(args.modules, args.tests)
    conf = settings()
    modules: dict[str, list[str]] = conf["modules"]
    asked = [m.removesuffix(".py") for m in args.modules]
    if args.rest:
        return rest(args, asked, conf)
    names = pick(asked or list(modules), args.shard)
    unknown = [m for m in names if m not in modules]
    if unknown:
        known = ", ".join(modules)
        raise SystemExit(f"scripts/mutation: unknown module {unknown[0]!r} (configured: {known})")
    rows = []
    for name in names:
        functions = conf["functions"].get(name, [])
        row = measure(
            name, args.tests or modules[name], conf, args.jobs, functions, args.resume, args.budget
        )
        rows.append(row)
        show(row, args.survivors)
    print()
    print(table(rows))
    floors = {
        r.module: float(conf["floors"].get(name, 0)) for r, name in zip(rows, names, strict=True)
    }
    below = [r for r in rows if r.score < floors[r.module]]
    for r in below:
        print(f"{r.module}: {r.score:.1f}% is under its floor of {floors[r.module]:g}%")
    return 1 if args.floors and below else 0


def rest(args: argparse.Namespace, asked: list[str], conf: dict[str, Any]) -> int:
    """--rest: the modules without a selection, measured and reported (no floors)."""
    candidates = rest_modules(conf["modules"])
    unknown = [m for m in asked if m not in candidates]
    if unknown:
        raise SystemExit(
            f"scripts/mutation: {unknown[0]!r} is not one of the rest: a configured module runs "
            "without --rest; testing/ and modules without a function are left out"
        )
    budget = args.budget if args.budget is not None else REST_BUDGET
    found = importers(all_modules(), ROOT / "tests")
    via = package_importers(all_modules())
    rows = []
    for name in pick(asked or candidates, args.shard):
        count = mutant_count(name)
        if not count:
            print(f"{name}: mutmut makes no mutant of it (left out)", flush=True)
            continue
        tests = args.tests or rest_tests(name, found, via)
        if not tests:
            row = Row(name, count, 0, 0, (), note="no tests")
        else:
            functions = conf["functions"].get(name, [])
            row = measure(
                name, tests, conf, args.jobs, functions, args.resume, budget,
                REST_PYTEST_ARGS, keep_going=True,
            )  # fmt: skip
        rows.append(row)
        show(row, args.survivors)
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
