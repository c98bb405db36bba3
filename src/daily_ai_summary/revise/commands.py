"""Revision commands: the grammar, what a command is about, and applying the result. Pure.

    /summary <instruction>     line comment: rewrite the part under the line
                               conversation: rewrite every item's paragraphs and the predictions
    /summary regenerate [N]    write item N afresh, or (without N) the part under the line or
                               the whole post
    /summary drop [N]          remove item N (or the item / trending line / prediction under
                               the line); the items after it are renumbered
    /summary replace [N]       swap item N (or the item under the line) for the next-best
                               discussion not used yet
    /summary help              the list of commands

A keyword followed by several words is an instruction ("/summary drop the jargon" rewrites);
a keyword followed by one word that is not an item number is a mistake ("/summary drop x")
and gets a helpful reply.

A command becomes ``Task``s on ``Target``s. A target names an element by identity (an item's
title, a trending line, a prediction's event) plus the value it had when the reviewer looked
at it, so the same change can be applied again on a newer version of the file (after a
concurrent revision or a human edit) and refused when what the reviewer saw has changed
since. ``apply_changes`` edits the lossless post model, so a change touches only its lines.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from daily_ai_summary.post import Consequence, Post, Trending, locate, parse, render

MAX_INSTRUCTION_CHARS = 2000

# --------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Regenerate:
    item: int | None = None


@dataclass(frozen=True)
class Drop:
    item: int | None = None


@dataclass(frozen=True)
class Replace:
    item: int | None = None


@dataclass(frozen=True)
class Instruct:
    text: str


@dataclass(frozen=True)
class Invalid:
    reason: str


Command = Help | Regenerate | Drop | Replace | Instruct | Invalid
KEYWORDS: dict[str, type[Regenerate | Drop | Replace]] = {
    "regenerate": Regenerate,
    "drop": Drop,
    "replace": Replace,
}
_NUMBER = re.compile(r"#?(\d{1,4})[.)]?")


def help_text(prefix: str) -> str:
    p = prefix
    return "\n".join(
        [
            "Commands (people with write access; start the comment with the prefix):",
            "",
            f"- a line comment on the post: `{p} <instruction>` rewrites the paragraph, item, trending line or prediction under the line",
            f"- `{p} regenerate [N]`: write item N afresh, or the part under a line comment, or the whole post",
            f"- `{p} drop [N]`: remove item N (or what is under a line comment) and renumber",
            f"- `{p} replace [N]`: swap item N (or the item under a line comment) for the next-best discussion",
            f"- `{p} <instruction>` in the conversation: applies to every item's paragraphs and the predictions",
            f"- `{p} help`: this list",
            "",
            "The front matter and the titles of the discussions are never rewritten by the model.",
        ]
    )


def parse_command(body: str, prefix: str) -> Command:
    """What a comment that starts with ``prefix`` asks for."""
    text = (body or "").strip()
    if text.startswith(prefix):
        text = text[len(prefix) :]
    rest = text.strip()
    if not rest:
        return Help()
    words = rest.split()
    keyword = words[0].lower()
    args = words[1:]
    if keyword == "help" and len(args) <= 1:
        return Help()
    if keyword in KEYWORDS and len(args) <= 1:
        kind = KEYWORDS[keyword]
        if not args:
            return kind()
        m = _NUMBER.fullmatch(args[0])
        if not m or int(m.group(1)) < 1:
            return Invalid(
                f"`{keyword}` takes an item number, like `{prefix} {keyword} 2`"
                f" (got `{_inline_code(args[0])}`)"
            )
        return kind(int(m.group(1)))
    if keyword in KEYWORDS and all(_NUMBER.fullmatch(a) for a in args):
        return Invalid(f"`{keyword}` works on one item at a time, like `{prefix} {keyword} 2`")
    if len(rest) > MAX_INSTRUCTION_CHARS:
        return Invalid(
            f"the instruction is too long ({len(rest)} characters; at most {MAX_INSTRUCTION_CHARS})"
        )
    return Instruct(rest)


def _inline_code(text: str) -> str:
    return text.replace("`", "'")[:40]


# --------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------

SectionName = Literal["consequences", "trending", "predictions"]
TargetField = Literal["benefits", "ramifications", "item", "line", "prediction"]


@dataclass(frozen=True)
class Target:
    """One element of the post, by identity: ``key`` is the item's title, the trending line,
    or the prediction's event; ``expected`` is the target's value when it was located."""

    section: SectionName
    index: int  # 0-based, when located
    key: str
    field: TargetField
    expected: tuple[str, ...]

    @property
    def number(self) -> int:
        return self.index + 1

    def describe(self) -> str:
        if self.section == "consequences":
            what = {"benefits": "the benefits of", "ramifications": "the ramifications of"}.get(
                self.field, ""
            )
            return f"{what} item {self.number}".strip()
        if self.section == "trending":
            return f"trending line {self.number}"
        return f"prediction {self.number}"


def _value(post: Post, section: str, index: int, fld: str) -> tuple[str, ...]:
    if section == "consequences":
        c = post.consequences[index]
        if fld in ("benefits", "ramifications"):
            return (getattr(c, fld),)
        return (c.benefits, c.ramifications)
    if section == "trending":
        return (post.trending[index].title,)
    p = post.predictions[index]
    return (p.when, p.rationale)


def _key(post: Post, section: str, index: int) -> str:
    if section == "consequences":
        return post.consequences[index].title
    if section == "trending":
        return post.trending[index].title
    return post.predictions[index].event


def target(post: Post, section: SectionName, index: int, fld: TargetField) -> Target:
    return Target(
        section, index, _key(post, section, index), fld, _value(post, section, index, fld)
    )


def target_at_line(post: Post, line: int) -> Target | None:
    """What a line comment on ``line`` (1-based) of the post is about; None when the line is
    front matter, a heading, the notice or a blank line between elements."""
    span = locate(post, line)
    if span is None or span.section not in ("consequences", "trending", "predictions"):
        return None
    if span.section == "consequences":
        fld: TargetField = span.field if span.field in ("benefits", "ramifications") else "item"  # type: ignore[assignment]
    elif span.section == "trending":
        fld = "line"
    else:
        fld = "prediction"
    return target(post, span.section, span.index, fld)  # type: ignore[arg-type]


def _elements(post: Post, section: str) -> list[Any]:
    lists: dict[str, list[Any]] = {
        "consequences": post.consequences,
        "trending": post.trending,
        "predictions": post.predictions,
    }
    return lists[section]


def find(post: Post, t: Target) -> int | None:
    """The index of ``t``'s element in ``post`` if it is there unchanged (same identity, same
    value), else None. The index it had is preferred when identities repeat."""
    elements = _elements(post, t.section)
    order = ([t.index] if t.index < len(elements) else []) + [
        i for i in range(len(elements)) if i != t.index
    ]
    for i in order:
        if _key(post, t.section, i) == t.key:
            return i if _value(post, t.section, i, t.field) == t.expected else None
    return None


# --------------------------------------------------------------------------------------
# Resolving a command to tasks
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """Work for the executor: ``rewrite`` (with ``instruction``), ``regenerate``, ``drop`` or
    ``replace`` on ``targets``; or ``help``."""

    action: Literal["rewrite", "regenerate", "drop", "replace", "help"]
    targets: tuple[Target, ...] = ()
    instruction: str = ""


@dataclass(frozen=True)
class Refusal:
    """A command that cannot be carried out; ``reason`` is Markdown for the reply."""

    reason: str
    help: bool = False  # append the command list to the reply


def _item(post: Post, n: int | None, verb: str, prefix: str) -> Target | Refusal:
    count = len(post.consequences)
    if n is None:
        return Refusal(f"`{verb}` needs an item number here, like `{prefix} {verb} 2`.", help=True)
    if not 1 <= n <= count:
        return Refusal(
            f"there is no item {n}: the post has {count} item{'s' if count != 1 else ''} (1 to {count})."
        )
    return target(post, "consequences", n - 1, "item")


def resolve(
    command: Command, post: Post, *, at: Target | None = None, prefix: str = "/summary"
) -> Task | Refusal:
    """The task for ``command``. ``at`` is what a line comment is on (None in the conversation)."""
    if isinstance(command, Invalid):
        return Refusal(command.reason[0].upper() + command.reason[1:] + ".", help=True)
    if isinstance(command, Help):
        return Task("help")

    if isinstance(command, Instruct):
        if at is not None:
            return Task("rewrite", (at,), command.text)
        targets = [target(post, "consequences", i, "item") for i in range(len(post.consequences))]
        targets += [
            target(post, "predictions", i, "prediction") for i in range(len(post.predictions))
        ]
        if not targets:
            return Refusal("the post has no items or predictions to rewrite.")
        return Task("rewrite", tuple(targets), command.text)

    if isinstance(command, Regenerate):
        if command.item is not None:
            t = _item(post, command.item, "regenerate", prefix)
            return t if isinstance(t, Refusal) else Task("regenerate", (t,))
        if at is not None:
            if at.section == "trending":
                return Refusal(
                    "trending lines are the discussions' own titles, so there is nothing to regenerate. "
                    f"Use `{prefix} replace` or `{prefix} drop` on the line, or give an instruction "
                    f"(`{prefix} shorten this title`)."
                )
            return Task("regenerate", (at,))
        targets = [target(post, "consequences", i, "item") for i in range(len(post.consequences))]
        targets += [
            target(post, "predictions", i, "prediction") for i in range(len(post.predictions))
        ]
        return Task("regenerate", tuple(targets))

    if isinstance(command, Drop):
        if command.item is None and at is not None:
            t = at
            if at.section == "consequences":
                t = target(post, "consequences", at.index, "item")
        else:
            t = _item(post, command.item, "drop", prefix)
        if isinstance(t, Refusal):
            return t
        if t.section == "consequences" and len(post.consequences) == 1:
            return Refusal("this is the post's only item; a post needs at least one.")
        return Task("drop", (t,))

    assert isinstance(command, Replace)
    if command.item is None and at is not None:
        if at.section == "predictions":
            return Refusal(
                "predictions come from the configured events and have no runner-up. "
                f"Give an instruction instead (`{prefix} make this more cautious`), or `{prefix} regenerate`."
            )
        t = at if at.section == "trending" else target(post, "consequences", at.index, "item")
    else:
        t = _item(post, command.item, "replace", prefix)
    if isinstance(t, Refusal):
        return t
    return Task("replace", (t,))


# --------------------------------------------------------------------------------------
# Changes and applying them
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One edit: ``set`` new values on a target (field name -> text), ``drop`` it, or
    ``replace`` it with a new element (``values``: title, and for items benefits and
    ramifications)."""

    op: Literal["set", "drop", "replace"]
    target: Target
    values: dict[str, str] = field(default_factory=dict)


class Conflict(Exception):
    """The target is gone or changed since it was located."""

    def __init__(self, t: Target) -> None:
        super().__init__(f"{t.describe()} changed since the comment was written")
        self.target = t


def apply(post: Post, change: Change) -> None:
    """Apply one change to ``post`` in place; ``Conflict`` if its target is not there as it was."""
    t = change.target
    i = find(post, t)
    if i is None:
        raise Conflict(t)
    v = change.values
    if change.op == "drop":
        del _elements(post, t.section)[i]
        return
    if t.section == "consequences":
        if change.op == "replace":
            post.consequences[i] = Consequence(v["title"], v["benefits"], v["ramifications"])
            return
        c = post.consequences[i]
        for name in ("benefits", "ramifications"):
            if name in v:
                setattr(c, name, v[name])
    elif t.section == "trending":
        if change.op == "replace":
            post.trending[i] = Trending(v["title"])
        else:
            post.trending[i].title = v["title"]
    else:
        p = post.predictions[i]
        p.when = v.get("when", p.when)
        p.rationale = v.get("rationale", p.rationale)


def apply_groups(
    text: str, groups: Sequence[Sequence[Change]], *, path: str | None = None
) -> tuple[str, list[int]]:
    """Apply each group of changes (one group per request) atomically, in order, to the post
    ``text``. Returns the new text and the indexes of groups that conflicted (left out)."""
    post = parse(text, path=path)
    failed: list[int] = []
    for n, group in enumerate(groups):
        trial = copy.deepcopy(post)
        try:
            for change in group:
                apply(trial, change)
        except Conflict:
            failed.append(n)
            continue
        post = trial
    return render(post), failed


def unused_runner_up(meta: dict[str, Any], key: str = "runners_up") -> dict[str, Any] | None:
    """The best runner-up (first in the list) that is not in the post already."""
    used = {
        (c.get("url") or "", c.get("title") or "")
        for c in meta.get("items", []) + meta.get("trending", [])
    }
    used_urls = {u for u, _ in used if u}
    used_titles = {t for _, t in used if t}
    pool: list[dict[str, Any]] = meta.get(key) or []
    for c in pool:
        if (c.get("url") and c["url"] in used_urls) or (c.get("title") in used_titles):
            continue
        return c
    return None
