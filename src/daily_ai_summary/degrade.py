"""Degrade instead of failing: what the writer does when an item cannot be written, and the
record of every such degradation for the reviewer. Pure orchestration: the writing itself is
a coroutine passed in.

``fill_section`` writes every chosen item concurrently. A failed item never cancels the
others. An item whose answer is unusable (rejected twice, refused, or its call failed) is
replaced by the next runner-up, at the same position, with one more call; if that fails too,
the item is left out. Either way a ``Degradation`` names it. The section fails only when it
ends up with nothing at all; the error is then the first item's own.

Errors that no other item could escape (the endpoint refused the credentials, the model does
not exist: ``LLMError`` with an ``input_name``) end the section at once, as before.

The security issue (11) asks the same for a hostile item that keeps making the model quote
its markup: it is swapped like any other unusable item.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from daily_ai_summary.errors import LLMError
from daily_ai_summary.models import Candidate

T = TypeVar("T")

# How many runners-up one failed item may try, each with a single call (issue 11: "one more
# call"). The runner-up's own answer is taken if usable, without a re-ask.
SWAPS_PER_ITEM = 1


class Degradation(BaseModel):
    """One thing the post has that is less than asked for, said so the reviewer can act."""

    kind: (
        str  # runner-up | dropped | best-usable | length | quality | prediction-missing | fallback
    )
    where: str  # "item 3", "predictions", "the endpoint"
    detail: str

    def line(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass
class Filled(Generic[T]):
    """The section as written: one result per position that could be filled, in order."""

    results: list[T]
    candidates: list[Candidate]  # what each result is about (a runner-up where swapped)
    used_runners_up: list[Candidate] = field(default_factory=list)
    degradations: list[Degradation] = field(default_factory=list)


Write = Callable[[int, Candidate, bool], Awaitable[T]]


def is_fatal(exc: BaseException) -> bool:
    """A failure that every other call would share: stop the section instead of swapping."""
    return isinstance(exc, LLMError) and exc.input_name is not None


def _reason(exc: BaseException) -> str:
    return exc.message if isinstance(exc, LLMError) else str(exc)


def _short(title: str, limit: int = 80) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 3] + "..."


async def fill_section(
    chosen: Sequence[Candidate],
    runners_up: Sequence[Candidate],
    write: Write[T],
    *,
    swaps_per_item: int = SWAPS_PER_ITEM,
) -> Filled[T]:
    """Write ``chosen`` with ``write(position, candidate, is_swap)``; swap or drop what fails.

    ``write`` raises ``LLMError`` (or any ``Exception``) for an unusable item. Positions are
    1-based and stay those of the chosen items, so "item 3" means the same place throughout.
    """
    queue = list(runners_up)
    used: list[Candidate] = []
    degradations: list[Degradation] = []
    errors: list[BaseException] = []

    async def one(pos: int, c: Candidate) -> tuple[T, Candidate] | None:
        try:
            return await write(pos, c, False), c
        except Exception as exc:  # noqa: BLE001 - every failure of one item is that item's
            if is_fatal(exc):
                raise
            errors.append(exc)
            reason = _reason(exc)
        for _ in range(swaps_per_item):
            if not queue:
                break
            runner = queue.pop(0)
            used.append(runner)
            try:
                result = await write(pos, runner, True)
            except Exception as exc:  # noqa: BLE001
                if is_fatal(exc):
                    raise
                reason += f"; runner-up {_short(runner.title)!r} failed too: {_reason(exc)}"
                continue
            degradations.append(
                Degradation(
                    kind="runner-up",
                    where=f"item {pos}",
                    detail=f"{_short(c.title)!r} was replaced by the runner-up "
                    f"{_short(runner.title)!r} because its answer was unusable: {reason}",
                )
            )
            return result, runner
        left = "no runner-up was left" if not queue else "the runner-up failed too"
        degradations.append(
            Degradation(
                kind="dropped",
                where=f"item {pos}",
                detail=f"{_short(c.title)!r} was left out ({left}): {reason}",
            )
        )
        return None

    tasks = [asyncio.create_task(one(pos, c)) for pos, c in enumerate(chosen, 1)]
    try:
        done = await asyncio.gather(*tasks)
    except BaseException:
        # Only a fatal error (or cancellation from outside) gets here.
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    kept = [d for d in done if d is not None]
    if chosen and not kept:
        first = errors[0] if errors else None
        if isinstance(first, LLMError):
            more = f" (and {len(chosen) - 1} other items)" if len(chosen) > 1 else ""
            raise LLMError(first.message + more, input_name=first.input_name) from None
        raise LLMError("no item could be written: " + "; ".join(d.line() for d in degradations))
    degradations.sort(key=lambda d: int(d.where.split()[-1]))
    return Filled(
        results=[r for r, _ in kept],
        candidates=[c for _, c in kept],
        used_runners_up=used,
        degradations=degradations,
    )
