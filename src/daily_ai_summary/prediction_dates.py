"""Read a predicted date ("May 2035", "Sept. 2035", "2035-05", "(2045)", "2040-2050") as a
year and an optional month. Pure.

Month names come from a table keyed by language (``LANGUAGES``). Each language lists its
month spellings and the shapes a month and a year take together, written with ``{month}`` and
``{year}`` placeholders, so that another language is one more entry: French "avril 2030",
Spanish "abril de 2030" or Japanese "2030年4月" need no new code.
"""

from __future__ import annotations

import re
import unicodedata
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


def _spelled(names: str, shapes: tuple[str, ...], abbrev: int = 3) -> Language:
    """A language whose months are words: full names, ``abbrev``-letter abbreviations, and
    the names without accents ("marz", "fevrier"), so a plain-ASCII writer is read too."""
    months: dict[str, int] = {}
    for n, name in enumerate(names.split(), 1):
        for spelling in (name, _ascii(name)):
            months[spelling] = n
            if abbrev:
                months.setdefault(spelling[:abbrev], n)
    return Language(months=months, shapes=shapes)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_MONTH_YEAR = (r"{month}\.?\s+{year}",)  # April 2030, avril 2030, Sept. 2030
_MONTH_DE_YEAR = (r"{month}\.?\s+(?:de\s+)?{year}",)  # abril de 2030, Abril de 2030
# 2030年4月 (Japanese and Chinese): the month is a number, Arabic or fullwidth digits
_CJK = Language(
    months={str(n): n for n in range(1, 13)}
    | {f"{n:02d}": n for n in range(1, 10)}
    | {
        str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")): n
        for n in range(1, 13)
    },
    shapes=(r"{year}\s*年\s*{month}\s*月",),
)

# The languages of ``i18n``'s table (a post's dates are written in its blog's language).
LANGUAGES: dict[str, Language] = {
    "en": _english(),
    "de": _spelled(
        "januar februar märz april mai juni juli august september oktober november dezember",
        _MONTH_YEAR,
    ),
    "fr": _spelled(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        _MONTH_YEAR,
        abbrev=4,
    ),
    "es": _spelled(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        _MONTH_DE_YEAR,
        abbrev=0,
    ),
    "pt": _spelled(
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        _MONTH_DE_YEAR,
        abbrev=0,
    ),
    "ja": _CJK,
    "zh": _CJK,
}
# Every language, English first: what a date is read with unless the caller narrows it.
ALL = tuple(LANGUAGES)


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


def _named(pattern: str, n: int) -> str:
    """``pattern`` with its group names made unique to alternative ``n``."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m[1]}_{n}>", pattern)


def _month(table: dict[str, int], name: str) -> int:
    key = name.lower().rstrip(".")
    return table[key] if key in table else table[_ascii(key)]


@cache
def _reader(languages: tuple[str, ...]) -> tuple[re.Pattern[str], list[tuple[str, dict[str, int]]]]:
    """One regular expression for every shape, most precise first (at one position, the first
    alternative that matches wins), and what each alternative is."""
    parts: list[str] = []
    kinds: list[tuple[str, dict[str, int]]] = []
    qualifiers: dict[str, int] = {}
    for code in languages:
        lang = LANGUAGES[code]
        names = sorted(lang.months, key=len, reverse=True)
        month = r"(?P<mname>" + "|".join(re.escape(n) for n in names) + r")"
        for shape in lang.shapes:
            body = shape.replace("{month}", month).replace("{year}", YEAR)
            parts.append(r"(?<!\w)" + body + r"(?!\d)")
            kinds.append(("month", lang.months))
        qualifiers.update(lang.decades or {})
    words = "|".join(re.escape(w) for w in sorted(qualifiers, key=len, reverse=True)) or "(?!)"
    parts.append(
        rf"(?<!\w)(?:(?P<q>{words})(?:[- ]|\s+of\s+the\s+))?(?P<dec>(?:1[89]|2\d)\d0)'?s\b"
    )
    kinds.append(("decade", qualifiers))
    parts += [_ISO.pattern, _YEAR_ONLY.pattern]
    kinds += [("iso", {}), ("year", {})]
    alternatives = "|".join(f"(?P<a{n}>{_named(p, n)})" for n, p in enumerate(parts))
    return re.compile(alternatives, re.I), kinds


_GROUPS = {"month": ("year", "mname"), "decade": ("q", "dec"), "iso": ("year", "month")}
_GROUPS["year"] = ("year", "end")


def find_date(text: str, languages: tuple[str, ...] = ALL) -> tuple[PredictedDate, str] | None:
    """The first date in ``text`` and the exact text it was read from, or None. When two
    readings start at the same place the more precise one wins ("2045 (November)" over
    "2045", "2035-05" over "2035")."""
    pattern, kinds = _reader(languages)
    m = pattern.search(text)
    if m is None:
        return None
    n = int((m.lastgroup or "a0")[1:])
    kind, table = kinds[n]
    g = {name: m[f"{name}_{n}"] for name in _GROUPS[kind]}
    if kind == "month":
        found = PredictedDate(int(g["year"]), _month(table, g["mname"]))
    elif kind == "decade":
        found = PredictedDate(int(g["dec"]) + table.get((g.get("q") or "").lower(), 5))
    elif kind == "iso":
        found = PredictedDate(int(g["year"]), int(g["month"]))
    else:
        year, end = int(g["year"]), int(g["end"]) if g.get("end") else None
        found = PredictedDate(year, None, end if end and end > year else None)
    return found, m.group(0)


def read_date(text: str, languages: tuple[str, ...] = ALL) -> PredictedDate | None:
    """The first date in ``text``, or None."""
    hit = find_date(text, languages)
    return hit[0] if hit else None


def is_date(text: str, languages: tuple[str, ...] = ALL) -> bool:
    """Whether ``text`` is a date and nothing else (punctuation aside)."""
    clean = text.strip(" .,:;")
    if clean.startswith("(") and clean.endswith(")"):
        clean = clean[1:-1].strip(" .,:;")
    hit = find_date(clean, languages)
    return hit is not None and hit[1] == clean
