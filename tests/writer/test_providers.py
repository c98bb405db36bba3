"""Which endpoint, key and model a run uses, and what its tokens cost."""

from __future__ import annotations

import asyncio

import pytest

from daily_ai_summary.errors import InputError
from daily_ai_summary.providers import (
    GITHUB_MODELS_URL,
    OPENAI_URL,
    PLACEHOLDER_KEY,
    cost_usd,
    make_client,
    model_tag,
    price_for,
    resolve_provider,
)
from daily_ai_summary.wording import CLI

GH = "ghs_workflowtoken123"
KEY = "sk-openai-key-456"


def resolve(**kw):
    args = {"model": "", "github_token": "", "openai_api_key": "", "base_url": ""}
    args.update(kw)
    return resolve_provider(**args)


def test_default_is_github_models_with_the_workflow_token():
    s = resolve(github_token=GH)
    assert (s.name, s.base_url, s.api_key) == ("github-models", GITHUB_MODELS_URL, GH)
    assert s.model == "openai/gpt-4o-mini"
    assert s.tag == "gpt-4o-mini"  # as the seed post's tags show it


def test_an_openai_key_selects_openai_and_never_uses_the_github_token():
    s = resolve(github_token=GH, openai_api_key=KEY)
    assert (s.name, s.base_url, s.api_key, s.model) == ("openai", OPENAI_URL, KEY, "gpt-4o-mini")


def test_a_base_url_selects_an_openai_compatible_endpoint_with_the_openai_key():
    s = resolve(base_url="http://localhost:11434/v1/", openai_api_key=KEY, model="llama3.1:8b")
    assert (s.name, s.base_url, s.api_key) == (
        "openai-compatible",
        "http://localhost:11434/v1",
        KEY,
    )
    assert (s.model, s.tag) == ("llama3.1:8b", "llama3.1:8b")


def test_the_github_token_is_never_sent_to_a_third_party_base_url():
    s = resolve(base_url="https://openrouter.ai/api/v1", github_token=GH, model="meta/llama-3")
    assert s.api_key == PLACEHOLDER_KEY
    assert GH not in repr(s)


def test_a_base_url_on_the_github_models_host_is_github_models():
    s = resolve(base_url="https://models.github.ai/inference", github_token=GH, model="gpt-4.1")
    assert (s.name, s.api_key, s.model, s.tag) == ("github-models", GH, "openai/gpt-4.1", "gpt-4.1")


def test_the_github_models_url_can_be_overridden_for_tests_and_the_demo():
    s = resolve(github_token=GH, api_url_for_models="http://127.0.0.1:9/inference")
    assert s.base_url == "http://127.0.0.1:9/inference"


def test_model_names_are_spelled_the_way_each_provider_expects():
    assert resolve(openai_api_key=KEY, model="openai/gpt-4o").model == "gpt-4o"
    assert resolve(github_token=GH, model="gpt-4o").model == "openai/gpt-4o"
    assert resolve(github_token=GH, model="meta/Llama-3.3-70B").model == "meta/Llama-3.3-70B"
    assert model_tag("meta/Llama-3.3-70B") == "Llama-3.3-70B"


def test_no_token_and_no_key_is_an_input_error_that_explains_the_alternatives():
    with pytest.raises(InputError) as err:
        resolve(github_token="  ")
    assert err.value.input_name == "github-token"
    for hint in ("permissions: models: read", "`openai-api-key`", "`base-url`"):
        assert hint in str(err.value)  # the action's words
    local = err.value.render(CLI)
    for hint in ("GITHUB_TOKEN: ", "OPENAI_API_KEY", "OPENAI_BASE_URL", "--model"):
        assert hint in local  # the CLI's words
    assert "${{" not in local and "`openai-api-key`" not in local


def test_a_base_url_needs_a_model_name():
    with pytest.raises(InputError) as err:
        resolve(base_url="http://localhost:8000/v1")
    assert err.value.input_name == "model"


def test_a_base_url_must_be_http():
    with pytest.raises(InputError) as err:
        resolve(base_url="localhost:8000", model="m")
    assert err.value.input_name == "base-url"


def test_settings_never_show_the_key():
    assert KEY not in repr(resolve(openai_api_key=KEY))
    assert GH not in str(resolve(github_token=GH))


def test_the_client_has_sdk_retries_off_and_the_given_timeout():
    client = make_client(resolve(openai_api_key=KEY), timeout=7)
    try:
        assert client.max_retries == 0
        assert client.timeout.read == 7
        assert str(client.base_url).rstrip("/") == OPENAI_URL
    finally:
        asyncio.run(client.close())


@pytest.mark.parametrize(
    "model", ["gpt-4o-mini", "openai/gpt-4o-mini", "gpt-4o-mini-2024-07-18", "GPT-4o-mini"]
)
def test_gpt_4o_mini_costs_15_cents_in_and_60_cents_out_per_million(model):
    assert cost_usd(model, 1_000_000, 0) == pytest.approx(0.15)
    assert cost_usd(model, 0, 1_000_000) == pytest.approx(0.60)


def test_every_listed_model_has_a_price_and_github_models_names_share_it():
    for name in ("gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"):
        assert price_for(name) is not None
        assert price_for("openai/" + name) == price_for(name)
    assert price_for("gpt-4.1-mini").input > price_for("gpt-4.1-nano").input


@pytest.mark.parametrize("model", ["llama3.1:8b", "meta/Llama-3.3-70B", "gpt-5-turbo-ultra"])
def test_an_unknown_model_has_an_unknown_cost_not_zero(model):
    assert cost_usd(model, 1000, 1000) is None
