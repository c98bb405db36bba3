"""Revisions of a German post: `/summary` keywords stay English, the request may be German, the
model is asked for German, and the changed parts come back in German with German labels and
dates (the OpenAI fake answers in the language the prompt asks for)."""

from __future__ import annotations

import re

from daily_ai_summary.i18n import TABLE
from tests.revise.harness import Revisions

DE = TABLE["de"]


def test_a_german_post_is_revised_in_german(revisions_no_pr: Revisions) -> None:
    rv = revisions_no_pr
    config = (rv.action.workspace / ".github" / "daily-ai-summary.yml").read_text(encoding="utf-8")
    rv.action.write_config(config + "language: de\n")
    rv.open_pr()
    before, post = rv.head(), rv.post()
    assert post.strings == DE

    line = rv.line_of("consequences", 1, "benefits", last=True)
    result = rv.run(rv.line_comment("/summary bitte konkreter und mit Zahlen", line=line))
    assert result.code == 0, result.log
    after = rv.post()
    assert after.consequences[0].benefits != post.consequences[0].benefits
    assert " und " in after.consequences[0].benefits  # German prose, validated in German
    text = rv.text()
    assert f"   - *{DE.benefits}:*\n" in text and "*Benefits:*" not in text
    assert rv.changed_lines(before, rv.head()) == {line}
    systems = [
        m["content"]
        for b in rv.action.llm.chat_bodies()[-1:]
        for m in b["messages"]
        if m["role"] == "system"
    ]
    assert systems and "BCP 47 language tag: de)" in systems[0]
    assert "bitte konkreter" in rv.action.llm.chat_bodies()[-1]["messages"][-1]["content"]

    result = rv.run(rv.conversation("/summary regenerate 2"))
    assert result.code == 0, result.log
    assert " und " in rv.post().consequences[1].ramifications
    for p in rv.post().predictions:
        assert re.fullmatch(r"(?:" + "|".join(DE.months) + r") 20\d\d", p.when), p.when
