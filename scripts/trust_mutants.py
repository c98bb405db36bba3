"""Hand-made mutants of the trust boundary (``scripts/mutation --trust``).

Each mutant is one small edit of the source: a snippet that must occur exactly once in the
package (found wherever it lives, so files may move) and what it becomes. For each, a
throw-away copy of ``src/`` gets the edit and the trust tests run against it; a mutant the
tests do not kill is a rule nothing checks. Exit status 1 when any survives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "daily_ai_summary"
SHARED = Path(os.environ.get("DAILY_AI_SUMMARY_SHARED", ROOT.parent / "shared")).resolve()
# The rule tests first: they kill fastest (pytest stops at the first failure).
TESTS = ["tests/rules", "tests/revise", "tests/reliability"]


@dataclass(frozen=True)
class Mutant:
    name: str
    old: str
    new: str


MUTANTS = [
    # who is a bot
    Mutant("is_bot: only the [bot] login counts", 'return user.get("type") == "Bot" or login',
           "return login"),
    Mutant("is_bot: only the Bot type counts", 'user.get("type") == "Bot" or login.endswith("[bot]")',
           'user.get("type") == "Bot"'),
    Mutant("is_bot: or -> and", 'user.get("type") == "Bot" or login.endswith("[bot]")',
           'user.get("type") == "Bot" and login.endswith("[bot]")'),
    Mutant("classify: no bot check on reviews",
           'if is_bot(review.get("user")):\n            return Ignore("the review is by a bot")',
           "pass"),
    Mutant("classify: no bot check on comments",
           'if is_bot(raw.get("user")):\n        return Ignore("the comment is by a bot")', "pass"),
    # which event actions
    Mutant("classify: edited/deleted comments count", 'if action != "created":', "if False:"),
    Mutant("classify: dismissed/edited reviews count", 'if action != "submitted":', "if False:"),
    Mutant("classify: plain-issue comments count", 'if not issue.get("pull_request"):', "if False:"),
    # the command prefix is a whole word
    Mutant("has_prefix: /summaryx is a command",
           "text.startswith(prefix) and (len(text) == len(prefix) or text[len(prefix)].isspace())",
           "text.startswith(prefix)"),
    Mutant("has_prefix: prefix anywhere", "return text.startswith(prefix) and", "return prefix in text and"),
    # whose PR
    Mutant("own_pr_problem: branch contains the prefix", "if not pr.head_ref.startswith(BRANCH_PREFIX):",
           "if BRANCH_PREFIX not in pr.head_ref:"),
    # who may write
    Mutant("permission: a 404 lookup is write",
           'if exc.status == 404:  # no such user, or not a collaborator\n                return "none"',
           'if exc.status == 404:  # no such user, or not a collaborator\n                return "write"'),
    Mutant("permission: read may steer", 'ALLOWED_PERMISSIONS = ("admin", "write")',
           'ALLOWED_PERMISSIONS = ("admin", "write", "read")'),
    Mutant("labels: a PR without our label is ours", "if labels and not set(labels) & set(pr.labels):",
           "if False:"),
    Mutant("state: a closed PR is revised", 'if pr.state != "open":', "if False:"),
    Mutant("replies: the action's own reply is a command", "if REPLY_MARK in c.body:", "if False:"),
    # whose PR, the rest of own_pr_problem
    Mutant("own_pr_problem: a fork's branch is ours",
           "if repository and pr.head_repo.lower() != repository.lower():", "if False:"),
    Mutant("own_pr_problem: any author's PR is ours",
           "if authors and pr.user_login not in set(authors):", "if False:"),
    Mutant("own_pr_problem: any topic branch is ours",
           'if "/" in rest and (rest.count("/") > 1 or rest.split("/", 1)[0] not in topics):',
           "if False:"),
    Mutant("own_pr_problem: no metadata needed", "if decode_metadata(pr.body) is None:", "if False:"),
    # which commands
    Mutant("answered: a stranger's copy of the mark counts",
           "for who, body in comments if not ours or who in ours", "for who, body in comments"),
    Mutant("review: a bot's line command is obeyed",
           ' and not is_bot({"login": s.user_login, "type": s.user_type})', ""),
    Mutant("cap: every command of a review runs at once",
           "keep, deferred = requests[:MAX_COMMANDS_PER_RUN], requests[MAX_COMMANDS_PER_RUN:]",
           "keep, deferred = requests, []"),
]  # fmt: skip


def locate(m: Mutant, root: Path) -> Path:
    hits = [
        (p, p.read_text(encoding="utf-8").count(m.old))
        for p in sorted((root / "src" / "daily_ai_summary").rglob("*.py"))
    ]
    found = [(p, n) for p, n in hits if n]
    if len(found) != 1 or found[0][1] != 1:
        where = ", ".join(f"{p.relative_to(root)} ({n}x)" for p, n in found) or "nowhere"
        raise SystemExit(
            f"scripts/mutation --trust: mutant {m.name!r} no longer applies: its code is found "
            f"{where}, not exactly once. Update it in scripts/trust_mutants.py."
        )
    return found[0][0]


def run_one(m: Mutant, tests: list[str]) -> tuple[bool, float, str]:
    with tempfile.TemporaryDirectory(prefix="trust-mutant-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
        path = locate(m, work)
        path.write_text(path.read_text(encoding="utf-8").replace(m.old, m.new), encoding="utf-8")
        env = {
            **os.environ,
            # the mutated copy comes before the editable install on sys.path
            "PYTHONPATH": str(work / "src"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DAILY_AI_SUMMARY_SHARED": str(SHARED),
        }
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.monotonic() - started
        failing = [ln for ln in done.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))]
        return done.returncode != 0, seconds, (failing[0] if failing else done.stdout[-200:])


def main(names: list[str], tests: list[str] | None = None) -> int:
    chosen = [m for m in MUTANTS if not names or any(n in m.name for n in names)]
    for m in chosen:  # fail early when one no longer applies
        locate(m, ROOT)
    survived = 0
    print(f"tests: {' '.join(tests or TESTS)}\n")
    print("| mutant | verdict | seconds | killed by |")
    print("|---|---|---|---|")
    for m in chosen:
        killed, seconds, by = run_one(m, tests or TESTS)
        survived += not killed
        verdict = "killed" if killed else "SURVIVED"
        by = by.removeprefix("FAILED ").split(" - ")[0] if killed else ""
        print(f"| {m.name} | {verdict} | {seconds:.0f} | {by} |", flush=True)
    print(f"\n{len(chosen) - survived} of {len(chosen)} trust mutants killed")
    return 1 if survived else 0
