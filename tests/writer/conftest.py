"""Fixtures for the writer tests: a real OpenAI-compatible fake on 127.0.0.1, the real
``openai.AsyncOpenAI`` client pointed at it, and a few made-up discussions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from daily_ai_summary.models import Candidate
from daily_ai_summary.providers import make_client, resolve_provider
from daily_ai_summary.testing.openai_fake import OpenAIFake
from daily_ai_summary.writer import WrittenPost, write_post

TODAY = date(2025, 4, 16)
EVENTS = ["Artificial General Intelligence (AGI)", "Technological Singularity"]

TOPICS = [
    "Serving 50 fine-tuned adapters from one GPU with paged LoRA weights",
    "A 3B model matches a 13B one on GSM8K after distillation from synthetic traces",
    "Open dataset of 2M annotated street scenes for depth estimation",
    "Why does my diffusion model collapse when I raise the batch size past 512?",
    "Benchmarking speculative decoding on consumer GPUs",
    "Interpretability: sparse autoencoder features transfer across model sizes",
    "A new optimizer halves the warm-up needed for ViT pretraining",
    "Reviewers disagree on whether long-context evals measure retrieval or reasoning",
]


def candidate(i: int = 0, **overrides: Any) -> Candidate:
    """A made-up discussion (no real post text is copied into the repo)."""
    fields: dict[str, Any] = {
        "source": "reddit r/MachineLearning",
        "source_type": "reddit",
        "id": f"t3_fake{i}",
        "title": TOPICS[i % len(TOPICS)],
        "url": f"https://www.reddit.com/r/MachineLearning/comments/fake{i}/",
        "link": f"https://example.org/paper/{i}",
        "text": "We measured throughput and memory on two GPUs and share the scripts. "
        "Numbers are preliminary; feedback welcome.",
        "score": 120 + i,
        "comments": 30 + i,
    }
    fields.update(overrides)
    return Candidate(**fields)


@pytest.fixture
def fake():
    with OpenAIFake() as server:
        yield server


class Sleeps(list):
    """An injectable ``sleep`` that records how long the writer wanted to wait."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


Write = Callable[..., WrittenPost]


def write_with(
    fake: OpenAIFake,
    candidates: list[Candidate],
    events: list[str] | None = None,
    *,
    model: str = "gpt-4o-mini",
    timeout: float = 5.0,
    api_key: str = "sk-test-key",
    **kwargs: Any,
) -> WrittenPost:
    """Run ``write_post`` with the real async client against ``fake``."""

    async def go() -> WrittenPost:
        settings = resolve_provider(
            model=model, github_token="", openai_api_key=api_key, base_url=fake.base_url
        )
        async with make_client(settings, timeout=timeout) as client:
            return await write_post(
                client,
                settings.model,
                candidates,
                EVENTS if events is None else events,
                today=kwargs.pop("today", TODAY),
                **kwargs,
            )

    return asyncio.run(go())
