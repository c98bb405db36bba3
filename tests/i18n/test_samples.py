"""docs/samples/<language>.md and the README's table of languages are what the code produces,
and each sample reads back (headings, labels and dates). Regenerate them with
``DAILY_AI_SUMMARY_UPDATE_SAMPLES=1 ./scripts/test tests/i18n/test_samples.py``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from daily_ai_summary.i18n import TABLE
from daily_ai_summary.post import parse
from daily_ai_summary.prediction_dates import read_date
from daily_ai_summary.writer.validate import clean_paragraph
from tests.i18n.samples import LANGUAGES, readme_table, sample_post

ROOT = Path(__file__).resolve().parents[2]
UPDATE = os.environ.get("DAILY_AI_SUMMARY_UPDATE_SAMPLES") == "1"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sample_post_is_current_and_reads_back(lang: str) -> None:
    text = sample_post(lang)
    path = ROOT / "docs" / "samples" / f"{lang}.md"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"regenerate {path.name}: see this module"
    post = parse(text)
    assert post.strings == TABLE[lang]
    assert f'title: "{TABLE[lang].title}"' in text and TABLE[lang].notice in text
    dates = [read_date(p.when) for p in post.predictions]
    assert [(d.year, d.month) for d in dates if d] == [(2035, 4), (2050, 11)]
    if lang in ("de", "ja"):  # the fake's prose: what the pipeline validates
        for c in post.consequences:
            clean_paragraph(c.benefits, language=lang)
            clean_paragraph(c.ramifications, language=lang)


def test_the_readme_table_lists_every_language() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme_table()
    if UPDATE and table not in readme:
        start = readme.index("| `language:` |")
        end = readme.index("\n\n", start) + 1
        (ROOT / "README.md").write_text(readme[:start] + table + readme[end:], encoding="utf-8")
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table in readme
