"""The runner-up swap (issues 11 and 17): a failed item never cancels the others, is replaced
by the next runner-up at its position, or left out; the section fails only when empty."""

from __future__ import annotations

import asyncio

import pytest

from daily_ai_summary.degrade import fill_section
from daily_ai_summary.errors import LLMError
from daily_ai_summary.models import Candidate


def cand(title: str) -> Candidate:
    return Candidate(
        source="s", source_type="reddit", id=title, title=title, url="https://x.org/" + title
    )


CHOSEN = [cand("alpha"), cand("<script>poison</script>"), cand("gamma")]
RUNNERS = [cand("delta"), cand("epsilon")]


class Writer:
    """Writes an item after ``delay`` seconds, unless its title is in ``bad``."""

    def __init__(self, bad=(), delay=0.0, fatal=()):
        self.bad, self.delay, self.fatal = set(bad), delay, set(fatal)
        self.calls: list[tuple[int, str, bool]] = []
        self.finished: list[str] = []

    async def __call__(self, pos: int, c: Candidate, swap: bool) -> str:
        self.calls.append((pos, c.title, swap))
        if c.title in self.fatal:
            raise LLMError(
                "the endpoint refused the credentials (HTTP 401)", input_name="openai-api-key"
            )
        if c.title in self.bad:
            raise LLMError(
                f"item {pos}: the model's answer was invalid twice; last problem: contains an HTML tag"
            )
        await asyncio.sleep(self.delay)
        self.finished.append(c.title)
        return f"text about {c.title}"


def test_a_poisoned_item_is_swapped_for_the_next_runner_up_at_its_position():
    w = Writer(bad={"<script>poison</script>"})
    filled = asyncio.run(fill_section(CHOSEN, RUNNERS, w))
    assert filled.results == ["text about alpha", "text about delta", "text about gamma"]
    assert [c.title for c in filled.candidates] == ["alpha", "delta", "gamma"]
    assert [c.title for c in filled.used_runners_up] == ["delta"]
    [d] = filled.degradations
    assert d.kind == "runner-up" and d.where == "item 2"
    assert (
        "'delta'" in d.detail and "<script>poison</script>" in d.detail and "HTML tag" in d.detail
    )
    # one more call, and only one
    assert w.calls.count((2, "delta", True)) == 1 and len(w.calls) == 4


def test_a_failed_item_never_cancels_the_others():
    w = Writer(bad={"alpha"}, delay=0.2)
    filled = asyncio.run(fill_section(CHOSEN, [], w))
    assert sorted(w.finished) == ["<script>poison</script>", "gamma"]
    assert len(filled.results) == 2
    [d] = filled.degradations
    assert d.kind == "dropped" and d.where == "item 1" and "no runner-up was left" in d.detail


def test_a_runner_up_that_fails_too_leaves_the_item_out_and_says_both_reasons():
    w = Writer(bad={"gamma", "delta"})
    filled = asyncio.run(fill_section(CHOSEN, RUNNERS, w))
    assert [c.title for c in filled.candidates] == ["alpha", "<script>poison</script>"]
    [d] = filled.degradations
    assert d.kind == "dropped" and "runner-up 'delta' failed too" in d.detail


def test_two_failed_items_take_different_runners_up():
    w = Writer(bad={"alpha", "gamma"})
    filled = asyncio.run(fill_section(CHOSEN, RUNNERS, w))
    assert sorted(c.title for c in filled.candidates) == [
        "<script>poison</script>",
        "delta",
        "epsilon",
    ]
    assert [d.where for d in filled.degradations] == ["item 1", "item 3"]


def test_the_section_fails_only_when_nothing_is_left_with_the_items_own_error():
    w = Writer(bad={c.title for c in CHOSEN} | {r.title for r in RUNNERS})
    with pytest.raises(
        LLMError, match=r"item 1: the model's answer was invalid twice.*\(and 2 other items\)"
    ):
        asyncio.run(fill_section(CHOSEN, RUNNERS, w))


def test_a_credentials_failure_ends_the_section_at_once_without_swapping():
    w = Writer(fatal={"alpha"}, delay=0.5)
    with pytest.raises(LLMError) as err:
        asyncio.run(fill_section(CHOSEN, RUNNERS, w))
    assert err.value.input_name == "openai-api-key"
    assert not any(swap for _, _, swap in w.calls)
