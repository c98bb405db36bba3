"""The daily summary post as a document: a lossless parse and render. Pure: no I/O.

A post is front matter, a notice, and three sections::

    ---
    <front matter>
    ---
    > *Notice:* ...

    ## Possible consequences of current developments      -> post.consequences
    1. **Title**  / *Benefits:* / *Ramifications:*
    ## Currently trending topics                           -> post.trending
    - title
    ## GPT predicts future events                          -> post.predictions
    - **Event** (May 2035)  / rationale

Lossless: every element remembers the exact text it was parsed from, split into the parts a
reviewer may change (an item's title line, its benefits block, its ramifications block; a
trending line; a prediction). ``render`` writes a part's original text while its value is
unchanged and the canonical layout (the seed's) once it changes, so

* ``render(parse(text)) == text`` for any post, however its formatting drifted, and
* changing one field changes only that field's lines.

Item numbers belong to places, not items: a list numbered ``1.`` throughout, or from 7, keeps
its numbers when an item is dropped or moved (only the moved heads' numbers change).

Everything that is not an element (stray notes, odd blank lines) is kept verbatim as trivia.
Text values are unescaped when parsed and escaped when rendered (``escape_inline``), so a
title is data: it cannot end the front matter, start a heading or run a Hugo shortcode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, Literal

from daily_ai_summary.errors import PostFormatError

# re-exported: the escaping of untrusted text is part of the post model's public surface
from daily_ai_summary.escape import clean_text as clean_text
from daily_ai_summary.escape import escape_inline as escape_inline
from daily_ai_summary.escape import unescape_inline as unescape_inline
from daily_ai_summary.i18n import ALL_LABELS, ENGLISH, TABLE, Strings
from daily_ai_summary.prediction_items import read_section

HEADINGS = ENGLISH.headings
HEADING_CONSEQUENCES, HEADING_TRENDING, HEADING_PREDICTIONS = HEADINGS
NOTICE = ENGLISH.notice

# The seed's blank lines: after each heading, and after each element.
_AFTER_HEADING = {"consequences": "\n\n", "trending": "\n\n\n", "predictions": "\n\n"}
_CONSEQUENCE_TAIL = "\n"  # one blank line after each item (also before the next heading)
_TRENDING_LAST_TAIL = "\n"  # one blank line after the last trending line
_PREDICTION_TAIL = "\n"  # one blank line between predictions; none after the last

SectionName = Literal["consequences", "trending", "predictions"]
FieldName = Literal["item", "title", "benefits", "ramifications", "line", "prediction"]


# --------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------


@dataclass
class _Seg:
    """A run of original lines. ``kind`` names the field it holds, or 'trivia'."""

    kind: str
    raw: str
    value: str = ""


@dataclass(eq=False)
class Consequence:
    """One numbered item: a discussion's title and two paragraphs about it."""

    title: str
    benefits: str
    ramifications: str
    _segs: list[_Seg] | None = field(default=None, repr=False)
    _number: int | None = field(default=None, repr=False)

    def fields(self) -> dict[str, str]:
        return {"title": self.title, "benefits": self.benefits, "ramifications": self.ramifications}


@dataclass(eq=False)
class Trending:
    """One line of the trending list."""

    title: str
    _raw: str | None = field(default=None, repr=False)
    _value: str | None = field(default=None, repr=False)
    _tail: str | None = field(default=None, repr=False)


@dataclass(eq=False)
class Prediction:
    """When an event will happen, and why. ``structured`` is False for prose predictions the
    reference bot sometimes wrote; their event and date are a best-effort reading."""

    event: str
    when: str
    rationale: str
    structured: bool = True
    _raw: str | None = field(default=None, repr=False)
    _value: tuple[str, str, str] | None = field(default=None, repr=False)
    _tail: str | None = field(default=None, repr=False)

    def value(self) -> tuple[str, str, str]:
        return (self.event, self.when, self.rationale)


@dataclass(eq=False)
class Section:
    """Layout of one section: its heading line, the text before its first element, and the
    trivia (stray lines) kept after elements, keyed by element identity."""

    heading: str
    lead: str


_DATE_RE = re.compile(r"^(?:date|pubDate):\s*['\"]?([^'\"\n]+?)['\"]?\s*$", re.M)
_CREATED_RE = re.compile(
    r"^date:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+created:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", re.M
)


@dataclass(eq=False)
class Post:
    front_matter: str  # the YAML between the fences, verbatim (ends with a newline)
    notice: str  # verbatim text between the front matter and the first heading
    consequences: list[Consequence]
    trending: list[Trending]
    predictions: list[Prediction]
    braces: bool = False  # escape every brace in new text (``escape_inline``)
    _sections: dict[str, Section] = field(default_factory=dict, repr=False)
    _tail: str = field(default="", repr=False)
    _fences: tuple[str, str] = field(default=("---\n", "---\n"), repr=False)  # as written (CRLF)
    # the item numbers as written, by position ("1." for every item, or a list from 7, stays so)
    _numbers: list[int] = field(default_factory=list, repr=False)
    # the words of new headings and labels (i18n); parse sets the language it recognised
    strings: Strings = field(default=ENGLISH, repr=False)

    @property
    def date(self) -> datetime | None:
        """The front matter's ``date`` (Astro's ``pubDate``, MkDocs' ``date: created:``), as an
        aware UTC datetime when it has one."""
        m = _CREATED_RE.search(self.front_matter) or _DATE_RE.search(self.front_matter)
        if not m:
            return None
        raw = m.group(1).strip()
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @property
    def trending_titles(self) -> list[str]:
        return [t.title for t in self.trending]

    def to_dict(self) -> dict[str, Any]:
        """What ``inspect --json`` prints for this post (without the path)."""
        return {
            "date": self.date.isoformat().replace("+00:00", "Z") if self.date else None,
            "consequences": [c.fields() for c in self.consequences],
            "trending": self.trending_titles,
            "predictions": [
                {"event": p.event, "when": p.when, "rationale": p.rationale}
                for p in self.predictions
            ],
        }


def new_post(
    front_matter: str,
    consequences: list[tuple[str, str, str]] | list[Consequence],
    trending: list[str],
    predictions: list[tuple[str, str, str]] | list[Prediction],
    *,
    notice: str | None = None,
    strings: Strings = ENGLISH,
    braces: bool = False,
) -> Post:
    """A post in the seed's exact layout. ``front_matter`` is the YAML between the fences;
    ``notice`` is the archetype's body (default: ``strings``' notice line); ``strings`` (the
    blog's language, ``i18n``) gives the headings and labels."""
    if not front_matter.endswith("\n"):
        front_matter += "\n"
    notice = strings.notice if notice is None else notice
    notice = notice.rstrip("\n") + "\n\n" if notice.strip() else ""
    return Post(
        front_matter=front_matter,
        notice=notice,
        consequences=[c if isinstance(c, Consequence) else Consequence(*c) for c in consequences],
        trending=[Trending(t) for t in trending],
        predictions=[p if isinstance(p, Prediction) else Prediction(*p) for p in predictions],
        strings=strings,
        braces=braces,
    )


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of the rendered post hold ``field`` of
    element ``index`` (0-based) of ``section``. Used to map a review comment to what it is on."""

    start: int
    end: int
    section: str
    index: int
    field: str


Escape = Callable[[str], str]


def _canon_block(label: str, value: str, esc: Escape) -> str:
    """A benefits or ramifications block in the seed's layout."""
    return f"   - *{label}:*\n     {esc(value)}\n"


def _canon_consequence(number: int, c: Consequence, esc: Escape, strings: Strings) -> list[_Seg]:
    return [
        _Seg("title", f"{number}. **{esc(c.title)}**\n"),
        _Seg("trivia", "\n"),
        _Seg("benefits", _canon_block(strings.benefits, c.benefits, esc)),
        _Seg("trivia", "\n"),
        _Seg("ramifications", _canon_block(strings.ramifications, c.ramifications, esc)),
        _Seg("tail", _CONSEQUENCE_TAIL),
    ]


_HEAD_RE = re.compile(r"^(?P<indent>[ \t]{0,2})(?P<num>\d+)(?P<dot>\.[ \t]+)(?P<rest>.*)$", re.S)


def _consequence_segs(number: int, c: Consequence, esc: Escape, strings: Strings) -> list[_Seg]:
    if c._segs is None:
        return _canon_consequence(number, c, esc, strings)
    kinds = {s.kind for s in c._segs}
    values = c.fields()
    # A field the original text did not have (an odd old item) can only be added by
    # rendering the whole item anew, keeping its trailing blank lines.
    if any(values[k] and k not in kinds for k in ("benefits", "ramifications")):
        tail = [s for s in c._segs if s.kind == "tail"]  # parse gives every item one
        return _canon_consequence(number, c, esc, strings)[:-1] + tail
    out = []
    for s in c._segs:
        if s.kind == "title":
            if values["title"] != s.value:
                out.append(_Seg("title", f"{number}. **{esc(values['title'])}**\n"))
            elif number != c._number:
                m = _HEAD_RE.match(s.raw)
                assert m is not None
                out.append(_Seg("title", f"{m['indent']}{number}{m['dot']}{m['rest']}"))
            else:
                out.append(s)
        elif s.kind in ("benefits", "ramifications") and values[s.kind] != s.value:
            label = strings.benefits if s.kind == "benefits" else strings.ramifications
            out.append(_Seg(s.kind, _canon_block(label, values[s.kind], esc)))
        else:
            out.append(s)
    return out


def _trending_raw(t: Trending, last: bool, esc: Escape) -> str:
    if t._raw is not None and t.title == t._value:
        body = t._raw
    else:
        body = f"- {esc(t.title)}\n"
    tail = t._tail if t._tail is not None else (_TRENDING_LAST_TAIL if last else "")
    return body + tail


def _prediction_raw(p: Prediction, last: bool, esc: Escape) -> str:
    if p._raw is not None and p.value() == p._value:
        body = p._raw
    else:
        body = f"- **{esc(p.event)}** ({esc(p.when)})  \n  {esc(p.rationale)}\n"
    tail = p._tail if p._tail is not None else ("" if last else _PREDICTION_TAIL)
    return body + tail


Where = tuple[str, int, str]  # (section, index, field) of an element's run


def _pieces(post: Post) -> Iterator[tuple[str, Where | None]]:
    """Every run of the post's text in order, with where it is for an element's run (None for
    the front matter, the notice, the headings and what surrounds the elements)."""

    def esc(text: str) -> str:
        return escape_inline(text, braces=post.braces)

    yield post._fences[0] + post.front_matter + post._fences[1] + post.notice, None

    def heading(name: str, text: str) -> str:
        sec = post._sections.get(name) or Section(text + "\n", _AFTER_HEADING[name])
        return sec.heading + sec.lead

    h1, h2, h3 = post.strings.headings
    yield heading("consequences", h1), None
    number = 0
    for i, c in enumerate(post.consequences):
        # a number belongs to its place: an item moved there takes the place's number
        number = post._numbers[i] if i < len(post._numbers) else number + 1
        for s in _consequence_segs(number, c, esc, post.strings):
            fld = s.kind if s.kind in ("title", "benefits", "ramifications") else "item"
            yield s.raw, ("consequences", i, fld)
    yield heading("trending", h2), None
    last = len(post.trending) - 1
    for i, t in enumerate(post.trending):
        yield _trending_raw(t, i == last, esc), ("trending", i, "line")
    yield heading("predictions", h3), None
    last = len(post.predictions) - 1
    for i, p in enumerate(post.predictions):
        yield _prediction_raw(p, i == last, esc), ("predictions", i, "prediction")
    yield post._tail, None


def render(post: Post) -> str:
    """The post's text: the original bytes where nothing changed, the seed's layout elsewhere."""
    return "".join(text for text, _ in _pieces(post))


def line_map(post: Post) -> list[Span]:
    """Which rendered lines hold which element and field (for review comments)."""
    spans: list[Span] = []
    line = 1
    for text, where in _pieces(post):
        n = text.count("\n")
        if n and where is not None:
            # blank lines at the end of a run belong to no field
            content = text.rstrip()  # \r of CRLF posts too
            last = line + content.count("\n")
            spans.append(Span(line, last, *where))
        line += n
    return spans


def locate(post: Post, line: int) -> Span | None:
    """The element and field on ``line`` (1-based) of ``render(post)``, or None."""
    for span in line_map(post):
        if span.start <= line <= span.end:
            return span
    return None


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------

_LABELS = "|".join(re.escape(label) for label in sorted(ALL_LABELS, key=len, reverse=True))
_MARKER_RE = re.compile(rf"^[ \t]*[-*][ \t]+\*(?P<label>{_LABELS}):\*[ \t]*(?P<rest>.*)$")
_TITLE_RE = re.compile(r"^\*\*(?P<t>.*)\*\*[ \t]*$")
_TREND_RE = re.compile(r"^[ \t]*(?:[-*•]|\d+\.)[ \t]+(?P<t>.*)$")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _blank(line: str) -> bool:
    return not line.strip()


def _join(lines: list[str]) -> str:
    return unescape_inline(" ".join(ln.strip() for ln in lines if ln.strip()))


def _is_paragraph_line(line: str) -> bool:
    """Indented by 3 or more (so never an item's head) and not a marker."""
    return len(line) - len(line.lstrip(" \t")) >= 3 and not _MARKER_RE.match(line)


def _split_tail(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split trailing blank lines off."""
    end = len(lines)
    while end and _blank(lines[end - 1]):
        end -= 1
    return lines[:end], lines[end:]


def _parse_consequence(lines: list[str]) -> Consequence:
    head = lines[0]
    m = _HEAD_RE.match(head)
    assert m is not None
    rest = m["rest"].strip()
    tm = _TITLE_RE.match(rest)
    title = unescape_inline(tm["t"].strip()) if tm else unescape_inline(rest)
    segs = [_Seg("title", head, title)]
    body, tail = _split_tail(lines[1:])
    values = {"benefits": "", "ramifications": ""}
    i = 0
    while i < len(body):
        mk = _MARKER_RE.match(body[i])
        if not mk:
            j = i
            while j < len(body) and not _MARKER_RE.match(body[j]):
                j += 1
            segs.append(_Seg("trivia", "".join(body[i:j])))
            i = j
            continue
        kind = ALL_LABELS[mk["label"]]
        j = i + 1
        # Blank lines between the marker and its paragraph are part of the block (2023 style),
        # as long as an indented paragraph line follows them.
        if not mk["rest"].strip():
            k = j
            while k < len(body) and _blank(body[k]):
                k += 1
            if k < len(body) and _is_paragraph_line(body[k]):
                j = k
        while j < len(body) and not _blank(body[j]) and not _MARKER_RE.match(body[j]):
            j += 1
        block = body[i:j]
        value = _join([mk["rest"], *block[1:]])
        if not values[kind]:
            values[kind] = value
            segs.append(_Seg(kind, "".join(block), value))
        else:  # a repeated marker: keep it verbatim, it is not the field
            segs.append(_Seg("trivia", "".join(block)))
        i = j
    segs.append(_Seg("tail", "".join(tail)))
    return Consequence(
        title, values["benefits"], values["ramifications"], _segs=segs, _number=int(m["num"])
    )


def _lead(body: list[str], starts: list[int]) -> str:
    """The text before a section's first element (all of it without one)."""
    return "".join(body[: starts[0]] if starts else body)


def _parse_trending(lines: list[str]) -> Trending:
    content, tail = _split_tail(lines)
    m = _TREND_RE.match(content[0])
    assert m is not None
    title = _join([m["t"]])
    return Trending(title, "".join(content), title, "".join(tail))


def _elements(lines: list[str], starts: list[int]) -> Iterator[list[str]]:
    for a, b in pairwise([*starts, len(lines)]):
        yield lines[a:b]


def _layout(
    text: str, where: str, extra: Strings | None = None
) -> tuple[list[str], int, list[int], Strings]:
    """The lines, the index of the front matter's closing fence, the headings' indexes, and
    the language whose headings they are: every shipped language is recognised (English
    first), and ``extra`` (the blog's own strings, when it overrides headings) before them."""
    lines = _lines(text)
    if not lines or lines[0].rstrip() != "---":
        raise PostFormatError(
            "no front matter: the file must start with a '---' line", file=where, line=1
        )
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    except StopIteration:
        raise PostFormatError(
            "front matter is not closed by a '---' line", file=where, line=1
        ) from None
    bare = [ln.rstrip() for ln in lines]  # every heading starts with "## "
    missing: list[str] = []  # the first heading each language lacks
    for strings in ([extra] if extra else []) + list(TABLE.values()):
        idx: list[int] = []
        for heading in strings.headings:
            found = next((i for i in range(close + 1, len(lines)) if bare[i] == heading), None)
            if found is None or (idx and found < idx[-1]):
                missing.append(heading)
                break
            idx.append(found)
        else:
            return lines, close, idx, strings
    raise PostFormatError(
        f"not a daily summary post: missing the heading '{missing[0]}'", file=where, line=close + 2
    )


def _predictions(body: list[str]) -> tuple[list[Prediction], int]:
    """One prediction per top-level bold list item; the rest is preamble or rationale.
    Also the index of the first prediction's line (``len(body)`` without one)."""
    found = read_section(body)
    out = []
    for n, f in enumerate(found):
        stop = found[n + 1].start if n + 1 < len(found) else len(body)
        p = Prediction(
            unescape_inline(f.event.strip().strip("*-").strip()),
            unescape_inline(f.when.strip()),
            _join(f.rationale),
            structured=f.structured,
        )
        p._raw = "".join(body[f.start : f.end])
        p._tail = "".join(body[f.end : stop])
        p._value = p.value()
        out.append(p)
    return out, found[0].start if found else len(body)


def read_predictions(
    text: str, *, path: str | None = None, strings: Strings | None = None
) -> list[Prediction]:
    """``parse(text).predictions`` without reading the other sections (the tracker reads
    every post of a blog). Raises ``PostFormatError`` like ``parse``."""
    lines, _, idx, _ = _layout(text, path or "<post>", strings)
    return _predictions(lines[idx[2] + 1 :])[0]


def templated_path(path: str | None) -> bool:
    """Whether ``path`` is in a templating generator's post folder (or MDX): escape braces."""
    return path is not None and _TEMPLATED.search(path) is not None


_TEMPLATED = re.compile(r"^(docs/blog/posts|src/content|posts)/|(^|/)_posts/|\.mdx$")


def parse(
    text: str,
    *,
    path: str | None = None,
    strings: Strings | None = None,
    braces: bool | None = None,
) -> Post:
    """Read a daily summary post, in any shipped language (or with the headings of
    ``strings``, the blog's own). Raises ``PostFormatError`` naming the file and line.
    ``braces`` (see ``Post``) defaults to what the path says (``templated_path``)."""
    lines, close, (h1, h2, h3), found = _layout(text, path or "<post>", strings)
    items = lines[h1 + 1 : h2]
    heads = [i for i, ln in enumerate(items) if _HEAD_RE.match(ln)]
    consequences = [_parse_consequence(el) for el in _elements(items, heads)]
    trend = lines[h2 + 1 : h3]
    bullets = [i for i, ln in enumerate(trend) if _TREND_RE.match(ln)]
    preds = lines[h3 + 1 :]
    predictions, first = _predictions(preds)
    return Post(
        front_matter="".join(lines[1:close]),
        notice="".join(lines[close + 1 : h1]),
        consequences=consequences,
        trending=[_parse_trending(el) for el in _elements(trend, bullets)],
        predictions=predictions,
        strings=found,
        braces=templated_path(path) if braces is None else braces,
        _sections={
            "consequences": Section(lines[h1], _lead(items, heads)),
            "trending": Section(lines[h2], _lead(trend, bullets)),
            "predictions": Section(lines[h3], "".join(preds[:first])),
        },
        _fences=(lines[0], lines[close]),
        _numbers=[c._number for c in consequences if c._number is not None],
    )
