"""A real small model (Qwen2.5-Coder-1.5B-Instruct Q4 on llama.cpp) through the real client.

Opt-in and slow: see conftest.py. What is asserted is what must hold whatever the model
writes: the server is recognised, the full schema makes the answers valid, and a post comes
out of the sample day with every degradation accounted for.
"""

from __future__ import annotations

import asyncio
import io
import json
import tempfile
import urllib.request
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

import pytest

from daily_ai_summary.context import default_clients
from daily_ai_summary.endpoint import probe
from daily_ai_summary.log import Log
from daily_ai_summary.pipeline import generate, make_plan
from daily_ai_summary.post import parse
from daily_ai_summary.providers import make_client, resolve_provider
from daily_ai_summary.sources.base import Credentials
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.real_model import RealModel
from daily_ai_summary.testing.sources_fake import SourcesFake
from daily_ai_summary.when import read_when
from daily_ai_summary.writer import write_post

pytestmark = [pytest.mark.real_model, pytest.mark.timeout(1800)]

EVENTS = ["Artificial General Intelligence (AGI)", "Technological Singularity"]


def settings_for(model: RealModel):
    return resolve_provider(
        model=model.model, github_token="", openai_api_key="", base_url=model.base_url
    )


def test_llama_server_says_who_it_is_and_gets_the_full_schema(real_model):
    with urllib.request.urlopen(real_model.base_url + "/models", timeout=30) as resp:
        listing = json.loads(resp.read())
    assert {m["owned_by"] for m in listing["data"]} == {"llamacpp"}

    async def go():
        settings = settings_for(real_model)
        async with make_client(settings, timeout=30) as client:
            return await probe(client, settings)

    endpoint = asyncio.run(go())
    assert endpoint.server == "llama.cpp" and endpoint.schema == "full" and endpoint.local


def test_the_full_schema_makes_the_predictions_valid(real_model):
    async def go():
        settings = settings_for(real_model)
        async with make_client(settings, timeout=600) as client:
            return await write_post(
                client,
                settings.model,
                [],
                EVENTS,
                today=date(2026, 12, 4),
                full_schema=True,
                local=True,
                concurrency=1,
                budget_seconds=1200,
            )

    post = asyncio.run(go())
    assert [p.event for p in post.predictions] == EVENTS
    for p in post.predictions:
        assert read_when(p.when).year >= 2026
        assert len(p.rationale.split()) >= 25


def test_a_post_from_the_sample_day_with_every_degradation_named(real_model, tmp_path):
    day = date(2026, 11, 2)
    with SourcesFake.with_sample_day(day) as sources:
        repo = make_blog(Path(tempfile.mkdtemp(dir=tmp_path)) / "blog", sources.url, consequences=2)
        plan = make_plan(
            repo, date_input=day.isoformat(), now=datetime.combine(day, dtime(7, tzinfo=UTC))
        )
        out = io.StringIO()
        gen = asyncio.run(
            generate(
                plan, settings_for(real_model), default_clients(), Credentials(), Log(stream=out)
            )
        )
    post = parse(gen.text)
    assert 1 <= len(post.consequences) <= 2 and post.predictions
    log = out.getvalue()
    assert "full JSON schema for llama.cpp" in log
    for line in gen.degradations:  # printed on the CLI as well as listed for the PR body
        assert f"degraded: {line}" in log
    assert all(g is not None for g in gen.grounding)
