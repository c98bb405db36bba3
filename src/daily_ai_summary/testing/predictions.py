"""A grammar of prediction sections, for the property tests and the benchmark.

It writes the shapes the reference blog's posts take (and those its later posts took): an
intro sentence with or without bold words, ``-``/``*``/numbered bullets, event names in any
capitalisation with or without "(AGI)" or a colon, dates as "May 2035", "Sept. 2035",
"2035-05", "(2045)" or "2045 (November)", a colon after the date or not, and the rationale on
the same line, on an indented next line, as a nested ``  - `` item, as an unindented lazy
line, or as a paragraph of its own after the bullet. ``choose`` picks among options: a
``random.Random().choice`` for the benchmark, a Hypothesis draw in the tests. Our own text:
nothing here comes from the corpus.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

T = TypeVar("T")


class Choose(Protocol):
    """Picks one of ``options`` (a seeded ``random.Random().choice`` or a Hypothesis draw)."""

    def __call__(self, options: Sequence[T], /) -> T: ...


AGI = "Artificial General Intelligence (AGI)"
SINGULARITY = "Technological Singularity"
SPELLINGS = {
    AGI: (
        "Artificial General Intelligence (AGI)",
        "Artificial general intelligence",
        "artificial general intelligence",
        "ARTIFICIAL GENERAL INTELLIGENCE",
        "AGI",
        "Artificial General Intelligence",
    ),
    SINGULARITY: (
        "Technological Singularity",
        "technological singularity",
        "The Technological Singularity",
        "Technological singularity",
        "TECHNOLOGICAL SINGULARITY",
    ),
}
INTROS = (
    "",
    "Here are my predictions:",
    "My predictions regarding **artificial general intelligence** and **technological "
    "singularity**:",
    "Based on **today's discussions**, I keep my forecasts for **AGI** largely where they were.",
    "Predictions for the occurrence of the two events follow.",
)
WORDS = (
    "scaling compute keeps growing while new architectures arrive and evaluation gets harder "
    "so progress may slow or speed up depending on funding regulation and hardware supply"
).split()
CLOSINGS = ("", "These forecasts are speculative and may change as the field moves.")


@dataclass(frozen=True)
class Expected:
    event: str  # the normalised name
    year: int
    month: int | None


def _date_text(choose: Choose, year: int, month: int | None) -> str:
    if month is None:
        return str(year)
    name = calendar.month_name[month]
    short = {9: "Sept."}.get(month, calendar.month_abbr[month] + ("" if month == 5 else "."))
    return choose(
        (
            f"{name} {year}",
            f"{short} {year}",
            f"{year}-{month:02d}",
            f"{name.lower()} {year}",
            f"{name}, {year}",
        )
    )


def _sentence(choose: Choose, n: int) -> str:
    words = [choose(WORDS) for _ in range(n)]
    text = " ".join(words)
    if choose((False, True)):
        text = text.replace(words[0], f"**{words[0]}**", 1)  # bold words inside the rationale
    if choose((False, True)):
        text += f" by {choose(('2040', '2099', 'March 2041'))} the pace may differ"  # a stray date
    return text[0].upper() + text[1:] + "."


def section(choose: Choose) -> tuple[str, list[Expected]]:
    """The body of a predictions section (after its heading) and what it predicts."""
    lines: list[str] = ["", ""]
    intro = choose(INTROS)
    if intro:
        lines += [intro, ""]
    count = choose((1, 2, 2, 2, 3))
    expected: list[Expected] = []
    marker = choose(("-", "*", "1."))
    for i in range(count):
        event = (AGI, SINGULARITY)[i % 2]
        name = choose(SPELLINGS[event])
        year = choose((2029, 2030, 2035, 2042, 2045, 2050, 2061, 2100))
        month = choose((None, 1, 5, 6, 9, 12))
        date = _date_text(choose, year, month)
        bold = f"**{name}:**" if choose((False, False, True)) else f"**{name}**"
        colon = choose(("", ":"))
        bullet = f"{marker if marker != '1.' else f'{i + 1}.'} {bold} ({date}){colon}"
        why = _sentence(choose, choose((4, 9)))
        shape = choose(("same-line", "next-line", "nested", "deep-nested", "paragraph", "lazy"))
        if shape == "same-line":
            lines.append(f"{bullet} {why}")
        elif shape == "next-line":
            lines += [f"{bullet}  ", f"  {why}"]
        elif shape == "nested":
            lines += [bullet, f"  - {why}"]
        elif shape == "deep-nested":
            lines += [bullet, f"    - {why}"]
        elif shape == "lazy":
            lines += [bullet, why]
        else:
            lines += [bullet, "", why]
        expected.append(Expected(event, year, month))
        if i + 1 < count:
            lines += [""] * choose((0, 1, 1, 2)) if shape != "paragraph" else [""] * choose((1, 2))
    closing = choose(CLOSINGS)
    if closing:
        lines += ["", closing]
    return "\n".join(lines) + "\n", expected


FRONT_MATTER = (
    '---\ntitle: "[Daily Automated AI Summary]"\ndate: {date}T06:00:00Z\ndraft: false\n---\n'
    "> *Notice:* Written by a test grammar.\n\n"
)


def post(choose: Choose, day: str) -> tuple[str, list[Expected]]:
    """A whole post for ``day`` (YYYY-MM-DD) whose predictions section comes from the grammar."""
    body, expected = section(choose)
    text = (
        FRONT_MATTER.format(date=day)
        + "## Possible consequences of current developments\n\n"
        + "1. **A model reads a long book**\n\n   - *Benefits:*\n     More context.\n\n"
        + "   - *Ramifications:*\n     More cost.\n\n"
        + "## Currently trending topics\n\n- A trending thread\n\n"
        + "## GPT predicts future events\n"
        + body
    )
    return text, expected


def write_posts(root: str, count: int, choose: Choose, *, first: datetime | None = None) -> int:
    """Write ``count`` daily posts under ``root``/content/posts; returns predictions written."""
    from datetime import timedelta
    from pathlib import Path

    start = first or datetime(2023, 1, 1, tzinfo=UTC)
    folder = Path(root) / "content" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for n in range(count):
        day = (start + timedelta(days=n)).date().isoformat()
        text, expected = post(choose, day)
        (folder / f"{day}-ai-auto-summary.md").write_text(text, encoding="utf-8")
        total += len(expected)
    return total
