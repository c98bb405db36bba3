"""``new_post``: a post built from parts renders in the seed's layout, whatever small
differences its callers' parts have (found by mutation testing, docs/testing.md)."""

from __future__ import annotations

from daily_ai_summary.i18n import ENGLISH
from daily_ai_summary.post import line_map, new_post, parse, render

ITEM = ("A {{ shortcode }} title", " ".join(["Benefits text"] * 10), " ".join(["Risks text"] * 10))
PRED = ("AGI", "2040", " ".join(["Because"] * 30))


def test_front_matter_without_its_last_newline_renders_the_same_fences() -> None:
    bare = render(new_post('title: "x"', [ITEM], ["Trend"], [PRED]))
    ended = render(new_post('title: "x"\n', [ITEM], ["Trend"], [PRED]))
    assert bare == ended
    assert bare.startswith('---\ntitle: "x"\n---\n')


def test_the_notice_is_the_languages_unless_given_and_a_blank_one_is_left_out() -> None:
    default = render(new_post("t: 1\n", [ITEM], [], []))
    assert ENGLISH.notice.strip() in default
    custom = render(new_post("t: 1\n", [ITEM], [], [], notice="Written by a bot.\n\n\n"))
    assert "Written by a bot.\n\n" in custom and "Written by a bot.\n\n\n" not in custom
    assert ENGLISH.notice.strip() not in custom
    blank = render(new_post("t: 1\n", [ITEM], [], [], notice="  \n"))
    assert ENGLISH.notice.strip() not in blank
    assert blank.startswith("---\nt: 1\n---\n## ")


def test_closing_braces_are_escaped_only_when_the_site_asks() -> None:
    """Hugo's default escapes only what opens a shortcode; Liquid/Jinja/MDX sites (braces)
    get every brace escaped."""
    plain = render(new_post("t: 1\n", [ITEM], [], []))
    assert "**A &#123;&#123; shortcode }} title**" in plain
    escaped = render(new_post("t: 1\n", [ITEM], [], [], braces=True))
    assert "**A &#123;&#123; shortcode &#125;&#125; title**" in escaped


def test_a_new_post_reads_back_as_built() -> None:
    post = parse(render(new_post("t: 1\n", [ITEM], ["Trend"], [PRED])))
    [c] = post.consequences
    assert (c.benefits, c.ramifications) == ITEM[1:]
    assert post.trending_titles == ["Trend"]
    assert [p.value() for p in post.predictions] == [PRED]


def test_a_new_post_maps_its_lines_to_fields_as_when_read_back() -> None:
    """A review comment on line N means the same field whether the post was just written or
    read from the branch."""
    built = new_post("t: 1\n", [ITEM, ITEM], ["Trend"], [PRED])
    read = parse(render(built))
    spans = line_map(built)
    assert spans == line_map(read)
    fields = [(s.section, s.index, s.field) for s in spans]
    assert ("consequences", 1, "ramifications") in fields and ("consequences", 0, "title") in fields


def test_what_inspect_json_prints_for_a_post() -> None:
    text = render(new_post("date: 2026-03-04T05:06:07Z\n", [ITEM], ["Trend"], [PRED]))
    assert parse(text).to_dict() == {
        "date": "2026-03-04T05:06:07Z",
        "consequences": [dict(zip(("title", "benefits", "ramifications"), ITEM, strict=True))],
        "trending": ["Trend"],
        "predictions": [{"event": "AGI", "when": "2040", "rationale": PRED[2]}],
    }
    assert parse(render(new_post("title: x\n", [], [], []))).to_dict()["date"] is None
