"""The config with the real source registry: every source type can be configured, and the
source modules' own validation errors reach the user with file:line like the config's."""

from __future__ import annotations

import pytest

from daily_ai_summary.config import CONFIG_PATH, load_config, parse_config
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.sources import SOURCE_TYPES

EVERY_TYPE = """\
consequences:
  count: 5
  sources:
    - type: reddit
      subreddit: r/MachineLearning
      sort: top
      time: day
    - type: hackernews
      query: LLM
      min-score: 100
    - type: huggingface-papers
trending:
  sources:
    - type: arxiv
      categories: [cs.LG, cs.CL]
    - type: feed
      url: https://www.marktechpost.com/feed/
"""


def test_without_a_file_the_defaults_use_the_real_reddit_source(tmp_path):
    config = load_config(tmp_path)
    assert [s.label for s in config.consequences.sources] == ["reddit r/MachineLearning"]
    assert [s.label for s in config.trending.sources] == ["reddit r/machinelearningnews"]
    assert type(config.consequences.sources[0]) is SOURCE_TYPES["reddit"]


def test_every_registered_source_type_can_be_configured():
    config = parse_config(EVERY_TYPE)
    types = [s.type for s in (*config.consequences.sources, *config.trending.sources)]
    assert sorted(types) == sorted(SOURCE_TYPES)
    for source in (*config.consequences.sources, *config.trending.sources):
        assert type(source) is SOURCE_TYPES[source.type]
    assert config.consequences.sources[0].subreddit == "MachineLearning"
    assert config.consequences.sources[1].min_score == 100


def test_an_unknown_type_lists_every_registered_type():
    with pytest.raises(ConfigError) as err:
        parse_config("trending:\n  sources:\n    - type: mastodon\n")
    assert err.value.line == 3
    assert err.value.message.endswith("known types: " + ", ".join(sorted(SOURCE_TYPES)))


@pytest.mark.parametrize(
    ("source", "line", "start"),
    [
        (
            "    - type: reddit\n      subreddit: 'Machine Learning!'\n",
            4,
            "consequences.sources[0].subreddit: not a subreddit name",
        ),
        ("    - type: feed\n", 3, "consequences.sources[0].url: required key is missing"),
        (
            "    - type: arxiv\n      categories:\n        - cs.LG\n        - 'not a category'\n",
            4,
            "consequences.sources[0].categories: not an arXiv category: 'not a category'",
        ),
        (
            "    - type: hackernews\n      min-score: many\n",
            4,
            "consequences.sources[0].min-score: must be a number",
        ),
    ],
    ids=["reddit name", "feed url", "arxiv category", "hackernews min-score"],
)
def test_source_validation_errors_point_at_the_line(tmp_path, source, line, start):
    path = tmp_path / CONFIG_PATH
    path.parent.mkdir()
    path.write_text("consequences:\n  sources:\n" + source, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    assert (err.value.file, err.value.line) == (CONFIG_PATH, line), str(err.value)
    assert err.value.message.startswith(start), err.value.message
