"""Checks on the model's answers (pure): every paragraph is plain prose of the right length
with nothing that could change the post's structure or smuggle markup into it (Markdown
structure, HTML, links, code or front-matter fences, Hugo shortcodes, "As an AI" boilerplate);
a prediction's date is read the way the model wrote it (``when.read_when``) and is not in the
past. The answer models' JSON schema is what the model is asked for
(``schema.response_format``).

Only what breaks the layout or safety is fatal here (issue 17): a paragraph must have
``HARD_MIN_WORDS`` to ``HARD_MAX_WORDS`` words to be usable at all. Whether it has the asked
length, and the quality checks, are ``review.py``'s: a re-ask or a note, never a lost post.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from daily_ai_summary.i18n import TABLE, count_words, primary
from daily_ai_summary.prediction_dates import find_date
from daily_ai_summary.when import read_when

# Paragraph length: the prompt asks for 40-120 words; validation allows some slack around it.
ASK_WORDS = (40, 120)
MIN_WORDS = 25
MAX_WORDS = 170
# Hard limits: a paragraph outside them is not usable (a stub, or one that breaks the layout).
HARD_MIN_WORDS = 8
HARD_MAX_WORDS = 250
MAX_EVENT_CHARS = 120


class InvalidAnswer(Exception):
    """The model's answer is not acceptable; the message says why (it is sent back)."""


_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)", re.MULTILINE)
_LIST = re.compile(r"^\s*([-*+]|\d{1,3}[.)])\s+\S", re.MULTILINE)
_QUOTE = re.compile(r"^\s*>", re.MULTILINE)
_RULE = re.compile(r"^\s*(-{3,}|\+{3,}|\*{3,}|_{3,}|={3,})\s*$", re.MULTILINE)
_FENCE = re.compile(r"```|~~~")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|<!--|-->")
_LINK = re.compile(r"https?://|\bwww\.[a-z0-9-]+\.|\]\(|\[[^\]]*\]\[|<https?:|\bmailto:", re.I)
_SHORTCODE = re.compile(r"\{\{\s*[<%]|[>%]\s*\}\}")
_BOILERPLATE = re.compile(
    r"(?i:\bas an ai\b|\bas a (?:large )?language model\b|\bas an? (?:ai )?assistant\b)"
    r"|\bI (?:cannot|can ?not|can't|can’t|am unable|am not able|apologi[sz]e)\b"
    r"|\bI['’]m (?:unable|sorry|not able)\b"
)
# The same, per language (the English list applies to every language: models slip into it).
_BOILERPLATE_BY_LANGUAGE = {
    "de": re.compile(
        r"(?i)\bals (?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Assistent)\b"
        r"|\bich kann (?:nicht|keine)\b|\bes tut mir leid\b|\bich bin nicht in der Lage\b"
    ),
    "fr": re.compile(
        r"(?i)\ben tant qu['’](?:IA|intelligence artificielle|assistant)\b"
        r"|\ben tant que modèle de langage\b|\bje ne (?:peux|suis) pas\b|\bdésolée?\b"
    ),
    "es": re.compile(
        r"(?i)\bcomo (?:una? )?(?:IA|inteligencia artificial|modelo de lenguaje|asistente)\b"
        r"|\bno puedo\b|\blo siento\b"
    ),
    "pt": re.compile(
        r"(?i)\bcomo (?:uma? )?(?:IA|inteligência artificial|modelo de linguagem|assistente)\b"
        r"|\bnão posso\b|\bdesculpe\b|\blamento\b"
    ),
    "ja": re.compile(
        r"AI(?:アシスタント)?として|言語モデルとして|申し訳(?:ありません|ございません)|お答えできません"
    ),
    "zh": re.compile(r"作为(?:一个)?(?:AI|人工智能|语言模型|助手)|抱歉|我无法|我不能"),
}


def has_boilerplate(text: str, language: str = "en") -> bool:
    """Whether ``text`` has assistant boilerplate in English or in ``language``."""
    own = _BOILERPLATE_BY_LANGUAGE.get(primary(language))
    return bool(_BOILERPLATE.search(text) or (own and own.search(text)))


def context_language(info: ValidationInfo) -> str:
    """The blog's language, from the validation context (``{"language": tag}``)."""
    context = info.context if isinstance(info.context, dict) else {}
    return str(context.get("language") or "en")


_LABEL = re.compile(
    r"^\s*\**\s*_?(benefits?|ramifications?|rationale)\s*_?\**\s*[:\-–—]\s*\**\s*", re.I
)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")


def clean_paragraph(
    text: str, *, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS, language: str = "en"
) -> str:
    """Return ``text`` as one line of plain prose, or raise ``ValueError`` listing every problem.

    Words are counted in ``language`` (``i18n.count_words``: CJK text by characters) and
    boilerplate is looked for in English and in ``language``. Line breaks are collapsed (a paragraph is rendered on one indented line); anything that
    would change the post's structure or smuggle markup into it is rejected.
    """
    text = CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    text = _LABEL.sub("", text, count=1).strip()
    problems: list[str] = []
    if _HEADING.search(text):
        problems.append("contains a Markdown heading")
    if _LIST.search(text):
        problems.append("contains a Markdown list; write prose")
    if _QUOTE.search(text):
        problems.append("contains a Markdown block quote")
    if _RULE.search(text):
        problems.append("contains a '---' line (front-matter fence or rule)")
    if _FENCE.search(text):
        problems.append("contains a code fence")
    if _HTML.search(text):
        problems.append("contains an HTML tag or comment")
    if _LINK.search(text):
        problems.append("contains a link or URL")
    if _SHORTCODE.search(text):
        problems.append("contains a Hugo shortcode ('{{<' or '{{%')")
    if has_boilerplate(text, language):
        problems.append("contains assistant boilerplate ('As an AI', 'I cannot', ...)")
    text = " ".join(text.split())
    words = count_words(text, language)
    if words < min_words:
        problems.append(f"is too short ({words} words; write {ASK_WORDS[0]} to {ASK_WORDS[1]})")
    elif words > max_words:
        problems.append(f"is too long ({words} words; write {ASK_WORDS[0]} to {ASK_WORDS[1]})")
    if problems:
        raise ValueError("; ".join(problems))
    return text


_MONTHS = {m.lower(): m for m in calendar.month_name if m}
_MONTHS.update({m.lower(): calendar.month_name[i] for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = "September"
_WHEN = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")


def parse_when(text: str, language: str = "en") -> tuple[str, int, int]:
    """``"May 2035"`` (or ``"may 2035"``, ``"Sep. 2035"``) -> ``("May 2035", 2035, 5)``.
    In another language of the table, its own form ("Mai 2035", "2035年5月") or the English
    one is read, and written back in that language's form."""
    code = primary(language)
    if code != "en" and code in TABLE:
        return _parse_when_in(text, code)
    m = _WHEN.match(" ".join(text.split()))
    month = _MONTHS.get(m.group(1).lower()) if m else None
    if not m or not month:
        raise ValueError(f"{text!r} is not a month and a year like 'May 2035'")
    year = int(m.group(2))
    if not 2000 <= year <= 2999:
        raise ValueError(f"{text!r}: the year must have four digits, between 2000 and 2999")
    return f"{month} {year}", year, list(calendar.month_name).index(month)


def answer_when(text: str, language: str = "en") -> tuple[str, int, int]:
    """A model's date, read leniently: in English ``when.read_when`` (also "2050",
    "2045-10-25", "Oct 2045"; a year alone compares as its December), in another language of
    the table as ``parse_when``. Returns the text the post shows, the year and the month."""
    code = primary(language)
    if code != "en" and code in TABLE:
        return _parse_when_in(text, code)
    when = read_when(text)
    return when.text, when.year, when.month or 12


def _parse_when_in(text: str, code: str) -> tuple[str, int, int]:
    clean = " ".join(text.split())
    hit = find_date(clean, (code, "en"))
    example = TABLE[code].when(2035, 5)
    if hit is None or hit[1] != clean or hit[0].month is None or hit[0].end_year:
        raise ValueError(f"{text!r} is not a month and a year like {example!r}")
    year, month = hit[0].year, hit[0].month
    if not 2000 <= year <= 2999:
        raise ValueError(f"{text!r}: the year must have four digits, between 2000 and 2999")
    return TABLE[code].when(year, month), year, month


class ItemText(BaseModel):
    """The two paragraphs of one consequences item."""

    model_config = ConfigDict(extra="forbid")

    benefits: str = Field(
        description="2-4 sentences (40-120 words) of plain prose: the concrete benefits, "
        "grounded in the discussion's specifics"
    )
    ramifications: str = Field(
        description="2-4 sentences (40-120 words) of plain prose: the concrete risks, costs "
        "or downsides, grounded in the discussion's specifics"
    )

    @field_validator("benefits", "ramifications")
    @classmethod
    def _paragraph(cls, v: str, info: ValidationInfo) -> str:
        return clean_paragraph(
            v, min_words=HARD_MIN_WORDS, max_words=HARD_MAX_WORDS, language=context_language(info)
        )


class PredictionText(BaseModel):
    """One prediction: the event, when (``Month YYYY``), and why."""

    model_config = ConfigDict(extra="forbid")

    event: str = Field(description="the event, copied exactly from the list")
    when: str = Field(description="month name and four-digit year, e.g. 'May 2035'")
    rationale: str = Field(description="2-4 sentences (40-120 words) of plain prose: why then")

    @field_validator("event")
    @classmethod
    def _event(cls, v: str) -> str:
        v = " ".join(CONTROL_CHARS.sub("", v).split()).strip("*_ ")
        if not v:
            raise ValueError("is empty")
        if len(v) > MAX_EVENT_CHARS:
            raise ValueError(f"is longer than {MAX_EVENT_CHARS} characters")
        if _LINK.search(v) or _HTML.search(v) or _SHORTCODE.search(v) or "`" in v:
            raise ValueError("must be plain text")
        return v

    @field_validator("when")
    @classmethod
    def _when(cls, v: str, info: ValidationInfo) -> str:
        return answer_when(v, context_language(info))[0]

    @field_validator("rationale")
    @classmethod
    def _rationale(cls, v: str, info: ValidationInfo) -> str:
        return clean_paragraph(
            v, min_words=HARD_MIN_WORDS, max_words=HARD_MAX_WORDS, language=context_language(info)
        )


class Predictions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    predictions: list[PredictionText] = Field(description="one prediction per event, in order")


def check_predictions(
    events: list[str], today: date, language: str = "en"
) -> Callable[[Predictions], Predictions]:
    def check(result: Predictions) -> Predictions:
        got = result.predictions
        if len(got) != len(events):
            raise InvalidAnswer(
                f"predictions: expected exactly {len(events)} predictions, one per event, got {len(got)}"
            )
        got = match_events(events, got) or got
        problems = []
        for p in got:
            _, year, month = answer_when(p.when, language)
            if (year, month) < (today.year, today.month):
                problems.append(
                    f"{p.event!r}: {p.when} is in the past (today is {today.isoformat()})"
                )
        if problems:
            raise InvalidAnswer("; ".join(problems))
        # The configured event names are canonical: the model cannot rename them.
        return Predictions(
            predictions=[
                PredictionText.model_construct(event=e, when=p.when, rationale=p.rationale)
                for e, p in zip(events, got, strict=True)
            ]
        )

    return check


def match_events(events: list[str], got: list[PredictionText]) -> list[PredictionText] | None:
    """``got`` in the order of ``events``: by name when every name matches, else by position
    when the counts agree, else None."""
    by_name = {_key(p.event): p for p in got}
    if all(_key(e) in by_name for e in events):
        return [by_name[_key(e)] for e in events]
    return got if len(got) == len(events) else None


def _key(text: str) -> str:
    """Letters and digits of any script, lower-case, single-spaced."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def check_item(item: ItemText) -> ItemText:
    if _key(item.benefits) == _key(item.ramifications):
        raise InvalidAnswer(
            "benefits and ramifications are identical; write two different paragraphs"
        )
    return item
