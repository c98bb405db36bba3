"""Model providers: which OpenAI-compatible endpoint to call, with which key, and what it costs.

This is the plugin boundary for model providers (in the spirit of simonw/llm): every provider
speaks the OpenAI chat-completions protocol, so a provider is only a description - a name, a
base URL, which input carries its key and a default model. ``resolve_provider`` picks one from
the action inputs; ``make_client`` turns the result into an ``openai.AsyncOpenAI``.

Resolution rules, first match wins:

1. ``base-url`` is set -> **openai-compatible** (Azure OpenAI, Ollama, vLLM, OpenRouter, LiteLLM...).
   The key is ``openai-api-key``. The GitHub token is deliberately *not* used as a fallback: it
   would hand a repository-scoped credential to a third-party host. Without a key we send the
   placeholder ``"unused"`` (the SDK needs a non-empty string; local servers such as Ollama or
   vLLM ignore it). Exception: a ``base-url`` on the GitHub Models host is GitHub Models.
   ``model`` is required here: there is no default name every server knows.
2. ``openai-api-key`` is set -> **openai** (``https://api.openai.com/v1``), default ``gpt-4o-mini``.
3. otherwise -> **github-models** (``https://models.github.ai/inference``) with the workflow's
   ``github-token``, default ``openai/gpt-4o-mini``. This is the zero-secret default; the job
   needs ``permissions: models: read``.

Model names are normalised per provider, so either spelling works in the config: OpenAI gets
``gpt-4o-mini`` (a leading ``openai/`` is dropped), GitHub Models gets ``openai/gpt-4o-mini``
(the publisher is added to bare OpenAI model names). ``tag`` is the model as the post's tags
show it: without the publisher prefix (``gpt-4o-mini``).

Pricing: ``PRICES`` lists OpenAI's published pay-as-you-go list prices per 1M tokens. The same
price is used for the model under GitHub Models (``openai/`` prefix) as the list-price
equivalent, although GitHub Models' free tier bills nothing. Unknown models cost ``None``
(unknown), never 0. Cached-input discounts are ignored, so a cost is an upper bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import openai

from .errors import InputError

GITHUB_MODELS_URL = "https://models.github.ai/inference"
OPENAI_URL = "https://api.openai.com/v1"
PLACEHOLDER_KEY = "unused"


@dataclass(frozen=True)
class Provider:
    """A kind of OpenAI-compatible endpoint."""

    name: str
    base_url: str | None  # None: the user gives it (base-url input)
    key_input: str  # the action input that carries the credential
    default_model: str | None  # None: the user must name the model
    publisher_prefix: bool  # model ids look like "openai/gpt-4o-mini"
    description: str
    concurrency: int = 8  # LLM calls in flight at once (a post makes items + 1 calls)


GITHUB_MODELS = Provider(
    name="github-models",
    base_url=GITHUB_MODELS_URL,
    key_input="github-token",
    default_model="openai/gpt-4o-mini",
    publisher_prefix=True,
    description="GitHub Models with the workflow token (needs `permissions: models: read`)",
    # The free tier allows 5 concurrent requests ("High"-tier models 2) and 15 a minute; 4
    # leaves room, and the writer's retries absorb a 429 from a High-tier model.
    concurrency=4,
)
OPENAI = Provider(
    name="openai",
    base_url=OPENAI_URL,
    key_input="openai-api-key",
    default_model="gpt-4o-mini",
    publisher_prefix=False,
    description="the OpenAI API with an API key",
)
OPENAI_COMPATIBLE = Provider(
    name="openai-compatible",
    base_url=None,
    key_input="openai-api-key",
    default_model=None,
    publisher_prefix=False,
    description="any OpenAI-compatible endpoint (Azure OpenAI, Ollama, vLLM, OpenRouter...)",
)
PROVIDERS: dict[str, Provider] = {p.name: p for p in (GITHUB_MODELS, OPENAI, OPENAI_COMPATIBLE)}


@dataclass(frozen=True)
class ProviderSettings:
    """Everything needed to build a client. ``api_key`` is a secret: it is kept out of repr."""

    name: str
    base_url: str
    api_key: str = field(repr=False)
    model: str
    tag: str
    concurrency: int = 8  # the provider's bound on LLM calls in flight


# OpenAI model names that GitHub Models publishes under "openai/".
_OPENAI_MODEL = re.compile(r"^(gpt-|o\d|chatgpt-|text-embedding-)", re.IGNORECASE)

# Settings are named by placeholder ([[...]], see wording.py): the action says
# `openai-api-key`, the CLI OPENAI_API_KEY.
_NO_CREDENTIAL_HELP = (
    "no credential for the model: the default provider is GitHub Models, which uses "
    "[[github-token]]: [[set:github-token]]; or set [[openai-api-key]] to use OpenAI; or set "
    "[[base-url]] (and [[model]]) for another OpenAI-compatible endpoint."
)


def resolve_provider(
    *,
    model: str,
    github_token: str,
    openai_api_key: str,
    base_url: str,
    api_url_for_models: str | None = None,
) -> ProviderSettings:
    """Pick the provider from the action inputs (see the module docstring for the rules).

    ``api_url_for_models`` overrides the GitHub Models endpoint (tests, the demo, GHES proxies).
    """
    model = (model or "").strip()
    github_token = (github_token or "").strip()
    openai_api_key = (openai_api_key or "").strip()
    base_url = (base_url or "").strip().rstrip("/")
    models_url = (api_url_for_models or GITHUB_MODELS_URL).rstrip("/")

    if base_url and not _is_github_models_url(base_url, models_url):
        if not base_url.startswith(("http://", "https://")):
            raise InputError(
                f"must be an http(s) URL such as http://localhost:11434/v1, got {base_url!r}",
                input_name="base-url",
            )
        if not model:
            raise InputError(
                "[[base-url]] is set, so also set [[model]] to a name that endpoint serves "
                "(for example `llama3.1:8b` for Ollama or your Azure deployment name)",
                input_name="model",
            )
        return _settings(OPENAI_COMPATIBLE, base_url, openai_api_key or PLACEHOLDER_KEY, model)

    if openai_api_key and not base_url:
        return _settings(OPENAI, OPENAI_URL, openai_api_key, model or OPENAI.default_model or "")

    if not github_token:
        raise InputError(_NO_CREDENTIAL_HELP, input_name="github-token")
    return _settings(
        GITHUB_MODELS,
        base_url or models_url,
        github_token,
        model or GITHUB_MODELS.default_model or "",
    )


def _is_github_models_url(url: str, models_url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "models.github.ai" or url.rstrip("/") == models_url


def _settings(provider: Provider, base_url: str, key: str, model: str) -> ProviderSettings:
    model = normalise_model(provider, model)
    return ProviderSettings(
        name=provider.name,
        base_url=base_url,
        api_key=key,
        model=model,
        tag=model_tag(model),
        concurrency=provider.concurrency,
    )


def normalise_model(provider: Provider, model: str) -> str:
    """Spell ``model`` the way ``provider`` expects it."""
    if provider is OPENAI and model.lower().startswith("openai/"):
        return model.split("/", 1)[1]
    if provider.publisher_prefix and "/" not in model and _OPENAI_MODEL.match(model):
        return "openai/" + model
    return model


def model_tag(model: str) -> str:
    """The model as the post's tags show it: ``openai/gpt-4o-mini`` -> ``gpt-4o-mini``."""
    return model.rsplit("/", 1)[-1]


def make_client(
    settings: ProviderSettings, *, timeout: float, max_retries: int = 0
) -> openai.AsyncOpenAI:
    """An async client for ``settings``. SDK retries are off by default: the writer retries
    itself, within its time budget. ``timeout`` bounds each request (connect at most 10 s)."""
    return openai.AsyncOpenAI(
        api_key=settings.api_key,
        base_url=settings.base_url,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        max_retries=max_retries,
    )


# --------------------------------------------------------------------------------------------
# Pricing


@dataclass(frozen=True)
class Price:
    """US dollars per 1M tokens."""

    input: float
    output: float


# OpenAI list prices, standard tier, per 1M tokens (platform.openai.com/docs/pricing).
# gpt-4o-mini: $0.15/$0.60 (launch 2024-07-18; confirmed by three pricing guides in 2026, see
# docs notes). gpt-4o: $2.50/$10.00 (gpt-4o-2024-08-06 onwards). gpt-4.1 family as announced
# 2025-04-14: gpt-4.1 $2.00/$8.00, gpt-4.1-mini $0.40/$1.60, gpt-4.1-nano $0.10/$0.40.
PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
}

_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def price_for(model: str) -> Price | None:
    """The price of ``model``; ``openai/`` prefixes and dated snapshots map to the base model."""
    name = model.strip().lower()
    if name.startswith("openai/"):
        name = name[len("openai/") :]
    if name in PRICES:
        return PRICES[name]
    return PRICES.get(_SNAPSHOT.sub("", name))


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """What the tokens cost at list price, or None when the model's price is unknown."""
    price = price_for(model)
    if price is None:
        return None
    return (prompt_tokens * price.input + completion_tokens * price.output) / 1_000_000
