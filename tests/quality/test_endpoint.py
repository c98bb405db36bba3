"""The endpoint probe: one GET /models decides the schema and the local defaults."""

from __future__ import annotations

import asyncio

import pytest

from daily_ai_summary.endpoint import LOCAL_CONCURRENCY, is_loopback, probe
from daily_ai_summary.errors import InputError
from daily_ai_summary.providers import make_client, resolve_provider
from daily_ai_summary.testing.openai_fake import OpenAIFake


def probe_fake(fake: OpenAIFake, model: str, base_url: str | None = None):
    settings = resolve_provider(
        model=model, github_token="", openai_api_key="", base_url=base_url or fake.base_url
    )

    async def go():
        async with make_client(settings, timeout=5) as client:
            return await probe(client, settings)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("owned_by", "server"), [("llamacpp", "llama.cpp"), ("library", "Ollama"), ("vllm", "vLLM")]
)
def test_a_local_model_server_gets_the_full_schema_and_local_defaults(owned_by, server):
    with OpenAIFake(owned_by=owned_by, models=["qwen"]) as fake:
        endpoint = probe_fake(fake, "qwen")
        assert [r.path for r in fake.requests] == ["/v1/models"]
    assert endpoint.server == server and endpoint.schema == "full" and endpoint.local
    assert endpoint.concurrency == LOCAL_CONCURRENCY
    assert endpoint.request_timeout and endpoint.request_timeout >= 300
    summary = endpoint.describe()
    assert server in summary and "full JSON schema" in summary and f"owned_by {owned_by}" in summary


def test_an_endpoint_that_does_not_say_what_it_is_keeps_the_hosted_defaults():
    with OpenAIFake() as fake:
        endpoint = probe_fake(fake, "gpt-4o-mini")
    assert endpoint.schema == "strict" and not endpoint.local and endpoint.concurrency is None
    assert "strict" in endpoint.describe()


def test_an_unknown_model_on_ollama_is_one_clear_line_naming_what_it_serves():
    with OpenAIFake(owned_by="library", models=["llama3.1:8b", "qwen2.5:1.5b"]) as fake:
        with pytest.raises(InputError) as err:
            probe_fake(fake, "llama3")
    assert err.value.input_name == "model"
    assert "'llama3' is not served by" in err.value.message
    assert "llama3.1:8b, qwen2.5:1.5b" in err.value.message


def test_ollama_names_without_the_latest_tag_are_the_same_model():
    with OpenAIFake(owned_by="library", models=["qwen2.5:latest"]) as fake:
        assert probe_fake(fake, "qwen2.5").server == "Ollama"


def test_llama_cpp_answers_any_name_so_a_mismatch_is_a_warning():
    with OpenAIFake(owned_by="llamacpp", models=["qwen2.5-coder"]) as fake:
        endpoint = probe_fake(fake, "gpt-4o-mini")
    assert (
        endpoint.local and "'gpt-4o-mini' is not the name llama.cpp gives" in endpoint.warnings[0]
    )


def test_a_failed_probe_is_not_fatal():
    with OpenAIFake(api_key="right") as fake:  # GET /models is not even served with a key check
        endpoint = probe_fake(fake, "m", base_url=fake.url + "/nothing-here/v1")
    assert endpoint.server == "unknown" and endpoint.schema == "strict"
    assert "GET /models failed" in endpoint.how


def test_openai_and_github_models_are_never_probed():
    with OpenAIFake() as fake:
        settings = resolve_provider(
            model="", github_token="t", openai_api_key="", base_url="", api_url_for_models=fake.url
        )

        async def go():
            async with make_client(settings, timeout=5) as client:
                return await probe(client, settings)

        endpoint = asyncio.run(go())
        assert fake.requests == []
    assert endpoint.server == "GitHub Models" and endpoint.schema == "strict"


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:11434/v1", True),
        ("http://127.0.0.1:8080/v1", True),
        ("http://[::1]:8080/v1", True),
        ("http://127.0.0.2:8080/v1", True),
        ("https://api.example.org/v1", False),
        ("http://10.0.0.5:8080/v1", False),
    ],
)
def test_loopback_hosts(url, loopback):
    assert is_loopback(url) is loopback
