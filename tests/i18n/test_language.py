"""The blog's language: config validation, the shipped table and overrides, dates written and
read back in every language, per-language validation, and posts of every language parsed
losslessly."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from daily_ai_summary.config import CONFIG_PATH, load_config
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.frontmatter import BUILTIN_ARCHETYPE
from daily_ai_summary.i18n import (
    CJK_CHARS_PER_WORD,
    TABLE,
    count_words,
    language,
    localize_archetype,
)
from daily_ai_summary.models import Candidate
from daily_ai_summary.pipeline import make_plan
from daily_ai_summary.post import new_post, parse, read_predictions, render
from daily_ai_summary.prediction_dates import read_date
from daily_ai_summary.writer.messages import item_messages
from daily_ai_summary.writer.validate import ItemText, PredictionText, clean_paragraph, parse_when

SOURCES = """\
consequences:
  sources:
    - type: hackernews
      query: AI
trending:
  sources:
    - type: hackernews
      query: AI
"""


def write_config(repo: Path, extra: str) -> None:
    path = repo / CONFIG_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SOURCES + extra, encoding="utf-8")


# -- config -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["en", "de", "pt-BR", "zh-Hans", "ja-JP", "es-419", "sr-Latn-RS"])
def test_well_formed_tags_are_accepted(tmp_path, tag):
    write_config(tmp_path, f"language: {tag}\n")
    assert load_config(tmp_path).language == tag


@pytest.mark.parametrize(
    "tag", ["german", "d", "de_DE", "en-", "zh--Hans", "x-klingon", "deutsch", "'de DE'"]
)
def test_a_malformed_tag_is_one_config_error_naming_file_and_line(tmp_path, tag):
    write_config(tmp_path, f"# my blog\nlanguage: {tag}\n")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    line = SOURCES.count("\n") + 2
    assert str(err.value).startswith(f"{CONFIG_PATH}:{line}: "), str(err.value)
    assert "BCP 47" in str(err.value)


def test_an_unknown_string_key_is_a_config_error(tmp_path):
    write_config(tmp_path, "strings:\n  benefit: Pros\n")
    with pytest.raises(ConfigError, match="unknown string 'benefit'") as err:
        load_config(tmp_path)
    assert err.value.line == SOURCES.count("\n") + 1


def test_a_language_without_a_table_falls_back_to_english_with_a_warning(tmp_path):
    write_config(tmp_path, "language: nl\n")
    (tmp_path / "content" / "posts").mkdir(parents=True)
    plan = make_plan(tmp_path, date_input="", now=datetime(2025, 4, 16, 5, tzinfo=UTC))
    assert plan.config.language_settings().strings == TABLE["en"]
    assert any("no translation table for 'nl'" in n and "English" in n for n in plan.notes)


def test_every_string_can_be_overridden(tmp_path):
    write_config(
        tmp_path,
        "language: de\nstrings:\n  benefits: Chancen\n  trending: Was gerade läuft\n  title: Mein KI-Tag\n",
    )
    lang = load_config(tmp_path).language_settings()
    assert lang.strings.benefits == "Chancen" and lang.strings.ramifications == "Auswirkungen"
    post = new_post(
        "title: x\n", [("T", "b", "r")], ["t"], [("AGI", "Mai 2040", "why")], strings=lang.strings
    )
    text = render(post)
    assert "## Was gerade läuft\n" in text and "   - *Chancen:*\n" in text
    assert localize_archetype(BUILTIN_ARCHETYPE, lang.strings).startswith(
        '---\ntitle: "Mein KI-Tag"\n'
    )
    # the blog's own headings are read back when it says which they are
    assert parse(text, strings=lang.strings).trending_titles == ["t"]


def test_english_is_exactly_what_it_always_was():
    assert localize_archetype(BUILTIN_ARCHETYPE, language("en").strings) == BUILTIN_ARCHETYPE
    assert language("en-GB").strings == TABLE["en"]
    prompt = item_messages(
        Candidate(id="hn:1", source_type="hackernews", title="x", url="https://e.org", source="hn")
    )[0]
    assert "BCP 47" not in prompt["content"]


# -- the table ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "april", "december"),
    [
        ("en", "April 2030", "December 2031"),
        ("de", "April 2030", "Dezember 2031"),
        ("fr", "avril 2030", "décembre 2031"),
        ("es", "abril de 2030", "diciembre de 2031"),
        ("pt", "Abril de 2030", "Dezembro de 2031"),
        ("ja", "2030年4月", "2031年12月"),
        ("zh", "2030年4月", "2031年12月"),
    ],
)
def test_dates_are_written_in_the_language_and_read_back(lang, april, december):
    strings = TABLE[lang]
    assert strings.when(2030, 4) == april and strings.when(2031, 12) == december
    for month in range(1, 13):
        written = strings.when(2040, month)
        found = read_date(f"({written})")
        assert found is not None and (found.year, found.month) == (2040, month), written
        assert parse_when(written, lang) == (written, 2040, month)


def test_the_model_may_answer_a_date_in_english_and_it_is_written_in_the_language():
    assert parse_when("May 2035", "de")[0] == "Mai 2035"
    assert parse_when("May 2035", "ja")[0] == "2035年5月"
    with pytest.raises(ValueError, match="'Mai 2035'"):
        parse_when("bald", "de")


@pytest.mark.parametrize("lang", sorted(TABLE))
def test_a_post_in_every_language_round_trips_and_reads_its_predictions(lang):
    strings = TABLE[lang]
    post = new_post(
        "title: x\n",
        [("Title", "benefit text", "ramification text")],
        ["a trend"],
        [("AGI", strings.when(2040, 11), "because")],
        strings=strings,
    )
    text = render(post)
    again = parse(text)
    assert render(again) == text and again.strings == strings
    assert again.consequences[0].benefits == "benefit text"
    assert again.consequences[0].ramifications == "ramification text"
    [p] = read_predictions(text)
    assert read_date(p.when) is not None and read_date(p.when).month == 11  # type: ignore[union-attr]
    # a changed paragraph is rendered with the post's own label
    again.consequences[0].ramifications = "new"
    assert f"   - *{strings.ramifications}:*\n     new\n" in render(again)


# -- validation -----------------------------------------------------------------------------------


def test_cjk_text_is_counted_by_characters():
    assert CJK_CHARS_PER_WORD == 2
    assert count_words("これは日本語の文章です", "ja") == 6  # 11 characters
    assert count_words("GPT-5 の性能", "ja-JP") == 2 + 1  # 4 characters and one word
    assert count_words("one two three", "ja") == 3
    assert count_words("これは日本語の文章です", "en") == 1


def test_a_japanese_paragraph_is_long_enough_by_characters():
    text = "新しいモデルの公開により、小規模な研究室でも高度な実験を再現できるようになります。" * 2
    assert clean_paragraph(text, language="ja") == text
    with pytest.raises(ValueError, match="too short"):
        clean_paragraph("短すぎる文章です。", language="ja")
    with pytest.raises(ValueError, match="too long"):
        clean_paragraph(text * 5, language="ja")


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("de", "Als KI kann ich dazu nichts sagen."),
        ("de", "Es tut mir leid, aber"),
        ("fr", "En tant qu'IA, je"),
        ("es", "Como modelo de lenguaje, no"),
        ("pt", "Como uma IA, eu"),
        ("ja", "AIとして、"),
        ("ja", "申し訳ありませんが、"),
        ("zh", "作为一个AI，"),
        ("de", "As an AI, I"),  # English boilerplate is caught in every language
    ],
)
def test_boilerplate_is_caught_per_language(lang, phrase):
    filler = " ".join(["Wort"] * 40) if lang not in ("ja", "zh") else "研究" * 60
    with pytest.raises(ValueError, match="boilerplate"):
        clean_paragraph(f"{phrase} {filler}", language=lang)


def test_the_answer_models_validate_in_the_language_of_the_context():
    ja = "研究の成果が広く共有されることで、多くの開発者が同じ手法を試せるようになります。" * 2
    item = ItemText.model_validate(
        {"benefits": ja, "ramifications": ja.replace("研究", "実験")}, context={"language": "ja"}
    )
    assert item.benefits == ja
    with pytest.raises(ValidationError, match="too short"):
        ItemText.model_validate({"benefits": ja, "ramifications": ja})  # English: 2 "words"
    p = PredictionText.model_validate(
        {"event": "AGI", "when": "2040年11月", "rationale": ja}, context={"language": "ja"}
    )
    assert p.when == "2040年11月"
    assert date(2040, 11, 1) > date(2025, 1, 1)


@pytest.mark.parametrize(
    ("override", "says"),
    [
        (
            "  date_format: '{foo} {year}'\n",
            "strings.date_format: write it with {month} and {year}",
        ),
        ("  date_format: '{year}'\n", "must contain {month} and {year}"),
        ("  benefits: ''\n", "strings.benefits: must be one non-empty line"),
    ],
)
def test_a_broken_override_is_a_config_error(tmp_path, override, says):
    write_config(tmp_path, "strings:\n" + override)
    with pytest.raises(ConfigError, match=re.escape(says)):
        load_config(tmp_path)
