"""A section's ``fallback`` sources: the config key, when they are read, how they rank, and the
line that names them."""

from __future__ import annotations

import pytest

from daily_ai_summary.config import parse_config
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.fallback import fallback_note, fallback_plan, needs_fallback
from daily_ai_summary.models import SourceReport
from daily_ai_summary.selection import select
from daily_ai_summary.wording import ACTION, CLI
from tests.selection.factory import cand

OWN = "    - type: reddit\n      subreddit: MachineLearning\n"
FEEDS = "  fallback:\n    - type: feed\n      url: https://example.org/a.xml\n      name: A\n"


def test_a_section_with_its_own_sources_has_no_fallback_unless_it_says_so(registry):
    config = parse_config("consequences:\n  sources:\n" + OWN, source_types=registry)
    assert config.consequences.fallback == ()
    config = parse_config("consequences:\n  sources:\n" + OWN + FEEDS, source_types=registry)
    assert [s.label for s in config.consequences.fallback] == ["feed A"]


def test_the_default_fallback_keeps_only_registered_types(registry):
    # the test registry knows reddit and feed only: the default HN/HF/arXiv fallback drops out
    config = parse_config("", source_types=registry)
    assert config.consequences.fallback == () and config.trending.fallback == ()


def test_a_bad_fallback_source_names_file_line_and_key(registry):
    text = "trending:\n  fallback:\n    - type: feed\n      url: https://e.org/x\n      sort: top\n"
    with pytest.raises(ConfigError) as err:
        parse_config(text, source_types=registry)
    assert err.value.line == 5
    assert str(err.value).startswith(
        ".github/daily-ai-summary.yml:5: trending.fallback[0].sort: unknown key"
    )


def report(section, ok=True, *, blocked=False, source="reddit r/MachineLearning", fallback=False):
    return SourceReport(source=source, section=section, ok=ok, blocked=blocked, fallback=fallback)


def test_the_fallback_is_read_when_a_source_fails_or_falls_short(registry):
    config = parse_config(
        "consequences:\n  count: 2\n  sources:\n" + OWN + FEEDS, source_types=registry
    )
    two = [cand("a"), cand("b")]
    assert not needs_fallback(config, "consequences", two, [report("consequences")])
    assert needs_fallback(config, "consequences", two[:1], [report("consequences")])
    assert needs_fallback(config, "consequences", two, [report("consequences", ok=False)])
    # a section without fallback sources never asks
    assert not needs_fallback(config, "trending", [], [report("trending", ok=False)])


def test_a_source_both_sections_fall_back_to_is_read_once(registry):
    text = "consequences:\n  sources:\n" + OWN + FEEDS + "trending:\n  sources:\n" + OWN + FEEDS
    config = parse_config(text, source_types=registry)
    assert [(s, o.label) for s, o in fallback_plan(config, ["consequences", "trending"])] == [
        ("consequences", "feed A")
    ]


def test_fallback_items_rank_after_the_sections_own(registry):
    config = parse_config(
        "consequences:\n  count: 3\n  sources:\n" + OWN + FEEDS, source_types=registry
    )
    own = [cand("own weak", score=1), cand("own weaker", score=0.5)]
    spare = [
        cand("fallback fresh", source="feed A", hour=23),
        cand("fallback old", source="feed A", hour=1),
    ]
    trending = [cand("news", source="reddit r/machinelearningnews")]
    chosen = select({"consequences": [*spare, *own], "trending": trending}, config).consequences
    assert [c.title for c in chosen] == ["own weak", "own weaker", "fallback fresh"]


def test_the_note_names_the_cause_the_fallback_sources_used_and_the_fix(registry):
    config = parse_config("consequences:\n  sources:\n" + OWN + FEEDS, source_types=registry)
    blocked = report("consequences", ok=False, blocked=True)
    used = [cand("x", source="feed A"), cand("y")]
    note = fallback_note(config, [blocked], used)
    assert ACTION.render(note) == (
        "Reddit blocked this runner; items from feed A; "
        "add Reddit OAuth secrets (reddit-client-id, reddit-client-secret) for Reddit"
    )
    assert CLI.render(note) == (
        "Reddit blocked this runner; items from feed A; "
        "set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET (a Reddit 'script' app) for Reddit"
    )
    failed = report("consequences", ok=False, source="reddit r/MachineLearning")
    assert fallback_note(config, [failed], used) == (
        "reddit r/MachineLearning failed; items from feed A"
    )
    assert fallback_note(config, [], used) == (
        "the sections' own sources found too few items; items from feed A"
    )
    # no fallback item in the post: nothing to say
    assert fallback_note(config, [blocked], [cand("y")]) is None
