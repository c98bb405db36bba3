"""The fake answers like the real API: same request checks, same error and completion shapes."""

from __future__ import annotations

import asyncio
import json

import httpx
import openai
import pytest

from daily_ai_summary.testing.openai_fake import OpenAIFake, Reply
from daily_ai_summary.writer import ItemText, response_format

USER = [{"role": "user", "content": "Reply in JSON."}]


def create(fake: OpenAIFake, path: str = "/v1", api_key: str = "sk-test", **body):
    """One real chat.completions.create call through the SDK."""

    async def go():
        async with openai.AsyncOpenAI(
            base_url=fake.url + path, api_key=api_key, max_retries=0, timeout=5
        ) as client:
            return await client.chat.completions.create(**body)

    return asyncio.run(go())


def test_a_completion_has_the_real_shape_and_parses_with_the_sdk(fake):
    result = create(fake, model="gpt-4o-mini", messages=USER)
    assert result.object == "chat.completion"
    assert result.choices[0].message.role == "assistant"
    assert result.choices[0].finish_reason == "stop"
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    assert result.usage.completion_tokens_details.reasoning_tokens == 0


@pytest.mark.parametrize("path", ["", "/v1", "/inference"])
def test_openai_and_github_models_paths_are_served(fake, path):
    assert (
        create(fake, path, model="openai/gpt-4o-mini", messages=USER).model == "openai/gpt-4o-mini"
    )


def test_field_names_match_a_recorded_openai_response(fake, recorded):
    sse = (recorded / "openai" / "chat_completions_stream_length.4cc50a6135d2.sse").read_text()
    chunks = [json.loads(line[6:]) for line in sse.splitlines() if line.startswith("data: {")]
    first, last = chunks[0], chunks[-1]
    ours = create(fake, model="gpt-4o-mini", messages=USER).model_dump()
    assert set(first) - {"object", "choices"} <= set(ours)  # id, created, model, fingerprint
    assert set(first["choices"][0]["delta"]) <= set(ours["choices"][0]["message"])
    assert set(first["choices"][0]) - {"delta"} <= set(ours["choices"][0])
    assert set(last["usage"]) <= set(ours["usage"])
    assert set(last["usage"]["completion_tokens_details"]) <= set(
        ours["usage"]["completion_tokens_details"]
    )


def test_the_sample_writer_fills_the_requested_schema(fake):
    result = create(
        fake,
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Title: Tiny recurrent models beat transformers"}],
        response_format=response_format(ItemText, json_schema=True),
    )
    item = ItemText.model_validate_json(result.choices[0].message.content)
    assert "Tiny recurrent models beat transformers" in item.benefits


def test_the_sample_writer_is_deterministic(fake):
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "Title: Same title"}],
        "response_format": response_format(ItemText, json_schema=True),
    }
    assert (
        create(fake, **body).choices[0].message.content
        == create(fake, **body).choices[0].message.content
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "m", "messages": []}, "empty array"),
        (
            {"model": "m", "messages": [{"role": "robot", "content": "hi"}]},
            "Invalid value: 'robot'",
        ),
        (
            {
                "model": "m",
                "messages": [{"role": "user", "content": "hi"}],
                "response_format": {"type": "json_object"},
            },
            "must contain the word 'json'",
        ),
        (
            {"model": "m", "messages": USER, "response_format": {"type": "xml"}},
            "Supported values are: 'json_object', 'json_schema', and 'text'",
        ),
        ({"model": "m", "messages": USER, "max_tokens": 0}, "Expected a value >= 1"),
    ],
)
def test_bad_requests_get_openais_400(fake, body, message):
    with pytest.raises(openai.BadRequestError) as err:
        create(fake, **body)
    assert message in err.value.body["message"]
    assert err.value.body["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"messages": USER}, "you must provide a model parameter"),
        ({"model": "m"}, "Missing required parameter: 'messages'"),
    ],
)
def test_missing_parameters_get_openais_400(fake, body, message):
    # The SDK refuses to send these, other clients (curl, LangChain...) do not.
    resp = httpx.post(
        fake.base_url + "/chat/completions", json=body, headers={"Authorization": "Bearer sk-test"}
    )
    assert resp.status_code == 400
    assert message in resp.json()["error"]["message"]


def test_a_missing_key_gets_401(fake):
    resp = httpx.post(fake.base_url + "/chat/completions", json={"model": "m", "messages": USER})
    assert resp.status_code == 401
    assert "You didn't provide an API key" in resp.json()["error"]["message"]


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "In context=(), 'additionalProperties' is required to be supplied and to be false",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                "required": ["a"],
                "additionalProperties": False,
            },
            "array including every key in properties. Missing 'b'",
        ),
        (
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["xs"],
                "properties": {
                    "xs": {"type": "array", "items": {"type": "object", "properties": {}}}
                },
            },
            "In context=('properties', 'xs', 'items'), 'additionalProperties'",
        ),
        (
            {"type": "array", "items": {"type": "string"}},
            "must be a JSON Schema of 'type: \"object\"'",
        ),
    ],
)
def test_strict_json_schema_rules_are_enforced(fake, schema, message):
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "strict": True, "schema": schema}}
    with pytest.raises(openai.BadRequestError) as err:
        create(fake, model="m", messages=USER, response_format=fmt)
    assert message in err.value.body["message"]
    assert err.value.body["param"] == "response_format"


def test_rejecting_json_schema_uses_the_real_error():
    with OpenAIFake(reject_json_schema=True) as fake:
        with pytest.raises(openai.BadRequestError) as err:
            create(
                fake,
                model="m",
                messages=USER,
                response_format=response_format(ItemText, json_schema=True),
            )
    assert "'response_format' of type 'json_schema' is not supported" in err.value.body["message"]


def test_a_wrong_key_gets_401_without_echoing_it():
    with OpenAIFake(api_key="right") as fake:
        with pytest.raises(openai.AuthenticationError) as err:
            create(fake, api_key="wrong-key", model="m", messages=USER)
    assert "wrong-key" not in str(err.value)


def test_scripted_replies_are_used_in_order_then_the_sample_resumes(fake):
    fake.queue(Reply.refusal("no"), Reply.text("raw"))
    first = create(fake, model="m", messages=USER).choices[0]
    second = create(fake, model="m", messages=USER).choices[0]
    third = create(fake, model="m", messages=USER).choices[0]
    assert (first.message.content, first.message.refusal) == (None, "no")
    assert second.message.content == "raw"
    assert json.loads(third.message.content)  # back to the sample writer
    assert fake.pending() == []


def test_a_matched_reply_waits_for_its_prompt(fake):
    fake.queue(Reply.text("for B", match="Title: B"))
    a = create(fake, model="m", messages=[{"role": "user", "content": "Title: A"}])
    b = create(fake, model="m", messages=[{"role": "user", "content": "Title: B"}])
    assert a.choices[0].message.content != "for B"
    assert b.choices[0].message.content == "for B"


def test_a_length_stop_cuts_the_content(fake):
    fake.queue(Reply.length())
    choice = create(fake, model="m", messages=USER, max_tokens=5).choices[0]
    assert choice.finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(choice.message.content)


def test_a_429_carries_retry_after(fake):
    fake.queue(Reply.rate_limited(retry_after=2))
    with pytest.raises(openai.RateLimitError) as err:
        create(fake, model="m", messages=USER)
    assert err.value.response.headers["retry-after"] == "2"
    assert err.value.code == "rate_limit_exceeded"


def test_invalid_requests_do_not_consume_scripted_replies(fake):
    fake.queue(Reply.text("kept"))
    with pytest.raises(openai.BadRequestError):
        create(fake, model="m", messages=[])
    assert create(fake, model="m", messages=USER).choices[0].message.content == "kept"


def test_the_rate_limiter_answers_429_with_retry_after_over_its_concurrency():
    import concurrent.futures

    import httpx

    from daily_ai_summary.testing.openai_fake import OpenAIFake

    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    with OpenAIFake(latency=0.5, max_concurrent=2) as fake:

        def call(_: int) -> httpx.Response:
            return httpx.post(fake.base_url + "/chat/completions", json=body, headers={"Authorization": "Bearer k"}, timeout=10)

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(call, range(4)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 200, 429, 429]
    limited = next(a for a in answers if a.status_code == 429)
    assert limited.headers["retry-after"] == "1" and limited.json()["error"]["code"] == "rate_limit_exceeded"
    assert fake.rejected == 2 and fake.peak_chat_in_flight == 2
