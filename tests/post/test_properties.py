"""Properties of the lossless model, checked on generated posts (hypothesis)."""

from __future__ import annotations

import difflib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daily_ai_summary.post import clean_text, parse, render

from .conftest import make_post

# Any printable text, including Markdown, HTML, shortcodes and newlines.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=80,
).filter(lambda s: clean_text(s) != "")
titles = st.lists(text, min_size=1, max_size=7)


def changed_lines(a: str, b: str) -> set[int]:
    """0-based line numbers of ``a`` that differ in ``b`` (same number of lines)."""
    sm = difflib.SequenceMatcher(a=a.splitlines(), b=b.splitlines(), autojunk=False)
    out: set[int] = set()
    for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
        if tag != "equal":
            out.update(range(i1, max(i2, i1 + 1)))
    return out


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(titles=titles, trending=st.lists(text, min_size=1, max_size=5))
def test_round_trip_of_any_rendered_post(titles, trending):
    post = make_post(titles=titles, trending=trending)
    rendered = render(post)
    back = parse(rendered)
    assert render(back) == rendered
    assert [c.title for c in back.consequences] == [clean_text(t) for t in titles]
    assert back.trending_titles == [clean_text(t) for t in trending]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=titles,
    data=st.data(),
    field=st.sampled_from(["title", "benefits", "ramifications"]),
    new=text,
)
def test_changing_one_field_changes_only_that_fields_lines(titles, data, field, new):
    before = render(make_post(titles=titles))
    post = parse(before)
    i = data.draw(st.integers(0, len(post.consequences) - 1))
    setattr(post.consequences[i], field, new)
    after = render(post)
    spans = [s for s in __import__("daily_ai_summary.post", fromlist=["line_map"]).line_map(parse(before)) if s.section == "consequences" and s.index == i and s.field == field]
    allowed = {n - 1 for s in spans for n in range(s.start, s.end + 1)}
    assert changed_lines(before, after) <= allowed
    assert getattr(parse(after).consequences[i], field) == clean_text(new)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(titles=titles, data=st.data(), new=text)
def test_changing_one_trending_line_or_prediction_touches_only_it(titles, data, new):
    before = render(make_post(titles=titles, trending=["one", "two", "three"]))
    post = parse(before)
    j = data.draw(st.integers(0, 2))
    post.trending[j].title = new
    post.predictions[0].rationale = new
    after = render(post)
    lines_b, lines_a = before.splitlines(), after.splitlines()
    assert len(lines_b) == len(lines_a)
    diff = [n for n, (x, y) in enumerate(zip(lines_b, lines_a, strict=True)) if x != y]
    trend_line = lines_b.index("- " + ["one", "two", "three"][j])
    pred_first = lines_b.index(next(ln for ln in lines_b if ln.startswith("- **Artificial")))
    assert set(diff) <= {trend_line, pred_first, pred_first + 1}


def test_renumbering_after_dropping_an_item_changes_only_the_numbers_and_the_dropped_lines():
    before = render(make_post(titles=["a", "b", "c"]))
    post = parse(before)
    del post.consequences[0]
    after = render(post)
    assert "1. **b**" in after and "2. **c**" in after and "**a**" not in after
    assert after.count("*Benefits:*") == 2
