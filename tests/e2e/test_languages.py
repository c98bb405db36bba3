"""A German and a Japanese post, end to end: `run` against the OpenAI fake (which answers in
the language the prompt asks for), then read back by `inspect` and `predictions`."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from daily_ai_summary.cli import main
from daily_ai_summary.i18n import TABLE
from daily_ai_summary.post import parse, render
from daily_ai_summary.writer.validate import ItemText, PredictionText

MONTH_YEAR = {"de": r"(?:" + "|".join(TABLE["de"].months) + r") 20\d\d", "ja": r"20\d\d年\d{1,2}月"}


@pytest.mark.parametrize("lang", ["de", "ja"])
def test_a_post_in_the_blogs_language_is_written_validated_and_read_back(harness, lang, capsys):
    config = (harness.workspace / ".github" / "daily-ai-summary.yml").read_text(encoding="utf-8")
    harness.write_config(config + f"language: {lang}\n")
    result = harness.run("schedule")
    assert result.code == 0, result.log
    text = harness.branch_file(harness.branch, harness.post_path)
    strings = TABLE[lang]

    # the product's own words are in the language, in the seed's layout
    assert [ln for ln in text.splitlines() if ln.startswith("## ")] == list(strings.headings)
    assert f"   - *{strings.benefits}:*\n" in text and f"   - *{strings.ramifications}:*\n" in text
    assert strings.notice in text
    assert f'title: "{strings.title}"' in text
    # the model was asked for the language, and every system prompt says so
    systems = [
        m["content"]
        for b in harness.llm.chat_bodies()
        for m in b["messages"]
        if m["role"] == "system"
    ]
    assert systems and all(f"BCP 47 language tag: {lang})" in s for s in systems)

    # what the model wrote passes validation in that language, and the post reads back
    post = parse(text)
    assert render(post) == text and post.strings == strings
    context = {"language": lang}
    for c in post.consequences:
        ItemText.model_validate(
            {"benefits": c.benefits, "ramifications": c.ramifications}, context=context
        )
    assert len(post.predictions) == 2
    for p in post.predictions:
        assert re.fullmatch(MONTH_YEAR[lang], p.when), p.when
        PredictionText.model_validate(
            {"event": p.event, "when": p.when, "rationale": p.rationale}, context=context
        )
    if lang == "ja":
        assert "利点" in text and "年" in post.predictions[0].when
    else:
        assert "Vorteile" in text and " und " in post.consequences[0].benefits

    # inspect reads it: the three sections and the dates
    path = harness.root / f"post-{lang}.md"
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["inspect", "--json", str(path)]) == 0
    shown = json.loads(capsys.readouterr().out)
    shown = shown[0] if isinstance(shown, list) else shown
    assert (
        len(shown["consequences"]) == len(post.consequences)
        and shown["trending"] == post.trending_titles
    )
    assert [p["when"] for p in shown["predictions"]] == [p.when for p in post.predictions]

    # the predictions tracker reads the dates back as year and month
    harness.merge_to_main(harness.branch)
    blog = harness.root / "blog-main"
    subprocess.run(["git", "clone", "--quiet", str(harness.origin), str(blog)], check=True)
    assert main(["predictions", "--json", "--repo", str(blog)]) == 0
    tracked = json.loads(capsys.readouterr().out)
    dump = json.dumps(tracked, ensure_ascii=False)
    for p in post.predictions:
        year = re.search(r"20\d\d", p.when).group(0)
        assert p.when in dump and year in dump
