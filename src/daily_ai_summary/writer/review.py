"""Review of a usable answer (pure): what to ask again for, and what to keep with a note.

``validate`` decides whether an answer can be used at all. This module looks at one that can
(issue 17) and returns two lists:

* problems: worth a re-ask (a paragraph far from the asked length; the quality checks of
  ``quality.py`` with severity "reask": first-person text, repetition, "no risks", prompt
  text);
* notes: kept as they are, shown to the reviewer (a paragraph slightly outside the asked
  range; near-duplicate prediction rationales).

After its re-ask an answer is kept with whatever problems are left, as notes: a reviewer can
fix a paragraph, but not a post that was never opened.

``salvage_predictions`` keeps the predictions that are usable one by one from an answer that
was rejected as a whole (one event missing, one date unreadable).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

from pydantic import ValidationError

from daily_ai_summary.i18n import count_words, primary
from daily_ai_summary.models import Candidate
from daily_ai_summary.quality import Finding, check_item, check_predictions
from daily_ai_summary.writer.messages import excerpt
from daily_ai_summary.writer.prompt import Prompts
from daily_ai_summary.writer.validate import (
    ASK_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    ItemText,
    Predictions,
    PredictionText,
    answer_when,
)

Review = tuple[list[str], list[str]]  # (problems to re-ask, notes to keep)


def words_review(where: str, text: str, language: str = "en") -> Review:
    """Far outside the asked range: a problem; slightly outside: a note. Words are counted in
    ``language`` (CJK text by characters, ``i18n.count_words``)."""
    n = count_words(text, language)
    lo, hi = ASK_WORDS
    if n < MIN_WORDS:
        return [f"{where}: is too short ({n} words; write {lo} to {hi})"], []
    if n > MAX_WORDS:
        return [f"{where}: is too long ({n} words; write {lo} to {hi})"], []
    if n < lo or n > hi:
        return [], [f"{where}: {n} words (asked {lo} to {hi}); kept"]
    return [], []


def _split(findings: list[Finding]) -> Review:
    return (
        [str(f) for f in findings if f.severity == "reask"],
        [str(f) for f in findings if f.severity != "reask"],
    )


def source_text(c: Candidate) -> str:
    """The discussion as the model saw it, for the quality checks and the grounding score."""
    return f"{c.title}\n{excerpt(c.text)}"


def prompt_texts(prompts: Prompts) -> list[str]:
    """The instructions the model was given, for the prompt-leak check."""
    return [str(t) for t in prompts.templates.values()]


def item_review(
    c: Candidate, prompts: Prompts, language: str = "en"
) -> Callable[[ItemText], Review]:
    """The review of one item's answer, in the blog's ``language`` (BCP 47): the English-only
    quality checks are skipped for other languages (``quality.check_item``)."""
    leaks = prompt_texts(prompts)
    english = primary(language) == "en"

    def review(item: ItemText) -> Review:
        problems: list[str] = []
        notes: list[str] = []
        for where, text in (("benefits", item.benefits), ("ramifications", item.ramifications)):
            p, n = words_review(where, text, language)
            problems += p
            notes += n
        p, n = _split(
            check_item(
                item.benefits,
                item.ramifications,
                source=source_text(c),
                prompts=leaks,
                english=english,
            )
        )
        return problems + p, notes + n

    return review


def predictions_review(prompts: Prompts, language: str = "en") -> Callable[[Predictions], Review]:
    """The review of the predictions answer, in the blog's ``language`` (as ``item_review``)."""
    leaks = prompt_texts(prompts)
    english = primary(language) == "en"

    def review(result: Predictions) -> Review:
        problems: list[str] = []
        notes: list[str] = []
        for p in result.predictions:
            pr, n = words_review(f"prediction {p.event!r}", p.rationale, language)
            problems += pr
            notes += n
        pairs = [(p.event, p.rationale) for p in result.predictions]
        pr, n = _split(check_predictions(pairs, prompts=leaks, english=english))
        return problems + pr, notes + n

    return review


def _key(text: str) -> str:
    """Letters and digits of any script, lower-case, single-spaced (as ``validate._key``)."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def salvage_predictions(
    events: list[str], today: date, language: str = "en"
) -> Callable[[str], tuple[Predictions, list[str]] | None]:
    """From a rejected answer's text: the predictions usable one by one (an event from the
    list, a readable date not in the past, a usable rationale), and a note per event left out.
    None when nothing is usable. Dates and rationales are read in the blog's ``language``."""

    def salvage(content: str) -> tuple[Predictions, list[str]] | None:
        try:
            data = json.loads(content)
        except ValueError:
            return None
        raw = data.get("predictions") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            return None
        good: dict[str, PredictionText] = {}
        for entry in raw[: len(events) * 2]:
            try:
                p = PredictionText.model_validate(entry, context={"language": language})
                _, year, month = answer_when(p.when, language)
                if (year, month) < (today.year, today.month):
                    continue
            except (ValidationError, ValueError):
                continue
            for e in events:
                if _key(e) == _key(p.event) and e not in good:
                    good[e] = PredictionText.model_construct(
                        event=e, when=p.when, rationale=p.rationale
                    )
        if not good:
            return None
        kept = [good[e] for e in events if e in good]
        notes = [
            f"prediction for {e!r} left out: no usable answer" for e in events if e not in good
        ]
        return Predictions.model_construct(predictions=kept), notes

    return salvage
