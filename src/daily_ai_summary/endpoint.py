"""What kind of model server the run talks to, found with one ``GET /models``, and the defaults
that follow from it.

OpenAI and GitHub Models are known by the provider and never probed: they get OpenAI's strict
subset of JSON Schema. Any other OpenAI-compatible endpoint is asked once for its models. The
servers the README invites say who they are there (``owned_by``): llama.cpp's ``llama-server``
says ``llamacpp``, Ollama ``library``, vLLM ``vllm``. Those constrain decoding to the full
schema (counts, an ``enum`` of the configured events, a ``pattern`` for dates, ``minLength``),
so they are sent it. Servers that run the model on the same machine (a loopback ``base-url``)
also get local defaults: at most ``LOCAL_CONCURRENCY`` calls at once, a longer per-request
timeout and a longer time budget, because a CPU answers one call in tens of seconds.

A loopback endpoint that does not say what it is (a proxy, a test double) keeps the hosted
defaults: nothing is assumed about how fast it is.

When a known local server lists its models and the configured ``model`` is not among them, the
run stops with one line naming the served models (llama.cpp answers any name with the model it
loaded, so there it is only a warning).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import openai

from daily_ai_summary.errors import InputError
from daily_ai_summary.providers import ProviderSettings

SchemaMode = Literal["full", "strict"]

LOCAL_CONCURRENCY = 2  # calls in flight on a local CPU/GPU server (its slots, not the API's)
LOCAL_TIMEOUT = 600.0  # seconds per request: a queued call on a busy CPU waits its turn
LOCAL_BUDGET = 1800.0  # seconds for the whole write stage on a local server
PROBE_TIMEOUT = 10.0

# ``owned_by`` in GET /models -> the server
SERVERS = {"llamacpp": "llama.cpp", "library": "Ollama", "ollama": "Ollama", "vllm": "vLLM"}
FULL_SCHEMA_SERVERS = frozenset(SERVERS.values())


@dataclass(frozen=True)
class Endpoint:
    """What the probe found, and how the writer should talk to it."""

    server: str  # "OpenAI", "GitHub Models", "llama.cpp", "Ollama", "vLLM" or "unknown"
    schema: SchemaMode
    local: bool  # the model runs on this machine: local defaults apply
    models: tuple[str, ...] = ()
    how: str = ""  # how it was decided, for the job summary
    warnings: tuple[str, ...] = field(default=())

    @property
    def concurrency(self) -> int | None:
        return LOCAL_CONCURRENCY if self.local else None

    @property
    def request_timeout(self) -> float | None:
        return LOCAL_TIMEOUT if self.local else None

    @property
    def budget(self) -> float | None:
        return LOCAL_BUDGET if self.local else None

    def describe(self) -> str:
        """One line for the job summary and the log."""
        schema = (
            "the full JSON schema (counts, event enum, date pattern, minimum lengths)"
            if self.schema == "full"
            else "OpenAI's strict JSON-schema subset"
        )
        local = (
            f"; local defaults: {LOCAL_CONCURRENCY} calls at once, {LOCAL_TIMEOUT:g}s per "
            f"request, {LOCAL_BUDGET:g}s budget"
            if self.local
            else ""
        )
        return f"structured outputs: {schema} for {self.server} ({self.how}){local}"


def is_loopback(base_url: str) -> bool:
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def from_models(settings: ProviderSettings, listing: list[tuple[str, str]]) -> Endpoint:
    """Decide from ``GET /models``'s ``(id, owned_by)`` pairs (pure)."""
    owners = {owner.lower() for _, owner in listing}
    server = next((SERVERS[o] for o in sorted(owners) if o in SERVERS), "unknown")
    models = tuple(m for m, _ in listing)
    full = server in FULL_SCHEMA_SERVERS
    local = full and is_loopback(settings.base_url)
    how = f"GET /models says owned_by {', '.join(sorted(owners)) or 'nothing'}"
    warnings: list[str] = []
    if full and models and not _serves(models, settings.model):
        served = ", ".join(models[:10])
        if server == "llama.cpp":
            warnings.append(
                f"model {settings.model!r} is not the name llama.cpp gives its model ({served}); "
                "llama.cpp answers with the model it loaded whatever the name"
            )
        else:
            raise InputError(
                f"model {settings.model!r} is not served by {settings.base_url} ({server}); it "
                f"serves: {served}",
                input_name="model",
            )
    return Endpoint(server, "full" if full else "strict", local, models, how, tuple(warnings))


def _serves(models: tuple[str, ...], name: str) -> bool:
    wanted = {name, name.removesuffix(":latest"), name + ":latest"}
    return any(m in wanted for m in models)


def known(settings: ProviderSettings) -> Endpoint | None:
    """OpenAI and GitHub Models, known by the provider (no probe needed to decide), else None."""
    if settings.name == "openai":
        return Endpoint("OpenAI", "strict", False, how="the openai provider")
    if settings.name == "github-models":
        return Endpoint("GitHub Models", "strict", False, how="the github-models provider")
    return None


def unknown(why: str) -> Endpoint:
    """An endpoint that did not say what it is: the hosted defaults."""
    return Endpoint("unknown", "strict", False, how=f"{why}; assuming a hosted API")


def from_page(settings: ProviderSettings, page: object) -> Endpoint:
    """Decide from a parsed ``GET /models`` page (``client.models.list()``'s answer)."""
    try:
        data = getattr(page, "data", None) or []
        listing = [(str(m.id), str(getattr(m, "owned_by", "") or "")) for m in data]
    except (AttributeError, TypeError, ValueError) as exc:
        return unknown(f"GET /models answered no model list ({type(exc).__name__})")
    return from_models(settings, listing)


async def probe(client: openai.AsyncOpenAI, settings: ProviderSettings) -> Endpoint:
    """One ``GET /models`` for an OpenAI-compatible endpoint; none for OpenAI/GitHub Models.
    (The CLI's ``checks.check_endpoint`` makes the same request earlier and passes its
    ``Endpoint`` on, so a run asks once.)"""
    if (fixed := known(settings)) is not None:
        return fixed
    try:
        page = await client.models.list(timeout=PROBE_TIMEOUT)
    except (openai.APIError, ValueError, TypeError) as exc:
        return unknown(f"GET /models failed ({type(exc).__name__})")
    return from_page(settings, page)
