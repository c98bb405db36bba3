"""The config file: defaults, what a valid file sets, and an error with file:line for every
mistake a user can make in it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from daily_ai_summary.config import (
    CONFIG_PATH,
    default_config,
    load_config,
    parse_config,
)
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.sites.hugo import adjust_for_hugo_site, find_hugo_site


def write(repo: Path, text: str, rel: str = CONFIG_PATH) -> Path:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- defaults


def test_no_config_file_means_the_reference_blog_defaults(tmp_path, registry):
    config = load_config(tmp_path, None, source_types=registry)

    assert config.file is None
    assert config.post.path == "content/posts/{date}-ai-auto-summary.md"
    assert config.post.archetype == "archetypes/bot-post.md"
    assert config.consequences.count == 5
    [ml] = config.consequences.sources
    assert (ml.type, ml.subreddit, ml.sort, ml.time) == ("reddit", "MachineLearning", "top", "day")
    assert config.trending.count == 3
    [news] = config.trending.sources
    assert (news.type, news.subreddit, news.sort) == ("reddit", "machinelearningnews", "hot")
    assert config.predictions.events == (
        "Artificial General Intelligence (AGI)",
        "Technological Singularity",
    )
    assert config.selection.min_score == 0
    assert config.selection.history_days == 14
    assert config == default_config(source_types=registry)


def test_an_empty_file_is_the_defaults_too(tmp_path, registry):
    write(tmp_path, "# nothing configured yet\n")
    config = load_config(tmp_path, None, source_types=registry)
    assert config.model_dump() == default_config(source_types=registry).model_dump()
    assert config.file == CONFIG_PATH


def test_a_section_left_empty_means_its_defaults(registry):
    text = "post:\n# path: blog/{date}.md\ntrending:\nselection:\n  history-days: 3\n"
    config = parse_config(text, source_types=registry)
    defaults = default_config(source_types=registry)
    assert (config.post, config.trending) == (defaults.post, defaults.trending)
    assert config.selection.history_days == 3


def test_post_path_for_a_date(registry):
    config = default_config(source_types=registry)
    assert config.post_path(date(2025, 4, 16)) == "content/posts/2025-04-16-ai-auto-summary.md"
    assert config.post_path("2025-04-16") == "content/posts/2025-04-16-ai-auto-summary.md"


def test_an_explicit_path_that_does_not_exist_is_an_error(tmp_path, registry):
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path, "config/summary.yml", source_types=registry)
    assert err.value.file == "config/summary.yml"
    assert "not found" in err.value.message


def test_an_explicit_path_is_read_relative_to_the_repo(tmp_path, registry):
    write(tmp_path, "consequences:\n  count: 2\n", rel="config/summary.yml")
    config = load_config(tmp_path, "config/summary.yml", source_types=registry)
    assert config.consequences.count == 2
    assert config.file == "config/summary.yml"


# ----------------------------------------------------------------------------- a full file


FULL = """\
post:
  path: blog/{date}.md
  archetype: archetypes/daily.md
consequences:
  count: 2
  sources:
    - type: reddit
      subreddit: LocalLLaMA
      sort: top
      min-score: 50
    - type: feed
      url: https://example.org/feed.xml
trending:
  count: 4
  sources:
    - type: feed
      url: https://example.org/news.xml
      limit: 10
predictions:
  events: [AGI, "Fusion power"]
selection:
  min-score: 5
  history-days: 7
"""


def test_a_full_file_sets_every_value(tmp_path, registry):
    write(tmp_path, FULL)
    config = load_config(tmp_path, None, source_types=registry)

    assert config.post_path("2025-01-02") == "blog/2025-01-02.md"
    assert config.post.archetype == "archetypes/daily.md"
    assert config.consequences.count == 2
    reddit, feed = config.consequences.sources
    assert type(reddit).__name__ == "RedditLike" and reddit.min_score == 50
    assert type(feed).__name__ == "FeedLike" and feed.url == "https://example.org/feed.xml"
    assert config.trending.count == 4
    assert config.trending.sources[0].limit == 10
    assert config.predictions.events == ("AGI", "Fusion power")
    assert (config.selection.min_score, config.selection.history_days) == (5, 7)
    assert config.is_explicit("post.path") and config.is_explicit("selection.min-score")
    assert not config.is_explicit("consequences.sources.0")


def test_a_section_without_sources_keeps_the_default_sources(registry):
    config = parse_config("trending:\n  count: 5\n", source_types=registry)
    assert config.trending.count == 5
    assert [s.label for s in config.trending.sources] == ["reddit r/machinelearningnews"]


def test_the_config_is_immutable(registry):
    config = default_config(source_types=registry)
    with pytest.raises(ValidationError):
        config.consequences.count = 9
    with pytest.raises(ValidationError):
        config.consequences.sources[0].sort = "new"


def test_the_source_options_survive_a_json_dump(registry):
    """The PR metadata and logs dump the config: each source keeps its own fields."""
    dumped = default_config(source_types=registry).model_dump(by_alias=True)
    assert dumped["consequences"]["sources"][0]["subreddit"] == "MachineLearning"
    assert dumped["selection"] == {
        "min-score": 0.0,
        "history-days": 14,
        "dedupe-across-topics": False,
    }


# ----------------------------------------------------------------------------- errors

SOURCE = "    - type: reddit\n      subreddit: MachineLearning\n"

BAD = [
    # (id, yaml, line, message start)
    ("broken yaml", "consequences:\n  count: [1,\n", 3, "invalid YAML"),
    ("tab indentation", "post:\n\tpath: x\n", 2, "invalid YAML"),
    ("duplicate key", "post:\n  path: a/{date}.md\n  path: b/{date}.md\n", 3, "duplicate key"),
    ("duplicate section", "trending:\n  count: 1\ntrending:\n  count: 2\n", 3, "duplicate key"),
    ("not a mapping", "- consequences\n", 1, "the config must be a mapping"),
    ("unknown top-level key", "post: {}\ntrend:\n  count: 2\n", 2, "trend: unknown key 'trend'"),
    ("snake_case key", "selection:\n  min_score: 3\n", 2, "selection.min_score: unknown key"),
    (
        "unknown key in a source",
        "consequences:\n  sources:\n" + SOURCE + "      subreddits: x\n",
        5,
        "consequences.sources[0].subreddits: unknown key",
    ),
    ("count is text", "consequences:\n  count: five\n", 2, "consequences.count: must be a whole"),
    ("count is a bool", "consequences:\n  count: true\n", 2, "consequences.count: must be a whole"),
    ("count is a float", "trending:\n  count: 2.5\n", 2, "trending.count: must be a whole"),
    ("count 0", "consequences:\n  count: 0\n", 2, "consequences.count: must be between 1 and 10"),
    ("count negative", "trending:\n  count: -1\n", 2, "trending.count: must be between 1 and 20"),
    (
        "count huge",
        "consequences:\n  count: 500\n",
        2,
        "consequences.count: must be between 1 and 10",
    ),
    ("trending huge", "trending:\n  count: 21\n", 2, "trending.count: must be between 1 and 20"),
    (
        "section not a mapping",
        "post:\n  path: a/{date}.md\ntrending: 3\n",
        3,
        "trending: must be a mapping",
    ),
    ("sources not a list", "trending:\n  sources: reddit\n", 2, "trending.sources: must be a list"),
    ("no sources", "trending:\n  sources: []\n", 2, "trending.sources: needs at least 1 source"),
    (
        "source not a mapping",
        "consequences:\n  sources:\n    - reddit\n",
        3,
        "consequences.sources[0]: a source must be a mapping",
    ),
    (
        "source without type",
        "trending:\n  sources:\n    - url: x\n",
        3,
        "trending.sources[0]: missing 'type'",
    ),
    (
        "unknown source type",
        "trending:\n  sources:\n" + SOURCE + "    - type: twitter\n",
        5,
        "trending.sources[1].type: unknown source type 'twitter'; known types: feed, reddit",
    ),
    (
        "wrong enum value",
        "consequences:\n  sources:\n" + SOURCE + "      sort: best\n",
        5,
        "consequences.sources[0].sort: must be one of top, hot, new, rising",
    ),
    (
        "feed without url",
        "trending:\n  sources:\n    - type: feed\n",
        3,
        "trending.sources[0].url: required",
    ),
    (
        "reddit without subreddit",
        "trending:\n  count: 2\n  sources:\n    - type: reddit\n      sort: hot\n",
        4,
        "trending.sources[0].subreddit: required",
    ),
    (
        "min-score not a number",
        "selection:\n  min-score: lots\n",
        2,
        "selection.min-score: must be a number",
    ),
    (
        "history-days negative",
        "selection:\n  history-days: -3\n",
        2,
        "selection.history-days: must be between",
    ),
    ("absolute post path", "post:\n  path: /srv/{date}.md\n", 2, "post.path: must be relative"),
    (
        "post path escapes",
        "post:\n  path: content/../../{date}.md\n",
        2,
        "post.path: must stay inside",
    ),
    ("windows path", "post:\n  path: 'C:/blog/{date}.md'\n", 2, "post.path: must be relative"),
    (
        "post path without date",
        "post:\n  path: content/posts/today.md\n",
        2,
        "post.path: must contain '{date}'",
    ),
    (
        "post path not markdown",
        "post:\n  path: content/{date}.html\n",
        2,
        "post.path: must end in '.md'",
    ),
    (
        "other placeholder",
        "post:\n  path: content/{year}/{date}.md\n",
        2,
        "post.path: '{date}' is the only",
    ),
    ("post path not text", "post:\n  path: 20250101\n", 2, "post.path: must be a text string"),
    (
        "absolute archetype",
        "post:\n  archetype: /etc/arch.md\n",
        2,
        "post.archetype: must be relative",
    ),
    ("archetype escapes", "post:\n  archetype: ../x.md\n", 2, "post.archetype: must stay inside"),
    ("no events", "predictions:\n  events: []\n", 2, "predictions.events: needs at least 1"),
    (
        "blank event",
        "predictions:\n  events: ['AGI', '  ']\n",
        2,
        "predictions.events: an event must not",
    ),
    (
        "same event twice",
        "predictions:\n  events: [AGI, agi]\n",
        2,
        "predictions.events: events must be",
    ),
]


@pytest.mark.parametrize(("text", "line", "start"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_every_mistake_names_file_line_and_key(tmp_path, registry, text, line, start):
    write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path, None, source_types=registry)
    assert err.value.file == CONFIG_PATH
    assert err.value.line == line, str(err.value)
    assert err.value.message.startswith(start), err.value.message
    assert str(err.value).startswith(f"{CONFIG_PATH}:{line}: ")


def test_an_unknown_key_suggests_the_close_one_and_lists_the_allowed():
    with pytest.raises(ConfigError) as err:
        parse_config("selection:\n  histroy-days: 3\n", source_types={})
    assert "did you mean 'history-days'?" in err.value.message
    assert "allowed keys: min-score, history-days" in err.value.message


def test_an_unknown_key_in_a_source_lists_that_source_types_keys(registry):
    text = "trending:\n  sources:\n    - type: feed\n      url: https://x.org/f\n      titel: X\n"
    with pytest.raises(ConfigError) as err:
        parse_config(text, source_types=registry)
    assert "allowed keys: type, url, min-score, limit, name" in err.value.message


def test_several_mistakes_are_reported_together_first_by_line(registry):
    text = (
        "consequences:\n"
        "  count: 0\n"  # line 2
        "  sources:\n"
        "    - type: reddit\n"
        "      subreddit: MachineLearning\n"
        "      sort: best\n"  # line 6
        "trending:\n"
        "  count: 99\n"  # line 8
    )
    with pytest.raises(ConfigError) as err:
        parse_config(text, source_types=registry)
    assert err.value.line == 2
    lines = err.value.message.splitlines()
    assert lines[0].startswith("consequences.count:")
    assert lines[1].strip().startswith("also line 6: consequences.sources[0].sort:")
    assert lines[2].strip().startswith("also line 8: trending.count:")


def test_an_undecodable_file_is_a_config_error(tmp_path, registry):
    (tmp_path / ".github").mkdir()
    (tmp_path / CONFIG_PATH).write_bytes(b"post:\n  path: \xff\xfe{date}.md\n")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path, None, source_types=registry)
    assert err.value.file == CONFIG_PATH


# ----------------------------------------------------------------------------- Hugo subfolder


def hugo_site(root: Path, name: str, config_file: str = "hugo.toml") -> None:
    (root / name / "content" / "posts").mkdir(parents=True)
    cfg = root / name / config_file
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('title = "blog"\n')


def test_a_hugo_site_in_a_subfolder_moves_the_default_paths(tmp_path, registry):
    hugo_site(tmp_path, "hugo")
    (tmp_path / "docs").mkdir()  # an unrelated folder without a Hugo config
    config = load_config(tmp_path, None, source_types=registry)

    adjusted, note = adjust_for_hugo_site(tmp_path, config)

    assert find_hugo_site(tmp_path) == "hugo"
    assert adjusted.post_path("2025-04-16") == "hugo/content/posts/2025-04-16-ai-auto-summary.md"
    assert adjusted.post.archetype == "hugo/archetypes/bot-post.md"
    assert note is not None and "hugo/" in note and "post.path" in note
    assert adjusted.consequences == config.consequences


@pytest.mark.parametrize("config_file", ["config.yaml", "config/_default/hugo.toml"])
def test_other_hugo_config_names_are_recognised(tmp_path, config_file):
    hugo_site(tmp_path, "site", config_file)
    assert find_hugo_site(tmp_path) == "site"


def test_an_explicit_post_path_is_never_moved(tmp_path, registry):
    hugo_site(tmp_path, "hugo")
    write(tmp_path, "post:\n  path: hugo/content/daily/{date}.md\n")
    config = load_config(tmp_path, None, source_types=registry)

    adjusted, note = adjust_for_hugo_site(tmp_path, config)

    assert adjusted.post.path == "hugo/content/daily/{date}.md"
    # the archetype was not set, so it follows the site
    assert adjusted.post.archetype == "hugo/archetypes/bot-post.md"
    assert note is not None


@pytest.mark.parametrize(
    "layout",
    ["content at the root", "hugo config at the root", "two sites", "site without content"],
)
def test_no_adjustment_unless_exactly_one_subfolder_site(tmp_path, registry, layout):
    if layout == "content at the root":
        (tmp_path / "content").mkdir()
        hugo_site(tmp_path, "hugo")
    elif layout == "hugo config at the root":
        (tmp_path / "hugo.toml").write_text("")
        hugo_site(tmp_path, "hugo")
    elif layout == "two sites":
        hugo_site(tmp_path, "blog")
        hugo_site(tmp_path, "docs")
    else:
        (tmp_path / "hugo").mkdir()
        (tmp_path / "hugo" / "hugo.toml").write_text("")
    config = default_config(source_types=registry)

    adjusted, note = adjust_for_hugo_site(tmp_path, config)

    assert find_hugo_site(tmp_path) is None
    assert (adjusted, note) == (config, None)


def test_topics_are_named_profiles_with_their_own_path_sections_title_and_tags(registry):
    config = parse_config(
        """\
consequences:
  count: 4
  sources: [{type: feed, url: "https://example.org/a.xml"}]
topics:
  - name: llms
    title: "LLM news {date}"
    tags: [llm]
    consequences:
      count: 2
      sources: [{type: feed, url: "https://example.org/b.xml"}]
  - name: robotics
    path: content/robots/{date}-{topic}.md
""",
        source_types=registry,
    )
    llms = config.for_topic("llms")
    assert llms.post_path("2025-04-16") == "content/posts/2025-04-16-llms-ai-auto-summary.md"
    assert llms.consequences.count == 2 and llms.topic is not None and llms.topic.tags == ("llm",)
    robotics = config.for_topic("robotics")
    assert robotics.post_path("2025-04-16") == "content/robots/2025-04-16-robotics.md"
    assert robotics.consequences.count == 4  # unset: the top-level section
    assert config.topic is None and config.post_path("2025-04-16") == (
        "content/posts/2025-04-16-ai-auto-summary.md"
    )
    with pytest.raises(ValueError, match="unknown topic 'biology' \\(topics: llms, robotics\\)"):
        config.for_topic("biology")


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("topics:\n  - name: a\n  - name: b\n  - name: a\n", 4, "topics[2].name: duplicate topic 'a'"),
        ("topics:\n  - name: Bad_Name\n", 2, "topics[0].name: string should match pattern"),
        ("topics:\n  - name: a\n    path: x/{date}.md\n", 3, "topics[0].path: must contain '{topic}'"),
        (
            "topics:\n  - name: a\n    consequences:\n      sources:\n        - type: nope\n",
            5,
            "topics[0].consequences.sources[0].type: unknown source type",
        ),
    ],
)
def test_a_bad_topic_is_an_error_at_its_line(registry, text, line, says):
    with pytest.raises(ConfigError) as err:
        parse_config(text, source_types=registry)
    assert err.value.line == line and says in str(err.value)
