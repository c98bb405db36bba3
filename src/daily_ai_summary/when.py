"""When a predicted event happens: the model's date, normalised before it is judged. Pure.

The post shows a prediction's date in parentheses after the event: ``(May 2035)``, or a year
alone, ``(2050)``, as the reference blog sometimes did. Small models write dates every which
way, so the answer is read generously and written one way:

* ``May 2035``, ``may 2035``, ``Sep. 2040``, ``Oct 2045``     -> ``May 2035`` ... ``October 2045``
* ``2045-10-25``, ``2045-10``, ``2045/10/25``, ``25 October 2045``, ``October 25, 2045``
                                                              -> ``October 2045``
* ``2050``, ``by 2050``, ``around 2050``, ``mid-2050``, ``late 2050``  -> ``2050`` (year only)

A date is rejected when it cannot be read, when its year is outside 2000-2999, or when it is in
the past: a month before today's month, or a year before today's year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

FIRST_YEAR = 2000
LAST_YEAR = 2999

_MONTHS: dict[str, int] = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_HEDGE = r"(?:(?:by|in|around|circa|ca\.?|about|approximately|roughly|before|after|the year)\s+)"
_PART = r"(?:(?:early|mid|late|end of|start of|the end of|the start of)[\s-]+)"

_FORMS = [
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$"),  # May 2035, Sep. 2040, October, 2045
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$"),  # October 25, 2045
    re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}$"),  # 25 October 2045
    re.compile(rf"^{_YEAR}[-/.](?P<mnum>\d{{1,2}})(?:[-/.](?P<dnum>\d{{1,2}}))?(?:T[\d:.Z+-]*)?$"),
    re.compile(rf"^(?P<mnum>\d{{1,2}})[-/]{_YEAR}$"),  # 10/2045
]
_YEAR_ONLY = re.compile(rf"^{_HEDGE}?{_PART}?{_YEAR}$", re.I)


@dataclass(frozen=True, order=True)
class When:
    """A month and a year, or a year alone (``month`` is None)."""

    year: int
    month: int | None = None

    @property
    def text(self) -> str:
        """As the post shows it: ``October 2045`` or ``2050``."""
        if self.month is None:
            return str(self.year)
        return f"{calendar.month_name[self.month]} {self.year}"

    def before(self, today: date) -> bool:
        """True when every day this date covers is before ``today``'s month (or year)."""
        if self.month is None:
            return self.year < today.year
        return (self.year, self.month) < (today.year, today.month)


def read_when(text: str) -> When:
    """Read a date written any of the ways the module docstring lists. Raises ``ValueError``
    saying what is expected."""
    raw = " ".join(str(text).split()).strip(" .,;:()[]'\"*_")
    m = _YEAR_ONLY.match(raw)
    if m:
        return _checked(raw, int(m["year"]), None)
    for form in _FORMS:
        m = form.match(raw)
        if not m:
            continue
        groups = m.groupdict()
        if groups.get("month") is not None:
            month = _MONTHS.get(groups["month"].lower())
        else:
            month = int(groups["mnum"])
            if not 1 <= month <= 12:
                month = None
        if month is None:
            break
        day = groups.get("day") or groups.get("dnum")
        if day is not None and not 1 <= int(day) <= 31:
            break
        return _checked(raw, int(groups["year"]), month)
    raise ValueError(
        f"{_quote(raw)} is not a date; write a month name and a four-digit year like "
        "'May 2035' (or a year alone like '2050')"
    )


def normalise_when(text: str, *, today: date) -> When:
    """``read_when``, and not in the past (see ``When.before``)."""
    when = read_when(text)
    if when.before(today):
        raise ValueError(f"{when.text} is in the past (today is {today.isoformat()})")
    return when


def _checked(raw: str, year: int, month: int | None) -> When:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"{_quote(raw)}: the year must have four digits, between {FIRST_YEAR} and {LAST_YEAR}"
        )
    return When(year, month)


def _quote(raw: str) -> str:
    return repr(raw[:40] + ("..." if len(raw) > 40 else ""))


# The pattern a schema can send to endpoints that enforce it (llama.cpp, vLLM, Ollama): the
# canonical forms only, so constrained decoding produces something ``read_when`` accepts as is.
WHEN_PATTERN = (
    "^(January|February|March|April|May|June|July|August|September|October|November|December)"
    " 2[0-9]{3}$"
)
