"""The post comes out in the reference blog's exact layout, byte for byte."""

from __future__ import annotations

from daily_ai_summary.post import parse, render

from .conftest import make_post

EXPECTED = '''---
title: "[Daily Automated AI Summary]"
date: 2025-04-16T05:35:33Z
draft: false
author: "Blog Agent"
tags: ["daily ai summary", "automated content", "gpt-4o-mini"]
showToc: true
tocOpen: false
showReadingTime: true
showWordCount: true
cover:
    image: "https://user-images.githubusercontent.com/35503959/230746459-e1513798-69aa-49fb-8c88-990ee42136e9.png"
    alt: "singing birds"
    hidden: true
---
> *Notice:* This post has been automatically generated and does not reflect the views of the site owner, nor does it claim to be accurate.

## Possible consequences of current developments


1. **Sparse attention at 1M tokens**

   - *Benefits:*
     Benefits of Sparse attention at 1M tokens.

   - *Ramifications:*
     Ramifications of Sparse attention at 1M tokens.

2. **A new benchmark for agents**

   - *Benefits:*
     Benefits of A new benchmark for agents.

   - *Ramifications:*
     Ramifications of A new benchmark for agents.

## Currently trending topics



- Trending one
- Trending two

## GPT predicts future events


- **Artificial General Intelligence (AGI)** (May 2035)  
  Because of scaling.

- **Technological Singularity** (December 2042)  
  After AGI.
'''


def test_a_new_post_renders_in_the_seed_layout_byte_for_byte():
    post = make_post(
        predictions=[
            ("Artificial General Intelligence (AGI)", "May 2035", "Because of scaling."),
            ("Technological Singularity", "December 2042", "After AGI."),
        ]
    )
    assert render(post) == EXPECTED


def test_the_seed_layout_details_are_there():
    text = render(make_post())
    assert "   - *Benefits:*\n     Benefits" in text  # 3- and 5-space indents
    assert "(May 2035)  \n  Because" in text  # two trailing spaces = a Markdown line break
    assert text.endswith("Because of scaling.\n")  # one trailing newline
    assert "## Currently trending topics\n\n\n\n- Trending one" in text


def test_parse_reads_back_what_render_wrote():
    post = parse(EXPECTED)
    assert [c.title for c in post.consequences] == ["Sparse attention at 1M tokens", "A new benchmark for agents"]
    assert post.consequences[1].benefits == "Benefits of A new benchmark for agents."
    assert post.trending_titles == ["Trending one", "Trending two"]
    assert [(p.event, p.when, p.rationale) for p in post.predictions] == [
        ("Artificial General Intelligence (AGI)", "May 2035", "Because of scaling."),
        ("Technological Singularity", "December 2042", "After AGI."),
    ]
    assert post.date is not None and post.date.isoformat() == "2025-04-16T05:35:33+00:00"
    assert render(post) == EXPECTED


def test_the_seed_post_itself_rebuilds_byte_for_byte_from_its_values(shared_dir):
    """Rebuild the reference blog's own post from the values parse() read: same bytes."""
    from daily_ai_summary.frontmatter import build_front_matter, notice_from_archetype
    from daily_ai_summary.post import new_post

    from .conftest import WHEN

    seed = (shared_dir / "seed" / "seed-post.md").read_text(encoding="utf-8")
    archetype = (shared_dir / "seed" / "bot-post.archetype.md").read_text(encoding="utf-8")
    read = parse(seed)
    rebuilt = new_post(
        build_front_matter(archetype, date=WHEN, name="2025-04-16-ai-auto-summary", model_tag="gpt-4o-mini"),
        [(c.title, c.benefits, c.ramifications) for c in read.consequences],
        read.trending_titles,
        [(p.event, p.when, p.rationale) for p in read.predictions],
        notice=notice_from_archetype(archetype),
    )
    assert render(rebuilt) == seed


def test_the_built_in_archetype_is_the_reference_blogs(shared_dir):
    from daily_ai_summary.frontmatter import BUILTIN_ARCHETYPE

    assert BUILTIN_ARCHETYPE == (shared_dir / "seed" / "bot-post.archetype.md").read_text(encoding="utf-8")


def test_a_post_with_empty_sections_still_parses_and_round_trips():
    text = EXPECTED.split("## Currently trending topics")[0] + "## Currently trending topics\n\n## GPT predicts future events\n"
    post = parse(text)
    assert post.trending == [] and post.predictions == []
    assert render(post) == text
