"""A re-ask that can succeed (issue 17). Pure.

The old re-ask put the rejected answer back into the conversation and asked again; small
models then repeat it word for word (14 of 16 re-asks). Instead the second call is a fresh
request: the same instructions and data, plus the problems stated in a few lines, without the
rejected text. The problems are capped (``MAX_FEEDBACK_CHARS``), so a huge or hostile answer
is never echoed back either. The writer also changes the seed (and on local servers the
temperature) for it.

Each rejection has a kind (the first problem's), so a run can say which re-asks worked:
``ReaskStats`` counts successes and failures by kind for the job summary and the bench.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

MAX_FEEDBACK_CHARS = 1200  # the problems stated in a re-ask; never the rejected text itself

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("json", re.compile(r"not valid JSON|answer is \d+ bytes", re.I)),
    ("cut-off", re.compile(r"ran past the token limit", re.I)),
    ("count", re.compile(r"expected exactly \d+ predictions", re.I)),
    ("past", re.compile(r"is in the past", re.I)),
    ("date", re.compile(r"not a date|month and a year|four digits", re.I)),
    ("length", re.compile(r"too short|too long", re.I)),
    (
        "markup",
        re.compile(
            r"heading|Markdown|block quote|code fence|HTML|link or URL|shortcode|'---' line", re.I
        ),
    ),
    ("boilerplate", re.compile(r"boilerplate", re.I)),
    ("first-person", re.compile(r"first person|first-person", re.I)),
    ("repetition", re.compile(r"repeats the benefits|are identical", re.I)),
    ("no-risks", re.compile(r"says there are no risks", re.I)),
    ("prompt-leak", re.compile(r"repeats the instructions", re.I)),
    ("generic", re.compile(r"is generic filler", re.I)),
    ("duplicate-rationales", re.compile(r"near-duplicates", re.I)),
    ("schema", re.compile(r"Field required|Extra inputs|Input should|must be plain text", re.I)),
]


def problem_kind(problem: str) -> str:
    """The kind of the first recognised problem in ``problem`` ("other" when none is)."""
    best: tuple[int, str] | None = None
    for kind, pattern in _KINDS:
        m = pattern.search(problem)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else "other"


def feedback(problems: str) -> str:
    """The problems as the re-ask states them, capped at ``MAX_FEEDBACK_CHARS``."""
    text = " ".join(problems.split())
    if len(text) > MAX_FEEDBACK_CHARS:
        text = text[: MAX_FEEDBACK_CHARS - 15].rstrip() + " [and more]"
    return text


def reask_user_message(original: str, problems: str) -> str:
    """The second request's user message: the original one, then what to fix."""
    return (
        f"{original}\n\nA previous answer to this request was rejected. Its problems: "
        f"{feedback(problems)}\nWrite a new answer from scratch that follows every rule and "
        "avoids these problems. Reply with the JSON object only."
    )


@dataclass
class ReaskStats:
    """Re-asks by the kind of problem that caused them, and whether the new answer was usable."""

    succeeded: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)

    def record(self, kind: str, ok: bool) -> None:
        (self.succeeded if ok else self.failed)[kind] += 1

    @property
    def total(self) -> int:
        return sum(self.succeeded.values()) + sum(self.failed.values())

    def describe(self) -> str:
        if not self.total:
            return "no re-asks"
        kinds = sorted(set(self.succeeded) | set(self.failed))
        parts = [f"{k} {self.succeeded[k]}/{self.succeeded[k] + self.failed[k]}" for k in kinds]
        ok = sum(self.succeeded.values())
        return f"re-asks that worked: {ok} of {self.total} ({', '.join(parts)})"
