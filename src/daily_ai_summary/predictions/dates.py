"""Read a predicted date ("May 2035", "Sept. 2035", "2035-05", "(2045)", "2040-2050") as a
year and an optional month. Pure.

Month names come from a table keyed by language (``LANGUAGES``). Each language lists its
month spellings and the shapes a month and a year take together, written with ``{month}`` and
``{year}`` placeholders, so that another language is one more entry: French "avril 2030",
Spanish "abril de 2030" or Japanese "2030年4月" need no new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

YEAR = r"(?P<year>(?:1[89]|2[0-9])\d{2})"
# A year on its own: four digits not glued to other digits ("2030s" still reads as 2030).
_YEAR_ONLY = re.compile(
    r"(?<![\w.])"
    + YEAR
    + r"(?:\s*(?:-|–|to)\s*(?P<end>(?:1[89]|2[0-9])\d{2})(?![\w]))?(?![^\W_]|[.,]\d)"
)
# ISO year-month: 2035-05 (and 2035/05); not a range such as 2035-2040.
_ISO = re.compile(r"(?<!\d)" + YEAR + r"[-/](?P<month>0?[1-9]|1[0-2])(?![\d])")


@dataclass(frozen=True)
class Language:
    """Month spellings (lower-case, without a trailing dot) and the shapes of month + year."""

    months: dict[str, int]
    shapes: tuple[str, ...]
    # "early/mid/late 2030s": the qualifier's year within the decade (a bare "2030s": 5)
    decades: dict[str, int] | None = None


def _english() -> Language:
    names = (
        "january february march april may june july august september october november december"
    ).split()
    months = {name: n for n, name in enumerate(names, 1)}
    months.update({name[:3]: n for n, name in enumerate(names, 1)})
    months.update({"sept": 9, "febr": 2})
    return Language(
        months=months,
        shapes=(
            r"{month}\.?,?\s+(?:of\s+)?{year}",  # May 2035, Sept. 2035, March, 2035, May of 2035
            r"{year}\s*\(\s*{month}\.?\s*\)",  # 2045 (November)
            r"{year},?\s+{month}\b",  # 2045, November
        ),
        decades={"early": 2, "mid": 5, "middle": 5, "late": 8},
    )


LANGUAGES: dict[str, Language] = {"en": _english()}


@dataclass(frozen=True)
class PredictedDate:
    """A year, a month when one was given, and the last year of a range ("2040-2050")."""

    year: int
    month: int | None = None
    end_year: int | None = None

    @property
    def value(self) -> float:
        """The date as a fractional year, for charts and medians: the middle of the month,
        or the middle of the year when no month was given."""
        return self.year + ((self.month - 0.5) / 12 if self.month else 0.5)


@cache
def _decades(languages: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, int]]:
    words: dict[str, int] = {}
    for code in languages:
        words.update(LANGUAGES[code].decades or {})
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
    pattern = rf"(?<!\w)(?:(?P<q>{names})(?:[- ]|\s+of\s+the\s+))?(?P<dec>(?:1[89]|2\d)\d0)'?s\b"
    return re.compile(pattern, re.I), words


@cache
def _patterns(languages: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    out = []
    for code in languages:
        lang = LANGUAGES[code]
        names = sorted(lang.months, key=len, reverse=True)
        month = r"(?P<mname>" + "|".join(re.escape(n) for n in names) + r")"
        for shape in lang.shapes:
            body = shape.replace("{month}", month).replace("{year}", YEAR)
            out.append((re.compile(r"(?<!\w)" + body + r"(?!\d)", re.I), lang.months))
    return tuple(out)


def find_date(text: str, languages: tuple[str, ...] = ("en",)) -> tuple[PredictedDate, str] | None:
    """The first date in ``text`` and the exact text it was read from, or None. When two
    readings start at the same place the longer (more precise) one wins."""
    best: tuple[int, int, PredictedDate] | None = None
    for pattern, months in _patterns(languages):
        for m in pattern.finditer(text):
            found = PredictedDate(int(m["year"]), months[m["mname"].lower().rstrip(".")])
            key = (m.start(), -(m.end() - m.start()))
            if best is None or key < best[:2]:
                best = (*key, found)
            break
    decade, qualifiers = _decades(languages)
    for m in decade.finditer(text):
        offset = qualifiers.get((m["q"] or "").lower(), 5)
        key = (m.start(), -(m.end() - m.start()))
        if best is None or key < best[:2]:
            best = (*key, PredictedDate(int(m["dec"]) + offset))
        break
    for m in _ISO.finditer(text):
        key = (m.start(), -(m.end() - m.start()))
        if best is None or key < best[:2]:
            best = (*key, PredictedDate(int(m["year"]), int(m["month"])))
        break
    for m in _YEAR_ONLY.finditer(text):
        end = int(m["end"]) if m["end"] else None
        key = (m.start(), -(m.end() - m.start()))
        if best is None or key < best[:2]:
            best = (
                *key,
                PredictedDate(int(m["year"]), None, end if end and end > int(m["year"]) else None),
            )
        break
    if best is None:
        return None
    start, neg_len, found = best
    return found, text[start : start - neg_len]


def read_date(text: str, languages: tuple[str, ...] = ("en",)) -> PredictedDate | None:
    """The first date in ``text``, or None."""
    hit = find_date(text, languages)
    return hit[0] if hit else None


def is_date(text: str, languages: tuple[str, ...] = ("en",)) -> bool:
    """Whether ``text`` is a date and nothing else (punctuation aside)."""
    clean = text.strip(" .,:;")
    if clean.startswith("(") and clean.endswith(")"):
        clean = clean[1:-1].strip(" .,:;")
    hit = find_date(clean, languages)
    return hit is not None and hit[1] == clean
