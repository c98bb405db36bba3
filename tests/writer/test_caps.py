"""Issue 11's LLM caps, each a named constant: bytes of an answer kept or echoed back, and
LLM requests per run."""

from __future__ import annotations

import json

import pytest

from daily_ai_summary.errors import LLMError
from daily_ai_summary.reask import MAX_FEEDBACK_CHARS
from daily_ai_summary.testing.openai_fake import Reply
from daily_ai_summary.writer import MAX_ANSWER_BYTES, MAX_LLM_CALLS

from .conftest import candidate, write_with


def test_an_answer_over_the_byte_cap_is_rejected_unread_and_never_echoed(fake):
    huge = json.dumps({"benefits": "<b>" + "A" * (2 * 1024 * 1024), "ramifications": "x"})
    fake.queue(Reply.text(huge, match="Title:"))
    post = write_with(fake, [candidate(0)], events=[])
    assert len(post.items) == 1  # the re-ask worked
    retry = fake.chat_bodies()[1]
    sent = json.dumps(retry)
    assert "AAAAAAAAAA" not in sent
    assert (
        f"is {len(huge)} bytes, over the {MAX_ANSWER_BYTES}-byte cap"
        in retry["messages"][-1]["content"]
    )
    assert len(sent) < len(json.dumps(fake.chat_bodies()[0])) + MAX_FEEDBACK_CHARS + 500


def test_a_hostile_answer_under_the_cap_is_not_echoed_either(fake):
    hostile = "<script>steal()</script> " * 100  # 2.5 KB: under the cap, still never echoed
    fake.queue(Reply.json({"benefits": hostile, "ramifications": hostile}, match="Title:"))
    write_with(fake, [candidate(0)], events=[])
    retry = fake.chat_bodies()[1]["messages"][-1]["content"]
    assert retry.count("steal()") == 0 and "HTML tag" in retry


def test_a_run_never_sends_more_than_the_request_cap(fake, sleeps):
    # Every request fails with a retryable 500: ten items, their runners-up and the
    # predictions would make 5 attempts each (105 requests) without the cap.
    fake.queue(*[Reply.server_error(500) for _ in range(200)])
    items = [candidate(i) for i in range(10)]
    runners = [candidate(i, id=f"r{i}", title=f"Runner-up {i}") for i in range(10)]
    with pytest.raises(LLMError) as err:
        write_with(fake, items, runners_up=runners, sleep=sleeps, concurrency=10)
    assert len(fake.chat_bodies()) == MAX_LLM_CALLS
    assert "MAX_LLM_CALLS" in str(err.value) or "gave up" in str(err.value)
