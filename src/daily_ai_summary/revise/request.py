"""``Request``: one comment (or review body) to carry out, the value every revise stage works on.

``authorize`` creates them from the event, ``locate`` gives each its ``Task``, ``rewrite`` its
``Change``s and usage, ``publish`` marks the ones whose part moved meanwhile, and ``report``
answers each of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from daily_ai_summary.models import Usage
from daily_ai_summary.report import md
from daily_ai_summary.revise.commands import Change, Command, Target, Task

REPLY_MARK = (
    "daily-ai-summary:reply"  # in every reply of the action: "answered", and "not a command"
)

Where = Literal["review", "issue", "review-body"]
Status = Literal["pending", "done", "unchanged", "refused", "failed", "help"]


@dataclass
class Request:
    comment_id: int
    where: Where  # where the command was written: a line comment, the conversation, a review body
    user: str
    body: str
    command: Command
    path: str | None = None
    line: int | None = None
    side: str | None = None
    commit_id: str | None = None
    # filled in as the request is handled
    task: Task | None = None
    changes: list[Change] = field(default_factory=list)
    runner_ups: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # target key -> candidate used
    usage: Usage = field(default_factory=lambda: Usage(cost_usd=0.0))
    status: Status = "pending"
    message: str = ""  # Markdown: what happened (for the reply and the summary)
    help: bool = False

    @property
    def is_line(self) -> bool:
        return self.where == "review"

    def refuse(self, message: str, *, help: bool = False) -> None:
        self.status, self.message, self.help = "refused", message, help

    def fail(self, message: str) -> None:
        self.status, self.message = "failed", message


def _title(t: Target) -> str:
    return f" (“{md(t.key[:100])}”)"


def describe_changes(changes: list[Change], runner_ups: dict[str, dict[str, Any]]) -> str:
    """What a request changed, in Markdown (the reply, the job summary, the commit message)."""
    parts = []
    for ch in changes:
        t = ch.target
        if ch.op == "drop":
            parts.append(
                f"removed {t.describe()}{_title(t)}"
                + (" and renumbered the items after it" if t.section == "consequences" else "")
            )
        elif ch.op == "replace":
            new = runner_ups.get(t.key, {}).get("title", "")
            parts.append(f"replaced {t.describe()}{_title(t)} with “{md(new[:100])}”")
        else:
            parts.append(f"rewrote {t.describe()}{_title(t)}")
    if len(parts) > 4:
        return f"{parts[0]}, {parts[1]} and {len(parts) - 2} more parts"
    return (
        ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        if parts
        else "nothing"
    )


def cost_text(usage: Usage) -> str:
    return "unknown cost" if usage.cost_usd is None else f"${usage.cost_usd:.4f}"
