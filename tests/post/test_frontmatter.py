"""Front matter comes from the blog's Hugo archetype, edited without disturbing its formatting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from daily_ai_summary.errors import ArchetypeError
from daily_ai_summary.frontmatter import (
    BUILTIN_ARCHETYPE,
    TemplateContext,
    build_front_matter,
    expand,
)

WHEN = datetime(2025, 4, 16, 5, 35, 33, tzinfo=UTC)
NAME = "2025-04-16-ai-auto-summary"


def fm(archetype: str, tag: str = "gpt-4o-mini", file: str = "archetypes/bot-post.md") -> str:
    return build_front_matter(archetype, date=WHEN, name=NAME, model_tag=tag, file=file)


def test_the_built_in_archetype_gives_the_seeds_front_matter():
    out = fm(BUILTIN_ARCHETYPE)
    assert out.startswith('title: "[Daily Automated AI Summary]"\ndate: 2025-04-16T05:35:33Z\n')
    assert 'tags: ["daily ai summary", "automated content", "gpt-4o-mini"]\n' in out
    assert "cover:\n    image: " in out


def test_another_model_replaces_the_model_tag_and_keeps_the_formatting():
    out = fm(BUILTIN_ARCHETYPE, tag="gpt-4.1-mini")
    assert 'tags: ["daily ai summary", "automated content", "gpt-4.1-mini"]\n' in out
    assert 'cover:\n    image: "https://' in out and '    alt: "singing birds"\n' in out
    assert out.index("title:") < out.index("date:") < out.index("tags:") < out.index("cover:")


def test_comments_quoting_and_order_survive_an_edit():
    archetype = (
        "---\n# managed by the bot\ntitle: 'Daily'  # single quotes stay\n"
        "tags: [ai, gpt-3.5-turbo]\nparams:\n  keep: \"yes\"\n---\n"
    )
    out = fm(archetype, tag="gpt-4o-mini")
    assert out.startswith("# managed by the bot\ntitle: 'Daily'  # single quotes stay\n")
    assert "tags: [ai, gpt-4o-mini]\n" in out  # same style as the tag it replaced
    assert '  keep: "yes"' in out
    assert "date: '2025-04-16T05:35:33Z'\n" in out  # added, since the archetype had none


@pytest.mark.parametrize(
    "action, expected",
    [
        ("{{ .Date }}", "2025-04-16T05:35:33Z"),
        ("{{ .Name }}", NAME),
        ('{{ replace .File.ContentBaseName "-" " " | title }}', "2025 04 16 Ai Auto Summary"),
        ('{{ .Date | time.Format "2006-01-02" }}', "2025-04-16"),
        ("{{- .Name -}}", NAME),
        ('{{ "literal" }}', "literal"),
        ("{{/* a comment */}}", ""),
    ],
)
def test_supported_template_actions(action, expected):
    assert expand(action, TemplateContext(WHEN, NAME)) == expected


@pytest.mark.parametrize(
    "action", ["{{ .Site.Params.x }}", "{{ if .Draft }}", '{{ partial "x" . }}', "{{ range .Pages }}"]
)
def test_an_unsupported_action_is_an_error_naming_the_file_and_line(action):
    archetype = f"---\ntitle: x\n\nauthor: {action}\n---\n"
    with pytest.raises(ArchetypeError) as exc:
        fm(archetype, file="archetypes/bot-post.md")
    assert exc.value.file == "archetypes/bot-post.md" and exc.value.line == 4
    assert "unsupported template action" in str(exc.value)


def test_broken_yaml_in_the_archetype_names_the_line():
    with pytest.raises(ArchetypeError) as exc:
        fm("---\ntitle: x\ntags: [a, b\nother: 1\n---\n")
    assert exc.value.line and exc.value.line >= 3
