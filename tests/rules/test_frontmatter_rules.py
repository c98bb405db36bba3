"""The front matter a blog gets from its own archetype: every rule of the archetype template,
checked on the text the blog would publish."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ruamel.yaml import YAML

from daily_ai_summary.errors import ArchetypeError
from daily_ai_summary.frontmatter import (
    BUILTIN_ARCHETYPE,
    TemplateContext,
    build_front_matter,
    expand,
    notice_from_archetype,
)

# A Sunday afternoon with one-digit month, day, minute and second: every Go layout token
# gives a different text, and none of them equals its own layout text.
WHEN = datetime(2025, 4, 6, 17, 8, 9, tzinfo=UTC)
NAME = "2025-04-06-ai_auto-summary"
FILE = "archetypes/bot-post.md"


def fm(archetype: str, tag: str = "gpt-4o-mini") -> str:
    return build_front_matter(archetype, date=WHEN, name=NAME, model_tag=tag, file=FILE)


def ex(template: str) -> str:
    return expand(template, TemplateContext(date=WHEN, name=NAME), file=FILE)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("2006-01-02", "2025-04-06"),
        ("15:04:05", "17:08:09"),
        ("03:04 PM", "05:08 PM"),
        ("Monday, January 2, 2006", "Sunday, April 6, 2025"),
        ("Mon Jan _2 06", "Sun Apr  6 25"),
        ("1/2/06", "4/6/25"),
        ("2006-01-02T15:04:05-07:00", "2025-04-06T17:08:09+00:00"),
        ("15:04 MST", "17:08 UTC"),
        ("Date: 2006", "Date: 2025"),  # text that is no token stays
    ],
)
def test_go_layout_tokens_format_the_posts_date(layout: str, expected: str) -> None:
    assert ex(f'{{{{ .Date | time.Format "{layout}" }}}}') == expected
    assert ex(f'{{{{ dateFormat "{layout}" .Date }}}}') == expected


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ('{{ default "untitled" .Title }}', "2025 04 06 Ai_Auto Summary"),
        ('{{ default "untitled" "" }}', "untitled"),
        ('{{ "" | default "fallback" }}', "fallback"),
        ('{{ "given" | default "fallback" }}', "given"),
    ],
)
def test_default_gives_its_first_argument_only_when_the_value_is_empty(
    action: str, expected: str
) -> None:
    assert ex(action) == expected


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("{{ .Date }}", "2025-04-06T17:08:09Z"),
        ("{{ .PublishDate }}", "2025-04-06T17:08:09Z"),
        ("{{ .Lastmod }}", "2025-04-06T17:08:09Z"),
        ("{{ .Name }}", NAME),
        ("{{ .File.ContentBaseName }}", NAME),
        ("{{ .File.BaseFileName }}", NAME),
        ("{{ .File.TranslationBaseName }}", NAME),
        ("{{ .Type }}", "posts"),
        ("{{ .Section }}", "posts"),
        ("{{ .Name | upper }}", NAME.upper()),
        ('{{ "MiXeD" | lower }}', "mixed"),
        ("{{ .Name | humanize }}", "2025 04 06 ai auto summary"),
        ('{{ replace .Name "-" "/" }}', "2025/04/06/ai_auto/summary"),
        ("{{ replace `a-b` `-` `+` }}", "a+b"),
        ("a {{- .Type -}} b", "apostsb"),
        ("a {{ .Type }} b", "a posts b"),
        ("a {{- .Type }} b", "aposts b"),
        ("a {{/* note */}} b", "a  b"),
    ],
)
def test_each_supported_field_and_function(action: str, expected: str) -> None:
    assert ex(action) == expected


def test_now_is_the_time_of_the_run_not_the_posts_date() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = datetime.strptime(ex("{{ now }}"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("archetype", "says", "line"),
    [
        ("---\ntitle: x\ndate: {{ .Author }}\n---\n", "unknown field .Author", 3),
        ("---\ntitle: {{ slugify .Name }}\n---\n", "unknown function 'slugify'", 2),
        ('---\n\ntitle: {{ replace .Name "-" }}\n---\n', "wrong number of arguments", 3),
        ('---\ntitle: {{ .Name | time.Format "2006" }}\n---\n', "time.Format needs a date", 2),
        ("---\ntitle: {{ .Name .Type }}\n---\n", ".Name takes no arguments", 2),
        ("---\ntitle: {{ .Name | }}\n---\n", "empty pipeline stage", 2),
        ('---\ntitle: {{ "open }}\n---\n', "unsupported template action", 2),
        ("title: x\n---\n", "must start with YAML front matter", 1),
        ("", "must start with YAML front matter", 1),
        ("---\ntitle: x\n", "not closed by '---'", 1),
        ("---\ntitle: x\n  bad: [\n---\n", "not valid YAML", None),
        ("---\n- a\n- b\n---\n", "must be a YAML mapping", 2),
    ],
)
def test_an_archetype_the_action_cannot_use_is_one_error_naming_file_and_line(
    archetype: str, says: str, line: int | None
) -> None:
    with pytest.raises(ArchetypeError) as raised:
        fm(archetype)
    assert says in str(raised.value)
    assert raised.value.file == FILE
    if line is not None:
        assert raised.value.line == line


def test_invalid_yaml_is_reported_at_its_line_in_the_archetype() -> None:
    with pytest.raises(ArchetypeError) as raised:
        fm("---\ntitle: x\nauthor: y\nlist: [a, b\n---\n")
    assert raised.value.line in (4, 5)  # the line of the unclosed list or the fence after it


def test_an_archetype_without_tags_gets_the_model_tag() -> None:
    out = fm('---\ntitle: "T"\ndate: 2025-01-01\n---\n')
    assert out == 'title: "T"\ndate: 2025-01-01\ntags: ["gpt-4o-mini"]\n'


def test_an_archetype_without_tags_and_without_a_model_tag_stays_as_it_is() -> None:
    archetype = '---\ntitle: "T"\ndate: 2025-01-01\n---\n'
    assert fm(archetype, tag="") == 'title: "T"\ndate: 2025-01-01\n'


def test_an_archetype_without_date_gets_the_posts_date_after_the_title() -> None:
    out = fm('---\ntitle: "T"\nauthor: a\ntags: ["gpt-4o-mini"]\n---\n')
    assert out == ('title: "T"\ndate: \'2025-04-06T17:08:09Z\'\nauthor: a\ntags: ["gpt-4o-mini"]\n')


def test_an_archetype_without_date_or_title_gets_the_date_first() -> None:
    out = fm('---\nauthor: a\ntags: ["gpt-4o-mini"]\n---\n')
    assert out.startswith("date: '2025-04-06T17:08:09Z'\nauthor: a\n")


def test_an_empty_front_matter_gets_date_and_tags() -> None:
    assert fm("---\n---\nbody\n") == "date: '2025-04-06T17:08:09Z'\ntags: [\"gpt-4o-mini\"]\n"


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ('["daily", "automated"]', '["daily", "automated", "claude-3-5-haiku"]'),
        ("['daily', 'automated']", "['daily', 'automated', 'claude-3-5-haiku']"),
        ("[daily, automated]", "[daily, automated, claude-3-5-haiku]"),
        ('["GPT-4", "daily"]', '["claude-3-5-haiku", "daily"]'),
        ('["daily", "o3-mini"]', '["daily", "claude-3-5-haiku"]'),
        ('["llama-3", "phi-4"]', '["claude-3-5-haiku", "phi-4"]'),
        ('["command-r", "daily"]', '["claude-3-5-haiku", "daily"]'),
        ('["daily", "photography"]', '["daily", "photography", "claude-3-5-haiku"]'),
        ('["ollama", "daily"]', '["ollama", "daily", "claude-3-5-haiku"]'),
    ],
)
def test_the_archetypes_model_tag_is_replaced_or_the_model_tag_is_added_in_the_same_quoting(
    tags: str, expected: str
) -> None:
    out = fm(f'---\ntitle: "T"\ndate: 2025-01-01\ntags: {tags}\n---\n', tag="claude-3-5-haiku")
    assert out == f'title: "T"\ndate: 2025-01-01\ntags: {expected}\n'


def test_an_empty_tag_list_gets_the_model_tag() -> None:
    out = fm('---\ntitle: "T"\ndate: 2025-01-01\ntags: []\n---\n', tag="claude-3-5-haiku")
    assert YAML(typ="safe").load(out)["tags"] == ["claude-3-5-haiku"]


def test_an_archetype_that_already_names_the_model_is_kept_byte_for_byte() -> None:
    archetype = "---\ntitle:   'T'   # spacing kept\ndate: 2025-01-01\ntags: [gpt-4o-mini]\n---\n"
    assert fm(archetype) == "title:   'T'   # spacing kept\ndate: 2025-01-01\ntags: [gpt-4o-mini]\n"


def test_block_style_tags_and_four_space_indents_survive() -> None:
    archetype = (
        "---\ntitle: T\ndate: 2025-01-01\ntags:\n  - daily\n  - gpt-4o\ncover:\n"
        "    image: x.png\n    hidden: true\n---\n"
    )
    out = fm(archetype, tag="gpt-4o-mini")
    assert "    image: x.png\n    hidden: true\n" in out
    assert "- daily\n" in out and "- gpt-4o-mini\n" in out and "- gpt-4o\n" not in out


def test_the_notice_is_the_archetypes_body() -> None:
    assert notice_from_archetype("---\ntitle: x\n---\n> note\n") == "> note\n"
    assert notice_from_archetype("---\ntitle: x\n---\n") == ""
    assert "automatically generated" in notice_from_archetype(BUILTIN_ARCHETYPE)
