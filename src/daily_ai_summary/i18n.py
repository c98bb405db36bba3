"""The post's words in the blog's language (config ``language:``, a BCP 47 tag). Pure.

The shipped table covers en, de, fr, es, pt, ja and zh: the three section headings, the notice
line, the two item labels, the default title and the two word tags of the built-in archetype,
the month names a prediction's date is written with, and the name of the language the model is
asked to write in. Config ``strings:`` overrides any of them. A tag whose primary language has
no table keeps English strings (``Language.fallback`` says so, for a warning).

English, unchanged, is exactly the strings the post model always had, so an English post is
byte-identical to one written before languages existed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# BCP 47 (RFC 5646), the shape of every tag in use: a 2-3 letter language, optional extlangs,
# script, region, variants, extensions and private use. The 5-8 letter primary languages (none
# is registered), whole private-use tags and the grandfathered "i-" forms are rejected.
_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
)


def check_tag(tag: str) -> str:
    """``tag`` if it is a well-formed BCP 47 tag, else ``ValueError`` saying what is expected."""
    if not isinstance(tag, str) or not _TAG.match(tag):
        raise ValueError(
            f"{tag!r} is not a BCP 47 language tag (e.g. 'en', 'de', 'pt-BR', 'zh-Hans', 'ja')"
        )
    return tag


def primary(tag: str) -> str:
    """The primary language subtag, lower-case: 'pt-BR' -> 'pt'."""
    return tag.split("-", 1)[0].lower()


# The characters counted as one "character word" each (CJK ideographs, kana, hangul, fullwidth).
CJK_CHARS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f]"
)
# Chinese, Japanese and Korean have no spaces between words: their length is counted in
# characters, CJK_CHARS_PER_WORD characters making one word (a Japanese or Chinese word is
# one to three characters, about two on average), so the 40-120 word paragraph of an English
# post is 80-240 characters.
CJK_CHARS_PER_WORD = 2
CJK_LANGUAGES = frozenset({"ja", "zh", "ko"})


def count_words(text: str, language: str = "en") -> int:
    """Words in ``text``: spaces separate words, except in CJK text, where every
    ``CJK_CHARS_PER_WORD`` CJK characters count as one word (other tokens count as words)."""
    if primary(language) not in CJK_LANGUAGES:
        return len(text.split())
    cjk = len(CJK_CHARS.findall(text))
    rest = len(CJK_CHARS.sub(" ", text).split())
    return round(cjk / CJK_CHARS_PER_WORD) + rest


@dataclass(frozen=True)
class Strings:
    """Every word of a post the product writes itself (not the model)."""

    consequences: str = "Possible consequences of current developments"
    trending: str = "Currently trending topics"
    predictions: str = "GPT predicts future events"
    notice: str = (
        "> *Notice:* This post has been automatically generated and does not reflect the views "
        "of the site owner, nor does it claim to be accurate."
    )
    benefits: str = "Benefits"
    ramifications: str = "Ramifications"
    title: str = "[Daily Automated AI Summary]"
    tag_summary: str = "daily ai summary"
    tag_automated: str = "automated content"
    # the date of a prediction: {month} (a name from ``months``) and {year}
    date_format: str = "{month} {year}"
    months: tuple[str, ...] = (
        *"January February March April May June July August".split(),
        *"September October November December".split(),
    )
    language_name: str = "English"

    def when(self, year: int, month: int) -> str:
        """A prediction's date in this language: 'April 2030', 'abril de 2030', '2030年4月'."""
        return self.date_format.format(month=self.months[month - 1], year=year)

    @property
    def headings(self) -> tuple[str, str, str]:
        return (f"## {self.consequences}", f"## {self.trending}", f"## {self.predictions}")


ENGLISH = Strings()


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NUMBERED = tuple(str(n) for n in range(1, 13))

TABLE: dict[str, Strings] = {
    "en": ENGLISH,
    "de": Strings(
        consequences="Mögliche Folgen aktueller Entwicklungen",
        trending="Aktuelle Trendthemen",
        predictions="GPT sagt zukünftige Ereignisse voraus",
        notice="> *Hinweis:* Dieser Beitrag wurde automatisch erstellt. Er gibt nicht die "
        "Ansichten des Seiteninhabers wieder und erhebt keinen Anspruch auf Richtigkeit.",
        benefits="Vorteile",
        ramifications="Auswirkungen",
        title="[Automatische tägliche KI-Zusammenfassung]",
        tag_summary="tägliche ki-zusammenfassung",
        tag_automated="automatisch erstellte inhalte",
        months=_words(
            "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
        ),
        language_name="German",
    ),
    "fr": Strings(
        consequences="Conséquences possibles des développements actuels",
        trending="Sujets tendance du moment",
        predictions="GPT prédit des événements futurs",
        notice="> *Avis :* Cet article a été généré automatiquement. Il ne reflète pas les "
        "opinions du propriétaire du site et ne prétend pas être exact.",
        benefits="Avantages",
        ramifications="Répercussions",
        title="[Résumé quotidien automatisé de l'IA]",
        tag_summary="résumé quotidien ia",
        tag_automated="contenu automatisé",
        months=_words(
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
        ),
        language_name="French",
    ),
    "es": Strings(
        consequences="Posibles consecuencias de los desarrollos actuales",
        trending="Temas de tendencia actuales",
        predictions="GPT predice eventos futuros",
        notice="> *Aviso:* Esta entrada se ha generado automáticamente. No refleja las "
        "opiniones del propietario del sitio ni pretende ser exacta.",
        benefits="Beneficios",
        ramifications="Repercusiones",
        title="[Resumen diario automatizado de IA]",
        tag_summary="resumen diario de ia",
        tag_automated="contenido automatizado",
        date_format="{month} de {year}",
        months=_words(
            "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
            "diciembre"
        ),
        language_name="Spanish",
    ),
    "pt": Strings(
        consequences="Possíveis consequências dos desenvolvimentos atuais",
        trending="Tópicos em alta no momento",
        predictions="GPT prevê eventos futuros",
        notice="> *Aviso:* Esta publicação foi gerada automaticamente. Não reflete as opiniões "
        "do proprietário do site nem pretende ser precisa.",
        benefits="Benefícios",
        ramifications="Repercussões",
        title="[Resumo diário automatizado de IA]",
        tag_summary="resumo diário de ia",
        tag_automated="conteúdo automatizado",
        date_format="{month} de {year}",
        months=_words(
            "Janeiro Fevereiro Março Abril Maio Junho Julho Agosto Setembro Outubro Novembro "
            "Dezembro"
        ),
        language_name="Portuguese",
    ),
    "ja": Strings(
        consequences="現在の動向がもたらしうる影響",
        trending="現在話題のトピック",
        predictions="GPTによる未来の出来事の予測",
        notice="> *注意:* この記事は自動生成されたものです。サイト所有者の見解を反映するもの"
        "ではなく、内容の正確性を保証するものでもありません。",
        benefits="利点",
        ramifications="波及効果",
        title="[AI 日次自動まとめ]",
        tag_summary="ai 日次まとめ",
        tag_automated="自動生成コンテンツ",
        date_format="{year}年{month}月",
        months=_NUMBERED,
        language_name="Japanese",
    ),
    "zh": Strings(
        consequences="当前发展可能带来的后果",
        trending="当前热门话题",
        predictions="GPT 预测未来事件",
        notice="> *注意:* 本文由系统自动生成，不代表网站所有者的观点，也不保证内容准确。",
        benefits="益处",
        ramifications="影响",
        title="[每日 AI 自动摘要]",
        tag_summary="每日 ai 摘要",
        tag_automated="自动生成内容",
        date_format="{year}年{month}月",
        months=_NUMBERED,
        language_name="Chinese",
    ),
}

# What ``strings:`` may override (the month list and language name are not words of the post).
KEYS = tuple(f.name for f in fields(Strings) if f.name not in ("months", "language_name"))


@dataclass(frozen=True)
class Language:
    """The blog's language: its tag, its strings, and whether English stood in for a table."""

    tag: str = "en"
    strings: Strings = ENGLISH
    fallback: bool = False

    @property
    def code(self) -> str:
        return primary(self.tag)

    @property
    def is_english(self) -> bool:
        return self.code == "en"


def language(tag: str = "en", overrides: Mapping[str, str] | None = None) -> Language:
    """The strings for ``tag`` with ``overrides`` (config ``strings:``) applied."""
    check_tag(tag)
    table = TABLE.get(primary(tag))
    base = table or ENGLISH
    unknown = sorted(set(overrides or {}) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown string {unknown[0]!r} (strings are: {', '.join(KEYS)})")
    values: dict[str, Any] = dict(overrides or {})
    for key, value in values.items():
        if not value.strip() or "\n" in value or "\r" in value:
            raise ValueError(f"strings.{key}: must be one non-empty line")
    if "date_format" in values:
        try:
            values["date_format"].format(month="April", year=2030)
        except (KeyError, IndexError, ValueError):
            raise ValueError(
                "strings.date_format: write it with {month} and {year} only, e.g. '{month} {year}'"
            ) from None
        if not {"{month}", "{year}"} <= set(re.findall(r"\{\w+\}", values["date_format"])):
            raise ValueError("strings.date_format: must contain {month} and {year}")
    strings = replace(base, **values) if values else base
    return Language(tag=tag, strings=strings, fallback=table is None)


def localize_archetype(archetype: str, strings: Strings) -> str:
    """``archetype`` with the built-in archetype's English words (title, the two word tags,
    the notice line) in ``strings``' language. Other text is left as the blog wrote it."""
    if strings == ENGLISH:
        return archetype
    for key in ("title", "tag_summary", "tag_automated"):
        old, new = getattr(ENGLISH, key), getattr(strings, key)
        quoted = new.replace("\\", "\\\\").replace('"', '\\"')
        archetype = archetype.replace(f'"{old}"', f'"{quoted}"')
    return archetype.replace(ENGLISH.notice, strings.notice)


# label -> "benefits" / "ramifications", for every shipped language
ALL_LABELS: dict[str, str] = {
    label: kind
    for s in TABLE.values()
    for kind, label in (("benefits", s.benefits), ("ramifications", s.ramifications))
}
