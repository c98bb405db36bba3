"""Pure text helpers shared by the sources (and importable by selection/writer).

Every input here is untrusted data from the internet: these functions only normalise it, they
never interpret it.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

# Leading "[D]", "[R] ", "[N][R]", "[Discussion]:" ... tags, as used on r/MachineLearning.
_LEADING_TAGS = re.compile(r"^\s*(?:\[[A-Za-z][A-Za-z /&-]{0,19}\]\s*[:|-]?\s*)+")
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_TAGS = re.compile(r"<\s*(?:p|br|/p|div|/div|li|/li|h\d|/h\d)\b[^>]*>", re.I)

TEXT_LIMIT = 1500
TITLE_LIMIT = 300  # Reddit's own maximum; a longer "title" is abuse, not a headline


def collapse(text: str) -> str:
    """All runs of whitespace (newlines included) become one space; ends trimmed."""
    return " ".join(text.split())


def clean_title(raw: str) -> str:
    """A title fit for a heading: leading ``[D]``/``[R]``/``[Discussion]``-style tags removed,
    HTML entities decoded, whitespace collapsed, cut to ``TITLE_LIMIT`` characters (it becomes
    a heading). A title made only of tags is kept as is."""
    title = collapse(html.unescape(raw or ""))
    stripped = _LEADING_TAGS.sub("", title, count=1).strip()
    return truncate(stripped or title, TITLE_LIMIT)


def strip_html(fragment: str) -> str:
    """Plain text from an HTML fragment (HN ``story_text``, feed summaries).

    Block boundaries become single line breaks, other tags vanish, entities are decoded, blank
    lines go. Not a sanitiser: the result is treated as plain text downstream.
    """
    if not fragment:
        return ""
    text = _BLOCK_TAGS.sub("\n", fragment)
    text = _TAGS.sub("", text)
    text = html.unescape(text)
    return "\n".join(line for line in (collapse(raw) for raw in text.splitlines()) if line)


def truncate(text: str, limit: int = TEXT_LIMIT) -> str:
    """At most ``limit`` characters, cut at a word boundary when one is near, with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def from_epoch(seconds: float | int | None) -> datetime | None:
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(float(seconds), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def parse_iso(value: str | None) -> datetime | None:
    """``2026-06-12T00:00:00.000Z`` and friends, as an aware UTC datetime (None if unparseable)."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def in_window(when: datetime | None, start: datetime, end: datetime) -> bool:
    return when is not None and start <= when < end
