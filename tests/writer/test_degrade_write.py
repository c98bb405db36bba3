"""write_post degrades instead of failing (issue 17): quality problems are re-asked in a fresh
request, the best usable answer is kept with a note, and local servers get the full schema
and sampling of their own."""

from __future__ import annotations

import pytest

from daily_ai_summary.errors import LLMError
from daily_ai_summary.testing.openai_fake import Reply
from daily_ai_summary.writer import full_schema
from daily_ai_summary.writer.validate import Predictions

from .conftest import EVENTS, candidate, write_with

GOOD = (
    "Paged adapter weights let one GPU serve fifty fine-tuned variants, so a small team can "
    "offer per-customer models without renting a rack. The shared base model keeps latency "
    "close to a single deployment, and the published scripts make the memory numbers easy to "
    "check on other cards."
)
NO_RISKS = (
    "There are no significant risks associated with serving many adapters from one GPU, and "
    "the approach should be safe for teams of any size to adopt right away without changes to "
    "their current deployment or monitoring practices."
)
RISKS = (
    "Packing fifty adapters onto one card makes every customer depend on the same GPU, so a "
    "driver fault or a noisy tenant degrades all of them at once. The memory figures come from "
    "two cards only, and operators with older hardware may find the paging overhead erases "
    "the savings."
)
FIRST_PERSON = (
    "We measured throughput and memory on two GPUs and share the scripts, which lets our team "
    "and others serve fifty adapters from one card with latency close to a single deployment "
    "while keeping the memory cost predictable."
)


def test_a_no_risks_answer_is_asked_again_with_the_problem_stated(fake):
    fake.queue(Reply.json({"benefits": GOOD, "ramifications": NO_RISKS}, match="Title:"))
    post = write_with(fake, [candidate(0)], events=[])
    retry = fake.chat_bodies()[1]["messages"][-1]["content"]
    assert "says there are no risks" in retry and NO_RISKS not in retry
    assert post.items[0].ramifications != NO_RISKS
    assert post.reasks_succeeded == {"no-risks": 1} and post.degradations == []


def test_when_the_reask_has_the_same_fault_the_answer_is_kept_with_a_visible_note(fake):
    answer = {"benefits": FIRST_PERSON, "ramifications": GOOD}
    fake.queue(Reply.json(answer, match="Title:"), Reply.json(answer, match="Title:"))
    events = []
    post = write_with(fake, [candidate(0)], events=[], on_event=events.append)
    assert post.items[0].benefits == FIRST_PERSON  # kept: a reviewer can fix a paragraph
    [note] = post.degradations
    assert note.kind == "best-usable" and note.where == "item 1"
    assert "copies the source's first-person text" in note.detail
    assert post.reasks_failed == {"first-person": 1}
    assert any("answer rejected" in e for e in events)  # said where people look
    assert any("re-ask did not work" in e for e in events)


def test_a_paragraph_slightly_short_is_kept_with_a_note_and_not_asked_again(fake):
    short = " ".join(GOOD.split()[:30]) + "."
    fake.queue(Reply.json({"benefits": short, "ramifications": RISKS}, match="Title:"))
    post = write_with(fake, [candidate(0)], events=[])
    assert len(fake.chat_bodies()) == 1
    [note] = post.degradations
    assert note.kind == "length" and "30 words (asked 40 to 120)" in note.detail


def test_small_model_dates_are_normalised_not_rejected(fake):
    rationale, other = GOOD, RISKS
    fake.queue(
        Reply.json(
            {
                "predictions": [
                    {"event": EVENTS[0], "when": "2050", "rationale": rationale},
                    {"event": EVENTS[1], "when": "2045-10-25", "rationale": other},
                ]
            }
        )
    )
    post = write_with(fake, [], events=EVENTS)
    assert [p.when for p in post.predictions] == ["2050", "October 2045"]
    assert len(fake.chat_bodies()) == 1


def test_a_local_server_gets_the_full_schema_and_a_different_draw_for_the_reask(fake):
    fake.queue(Reply.text("not json", match="Title:"))
    write_with(fake, [candidate(0)], events=EVENTS, full_schema=True, local=True)
    bodies = fake.chat_bodies()
    preds = next(b for b in bodies if "predictions" in b["response_format"]["json_schema"]["name"])
    schema = preds["response_format"]["json_schema"]["schema"]
    assert schema == full_schema(Predictions, EVENTS)
    items = [b for b in bodies if b["response_format"]["json_schema"]["name"] == "item_text"]
    first, retry = items
    assert first["temperature"] == 0.2 and "seed" not in first
    assert retry["temperature"] == 0.7 and isinstance(retry["seed"], int)


def test_the_full_schema_constrains_what_small_models_got_wrong():
    schema = full_schema(Predictions, EVENTS)
    preds = schema["properties"]["predictions"]
    assert preds["minItems"] == preds["maxItems"] == 2
    item = preds["items"]
    assert item["properties"]["event"]["enum"] == EVENTS
    assert item["properties"]["when"]["pattern"].startswith("^(January|February")
    assert item["properties"]["rationale"]["minLength"] >= 150
    assert "$ref" not in str(schema) and "$defs" not in schema


def test_an_endpoint_that_rejects_the_full_schema_gets_the_strict_one(fake):
    fake.queue(
        Reply.error(
            400, "Invalid schema for response_format 'item_text': minLength is not permitted."
        )
    )
    post = write_with(fake, [candidate(0)], events=[], full_schema=True, concurrency=1)
    first, second = fake.chat_bodies()
    assert "minLength" in str(first["response_format"]) and "minLength" not in str(
        second["response_format"]
    )
    assert post.schema_mode == "strict"
    assert any(d.kind == "fallback" and "full JSON schema" in d.detail for d in post.degradations)


def test_hosted_apis_get_no_temperature_of_ours(fake):
    fake.queue(Reply.text("not json", match="Title:"))
    write_with(fake, [candidate(0)], events=[])
    first, retry = fake.chat_bodies()
    assert "temperature" not in first and "temperature" not in retry
    assert "seed" in retry  # a different draw all the same


def test_a_local_models_answer_that_runs_past_the_token_limit_is_asked_again_fresh(fake):
    """A small model that never ends a rationale is cut off at max_tokens; on a local server
    that is a re-ask at another draw (the run measured in docs/local-models.md lost a date to
    it), not the end of the run."""
    fake.queue(Reply.length())
    post = write_with(fake, [], events=EVENTS, full_schema=True, local=True)
    assert [p.event for p in post.predictions] == EVENTS
    first, retry = fake.chat_bodies()
    assert "ran past the token limit" in retry["messages"][-1]["content"]
    assert retry["temperature"] == 0.7 and isinstance(retry["seed"], int)
    assert post.reasks_succeeded == {"cut-off": 1}


def test_a_local_model_cut_off_twice_fails_saying_to_raise_the_max_tokens(fake):
    fake.queue(Reply.length(), Reply.length())
    with pytest.raises(LLMError, match=r"predictions: the answer was cut off at the token limit"):
        write_with(fake, [], events=EVENTS, full_schema=True, local=True, max_tokens=300)
    assert len(fake.chat_bodies()) == 2


def test_a_local_reask_cut_off_keeps_the_first_answer_with_its_problem_as_a_note(fake):
    """The first answer was usable but had a problem; the re-ask ran on to max_tokens. The
    first answer is kept, its problem shown to the reviewer, rather than the item lost."""
    fake.queue(
        Reply.json({"benefits": FIRST_PERSON, "ramifications": RISKS}, match="Title:"),
        Reply.length(match="Title:"),
    )
    post = write_with(fake, [candidate(0)], events=[], full_schema=True, local=True)
    [item] = post.items
    assert item.benefits == FIRST_PERSON
    [note] = post.degradations
    assert note.kind == "best-usable" and "first-person" in note.detail
