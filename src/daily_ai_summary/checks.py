"""Checks ``generate`` runs on a local clone before its first paid call.

The folder must be the top of a git repository with a commit (the post is committed on a branch
from HEAD), and the model endpoint must answer with the credential given: ``GET {base}/models`` (GitHub Models:
``GET /catalog/models``), which costs no token (a 404 there is fine: some OpenAI-compatible
servers do not list models, but they answered). The date, the config and the archetype are checked by ``pipeline.make_plan`` and
the credential's presence by ``providers.resolve_provider``, both before this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import openai

from daily_ai_summary.endpoint import Endpoint, from_page, known, unknown
from daily_ai_summary.errors import GitError, LLMError
from daily_ai_summary.providers import ProviderSettings
from daily_ai_summary.publish.git import Git

ENDPOINT_TIMEOUT = 15.0


def check_repository(repo: Path) -> None:
    """``repo`` is the top folder of a git repository that has a commit."""
    git = Git(repo)
    top = git.toplevel()
    if top is None:
        raise GitError(
            f"{repo} is not a git repository: give --repo the folder of a clone of the blog"
            " (or add --dry-run to only print the post)"
        )
    if top != repo.resolve():
        raise GitError(f"{repo} is inside the git repository {top}: give --repo {top}")
    if git.rev_parse("HEAD") is None:
        raise GitError(
            f"{repo} has no commit yet: commit the blog first (the post's branch starts at HEAD)"
        )


def check_endpoint(
    settings: ProviderSettings, make_client: Callable[[ProviderSettings], openai.AsyncOpenAI]
) -> Endpoint:
    """The endpoint answers ``GET /models`` and accepts the credential. Raises ``LLMError``.

    Its answer also says what kind of server it is (``endpoint.py``): the ``Endpoint`` is
    returned for ``pipeline.generate``, so a run sends ``GET /models`` once."""

    async def probe() -> Endpoint:
        client = make_client(settings)
        options: dict[str, object] = {"timeout": ENDPOINT_TIMEOUT, "max_retries": 0}
        if settings.name == "github-models" and settings.base_url.endswith("/inference"):
            # GitHub Models lists its models at /catalog/models, beside /inference
            options["base_url"] = settings.base_url.removesuffix("/inference") + "/catalog"
        try:
            # raw: the status for every provider; the list is read only from OpenAI-compatible
            # servers (GitHub's catalog differs in shape from OpenAI's list)
            raw = await client.with_options(**options).models.with_raw_response.list()  # type: ignore[arg-type]
            if (fixed := known(settings)) is not None:
                return fixed
            try:
                return from_page(settings, raw.parse())
            except (ValueError, TypeError) as exc:  # not JSON, or not a model list
                return unknown(f"GET /models answered no model list ({type(exc).__name__})")
        finally:
            await client.close()

    key = "[[github-token]]" if settings.name == "github-models" else "[[openai-api-key]]"
    try:
        return asyncio.run(probe())
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise LLMError(
            f"{settings.base_url} refused the credential (HTTP {exc.status_code}): check {key}"
            + (" and that it may use GitHub Models" if settings.name == "github-models" else ""),
            input_name="github-token" if settings.name == "github-models" else "openai-api-key",
        ) from None
    except openai.NotFoundError:
        # it answered; it just does not list models
        return known(settings) or unknown("GET /models answered 404")
    except (openai.APIConnectionError, openai.APITimeoutError):
        raise LLMError(
            f"cannot reach the model endpoint {settings.base_url}: is it running, and is "
            "[[base-url]] right?",
            input_name="base-url",
        ) from None
    except openai.APIStatusError as exc:
        if exc.status_code >= 500:
            raise LLMError(
                f"the model endpoint {settings.base_url} answered HTTP {exc.status_code}; try again later"
            ) from None
        return known(settings) or unknown(f"GET /models answered HTTP {exc.status_code}")
