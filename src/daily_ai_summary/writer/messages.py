"""The conversations sent to the model (pure): the prompts (``prompt.Prompts``) filled in, and
the untrusted text (titles, source excerpts, reviewers' requests) quoted between random-nonce
markers the text cannot forge, so prompt injection in a Reddit post stays data.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from daily_ai_summary.i18n import Language
from daily_ai_summary.models import Candidate
from daily_ai_summary.writer.prompt import Prompts, builtin_prompts
from daily_ai_summary.writer.schema import schema_hint
from daily_ai_summary.writer.validate import ASK_WORDS, CONTROL_CHARS, ItemText, Predictions

SOURCE_TEXT_CHARS = 1500


def one_line(value: object) -> str:
    return " ".join(CONTROL_CHARS.sub(" ", str(value)).split())


def excerpt(text: str, limit: int = SOURCE_TEXT_CHARS) -> str:
    text = CONTROL_CHARS.sub(" ", text.replace("\r\n", "\n")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip() + " [...]"


def new_nonce(*texts: str) -> str:
    """A random marker that none of ``texts`` contains."""
    while True:
        nonce = secrets.token_hex(8)
        if not any(nonce in t for t in texts):
            return nonce


def fence(data: str, nonce: str) -> str:
    """Quote untrusted ``data`` between nonce markers the data cannot forge."""
    return f"<<<DATA {nonce}>>>\n{data}\n<<<END DATA {nonce}>>>"


def rules(prompts: Prompts, name: str = "rules") -> str:
    """The paragraph rules (``rules`` or ``revise-rules``) with the word counts filled in."""
    return prompts.render(name, min_words=ASK_WORDS[0], max_words=ASK_WORDS[1])


def language_instruction(prompts: Prompts, language: Language | None) -> str:
    """The ``language`` prompt for a blog not written in English ('' for English, so the
    English prompts stay exactly what they were)."""
    if language is None or language.is_english:
        return ""
    s = language.strings
    return "\n\n" + prompts.render(
        "language", language=s.language_name, tag=language.tag, when_example=s.when(2035, 5)
    )


def _engagement(c: Candidate) -> str:
    score = int(c.score) if float(c.score).is_integer() else round(c.score, 1)
    unit = {"hackernews": "points", "reddit": "upvotes"}.get(c.source_type, "score")
    return f"{score} {unit}, {c.comments} comments"


def item_messages(
    c: Candidate,
    *,
    json_schema: bool = True,
    prompts: Prompts | None = None,
    language: Language | None = None,
) -> list[dict[str, str]]:
    """The conversation for one consequences item (written in ``language``, default English)."""
    prompts = prompts or builtin_prompts()
    data = "\n".join(
        [
            f"Title: {one_line(c.title)}",
            f"Source: {one_line(c.source)}",
            f"Engagement: {_engagement(c)}",
            f"Discussion: {one_line(c.url)}",
            f"Link: {one_line(c.link) if c.link else 'none'}",
            "Text:",
            excerpt(c.text) or "(no text)",
        ]
    )
    nonce = new_nonce(data)
    system = prompts.render("item", rules=rules(prompts), nonce=nonce)
    system += language_instruction(prompts, language)
    if not json_schema:
        system += schema_hint(ItemText)
    user = "Write the benefits and ramifications of this discussion.\n\n" + fence(data, nonce)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def prediction_messages(
    events: list[str],
    titles: list[str],
    *,
    today: date,
    json_schema: bool = True,
    prompts: Prompts | None = None,
    history: str = "",
    max_jump_years: float = 5,
    language: Language | None = None,
) -> list[dict[str, str]]:
    """The conversation for the predictions (events come from the config: trusted).
    ``history`` (lines from ``predictions.context.prompt_history``: the blog's own recent
    forecasts, read from its posts) is quoted as data after today's titles."""
    prompts = prompts or builtin_prompts()
    data = "\n".join(f"- {one_line(t)}" for t in titles) or "(none)"
    if history.strip():
        lines = "\n".join(
            f"- {one_line(h.lstrip('- '))}" for h in history.splitlines() if h.strip()
        )
        data += "\n\nThe blog's own recent forecasts:\n" + lines
    nonce = new_nonce(data)
    jump = f"{max_jump_years:g}"
    system = prompts.render(
        "predictions",
        rules=rules(prompts),
        today=today.isoformat(),
        nonce=nonce,
        max_jump_years=jump,
    )
    system += language_instruction(prompts, language)
    if not json_schema:
        system += schema_hint(Predictions)
    listing = "\n".join(f"{i}. {one_line(e)}" for i, e in enumerate(events, 1))
    user = f"Predict when each of these events will happen:\n{listing}\n\n" + fence(data, nonce)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
